package library

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scannedPDF builds a PDF of n pages that only draw an image, as a
// scanner writes them: no text operator anywhere.
func scannedPDF(n int) []byte {
	var objs []string
	kids := ""
	for i := 0; i < n; i++ {
		page := 3 + 3*i
		kids += fmt.Sprintf("%d 0 R ", page)
	}
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>")
	objs = append(objs, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n))
	for i := 0; i < n; i++ {
		img, content := 4+3*i, 5+3*i
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>", img, content))
		pixels := strings.Repeat("\x80", 64)
		objs = append(objs, fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream", len(pixels), pixels))
		draw := "q 200 0 0 200 0 0 cm /Im0 Do Q"
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(draw), draw))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestPDFScanned(t *testing.T) {
	t.Parallel()
	data := scannedPDF(2)
	if os.Getenv("FUWU_WRITE_SCAN") != "" {
		_ = os.WriteFile(os.Getenv("FUWU_WRITE_SCAN"), data, 0o644)
	}
	_, err := ReadFile("扫描件.pdf", bytes.NewReader(data), int64(len(data)))
	var oe *OCRError
	if !errors.As(err, &oe) || len(oe.Pages) != 2 || !strings.Contains(err.Error(), "OCR") {
		t.Fatalf("err = %v, want an OCRError for pages 1 and 2", err)
	}
}

// The committed PDFs were printed by LibreOffice from the law texts
// (make-pdfs in testdata/README.md); mixed.pdf has a scanned page appended.
func TestPDFText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file, md string
		ocr      []int
	}{
		{"城市绿化条例(2017-03-01).pdf", "城市绿化条例(2017-03-01).md", nil},
		{"mixed.pdf", "教师资格条例(1995-12-12).md", []int{5}},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		d, err := ReadFile(c.file, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		md, err := os.ReadFile(filepath.Join(lawsDir(), c.md))
		if err != nil {
			t.Fatal(err)
		}
		want := parseString(t, c.md, string(md))
		if d.Title != want.Title || len(d.Articles) != len(want.Articles) {
			t.Fatalf("%s: %q with %d articles, want %q with %d", c.file, d.Title, len(d.Articles), want.Title, len(want.Articles))
		}
		same := 0
		for i := range d.Articles {
			if squeeze(d.Articles[i].Text()) == squeeze(want.Articles[i].Text()) {
				same++
			} else if testing.Verbose() {
				t.Logf("%s %s\n got %q\nwant %q", c.file, d.Articles[i].Label, d.Articles[i].Text(), want.Articles[i].Text())
			}
		}
		// Every article's text must come through; line breaks inside a 款
		// are not always recoverable, so compare without white space.
		if same != len(want.Articles) {
			t.Errorf("%s: %d of %d articles verbatim", c.file, same, len(want.Articles))
		}
		if fmt.Sprint(d.NeedsOCR) != fmt.Sprint(c.ocr) {
			t.Errorf("%s: needs OCR %v, want %v", c.file, d.NeedsOCR, c.ocr)
		}
	}
}
