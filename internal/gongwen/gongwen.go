// Package gongwen drafts and checks official documents (公文写作助手): the 15
// document types of the 党政机关公文处理工作条例 (2012) and their elements,
// drafting from a form (templates, or a model writing the body from the
// user's key points only), layout per GB/T 9704-2012 exported as .docx,
// plain text and Markdown, reading .docx and .txt, and proofreading
// (智能校核) with rule ids, exact positions and suggestions.
//
// The API a web handler needs:
//
//	doc, err := gongwen.Draft(ctx, form, model)   // model may be nil
//	err = gongwen.WriteDOCX(w, doc)               // or WriteText, WriteMarkdown
//	src, err := gongwen.ReadFile(name, r, size)   // .docx or .txt upload
//	findings := gongwen.Check(src)
package gongwen

import (
	"fmt"
	"strings"
)

// Type is one of the 15 document types (文种) of the 条例, article 8.
type Type string

// The 15 types, in the order the 条例 lists them.
const (
	Resolution   Type = "决议"
	Decision     Type = "决定"
	Order        Type = "命令（令）"
	Communique   Type = "公报"
	Announcement Type = "公告"
	Notice       Type = "通告"
	Opinion      Type = "意见"
	Circular     Type = "通知"
	Bulletin     Type = "通报"
	Report       Type = "报告"
	Request      Type = "请示"
	Reply        Type = "批复"
	Motion       Type = "议案"
	Letter       Type = "函"
	Minutes      Type = "纪要"
)

// Types lists all 15 document types.
var Types = []Type{Resolution, Decision, Order, Communique, Announcement, Notice,
	Opinion, Circular, Bulletin, Report, Request, Reply, Motion, Letter, Minutes}

// ParseType accepts a type by its Chinese name ("通知", "令", "命令") or its
// English constant name ("circular").
func ParseType(s string) (Type, error) {
	s = strings.TrimSpace(s)
	for _, t := range Types {
		if s == string(t) || strings.EqualFold(s, t.English()) {
			return t, nil
		}
	}
	if s == "令" || s == "命令" {
		return Order, nil
	}
	return "", fmt.Errorf("unknown document type %q (one of %s)", s, typeNames())
}

func typeNames() string {
	var b strings.Builder
	for i, t := range Types {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(string(t))
	}
	return b.String()
}

// English is the type's name in English, used on the command line.
func (t Type) English() string {
	switch t {
	case Resolution:
		return "resolution"
	case Decision:
		return "decision"
	case Order:
		return "order"
	case Communique:
		return "communique"
	case Announcement:
		return "announcement"
	case Notice:
		return "notice"
	case Opinion:
		return "opinion"
	case Circular:
		return "circular"
	case Bulletin:
		return "bulletin"
	case Report:
		return "report"
	case Request:
		return "request"
	case Reply:
		return "reply"
	case Motion:
		return "motion"
	case Letter:
		return "letter"
	case Minutes:
		return "minutes"
	}
	return ""
}

// TitleWord is the word that ends a title of this type ("…的通知").
func (t Type) TitleWord() string {
	if t == Order {
		return "令"
	}
	return string(t)
}

// Upward reports whether the type goes to a higher authority (上行文):
// its first page carries 签发人 and the 发文字号 sits left, not centred.
func (t Type) Upward() bool { return t == Request || t == Report }

// Element is one element of a document (公文格式各要素, GB/T 9704-2012 §7
// and 条例 article 9).
type Element string

// The elements, in layout order: 版头, 主体, 版记, then 页码.
const (
	CopyNumber      Element = "份号"
	Classification  Element = "密级和保密期限"
	Urgency         Element = "紧急程度"
	IssuerMark      Element = "发文机关标志"
	DocNumber       Element = "发文字号"
	Signer          Element = "签发人"
	Title           Element = "标题"
	Recipients      Element = "主送机关"
	Body            Element = "正文"
	AttachmentNote  Element = "附件说明"
	IssuerSignature Element = "发文机关署名"
	Date            Element = "成文日期"
	Seal            Element = "印章"
	Remark          Element = "附注"
	Attachments     Element = "附件"
	CC              Element = "抄送机关"
	PrintedBy       Element = "印发机关和印发日期"
	PageNumber      Element = "页码"
)

// Elements lists every element in layout order.
var Elements = []Element{CopyNumber, Classification, Urgency, IssuerMark, DocNumber, Signer,
	Title, Recipients, Body, AttachmentNote, IssuerSignature, Date, Seal, Remark, Attachments,
	CC, PrintedBy, PageNumber}

// Need says whether a type must carry an element.
type Need int

const (
	// NotUsed: the element has no place in this type.
	NotUsed Need = iota
	// Optional: the drafter decides.
	Optional
	// Conditional: required when its condition holds (涉密 → 份号 and 密级,
	// 紧急 → 紧急程度, attachments → 附件说明 and 附件).
	Conditional
	// Required: every document of the type has it.
	Required
)

func (n Need) String() string {
	return [...]string{"不使用", "可选", "视情况", "必备"}[n]
}

// Requirement says whether a document of type t must carry element e.
// It follows the 条例 and GB/T 9704-2012: every document has a 发文机关标志,
// 发文字号, 标题, 正文, 成文日期, 版记 and 页码; upward documents carry a
// 签发人; a 请示 names its contact in the 附注; documents addressed to
// the public (公告, 通告, 公报, 决议, 令) have no 主送机关; a 纪要 carries
// neither 署名 nor 印章.
func Requirement(t Type, e Element) Need {
	switch e {
	case CopyNumber, Classification, Urgency, AttachmentNote, Attachments:
		return Conditional
	case IssuerMark, DocNumber, Title, Body, Date, PrintedBy, PageNumber:
		return Required
	case Signer:
		if t.Upward() || t == Motion {
			return Required
		}
		return NotUsed
	case Recipients:
		switch t {
		case Request, Reply, Letter, Report, Circular, Bulletin, Motion:
			return Required
		case Announcement, Notice, Communique, Resolution, Order, Minutes:
			return NotUsed
		}
		return Optional
	case IssuerSignature, Seal:
		if t == Minutes {
			return NotUsed
		}
		return Required
	case Remark:
		if t == Request {
			return Required // 联系人姓名和电话
		}
		return Optional
	case CC:
		return Optional
	}
	return Optional
}

// Document is a complete official document, element by element.
type Document struct {
	Type           Type
	CopyNumber     string   // 份号, six digits
	Classification string   // 密级和保密期限, e.g. "秘密★1年"
	Urgency        string   // 特急 or 加急
	IssuerMark     string   // 发文机关标志, e.g. "××市人民政府文件"
	DocNumber      string   // 发文字号, e.g. "深福政〔2024〕12号"
	Signer         string   // 签发人 (name only)
	Title          string   // 标题
	Recipients     []string // 主送机关
	Body           []string // 正文 paragraphs, headings included ("一、…")
	Attachments    []Attachment
	Issuer         string // 发文机关署名
	Date           string // 成文日期, "2024年9月19日"
	Remark         string // 附注, without the parentheses
	CC             []string
	PrintedBy      string // 印发机关
	PrintDate      string // 印发日期, "2024年9月19日"
	// AIGenerated marks a body written by a model; the label is shown in
	// every export.
	AIGenerated bool
}

// Attachment is one 附件: its name (as listed in the 附件说明) and body.
type Attachment struct {
	Name string
	Body []string
}

// AILabel is the label every model-written document carries (附注 and
// the exports' footers).
const AILabel = "本文由人工智能辅助生成，请核对后使用"

// Missing lists the required elements a document lacks.
func (d *Document) Missing() []Element {
	has := map[Element]bool{
		IssuerMark:      d.Mark() != "",
		DocNumber:       d.DocNumber != "",
		Signer:          d.Signer != "",
		Title:           d.Title != "",
		Recipients:      len(d.Recipients) > 0,
		Body:            len(d.Body) > 0,
		IssuerSignature: d.Issuer != "",
		Date:            d.Date != "",
		Seal:            true, // applied when printed
		Remark:          d.Remark != "",
		PrintedBy:       d.PrintedBy != "" && d.PrintDate != "",
		PageNumber:      true, // the layout always numbers pages
	}
	var out []Element
	for _, e := range Elements {
		if Requirement(d.Type, e) == Required && !has[e] {
			out = append(out, e)
		}
	}
	return out
}
