package library

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/search"
)

// Question is one question to the library.
type Question struct {
	Text string
	// Context is the previous question of the same conversation, for a
	// follow-up that leans on it (那要是…呢).
	Context string
	// Collection limits the search to one collection; "" searches every
	// collection the viewer may read.
	Collection string
	Viewer     Viewer
	// Version asks for one version of a law (YYYY-MM-DD) instead of the
	// one in force: superseded versions are reachable on request.
	Version string
	// NoModel answers by quoting even when a model is configured.
	NoModel bool
}

// Status is how a question was answered.
type Status string

const (
	Answered Status = "answered"
	NotFound Status = "not_found"
)

// Citation is one article an answer relies on.
type Citation struct {
	// Law is the document's title as in its first heading.
	Law     string `json:"law"`
	Article string `json:"article"`           // 第三十六条, or a section's heading
	Version string `json:"version"`           // the version's date, YYYY-MM-DD
	Text    string `json:"text"`              // the article, verbatim
	Status  string `json:"standing"`          // in_force, superseded, not_yet_in_force
	DocID   int64  `json:"document_id"`       // for links to the document
	Path    string `json:"path,omitempty"`    // 第三章 录用
	Current string `json:"current,omitempty"` // the version in force, when this one is not
	Score   float64 `json:"-"`
}

// Answer is the library's reply.
type Answer struct {
	Status    Status     `json:"status"`
	Answer    string     `json:"answer"`
	Citations []Citation `json:"citations"`
	// Closest are the nearest articles offered with a not_found answer.
	Closest []Citation `json:"closest,omitempty"`
	// Generator is "retrieval" (quoted articles) or "model".
	Generator string `json:"generator"`
	Model     string `json:"model,omitempty"`
	// AILabel is set on model-written answers and must be shown with them.
	AILabel string `json:"ai_label,omitempty"`
	// Fallback says why a model answer was not used.
	Fallback string `json:"fallback,omitempty"`
}

// AILabel is the label a model-written answer carries.
const AILabel = "本回答由人工智能生成，仅供参考"

// Confidence thresholds for "not found". A question is answered when the
// best article explains enough of what it asks (the idf-weighted share of
// its words found in the article, its headings or its law's name).
const (
	minCoverage = 0.30
)

// Ask answers a question from the collections the viewer may read.
func (l *Library) Ask(ctx context.Context, q Question) (Answer, error) {
	q.Text = strings.TrimSpace(q.Text)
	if q.Text == "" {
		return Answer{}, fmt.Errorf("library: empty question")
	}
	hits, cover, err := l.retrieve(ctx, q)
	if err != nil {
		return Answer{}, err
	}
	if len(hits) == 0 || cover < minCoverage {
		return notFound(hits), nil
	}
	ans := quote(hits)
	if l.opt.Model == nil || q.NoModel {
		return ans, nil
	}
	return l.withModel(ctx, q, hits, ans), nil
}

// retrieve ranks articles across the readable collections and says how
// much of the question the best one covers.
func (l *Library) retrieve(ctx context.Context, q Question) ([]Citation, float64, error) {
	var names []string
	if q.Collection != "" {
		if _, err := l.Collection(q.Collection, q.Viewer); err != nil {
			return nil, 0, err
		}
		names = []string{q.Collection}
	} else {
		for _, c := range l.Collections(q.Viewer) {
			names = append(names, c.Name)
		}
	}
	l.mu.RLock()
	indexes := make([]*collIndex, 0, len(names))
	for _, n := range names {
		if ix := l.indexes[n]; ix != nil {
			indexes = append(indexes, ix)
		}
	}
	l.mu.RUnlock()
	type cand struct {
		c     Citation
		cover float64
	}
	var all []cand
	for _, ix := range indexes {
		o := rankOptions{context: q.Context, k: 5}
		ix.steer(l.an.Normalize(q.Text), q.Version, &o)
		hits, query := ix.rank(ctx, q.Text, o)
		for i, h := range hits {
			c := ix.citation(h)
			cv := 0.0
			if i == 0 {
				cv = ix.coverage(query, h)
			}
			all = append(all, cand{c, cv})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].c.Score > all[j].c.Score })
	var out []Citation
	cover := 0.0
	for i, c := range all {
		if i == 0 {
			cover = c.cover
		}
		if i >= 5 {
			break
		}
		out = append(out, c.c)
	}
	return out, cover, nil
}

var (
	reYear       = regexp.MustCompile(`(?:(19|20)(\d{2})|(\d{2}))\s*年`)
	versionCue   = []string{"版", "那部", "老的", "旧的", "以前的", "原来的", "修订前", "修改前", "当时的", "老法", "旧法"}
	reArticleRef = regexp.MustCompile(`第(` + numeral + `)条(?:之(` + numeral + `))?`)
)

// steer reads what the question says about which law and which version:
// a law named by its title limits the search to it; a year together with
// a word such as 那版 or 老的 picks that version, and a bare 旧版 the one
// before the current.
func (ci *collIndex) steer(norm, version string, o *rankOptions) {
	// The longest title the question names.
	best := ""
	for w, vs := range ci.versions {
		d := vs[0].doc
		short := d.ShortTitle()
		if d.Kind == Law && utf8Len(short) >= 3 && strings.Contains(norm, short) && len(short) > len(best) {
			best, o.only = short, w
		}
	}
	if version != "" {
		o.version = version
		o.archive = !ci.isCurrent(version, o.only)
		return
	}
	cued := false
	for _, c := range versionCue {
		if strings.Contains(norm, c) {
			cued = true
		}
	}
	if !cued {
		return
	}
	years := map[string]bool{}
	for _, m := range reYear.FindAllStringSubmatch(norm, -1) {
		switch {
		case m[1] != "":
			years[m[1]+m[2]] = true
		default:
			years["20"+m[3]] = true
			years["19"+m[3]] = true
		}
	}
	for w, vs := range ci.versions {
		if o.only != "" && w != o.only {
			continue
		}
		for _, v := range vs {
			if v.standing != InForce && (len(years) == 0 || years[v.doc.Version[:min(4, len(v.doc.Version))]]) {
				o.archive = true
				if len(years) > 0 {
					o.version = v.doc.Version
					o.only = w
				}
			}
		}
	}
}

func (ci *collIndex) isCurrent(version, work string) bool {
	for w, vs := range ci.versions {
		if work != "" && w != work {
			continue
		}
		for _, v := range vs {
			if v.doc.Version == version && v.standing == InForce {
				return true
			}
		}
	}
	return false
}

func utf8Len(s string) int { return len([]rune(s)) }

// citation describes a ranked article.
func (ci *collIndex) citation(h scored) Citation {
	c := Citation{Law: h.doc.Title, Article: h.art.Label, Version: h.doc.Version, Text: h.art.Text(),
		DocID: h.doc.ID, Path: strings.Join(h.art.Path, " "), Score: h.score, Status: string(InForce)}
	for _, v := range ci.versions[h.doc.Work()] {
		if v.doc == h.doc {
			c.Status = string(v.standing)
		} else if v.standing == InForce {
			c.Current = v.doc.Version
		}
	}
	if c.Status == string(InForce) {
		c.Current = ""
	}
	return c
}

// coverage is the share of the question's weight (idf over the
// collection's articles) that the article, its headings and its law's
// title explain. Words the collection never uses count as unexplained:
// they are what makes a question one the library does not cover.
func (ci *collIndex) coverage(q search.Query, h scored) float64 {
	text := ci.norm(h.art.Text() + " " + strings.Join(h.art.Path, " ") + " " + h.doc.Title)
	var have, all float64
	for _, t := range q.Words {
		if t.Source != search.FromQuery || utf8Len(t.Text) < 2 && !isHanWord(t.Text) {
			continue
		}
		w := ci.idf(t.Text) * t.Weight
		all += w
		if strings.Contains(text, t.Text) {
			have += w
		}
	}
	if all == 0 {
		return 0
	}
	return have / all
}

func isHanWord(s string) bool {
	for _, r := range s {
		if r < 0x4E00 || r > 0x9FFF {
			return false
		}
	}
	return s != ""
}

// quote is the answer without a model: the best article verbatim with its
// law and number, the version it comes from, and a pointer to the next
// ones.
func quote(hits []Citation) Answer {
	best := hits[0]
	var b strings.Builder
	fmt.Fprintf(&b, "《%s》%s：\n%s", best.Law, best.Article, articleBody(best))
	b.WriteString("\n")
	b.WriteString(versionNote(best))
	var related []string
	for _, h := range hits[1:min(len(hits), 3)] {
		if h.Law == best.Law && h.Version == best.Version {
			related = append(related, h.Article)
		} else {
			related = append(related, "《"+h.Law+"》"+h.Article)
		}
	}
	if len(related) > 0 {
		b.WriteString("\n相关条文：" + strings.Join(related, "、") + "。")
	}
	return Answer{Status: Answered, Answer: b.String(), Citations: hits[:min(len(hits), 3)], Generator: "retrieval"}
}

// articleBody is the citation's text without its leading label.
func articleBody(c Citation) string {
	return strings.TrimSpace(strings.TrimPrefix(c.Text, c.Article))
}

// versionNote says which version answered: the one in force, or an older
// one the question asked for.
func versionNote(c Citation) string {
	switch Standing(c.Status) {
	case Superseded:
		return fmt.Sprintf("（依据%s版本，该版本已被%s版本取代，现行规定请以新版本为准。）", c.Version, c.Current)
	case NotYet:
		return fmt.Sprintf("（依据%s版本，该版本尚未施行；现行有效的是%s版本。）", c.Version, c.Current)
	}
	return fmt.Sprintf("（依据现行有效的%s版本。）", c.Version)
}

// notFound is the honest answer when nothing covers the question.
func notFound(hits []Citation) Answer {
	a := Answer{Status: NotFound, Citations: []Citation{}, Generator: "retrieval"}
	a.Answer = "文库中没有找到能回答这个问题的条文。"
	if len(hits) > 0 {
		a.Closest = hits[:min(len(hits), 3)]
		var names []string
		for _, h := range a.Closest {
			names = append(names, "《"+h.Law+"》"+h.Article)
		}
		a.Answer += "最接近的条文是：" + strings.Join(names, "、") + "，供参考。"
	}
	return a
}

// maskQuestion removes personal data before a question reaches a model.
func maskQuestion(s string) string {
	m, _ := privacy.Mask(s)
	return m
}

func itoa(n int) string { return strconv.Itoa(n) }

var _ = math.Max
