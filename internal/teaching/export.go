package teaching

import (
	"fmt"
	"io"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/gongwen"
	"github.com/fuwu-gov/fuwu/internal/library"
)

// The .docx exports reuse the official-document writer (A4, 仿宋 body,
// 黑体 and 楷体 headings by their 一、（一） numbering, the AI label in
// every export of model-written text): a plan and an exercise sheet are
// a title and numbered paragraphs, which is what it lays out.

// WritePlanDOCX writes a lesson plan as .docx, its sources listed at the
// end and, when a model wrote any of it, the AI label.
func WritePlanDOCX(w io.Writer, p *Plan) error {
	d := &gongwen.Document{Title: p.Title, AIGenerated: p.AI}
	f := p.Form
	d.Body = append(d.Body, fmt.Sprintf("学科：%s　年级：%s　课时：%d", f.Subject, f.Grade, max(f.Periods, 1)))
	if f.ClassProfile != "" {
		d.Body = append(d.Body, "学情分析："+f.ClassProfile)
	}
	for i, sec := range p.Sections {
		title := library.Numeral(i+1) + "、" + sec.Title
		if sec.AI {
			title += "（AI生成，待审核）"
		}
		d.Body = append(d.Body, title)
		d.Body = append(d.Body, sec.Lines...)
	}
	if len(p.Sources) > 0 {
		d.Body = append(d.Body, library.Numeral(len(p.Sections)+1)+"、参考资料")
		for i, s := range p.Sources {
			d.Body = append(d.Body, fmt.Sprintf("%d.%s", i+1, s.Cite()))
		}
	}
	d.Remark = fmt.Sprintf("第%d版 %s", p.Version, p.CreatedAt.Format("2006年1月2日"))
	return gongwen.WriteDOCX(w, d)
}

// Copy says which copy of a set to write.
type Copy int

const (
	StudentCopy Copy = iota // questions only, a line for name and class
	AnswerKey               // questions with answers and analyses
)

// WriteSetDOCX writes a practice set as .docx: the student copy or the
// answer key, questions grouped by type.
func WriteSetDOCX(w io.Writer, set *PracticeSet, c Copy) error {
	title := set.Title
	if c == AnswerKey {
		title += "（答案与解析）"
	}
	d := &gongwen.Document{Title: title}
	if c == StudentCopy {
		d.Body = append(d.Body, "班级：______　姓名：______　学号：____")
	}
	group, n := 0, 0
	lastType := ""
	for _, q := range set.Questions {
		if q.Type != lastType {
			group++
			lastType = q.Type
			d.Body = append(d.Body, library.Numeral(group)+"、"+q.Type+"题")
		}
		n++
		stem := fmt.Sprintf("%d.%s", n, q.Stem)
		if (q.Type == Single || q.Type == Multiple || q.Type == TrueFalse) && c == StudentCopy {
			stem += "（　　）"
		}
		d.Body = append(d.Body, stem)
		for i, o := range q.Options {
			d.Body = append(d.Body, fmt.Sprintf("%c.%s", 'A'+i, strings.TrimSpace(o)))
		}
		if c == AnswerKey {
			d.Body = append(d.Body, "答案："+q.Answer)
			if q.Analysis != "" {
				d.Body = append(d.Body, "解析："+q.Analysis)
			}
			d.Body = append(d.Body, "知识点："+strings.Join(q.Points, "、")+fmt.Sprintf("；难度：%d", q.Difficulty))
		}
	}
	return gongwen.WriteDOCX(w, d)
}
