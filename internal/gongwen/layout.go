package gongwen

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// block is one laid-out paragraph of a document, in order; the .docx,
// text and Markdown writers all walk the same blocks.
type block struct {
	kind string
	text string
	// right is a second text on the same line (签发人 beside 发文字号,
	// 印发日期 beside 印发机关).
	right string
}

const (
	bCopyNo       = "copyno"
	bSecret       = "secret"
	bUrgency      = "urgency"
	bMark         = "mark"
	bDocNum       = "docnum"
	bTitle        = "title"
	bRecipients   = "recipients"
	bBody         = "body"
	bAttachNote   = "attachnote"  // first line "附件：…"
	bAttachNote2  = "attachnote2" // further items
	bSignature    = "signature"
	bDate         = "date"
	bRemark       = "remark"
	bAttachLabel  = "attachlabel"
	bAttachTitle  = "attachtitle"
	bAttachBody   = "attachbody"
	bCC           = "cc"
	bPrint        = "print"
	bAIGenerated  = "ailabel"
	bBlankDivider = "blank"
)

// Mark returns the 发文机关标志 to print: the one given, or the issuer's
// name followed by 文件 (a 函 uses the bare name: 信函格式).
func (d *Document) Mark() string {
	if d.IssuerMark != "" {
		return d.IssuerMark
	}
	if d.Issuer == "" {
		return ""
	}
	if d.Type == Letter {
		return d.Issuer
	}
	return d.Issuer + "文件"
}

func (d *Document) blocks() []block {
	var bs []block
	add := func(kind, text string) { bs = append(bs, block{kind: kind, text: text}) }
	if d.CopyNumber != "" {
		add(bCopyNo, d.CopyNumber)
	}
	if d.Classification != "" {
		add(bSecret, d.Classification)
	}
	if d.Urgency != "" {
		add(bUrgency, d.Urgency)
	}
	if m := d.Mark(); m != "" {
		add(bMark, m)
	}
	if d.DocNumber != "" {
		b := block{kind: bDocNum, text: d.DocNumber}
		if d.Signer != "" {
			b.right = "签发人：" + d.Signer
		}
		bs = append(bs, b)
	}
	if d.Title != "" {
		add(bTitle, d.Title)
	}
	if len(d.Recipients) > 0 {
		add(bRecipients, strings.Join(d.Recipients, "、")+"：")
	}
	for _, p := range d.Body {
		add(bBody, p)
	}
	for i, a := range d.Attachments {
		text := a.Name
		if len(d.Attachments) > 1 {
			text = fmt.Sprintf("%d.%s", i+1, a.Name)
		}
		if i == 0 {
			add(bAttachNote, "附件："+text)
		} else {
			add(bAttachNote2, text)
		}
	}
	if d.Issuer != "" && d.Type != Minutes {
		add(bSignature, d.Issuer)
	}
	if d.Date != "" {
		add(bDate, d.Date)
	}
	if d.Remark != "" {
		add(bRemark, "（"+d.Remark+"）")
	}
	if d.AIGenerated {
		add(bAIGenerated, "（"+AILabel+"）")
	}
	for i, a := range d.Attachments {
		if len(a.Body) == 0 {
			continue
		}
		label := "附件"
		if len(d.Attachments) > 1 {
			label = fmt.Sprintf("附件%d", i+1)
		}
		add(bAttachLabel, label)
		add(bAttachTitle, a.Name)
		for _, p := range a.Body {
			add(bAttachBody, p)
		}
	}
	if len(d.CC) > 0 {
		add(bCC, "抄送："+strings.Join(d.CC, "，")+"。")
	}
	if d.PrintedBy != "" || d.PrintDate != "" {
		date := d.PrintDate
		if date != "" {
			date += "印发"
		}
		bs = append(bs, block{kind: bPrint, text: d.PrintedBy, right: date})
	}
	return bs
}

// WriteText writes the document as plain text, one paragraph a line, with
// blank lines where the layout leaves space. Check reads it back.
func WriteText(w io.Writer, d *Document) error {
	var b strings.Builder
	prev := ""
	for _, bl := range d.blocks() {
		switch bl.kind {
		case bDocNum, bTitle, bRecipients, bSignature, bCC, bAttachLabel:
			if prev != "" {
				b.WriteString("\n")
			}
		case bAttachNote:
			b.WriteString("\n")
		case bBody:
			if prev == bTitle {
				b.WriteString("\n")
			}
		}
		line := bl.text
		if bl.right != "" {
			if line != "" {
				line += "    "
			}
			line += bl.right
		}
		switch bl.kind {
		case bBody, bAttachBody:
			line = "　　" + line
		}
		b.WriteString(line)
		b.WriteString("\n")
		prev = bl.kind
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the document as Markdown for previews and wikis.
func WriteMarkdown(w io.Writer, d *Document) error {
	var b strings.Builder
	for _, bl := range d.blocks() {
		t := mdEscape(bl.text)
		switch bl.kind {
		case bMark:
			fmt.Fprintf(&b, "<p align=\"center\" style=\"color:red\"><b>%s</b></p>\n\n", htmlEscape(bl.text))
		case bDocNum:
			if bl.right != "" {
				t += "　　" + mdEscape(bl.right)
			}
			fmt.Fprintf(&b, "%s\n\n---\n\n", t)
		case bTitle:
			fmt.Fprintf(&b, "# %s\n\n", t)
		case bAttachTitle:
			fmt.Fprintf(&b, "## %s\n\n", t)
		case bAttachLabel:
			fmt.Fprintf(&b, "**%s**\n\n", t)
		case bBody, bAttachBody:
			if h, ok := parseHeading(bl.text); ok && h.level <= 2 && utf8.RuneCountInString(bl.text) <= 40 {
				fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", h.level+2), t)
			} else {
				fmt.Fprintf(&b, "%s\n\n", t)
			}
		case bSignature, bDate:
			fmt.Fprintf(&b, "<p align=\"right\">%s</p>\n\n", htmlEscape(bl.text))
		case bCC:
			fmt.Fprintf(&b, "---\n\n%s\n\n", t)
		case bPrint:
			fmt.Fprintf(&b, "%s　　%s\n\n", t, mdEscape(bl.right))
		case bAIGenerated:
			fmt.Fprintf(&b, "> %s\n\n", t)
		default:
			fmt.Fprintf(&b, "%s\n\n", t)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "#", `\#`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
