package gongwen

import (
	"fmt"
	"regexp"
	"strings"
)

// Rules of each document type (党政机关公文处理工作条例 article 15 and the
// types' usual closings): a 请示 asks for instructions and closes asking
// for them, one matter to one superior; a 报告 carries no request; a
// closing "特此……" names the document's own type.

// reAsk is a request for instructions or approval.
var reAsk = regexp.MustCompile(`妥否|当否|可否|是否妥当|请批示|请审批|请批复|请予批准|请予审批|请予批复|请审定|请予审定|请予同意|请予支持|请予研究|请核准|请予核准|请予审核`)

// reClosing is a closing formula of the 特此通知 kind.
var reClosing = regexp.MustCompile(`特此(通知|报告|函告|函复|函达|复函|批复|公告|通告|通报|请示|决定)`)

// closings are the formulas each type may close with; a type not listed
// closes without one.
var closings = map[Type][]string{
	Circular: {"通知"}, Report: {"报告"}, Letter: {"函告", "函复", "函达", "复函"}, Reply: {"批复"},
	Announcement: {"公告"}, Notice: {"通告"}, Bulletin: {"通报"},
}

// docType is the type the title names ("…的请示"), or "".
func (c *checker) docType() Type {
	for _, l := range c.logicals {
		if l.role != roleTitle {
			continue
		}
		s := strings.TrimRight(trimSpace(l.String()), "。，、；：！？.,;:!? ")
		for _, t := range Types {
			if strings.HasSuffix(s, t.TitleWord()) {
				return t
			}
		}
	}
	return ""
}

func (c *checker) checkDocType() {
	t := c.docType()
	if t == "" {
		return
	}
	var body []*logical
	asked := false
	for _, l := range c.logicals {
		switch l.role {
		case roleBody:
			body = append(body, l)
			if reAsk.MatchString(l.String()) {
				asked = true
			}
		case roleRecipients:
			if t == Request && strings.ContainsAny(strings.TrimRight(l.String(), "：:"), "、，,；") {
				c.add(l, 0, len(l.runes), "type.request.recipients", Warning, "请示应当一文一事，一般只主送一个上级机关", "")
			}
		}
	}
	for _, l := range body {
		s := l.String()
		ri := runeIndexer(s)
		if t == Report {
			for _, m := range reAsk.FindAllStringIndex(s, -1) {
				c.add(l, ri(m[0]), ri(m[1]), "type.report.request", Error, "报告中不得夹带请示事项；需要上级批准的事项应另行请示", "")
			}
		}
		for _, m := range reClosing.FindAllStringSubmatchIndex(s, -1) {
			word := s[m[2]:m[3]]
			ok := false
			for _, w := range closings[t] {
				ok = ok || w == word
			}
			if ok {
				continue
			}
			fix := ""
			switch {
			case t == Request:
				fix = "妥否，请批示"
			case len(closings[t]) > 0:
				fix = "特此" + closings[t][0]
			}
			c.add(l, ri(m[0]), ri(m[1]), "type.closing", Error, fmt.Sprintf("结束语与文种不符：本文是%s", t), fix)
		}
	}
	if t == Request && !asked && len(body) > 0 && len(body[len(body)-1].at) > 0 {
		// Where the closing belongs: after the last body paragraph.
		last := body[len(body)-1]
		end := last.at[len(last.at)-1]
		c.addAt(end.para, end.off+1, "", "type.request.closing", Warning,
			"请示应以“妥否，请批示”“当否，请批复”等请求批示的语句结尾", "妥否，请批示。")
	}
}
