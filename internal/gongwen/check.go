package gongwen

import (
	"sort"
	"strings"
	"unicode"
)

// Severity says how sure a finding is and how much it matters.
type Severity string

const (
	// Error: a rule of GB/T 9704, 15834 or 15835 is broken.
	Error Severity = "error"
	// Warning: very likely wrong.
	Warning Severity = "warning"
	// Info: a suggestion on wording or style.
	Info Severity = "info"
)

// Finding is one problem found by the checker. Paragraph is 1-based;
// Offset is the 0-based character (rune) offset of Text in that paragraph;
// Line and Column (1-based, characters) are set for text input, where a
// paragraph is a line, and are 0 for .docx. Text is exactly the input's
// text at that position. Rules of the model pass start with "model.".
type Finding struct {
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	Message    string   `json:"message"`
	Text       string   `json:"text"`
	Suggestion string   `json:"suggestion"`
	Paragraph  int      `json:"paragraph"`
	Offset     int      `json:"offset"`
	Line       int      `json:"line"`
	Column     int      `json:"column"`
}

// pos is where a rune of a logical paragraph stands in the source.
type pos struct{ para, off int }

// logical is a run of text rules look at: a paragraph, or for text input
// the lines of one wrapped paragraph joined (text extracted from PDF or
// typed with hard line breaks), with each rune's place in the source.
type logical struct {
	role  role
	runes []rune
	at    []pos
}

func (l *logical) String() string { return string(l.runes) }

// checker collects findings for one source.
type checker struct {
	src      *Source
	st       *structure
	paras    [][]rune
	logicals []*logical
	out      []Finding
}

// Check proofreads a document and returns its findings in document order.
// It never fails: input it cannot make sense of is checked as plain body.
func Check(src *Source) []Finding {
	return newChecker(src).run()
}

// Unchecked lists the checks Check could not apply to src, each with why:
// a document without a recognisable title, type or 成文日期 is checked
// without the rules of those parts. An empty result with no findings is
// an all-clear; anything else is not.
func Unchecked(src *Source) []string {
	c := newChecker(src)
	var out []string
	has := func(r role) bool {
		for _, l := range c.logicals {
			if l.role == r {
				return true
			}
		}
		return false
	}
	if !has(roleTitle) {
		out = append(out, "标题：未找到标题，未检查标题格式")
	}
	if c.docType() == "" {
		out = append(out, "文种：标题中没有文种（如“……的通知”“……的请示”），未检查各文种的规则")
	}
	if !has(roleDate) {
		out = append(out, "成文日期：未找到单独成行的成文日期，未检查落款日期的格式")
	}
	return out
}

func newChecker(src *Source) *checker {
	c := &checker{src: src, st: analyze(src)}
	c.paras = make([][]rune, len(src.Paragraphs))
	for i, p := range src.Paragraphs {
		c.paras[i] = []rune(p)
	}
	c.logicals = c.buildLogicals()
	return c
}

// joinable reports whether a text line continues on the next one: body
// lines that do not end a sentence.
func joinable(s string) bool {
	s = trimSpace(s)
	if s == "" {
		return false
	}
	r := []rune(s)
	last := r[len(r)-1]
	return !strings.ContainsRune("。！？；：”’」』）)", last) || (last == '”' && len(r) > 1 && !strings.ContainsRune("。！？", r[len(r)-2]))
}

func (c *checker) buildLogicals() []*logical {
	// In wrapped text a line clearly shorter than the usual width ends its
	// paragraph ("…服务" / "能力" / next paragraph).
	var lens []int
	for _, p := range c.src.Paragraphs {
		if n := len([]rune(trimSpace(p))); n > 0 {
			lens = append(lens, n)
		}
	}
	sort.Ints(lens)
	short := 0
	if len(lens) > 0 && lens[len(lens)/2] >= 15 {
		short = lens[len(lens)/2] * 3 / 4
	}
	var out []*logical
	var cur *logical
	flush := func() {
		if cur != nil {
			out = append(out, cur)
			cur = nil
		}
	}
	for i, rs := range c.paras {
		rl := c.st.roles[i]
		if rl == roleEmpty {
			continue // blank lines of extracted text do not end a paragraph
		}
		if cur != nil && (cur.role != rl || !c.src.Text || !(rl == roleBody || rl == roleTitle || rl == roleAttachBody) ||
			(rl == roleBody && headingLevel(trimSpace(c.src.Paragraphs[i])) > 0)) {
			flush()
		}
		if cur == nil {
			cur = &logical{role: rl}
		}
		lead := c.src.Text // leading spaces of text lines are indentation or PDF artefacts
		for off, r := range rs {
			if lead && (r == ' ' || r == '\u3000' || r == '\t') {
				continue
			}
			lead = false
			cur.runes = append(cur.runes, r)
			cur.at = append(cur.at, pos{i, off})
		}
		if !c.src.Text || !joinable(c.src.Paragraphs[i]) ||
			(rl != roleTitle && len([]rune(trimSpace(c.src.Paragraphs[i]))) < short) {
			flush()
		}
	}
	flush()
	return out
}

// add records a finding for runes [from, to) of l. A span that crosses a
// line join is not reported: its Text could not be shown as it stands.
func (c *checker) add(l *logical, from, to int, rule string, sev Severity, msg, suggestion string) {
	if from < 0 || to > len(l.runes) || from >= to {
		return
	}
	a, b := l.at[from], l.at[to-1]
	if a.para != b.para || b.off-a.off != to-1-from {
		return
	}
	c.addAt(a.para, a.off, string(l.runes[from:to]), rule, sev, msg, suggestion)
}

// addAt records a finding at a paragraph offset.
func (c *checker) addAt(para, off int, text, rule string, sev Severity, msg, suggestion string) {
	f := Finding{Rule: rule, Severity: sev, Message: msg, Text: text, Suggestion: suggestion,
		Paragraph: para + 1, Offset: off}
	if c.src.Text {
		f.Line, f.Column = para+1, off+1
	}
	c.out = append(c.out, f)
}

func (c *checker) run() []Finding {
	c.checkFormat()
	for _, l := range c.logicals {
		c.checkPunct(l)
		c.checkDates(l) // before the range rule: "2024-12-10" is a date, not two ranges
		c.checkNumbers(l)
		c.checkWording(l)
	}
	c.checkDocType()
	c.checkPairs()
	c.checkTypos()
	return c.finish()
}

// finish sorts the findings and drops any that lies inside an earlier,
// more specific one (the heading rule and the half-width rule both see
// "(一)"; the heading rule wins because format rules run first).
func (c *checker) finish() []Finding {
	type span struct{ para, from, to int }
	var kept []Finding
	var spans []span
	for _, f := range c.out {
		s := span{f.Paragraph, f.Offset, f.Offset + len([]rune(f.Text))}
		dup := false
		for _, k := range spans {
			if k.para == s.para && s.from >= k.from && s.to <= k.to {
				dup = true
				break
			}
		}
		if !dup {
			kept = append(kept, f)
			spans = append(spans, s)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if kept[i].Paragraph != kept[j].Paragraph {
			return kept[i].Paragraph < kept[j].Paragraph
		}
		return kept[i].Offset < kept[j].Offset
	})
	if kept == nil {
		kept = []Finding{}
	}
	return kept
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isCJKPunct reports full-width punctuation of Chinese text.
func isCJKPunct(r rune) bool {
	return strings.ContainsRune("，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…—～·", r)
}
