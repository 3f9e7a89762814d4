package gongwen

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// GB/T 9704-2012 page geometry in twips (1/20 pt; 1 mm = 56.693 twips).
const (
	PageWidth    = 11906                                 // A4 210 mm
	PageHeight   = 16838                                 // A4 297 mm
	MarginTop    = 2098                                  // 天头 37 mm
	MarginLeft   = 1587                                  // 订口 28 mm
	MarginRight  = 1474                                  // 210 − 28 − 156 mm
	MarginBottom = 1984                                  // 297 − 37 − 225 mm
	TextWidth    = PageWidth - MarginLeft - MarginRight  // 版心 156 mm
	TextHeight   = PageHeight - MarginTop - MarginBottom // 版心 225 mm
	// LinePitch puts 22 lines in the 225 mm 版心.
	LinePitch = 579
	// CharSpace (1/4096 pt) narrows 3号 characters (16 pt) so that 28
	// fit the 156 mm line: 156 mm / 28 = 15.79 pt.
	CharSpace = -848
	// FooterDistance puts the page number's 一字线 about 7 mm under the 版心.
	FooterDistance = 1304
	charTwips      = TextWidth / 28 // one character of the body
)

// Fonts and sizes (half-points) of GB/T 9704-2012.
const (
	FontBody    = "仿宋_GB2312"
	FontTitle   = "方正小标宋简体"
	FontHei     = "黑体"
	FontKai     = "楷体_GB2312"
	FontSong    = "宋体"
	SizeBody    = 32 // 3号
	SizeTitle   = 44 // 2号
	SizeMark    = 72 // 发文机关标志, 小初
	SizeFooter  = 28 // 4号, page numbers and 版记
	colorRed    = "FF0000"
	docxMIMEApp = "application/vnd.openxmlformats-officedocument.wordprocessingml"
)

// WriteDOCX writes the document as a .docx laid out to GB/T 9704-2012.
func WriteDOCX(w io.Writer, d *Document) error {
	return writeDOCXParts(w, d, documentXML(d))
}

func writeDOCXParts(w io.Writer, d *Document, document string) error {
	zw := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreProps(d)},
		{"docProps/app.xml", appProps},
		{"word/_rels/document.xml.rels", docRels},
		{"word/styles.xml", stylesXML},
		{"word/settings.xml", settingsXML},
		{"word/footer1.xml", footerXML("right")},
		{"word/footer2.xml", footerXML("left")},
		{"word/document.xml", document},
	}
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2012, 6, 29, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return fmt.Errorf("docx %s: %w", p.name, err)
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return fmt.Errorf("docx %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run is one w:r with its font, size, colour and boldness.
func run(text, font string, size int, color string) string {
	var b strings.Builder
	b.WriteString("<w:r><w:rPr>")
	fmt.Fprintf(&b, `<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:cs="%s"/>`, font, font, font, font)
	if color != "" {
		fmt.Fprintf(&b, `<w:color w:val="%s"/>`, color)
	}
	fmt.Fprintf(&b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, size, size)
	b.WriteString("</w:rPr>")
	for i, part := range strings.Split(text, "\t") {
		if i > 0 {
			b.WriteString("<w:tab/>")
		}
		if part != "" {
			fmt.Fprintf(&b, `<w:t xml:space="preserve">%s</w:t>`, esc(part))
		}
	}
	b.WriteString("</w:r>")
	return b.String()
}

// pPr builds paragraph properties; every paragraph has the exact line
// pitch so that the 22-line grid holds in any word processor.
type pPr struct {
	jc                    string
	before                int // twips
	firstChars            int // hundredths of a character
	leftChars, rightChars int
	hangingChars          int
	pageBreak             bool
	border                string // raw w:pBdr content
	tabs                  string
	line                  int
}

func (p pPr) String() string {
	var b strings.Builder
	b.WriteString("<w:pPr>")
	if p.pageBreak {
		b.WriteString("<w:pageBreakBefore/>")
	}
	if p.border != "" {
		b.WriteString("<w:pBdr>" + p.border + "</w:pBdr>")
	}
	if p.tabs != "" {
		b.WriteString("<w:tabs>" + p.tabs + "</w:tabs>")
	}
	line := p.line
	if line == 0 {
		line = LinePitch
	}
	fmt.Fprintf(&b, `<w:spacing w:before="%d" w:after="0" w:line="%d" w:lineRule="exact"/>`, p.before, line)
	if p.firstChars != 0 || p.leftChars != 0 || p.rightChars != 0 || p.hangingChars != 0 {
		b.WriteString("<w:ind")
		if p.leftChars != 0 {
			fmt.Fprintf(&b, ` w:left="%d" w:leftChars="%d"`, p.leftChars*charTwips/100, p.leftChars)
		}
		if p.rightChars != 0 {
			fmt.Fprintf(&b, ` w:right="%d" w:rightChars="%d"`, p.rightChars*charTwips/100, p.rightChars)
		}
		if p.firstChars != 0 {
			fmt.Fprintf(&b, ` w:firstLine="%d" w:firstLineChars="%d"`, p.firstChars*charTwips/100, p.firstChars)
		}
		if p.hangingChars != 0 {
			fmt.Fprintf(&b, ` w:hanging="%d" w:hangingChars="%d"`, p.hangingChars*charTwips/100, p.hangingChars)
		}
		b.WriteString("/>")
	}
	if p.jc != "" {
		fmt.Fprintf(&b, `<w:jc w:val="%s"/>`, p.jc)
	}
	b.WriteString("</w:pPr>")
	return b.String()
}

func para(p pPr, runs ...string) string {
	return "<w:p>" + p.String() + strings.Join(runs, "") + "</w:p>"
}

// width counts characters as the layout sees them: ASCII is half wide.
func width(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x80 {
			n++
		} else {
			n += 2
		}
	}
	return (n + 1) / 2
}

// bodyParagraph lays out a body paragraph: headings of level 1 in 黑体,
// level 2 in 楷体, levels 3 and 4 in 仿宋; a run-in heading ("（一）标题。正文")
// has only its heading sentence in the heading font.
func bodyParagraph(text string, first pPr) string {
	h, ok := parseHeading(text)
	if !ok || h.level > 2 {
		return para(first, run(text, FontBody, SizeBody, ""))
	}
	font := FontHei
	if h.level == 2 {
		font = FontKai
	}
	head, rest := text, ""
	if i := strings.Index(text, "。"); i >= 0 && i+len("。") < len(text) {
		head, rest = text[:i+len("。")], text[i+len("。"):]
	}
	runs := []string{run(head, font, SizeBody, "")}
	if rest != "" {
		runs = append(runs, run(rest, FontBody, SizeBody, ""))
	}
	return para(first, runs...)
}

func documentXML(d *Document) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	blocks := d.blocks()
	sigW, dateW := 0, 0
	for _, bl := range blocks {
		switch bl.kind {
		case bSignature:
			sigW = width(bl.text)
		case bDate:
			dateW = width(bl.text)
		}
	}
	// 不加盖印章: 署名右空二字, 成文日期首字比署名首字右移二字; a date longer
	// than the signature is 右空二字 and the signature moves left.
	sigRight, dateRight := 2, sigW-dateW
	if dateRight < 2 {
		dateRight, sigRight = 2, dateW-sigW+4
	}
	thick := `w:val="single" w:sz="8" w:space="1" w:color="000000"`
	thin := `w:val="single" w:sz="6" w:space="1" w:color="000000"`
	prev := ""
	afterCC := false
	for i, bl := range blocks {
		next := ""
		if i+1 < len(blocks) {
			next = blocks[i+1].kind
		}
		switch bl.kind {
		case bCopyNo, bSecret, bUrgency:
			b.WriteString(para(pPr{}, run(bl.text, FontHei, SizeBody, "")))
		case bMark:
			before := 1984 // 35 mm 上边缘至版心上边缘 (平行文、下行文)
			if d.Type.Upward() {
				before = 4535 // 80 mm (上行文)
			}
			if prev != "" {
				before = LinePitch
			}
			b.WriteString(para(pPr{jc: "center", before: before, line: SizeMark * 10 * 12 / 10},
				run(bl.text, FontTitle, SizeMark, colorRed)))
		case bDocNum:
			p := pPr{before: 2 * LinePitch,
				border: `<w:bottom w:val="single" w:sz="12" w:space="11" w:color="` + colorRed + `"/>`}
			text := bl.text
			if bl.right != "" {
				p.leftChars = 100
				p.tabs = fmt.Sprintf(`<w:tab w:val="right" w:pos="%d"/>`, TextWidth-charTwips-p.leftChars*charTwips/100)
				b.WriteString(para(p, run(text+"\t", FontBody, SizeBody, ""),
					run("签发人：", FontBody, SizeBody, ""),
					run(strings.TrimPrefix(bl.right, "签发人："), FontKai, SizeBody, "")))
			} else {
				p.jc = "center"
				b.WriteString(para(p, run(text, FontBody, SizeBody, "")))
			}
		case bTitle:
			before := 2 * LinePitch
			if prev == "" {
				before = 0
			}
			b.WriteString(para(pPr{jc: "center", before: before}, run(bl.text, FontTitle, SizeTitle, "")))
		case bRecipients:
			b.WriteString(para(pPr{before: LinePitch}, run(bl.text, FontBody, SizeBody, "")))
		case bBody, bAttachBody:
			b.WriteString(bodyParagraph(bl.text, pPr{jc: "both", firstChars: 200}))
		case bAttachNote:
			// 附件：1.名称 — further names align under the first.
			b.WriteString(para(pPr{before: LinePitch, leftChars: 200 + 300, hangingChars: 300},
				run(bl.text, FontBody, SizeBody, "")))
		case bAttachNote2:
			b.WriteString(para(pPr{leftChars: 500}, run(bl.text, FontBody, SizeBody, "")))
		case bSignature:
			b.WriteString(para(pPr{jc: "right", before: LinePitch, rightChars: 100 * sigRight},
				run(bl.text, FontBody, SizeBody, "")))
		case bDate:
			b.WriteString(para(pPr{jc: "right", rightChars: 100 * dateRight}, run(bl.text, FontBody, SizeBody, "")))
		case bRemark, bAIGenerated:
			b.WriteString(para(pPr{leftChars: 200}, run(bl.text, FontBody, SizeBody, "")))
		case bAttachLabel:
			b.WriteString(para(pPr{pageBreak: true}, run(bl.text, FontHei, SizeBody, "")))
		case bAttachTitle:
			b.WriteString(para(pPr{jc: "center", before: LinePitch}, run(bl.text, FontTitle, SizeTitle, "")))
		case bCC, bPrint:
			// 版记: 4号仿宋 between a thick first and last rule, thin rules
			// between its lines; 左右各空一字.
			var bdr strings.Builder
			if !afterCC {
				bdr.WriteString("<w:top " + thick + "/>")
			}
			if next == bCC || next == bPrint {
				bdr.WriteString("<w:bottom " + thin + "/>")
			} else {
				bdr.WriteString("<w:bottom " + thick + "/>")
			}
			p := pPr{before: 0, leftChars: 100, rightChars: 100, border: bdr.String()}
			if !afterCC {
				p.before = LinePitch
			}
			afterCC = true
			if bl.kind == bPrint {
				p.tabs = fmt.Sprintf(`<w:tab w:val="right" w:pos="%d"/>`, TextWidth-2*charTwips)
				b.WriteString(para(p, run(bl.text+"\t"+bl.right, FontBody, SizeFooter, "")))
			} else {
				b.WriteString(para(p, run(bl.text, FontBody, SizeFooter, "")))
			}
		}
		prev = bl.kind
	}
	fmt.Fprintf(&b, `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:cols w:space="425"/><w:docGrid w:type="linesAndChars" w:linePitch="%d" w:charSpace="%d"/></w:sectPr>`,
		PageWidth, PageHeight, MarginTop, MarginRight, MarginBottom, MarginLeft, FooterDistance, LinePitch, CharSpace)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

// footerXML is the page number "— 1 —" in 4号宋体, 单页码居右空一字 (odd
// pages) or 双页码居左空一字 (even pages).
func footerXML(side string) string {
	ind := `<w:ind w:right="280"/>`
	if side == "left" {
		ind = `<w:ind w:left="280"/>`
	}
	r := func(s string) string { return run(s, FontSong, SizeFooter, "") }
	return xml.Header + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<w:p><w:pPr>` + ind + `<w:jc w:val="` + side + `"/></w:pPr>` + r("— ") +
		`<w:fldSimple w:instr=" PAGE ">` + r("1") + `</w:fldSimple>` + r(" —") + `</w:p></w:ftr>`
}

var stylesXML = xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + FontBody + `" w:hAnsi="` + FontBody + `" w:eastAsia="` + FontBody + `" w:cs="` + FontBody + `"/>` +
	`<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:after="0" w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`</w:styles>`

var settingsXML = xml.Header + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

var contentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="` + docxMIMEApp + `.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="` + docxMIMEApp + `.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="` + docxMIMEApp + `.settings+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="` + docxMIMEApp + `.footer+xml"/>` +
	`<Override PartName="/word/footer2.xml" ContentType="` + docxMIMEApp + `.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

var rootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

var docRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>` +
	`</Relationships>`

var appProps = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Fuwu</Application></Properties>`

func coreProps(d *Document) string {
	desc := ""
	if d.AIGenerated {
		desc = "<dc:description>" + esc(AILabel) + "</dc:description>"
	}
	title := d.Title
	if utf8.RuneCountInString(title) > 200 {
		title = string([]rune(title)[:200])
	}
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		"<dc:title>" + esc(title) + "</dc:title>" + desc + "</cp:coreProperties>"
}
