package library

import (
	"bytes"
	"testing"
)

// FuzzReadFile feeds any bytes to every reader: no input may panic, and a
// document that comes back has articles in order with labels.
func FuzzReadFile(f *testing.F) {
	f.Add(uint8(0), []byte(sampleLaw))
	f.Add(uint8(1), []byte("通知\n一、总体要求\n各单位要落实。\n第一条 x\n第二条 y"))
	f.Add(uint8(2), []byte("PK\x03\x04"))
	f.Add(uint8(3), scannedPDF(1))
	f.Add(uint8(0), []byte("# 法\n第一千二百六十条之一 x\n（一）a\n第三十条规定的"))
	names := []string{"a.md", "a.txt", "a.docx", "a.pdf"}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		name := names[int(kind)%len(names)]
		d, err := ReadFile(name, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if len(d.Articles) == 0 || d.Title == "" {
			t.Fatalf("%s: a document without title or articles: %+v", name, d)
		}
		for i, a := range d.Articles {
			if a.Seq != i+1 || a.Label == "" {
				t.Fatalf("%s: article %d: seq %d label %q", name, i, a.Seq, a.Label)
			}
			if i > 0 && a.No.Main > 0 && !d.Articles[i-1].No.Less(a.No) {
				t.Fatalf("%s: %s after %s", name, a.Label, d.Articles[i-1].Label)
			}
		}
	})
}
