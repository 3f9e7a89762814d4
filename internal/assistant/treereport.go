package assistant

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// The residents' tree report (树木隐患报告): "小区门口的树快倒了" is no
// question about a service but a report, taken like a door-to-door
// request. The chat recognises it by a tree word near a hazard word in
// the same clause (lexicon/treereport.txt), asks once where the tree is,
// and answers with a card leading to the residents' report form
// prefilled with what was said; the form takes the place, the street and
// a photo, and submitting it opens a maintenance work order.

// TreeReportForm is the public form residents report a tree problem with
// (the web's /greening/report).
type TreeReportForm struct {
	Path string // the form's path: "/greening/report"
	// Streets are the district's streets (街道): one the resident names is
	// preselected on the form.
	Streets []string
	// Species are the species the maintenance library knows (木棉,
	// 三角梅): tree words too, for names without 树 in them.
	Species []string
}

// ReportCard leads from a turn to a form that files what the resident
// reported, prefilled.
type ReportCard struct {
	Kind   string `json:"kind"`  // "tree"
	Label  string `json:"label"` // the button: 填写树木隐患报告
	URL    string `json:"url"`   // the form with the fields below
	Text   string `json:"text"`  // the description as said, personal data masked
	Place  string `json:"place,omitempty"`
	Street string `json:"street,omitempty"`
}

// TreeReportDraft is a tree report whose place the chat asked for.
type TreeReportDraft struct {
	Text   string `json:"text"` // masked
	Street string `json:"street,omitempty"`
}

// statusTreeReport marks a turn of a tree report.
const statusTreeReport Status = "tree_report"

// treeGap is the most characters between the tree word and the hazard
// word of one report: "树快倒了" is 1, "倒了一棵大树" 3, "台风吹倒了路边
// 好几棵大树" 7.
const treeGap = 8

// maxTreeText and maxPlace bound what the form is prefilled with;
// maxPlaceAnswer is the longest message read as the answer to "在哪里".
const (
	maxTreeText    = 200
	maxPlace       = 60
	maxPlaceAnswer = 60
)

// treeLexicon is lexicon/treereport.txt, normalised.
type treeLexicon struct {
	tree, hazard, not, asks, place, ends []string
}

func loadTreeLexicon(norm func(string) string) (*treeLexicon, error) {
	l := &treeLexicon{}
	lists := map[string]*[]string{"tree": &l.tree, "hazard": &l.hazard, "not": &l.not, "asks": &l.asks, "place": &l.place, "ends": &l.ends}
	err := eachEntry("treereport.txt", func(key string, words []string) error {
		dst, ok := lists[key]
		if !ok {
			return fmt.Errorf("unknown list %q", key)
		}
		for _, w := range words {
			*dst = append(*dst, norm(w))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for key, dst := range lists {
		if len(*dst) == 0 {
			return nil, fmt.Errorf("lexicon/treereport.txt: no %s words", key)
		}
	}
	return l, nil
}

// apart is the number of characters between two occurrences (harm.go's
// spans); 0 when they touch or overlap.
func apart(a, b span) int {
	return max(0, b.start-a.end, a.start-b.end)
}

// clauseBreak splits normalised text into clauses.
func clauseBreak(r rune) bool { return strings.ContainsRune(",.!?;:", r) }

// reports tells whether a normalised message reports a tree problem: in
// one of its clauses a tree word (of the lexicon, or a species name) and a
// hazard word at most treeGap characters apart, and no question about a
// procedure, a permit or money.
func (l *treeLexicon) reports(norm string, species []string) bool {
	if hasAny(norm, l.asks) {
		return false
	}
	for _, w := range l.not { // blanked, keeping positions
		if strings.Contains(norm, w) {
			norm = strings.ReplaceAll(norm, w, strings.Repeat("_", utf8.RuneCountInString(w)))
		}
	}
	for _, clause := range strings.FieldsFunc(norm, clauseBreak) {
		rs := []rune(clause)
		trees := append(occurrences(rs, l.tree), occurrences(rs, species)...)
		if len(trees) == 0 {
			continue
		}
		for _, h := range occurrences(rs, l.hazard) {
			for _, tr := range trees {
				if apart(tr, h) <= treeGap {
					return true
				}
			}
		}
	}
	return false
}

// questionCues mark a message that asks rather than answers.
var questionCues = []string{"?", "吗", "怎么", "怎样", "如何", "哪里", "哪儿", "什么", "多少", "能不能", "可不可以"}

// placeAnswer tells whether a normalised message answers "where is the
// tree": short, naming a road, an estate or a landmark, asking nothing.
func (l *treeLexicon) placeAnswer(norm string) bool {
	return utf8.RuneCountInString(norm) <= maxPlaceAnswer && hasAny(norm, l.place) &&
		!hasAny(norm, questionCues) && !hasAny(norm, l.asks)
}

// streetIn is the district street a normalised text names: its full name
// (梅林街道) or its short one (梅林) when not the start of a district's
// name (福田区).
func (as *Assistant) streetIn(norm string) string {
	for _, st := range as.cfg.TreeReports.Streets {
		full := as.a.Normalize(st)
		if strings.Contains(norm, full) {
			return st
		}
		short := strings.TrimSuffix(full, "街道")
		if utf8.RuneCountInString(short) < 2 || short == full {
			continue
		}
		for from := 0; ; {
			i := strings.Index(norm[from:], short)
			if i < 0 {
				break
			}
			at := from + i + len(short)
			if !strings.HasPrefix(norm[at:], "区") {
				return st
			}
			from = at
		}
	}
	return ""
}

// treeTurn is a tree report's part of a turn.
type treeTurn struct {
	text, place, street string
	ended               bool // the resident will not say where
}

// resolveTreeReport reads a tree report, or the place of the one whose
// place was asked (draft, taken out of the state by the caller).
func (as *Assistant) resolveTreeReport(t *turnState, draft *TreeReportDraft) bool {
	if as.cfg.TreeReports == nil {
		return false
	}
	l, norm := as.trees, t.in.norm
	switch {
	case l.reports(norm, as.speciesWords):
		t.tree = &treeTurn{text: clip(strings.TrimSpace(t.in.masked), maxTreeText), street: as.streetIn(norm)}
	case draft == nil:
		return false
	case hasAny(norm, l.ends):
		t.tree = &treeTurn{text: draft.Text, street: draft.Street, ended: true}
	case l.placeAnswer(norm):
		street := as.streetIn(norm)
		if street == "" {
			street = draft.Street
		}
		t.tree = &treeTurn{text: draft.Text, place: placeText(t.in.masked), street: street}
	default:
		return false // asked about something else
	}
	t.status = statusTreeReport
	t.flags = append(t.flags, "tree_report")
	return true
}

// placeText is the place as the resident said it, without "在" before it
// or punctuation after.
func placeText(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"就在", "是在", "位于", "在"} {
		if strings.HasPrefix(s, p) {
			s = strings.TrimPrefix(s, p)
			break
		}
	}
	return clip(strings.TrimRight(s, "。.，,！!～~ "), maxPlace)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// composeTreeReport answers a tree report with the card leading to the
// prefilled form, asking where the tree is when no place is known yet.
func (as *Assistant) composeTreeReport(t *turnState, r *Reply) {
	tt := t.tree
	r.Status = Answered
	card := &ReportCard{Kind: "tree", Label: "填写树木隐患报告", Text: tt.text, Place: tt.place, Street: tt.street}
	q := url.Values{"text": {tt.text}}
	if tt.place != "" {
		q.Set("place", tt.place)
	}
	if tt.street != "" {
		q.Set("street", tt.street)
	}
	card.URL = as.cfg.TreeReports.Path + "?" + q.Encode()
	r.Report = card
	var b strings.Builder
	switch {
	case tt.ended:
		b.WriteString("好的，不再追问位置。需要时请点下方“填写树木隐患报告”，补充位置并拍照上传后提交。")
	case tt.place != "":
		fmt.Fprintf(&b, "好的，位置：%s。已帮您填好报告，请点下方“填写树木隐患报告”，拍一张现场照片上传后提交。", tt.place)
		b.WriteString("提交后会生成养护工单，园林养护班组会到场处置。")
	case tt.street != "": // the report names its street: the form asks the rest
		fmt.Fprintf(&b, "收到，您反映的是%s的树木隐患：“%s”。已帮您填好报告，请点下方“填写树木隐患报告”，补充具体位置、拍一张现场照片上传后提交。", tt.street, tt.text)
		b.WriteString("提交后会生成养护工单，园林养护班组会到场处置。")
	default:
		fmt.Fprintf(&b, "收到，您反映的是树木隐患：“%s”。\n这棵树在哪里？请告诉我所在街道、小区或路名（例如“梅林街道梅林一村东门”），我帮您填进报告。\n", tt.text)
		b.WriteString("也可以直接点下方“填写树木隐患报告”，补充位置并拍照上传后提交。提交后会生成养护工单，园林养护班组会到场处置。")
		t.state.TreeReport = &TreeReportDraft{Text: tt.text, Street: tt.street}
	}
	fmt.Fprintf(&b, "\n如果树木已经倒下或随时可能砸到人、车，请先远离，并拨打 %s 热线；危及人身安全请拨打 110。", as.cfg.Hotline)
	r.Answer = b.String()
}
