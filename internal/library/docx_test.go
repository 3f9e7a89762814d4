package library

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// docxPara is one paragraph of a test document: its text, style and
// list membership (numID "" for none).
type docxPara struct {
	text, style, numID string
	ilvl               int
}

// buildDOCX writes a minimal .docx whose article numbers come from Word's
// automatic numbering: list 1 prints 第%1条 (chineseCounting) at level 0
// and （%2） at level 1; the style Chapter numbers 第%1章 through list 2.
func buildDOCX(t *testing.T, paras []docxPara) []byte {
	t.Helper()
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	var body strings.Builder
	for _, p := range paras {
		body.WriteString("<w:p><w:pPr>")
		if p.style != "" {
			fmt.Fprintf(&body, `<w:pStyle w:val="%s"/>`, p.style)
		}
		if p.numID != "" {
			fmt.Fprintf(&body, `<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%s"/></w:numPr>`, p.ilvl, p.numID)
		}
		// Split the text over two runs, as Word does after an edit.
		half := len([]rune(p.text)) / 2
		r := []rune(p.text)
		fmt.Fprintf(&body, `</w:pPr><w:r><w:t>%s</w:t></w:r><w:r><w:t xml:space="preserve">%s</w:t></w:r>`, string(r[:half]), string(r[half:]))
		body.WriteString(`<w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del></w:p>`)
	}
	numbering := `<?xml version="1.0"?><w:numbering ` + ns + `>
<w:abstractNum w:abstractNumId="10"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="space"/><w:lvlText w:val="第%1条"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
</w:numbering>`
	styles := `<?xml version="1.0"?><w:styles ` + ns + `>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Chapter"><w:name w:val="heading 2"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
</w:styles>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0"?><w:document ` + ns + `><w:body>` + body.String() + `</w:body></w:document>`,
		"word/numbering.xml":  numbering,
		"word/styles.xml":     styles,
	} {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A regulation typed in Word with automatic article numbers: the numbers
// are nowhere in the text, yet the library cites them.
func TestDOCXAutomaticNumbering(t *testing.T) {
	t.Parallel()
	data := buildDOCX(t, []docxPara{
		{text: "某区机关工作人员考勤管理办法", style: "Title"},
		{text: "总则", style: "Chapter"},
		{text: "为了规范考勤管理，制定本办法。", numID: "1"},
		{text: "本办法适用于下列人员：", numID: "1"},
		{text: "在编工作人员；", numID: "1", ilvl: 1},
		{text: "编外聘用人员。", numID: "1", ilvl: 1},
		{text: "请假", style: "Chapter"},
		{text: "请病假三天以上的，应当提交医院证明。", numID: "1"},
		{text: "依照本办法第二条规定的人员，同样适用。"},
	})
	d, err := ReadFile("考勤办法.docx", bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "某区机关工作人员考勤管理办法" || d.Kind != Law || d.Format != "docx" {
		t.Fatalf("title %q kind %s", d.Title, d.Kind)
	}
	var got []string
	for _, a := range d.Articles {
		got = append(got, strings.Join(a.Path, "/")+"|"+a.Text())
	}
	want := []string{
		"第一章 总则|第一条 为了规范考勤管理，制定本办法。",
		"第一章 总则|第二条 本办法适用于下列人员：\n（一）在编工作人员；\n（二）编外聘用人员。",
		"第二章 请假|第三条 请病假三天以上的，应当提交医院证明。\n依照本办法第二条规定的人员，同样适用。",
	}
	if strings.Join(got, "\n--\n") != strings.Join(want, "\n--\n") {
		t.Errorf("articles\n got %q\nwant %q", got, want)
	}
}
