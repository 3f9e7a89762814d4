package gongwen

import (
	"regexp"
	"strings"
)

var reSpaces = regexp.MustCompile(`[ \t\x{3000}]+`)

// Parse finds a document's elements in a source (the same analysis the
// checker uses), so that a text typed or extracted elsewhere can be laid
// out again to GB/T 9704. Wrapped lines of text input are joined.
func Parse(src *Source) *Document {
	c := newChecker(src)
	d := &Document{}
	text := func(l *logical) string { return trimSpace(string(l.runes)) }
	var attachNames []string
	var curAttach *Attachment
	for _, l := range c.logicals {
		t := text(l)
		switch l.role {
		case roleHeader:
			switch {
			case reCopyNo.MatchString(t):
				d.CopyNumber = t
			case reSecret.MatchString(t):
				d.Classification = t
			case reUrgency.MatchString(t):
				d.Urgency = t
			case reDocNumFul.MatchString(t):
				num := reDocNumFul.FindString(t)
				d.DocNumber = strings.TrimSpace(num)
				if i := strings.Index(t, "签发人"); i >= 0 {
					d.Signer = strings.TrimLeft(t[i+len("签发人"):], "：: \u3000")
				}
			default:
				d.IssuerMark = t
			}
		case roleTitle:
			d.Title += reSpaces.ReplaceAllString(t, "")
		case roleRecipients:
			t = strings.TrimRight(t, "：:，,")
			d.Recipients = strings.FieldsFunc(t, func(r rune) bool { return r == '、' || r == '，' || r == ',' })
		case roleBody:
			d.Body = append(d.Body, t)
		case roleAttachNote:
			t = strings.TrimPrefix(strings.TrimPrefix(t, "附件："), "附件:")
			t = strings.TrimSpace(reAttachItem.ReplaceAllString(t, ""))
			attachNames = append(attachNames, t)
		case roleSignature:
			d.Issuer = t
		case roleDate:
			d.Date = reSpaces.ReplaceAllString(t, "")
		case roleRemark:
			d.Remark = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(t, "（"), "("), "）"), ")")
		case roleAttachLabel:
			d.Attachments = append(d.Attachments, Attachment{})
			curAttach = &d.Attachments[len(d.Attachments)-1]
		case roleAttachTitle:
			if curAttach != nil {
				curAttach.Name = t
			}
		case roleAttachBody:
			if curAttach != nil {
				curAttach.Body = append(curAttach.Body, t)
			}
		case roleCC:
			t = strings.TrimRight(strings.TrimLeft(strings.TrimPrefix(t, "抄送"), "：: "), "。")
			d.CC = strings.FieldsFunc(t, func(r rune) bool { return r == '，' || r == '、' || r == ',' })
		case rolePrint:
			if i := strings.IndexAny(t, "0123456789〇○零一二三四五六七八九"); i >= 0 && reDateParts.MatchString(t[i:]) {
				d.PrintedBy = trimSpace(t[:i])
				d.PrintDate = reSpaces.ReplaceAllString(strings.TrimSuffix(t[i:], "印发"), "")
			}
		}
	}
	// Attachments listed in the 附件说明 but not appended keep their names.
	for i, n := range attachNames {
		if i < len(d.Attachments) {
			if d.Attachments[i].Name == "" {
				d.Attachments[i].Name = n
			}
			continue
		}
		d.Attachments = append(d.Attachments, Attachment{Name: n})
	}
	for _, t := range Types {
		if endsWithTitleWord(d.Title) && strings.HasSuffix(d.Title, t.TitleWord()) {
			d.Type = t
		}
	}
	if d.Type == "" {
		d.Type = Circular
	}
	return d
}
