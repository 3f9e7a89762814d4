package library

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Block is one paragraph of a document as a reader found it: its text and,
// when the format says so, its heading level (1 for the title).
type Block struct {
	Text  string
	Level int // 0 body text, 1–6 heading
	// EndOfNotes marks the end of the notes under the title (the
	// <!-- INFO END --> line of the law files).
	EndOfNotes bool
}

const numeral = `[零〇○一二三四五六七八九十百千万两0-9]+`

var (
	reArticle = regexp.MustCompile(`^第(` + numeral + `)条(?:之(` + numeral + `))?`)
	// A division heading: 第一编, 第二分编, 第三章, 第四节, then its name.
	reDivision = regexp.MustCompile(`^第(` + numeral + `)(编|分编|章|节)(?:[\s　]+|$)(.*)$`)
	reItem     = regexp.MustCompile(`^[（(](` + numeral + `)[）)]\s*`)
	reDate     = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	reFileDate = regexp.MustCompile(`[（(](\d{4})-(\d{2})-(\d{2})[）)]`)
	reOrderNo  = regexp.MustCompile(`([\p{Han}]*令)?第\s*(\d+)\s*号`)
	reDocNum   = regexp.MustCompile(`[\p{Han}]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号`)
	reEffect   = regexp.MustCompile(`自(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|公布之日|发布之日|印发之日)起(?:施行|实施|执行)`)
	reSession  = regexp.MustCompile(`第[零〇一二三四五六七八九十百]+届|第[零〇一二三四五六七八九十百]+次会议.*$`)
)

// divisionRank orders divisions from the largest.
var divisionRank = map[string]int{"编": 1, "分编": 2, "章": 3, "节": 4}

// Parse builds a document from the blocks a reader produced: the title,
// the notes under it, and articles (for laws) or headed sections. source
// is the file name; a date in it, 公务员法(2018-12-29).md, is the version.
func Parse(source string, blocks []Block) (*Document, error) {
	d := &Document{Source: source}
	var body []Block
	// The title: the first level-1 heading, else the first non-empty line.
	for i, b := range blocks {
		t := cleanLine(b.Text)
		if t == "" {
			continue
		}
		if d.Title == "" {
			d.Title = strings.TrimSpace(strings.Trim(t, "#"))
			body = blocks[i+1:]
			break
		}
	}
	if d.Title == "" {
		return nil, fmt.Errorf("%s: no text", source)
	}
	// Notes: until an explicit end marker, else until the first division
	// or article or heading.
	notesEnd := -1
	for i, b := range body {
		if b.EndOfNotes {
			notesEnd = i
			break
		}
	}
	if notesEnd < 0 {
		for i, b := range body {
			t := cleanLine(b.Text)
			if t == "" {
				continue
			}
			if b.Level > 0 || reArticle.MatchString(t) || reDivision.MatchString(t) || !isNote(t) {
				notesEnd = i - 1
				break
			}
		}
	}
	for i := 0; i <= notesEnd && i < len(body); i++ {
		if t := cleanLine(body[i].Text); t != "" && !body[i].EndOfNotes {
			d.Notes = append(d.Notes, strings.Trim(t, "（）()"))
		}
	}
	if notesEnd >= 0 {
		body = body[min(notesEnd+1, len(body)):]
	}
	if countArticles(body) >= 2 {
		d.Kind = Law
		d.Articles = splitArticles(body)
	} else {
		d.Kind = Sections
		d.Articles = splitSections(d.Title, body)
	}
	if len(d.Articles) == 0 {
		return nil, fmt.Errorf("%s: no articles or sections found", source)
	}
	d.fillMetadata()
	return d, nil
}

// isNote reports whether a line under the title reads like an adoption,
// amendment or order note: it carries a date or an order number and is
// short, or is wrapped in parentheses.
func isNote(t string) bool {
	if strings.HasPrefix(t, "（") || strings.HasPrefix(t, "(") {
		return true
	}
	return utf8.RuneCountInString(t) < 120 && (reDate.MatchString(t) || reOrderNo.MatchString(t) || reDocNum.MatchString(t))
}

// cleanLine trims a line and removes Markdown emphasis and heading marks.
func cleanLine(s string) string {
	s = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "#"))
	s = strings.ReplaceAll(s, "**", "")
	return strings.TrimSpace(strings.Trim(s, "\u00a0\u3000 \t"))
}

// countArticles counts lines that start an article.
func countArticles(body []Block) int {
	n := 0
	for _, b := range body {
		if _, _, ok := articleStart(cleanLine(b.Text), ArticleNo{}); ok {
			n++
		}
	}
	return n
}

// articleStart reports whether line begins a new article after prev: 第X条
// followed by a space, or followed directly by text when X is the next
// number (Word's automatic numbering, PDFs that lost the space). A
// cross-reference that opens a paragraph (第三十条规定的…) has no space and
// is not the next number, so it stays text.
func articleStart(line string, prev ArticleNo) (ArticleNo, string, bool) {
	m := reArticle.FindStringSubmatchIndex(line)
	if m == nil {
		return ArticleNo{}, "", false
	}
	main, ok := ParseNumeral(line[m[2]:m[3]])
	if !ok || main <= 0 {
		return ArticleNo{}, "", false
	}
	no := ArticleNo{Main: main}
	if m[4] >= 0 {
		if no.Sub, ok = ParseNumeral(line[m[4]:m[5]]); !ok {
			return ArticleNo{}, "", false
		}
	}
	rest := line[m[1]:]
	r, _ := utf8.DecodeRuneInString(rest)
	spaced := rest == "" || unicode.IsSpace(r) || r == '\u3000'
	next := no == ArticleNo{Main: prev.Main + 1} || no.Main == prev.Main && no.Sub == prev.Sub+1
	switch {
	case spaced && (prev.Main == 0 || prev.Less(no)):
	case !spaced && next && !strings.ContainsRune("规的、，,和或至及中所第", r):
	default:
		return ArticleNo{}, "", false
	}
	return no, strings.TrimSpace(strings.TrimLeft(rest, " \u3000\t")), true
}

// splitArticles walks the body: division headings set the path, an
// article start opens an article, other lines are its 款 or, when they
// start with （一）, the items of the 款 before.
func splitArticles(body []Block) []Article {
	var (
		out  []Article
		path []string
		rank []int
		prev ArticleNo
		cur  *Article
	)
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, b := range body {
		t := cleanLine(b.Text)
		if t == "" {
			continue
		}
		if m := reDivision.FindStringSubmatch(t); m != nil && (b.Level > 0 || utf8.RuneCountInString(t) <= 30) {
			flush()
			r := divisionRank[m[2]]
			for len(rank) > 0 && rank[len(rank)-1] >= r {
				rank, path = rank[:len(rank)-1], path[:len(path)-1]
			}
			rank, path = append(rank, r), append(path, normalSpace(t))
			continue
		}
		if no, rest, ok := articleStart(t, prev); ok {
			flush()
			prev = no
			cur = &Article{Seq: len(out) + 1, No: no, Label: no.String(), Path: append([]string(nil), path...)}
			if rest != "" {
				cur.Paragraphs = append(cur.Paragraphs, Paragraph{Text: rest})
			}
			continue
		}
		if cur == nil {
			continue // text between the notes and the first article (a preamble, a table of contents)
		}
		if m := reItem.FindStringSubmatchIndex(t); m != nil && len(cur.Paragraphs) > 0 {
			p := &cur.Paragraphs[len(cur.Paragraphs)-1]
			p.Items = append(p.Items, Item{Label: t[:m[1]], Text: strings.TrimSpace(t[m[1]:])})
			continue
		}
		cur.Paragraphs = append(cur.Paragraphs, Paragraph{Text: t})
	}
	flush()
	// An article whose text came entirely as items still has one 款.
	for i := range out {
		if len(out[i].Paragraphs) == 0 {
			out[i].Paragraphs = []Paragraph{{}}
		}
	}
	return out
}

func normalSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }), " ")
}

// reOutline matches the outline numbers of Chinese documents that stand
// for headings when a line is short: 一、 （一） 1. 1．
var reOutline = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、](?:\D|$))`)

// splitSections cuts a document without articles at its headings: marked
// headings (Markdown, Word styles) or, where there are none, short lines
// that open with an outline number. Text before the first heading is a
// section named after the title.
func splitSections(title string, body []Block) []Article {
	marked := false
	for _, b := range body {
		if b.Level > 0 && cleanLine(b.Text) != "" {
			marked = true
			break
		}
	}
	var (
		out    []Article
		path   []string
		levels []int
		cur    *Article
	)
	flush := func() {
		if cur != nil && len(cur.Paragraphs) > 0 {
			cur.Seq = len(out) + 1
			out = append(out, *cur)
		}
		cur = nil
	}
	for _, b := range body {
		t := cleanLine(b.Text)
		if t == "" {
			continue
		}
		level := b.Level
		if !marked && level == 0 && utf8.RuneCountInString(t) <= 30 && !strings.ContainsAny(t, "。；;") {
			if m := reOutline.FindString(t); m != "" {
				level = 2
				if strings.HasPrefix(m, "（") || strings.HasPrefix(m, "(") {
					level = 3
				} else if m[0] >= '0' && m[0] <= '9' {
					level = 4
				}
			}
		}
		if level > 0 {
			flush()
			for len(levels) > 0 && levels[len(levels)-1] >= level {
				levels, path = levels[:len(levels)-1], path[:len(path)-1]
			}
			cur = &Article{Label: t, Path: append([]string(nil), path...)}
			levels, path = append(levels, level), append(path, t)
			continue
		}
		if cur == nil {
			cur = &Article{Label: title}
		}
		cur.Paragraphs = append(cur.Paragraphs, Paragraph{Text: t})
	}
	flush()
	return out
}

// fillMetadata reads issuer, numbers and dates from the notes, the source
// name and the closing articles.
func (d *Document) fillMetadata() {
	var dates []string
	lastNote := ""
	for _, n := range d.Notes {
		for _, m := range reDate.FindAllStringSubmatch(n, -1) {
			dates = append(dates, isoDate(m[1], m[2], m[3]))
		}
		if reDate.MatchString(n) && !strings.Contains(n, "施行") {
			lastNote = n
		}
		if strings.Contains(n, "施行") {
			if m := reDate.FindStringSubmatch(n); m != nil {
				d.Effective = isoDate(m[1], m[2], m[3])
			}
		}
	}
	sorted := append([]string(nil), dates...)
	sort.Strings(sorted)
	if len(sorted) > 0 {
		d.Promulgated = sorted[0]
	}
	if m := reFileDate.FindStringSubmatch(d.Source); m != nil {
		d.Version = m[1] + "-" + m[2] + "-" + m[3]
	} else if len(sorted) > 0 {
		d.Version = sorted[len(sorted)-1]
		for _, n := range d.Notes {
			if strings.Contains(n, "施行") && !strings.ContainsAny(n, "通过修订修正公布发布") {
				// a note that only says when it takes effect is not a version
				if m := reDate.FindStringSubmatch(n); m != nil && isoDate(m[1], m[2], m[3]) == d.Version && len(sorted) > 1 {
					d.Version = sorted[len(sorted)-2]
				}
			}
		}
	}
	if lastNote != "" {
		d.Issuer = issuerOf(lastNote)
		if m := reOrderNo.FindString(lastNote); m != "" && strings.Contains(m, "令") {
			d.DocNumber = strings.TrimPrefix(m, "中华人民共和国")
		}
	}
	if d.DocNumber == "" {
		for _, n := range d.Notes {
			if m := reDocNum.FindString(n); m != "" {
				d.DocNumber = m
				break
			}
		}
	}
	if d.Effective == "" {
		// The closing articles say when the law takes effect.
		for i := len(d.Articles) - 1; i >= 0 && i >= len(d.Articles)-3; i-- {
			m := reEffect.FindStringSubmatch(d.Articles[i].Body())
			if m == nil {
				continue
			}
			if dm := reDate.FindStringSubmatch(m[1]); dm != nil {
				d.Effective = isoDate(dm[1], dm[2], dm[3])
			} else {
				d.Effective = d.Version
			}
			break
		}
	}
	if d.Version == "" {
		d.Version = d.Effective
	}
	// A closing article keeps the date the law first took effect (本法自
	// 2008年1月1日起施行); an amended version takes effect no earlier than
	// its own date.
	if d.Effective != "" && d.Version > d.Effective {
		d.Effective = d.Version
	}
}

func isoDate(y, m, day string) string {
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(day)
	return fmt.Sprintf("%s-%02d-%02d", y, mi, di)
}

// issuerOf reads the issuing body from a note: 中华人民共和国国务院令第711号
// → 国务院; 第十三届全国人民代表大会常务委员会第七次会议修订 →
// 全国人民代表大会常务委员会.
func issuerOf(note string) string {
	n := reDate.ReplaceAllString(note, "")
	n = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(n), "《"))
	if i := strings.Index(n, "令"); i > 0 && reOrderNo.MatchString(n) {
		return strings.TrimPrefix(n[:i], "中华人民共和国")
	}
	n = reSession.ReplaceAllString(n, "")
	for _, body := range []string{"人民代表大会常务委员会", "人民代表大会", "人民政府", "国务院"} {
		if i := strings.Index(n, body); i >= 0 {
			return strings.TrimSpace(n[:i+len(body)])
		}
	}
	return ""
}
