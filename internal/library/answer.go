package library

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
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
	Law      string   `json:"law"`
	Article  string   `json:"article"`           // 第三十六条, or a section's heading
	Version  string   `json:"version"`           // the version's date, YYYY-MM-DD
	Text     string   `json:"text"`              // the article, verbatim
	Standing Standing `json:"standing"`          // in_force, superseded, not_yet_in_force
	DocID    int64    `json:"document_id"`       // for links to the document
	Path     string   `json:"path,omitempty"`    // 第三章 录用
	Current  string   `json:"current,omitempty"` // the version in force, when this one is not
	Score    float64  `json:"-"`
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

// The thresholds of "not found", chosen on the development questions (all
// answerable) and a separate calibration set of questions the laws do not
// cover (testdata/notfound_calib.jsonl), never on the probe sets. A
// question is answered when the engine's raw score of the best article
// reaches DefaultMinScore (uncovered questions match only a word or two,
// weakly) or the article explains nearly all of it, and in any case at
// least DefaultMinCoverage of the question's own words (idf-weighted,
// synonyms counting for the words they came from).
const (
	DefaultMinScore    = 16.0
	DefaultMinCoverage = 0.10
	// fullCoverage answers a short question whose words the article
	// nearly all explains, however low its raw score (突发事件分为哪几类).
	fullCoverage = 0.7
	// calibrationArticles is the size of the collection the score
	// threshold was chosen on (the 25 laws in force); scores of other
	// collections are scaled by their largest idf against its.
	calibrationArticles = 1828
)

// idfScale relates this collection's score range to the calibration
// collection's: BM25's idf, and so every score, grows with the log of the
// number of articles, and a one-law collection must not read as "nothing
// found" for that reason alone.
func (ci *collIndex) idfScale() float64 {
	top := func(n int) float64 { return math.Log(1 + (float64(n)+0.5)/0.5) }
	if ci.n == 0 {
		return 1
	}
	return top(ci.n) / top(calibrationArticles)
}

// Ask answers a question from the collections the viewer may read.
func (l *Library) Ask(ctx context.Context, q Question) (Answer, error) {
	q.Text = strings.TrimSpace(q.Text)
	if q.Text == "" {
		return Answer{}, fmt.Errorf("library: empty question")
	}
	hits, conf, err := l.retrieve(ctx, q, 5)
	if err != nil {
		return Answer{}, err
	}
	if len(hits) == 0 || !conf.steered && (conf.score < l.opt.MinScore && conf.cover < fullCoverage || conf.cover < l.opt.MinCoverage) {
		return notFound(hits), nil
	}
	ans := quote(hits)
	if l.opt.Model == nil || q.NoModel {
		return ans, nil
	}
	return l.withModel(ctx, q, hits, ans), nil
}

// confidence is the evidence behind the best article: the engine's raw
// score, the share of the question it explains, and whether the question
// itself named the law's version (then it is answered whatever the score).
type confidence struct {
	score, cover float64
	steered      bool
}

// retrieve ranks articles across the readable collections and says how
// confident the best one is.
func (l *Library) retrieve(ctx context.Context, q Question, k int) ([]Citation, confidence, error) {
	var names []string
	if q.Collection != "" {
		if _, err := l.Collection(q.Collection, q.Viewer); err != nil {
			return nil, confidence{}, err
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
		c    Citation
		conf confidence
	}
	var all []cand
	for _, ix := range indexes {
		o := rankOptions{context: q.Context, k: k}
		text := ix.steer(l.an.Normalize(q.Text), q.Version, &o)

		hits, query, raw := ix.rank(ctx, text, o)
		for i, h := range hits {
			c := ix.citation(h)
			var cf confidence
			if i == 0 {
				cf = confidence{score: raw / ix.idfScale(), cover: ix.coverage(query, h), steered: o.version != "" || o.archive}
			}
			all = append(all, cand{c, cf})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].c.Score > all[j].c.Score })
	var out []Citation
	var conf confidence
	for i, c := range all {
		if i == 0 {
			conf = c.conf
		}
		if i >= k {
			break
		}
		out = append(out, c.c)
	}
	return out, conf, nil
}

// Search returns the k best articles or sections for a text, best first,
// without composing an answer (the teachers' tools ground their drafts on
// these). Nothing is withheld for low confidence; Citation.Score orders.
func (l *Library) Search(ctx context.Context, q Question, k int) ([]Citation, error) {
	if strings.TrimSpace(q.Text) == "" {
		return nil, fmt.Errorf("library: empty query")
	}
	hits, _, err := l.retrieve(ctx, q, k)
	return hits, err
}

var (
	reYear = regexp.MustCompile(`(?:(19|20)(\d{2})|(\d{2}))\s*年`)
	// yearCues mark a year as naming a version (2007年那版, 07年那部老的);
	// bareCues ask for the previous version without a year.
	yearCues     = regexp.MustCompile(`版|那部法|那部老|那部旧|那一部|老的|旧的|当时的|修订前|修改前`)
	bareCues     = regexp.MustCompile(`旧版|老版|修订前|修改前|旧法|老法|原来那版|以前那版|上一版`)
	reArticleRef = regexp.MustCompile(`第(` + numeral + `)条(?:之(` + numeral + `))?`)
)

// steer reads what the question says about which law and which version:
// a law named by its title limits the search to it; a year together with
// a word such as 那版 or 老的 picks that version, and a bare 旧版 the one
// before the current. It returns the question without the words that
// only steered (the year), which would otherwise match the articles that
// mention dates.
func (ci *collIndex) steer(norm, version string, o *rankOptions) string {
	// The longest title the question names.
	best := ""
	for w, vs := range ci.versions {
		d := vs[0].doc
		short := d.ShortTitle()
		if d.Kind == Law && utf8Len(short) >= 3 && strings.Contains(norm, short) && len(short) > len(best) {
			best, o.only = short, w
		}
	}
	// 公务员法第三十四条: the law and the article named outright.
	if o.only != "" {
		if m := reArticleRef.FindString(norm); m != "" {
			if no, ok := ParseArticleNo(m); ok {
				o.article = no
			}
		}
	}
	if version != "" {
		o.version = version
		o.archive = !ci.isCurrent(version, o.only)
		return norm
	}
	if !yearCues.MatchString(norm) && !bareCues.MatchString(norm) {
		return norm
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
	if len(years) == 0 && !bareCues.MatchString(norm) {
		return norm
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
	if o.version != "" {
		norm = reYear.ReplaceAllString(norm, " ")
	}
	return norm
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
		DocID: h.doc.ID, Path: strings.Join(h.art.Path, " "), Score: h.score, Standing: InForce}
	for _, v := range ci.versions[h.doc.Work()] {
		if v.doc == h.doc {
			c.Standing = v.standing
		} else if v.standing == InForce {
			c.Current = v.doc.Version
		}
	}
	if c.Standing == InForce {
		c.Current = ""
	}
	return c
}

// coverage is the share of the question's weight (idf over the
// collection's articles) that the article, its headings and its law's
// title explain. Words the collection never uses count as unexplained:
// they are what makes a question one the library does not cover.
func (ci *collIndex) coverage(q search.Query, h scored) float64 {
	text := h.norm
	// A question word is explained when the article has it or one of the
	// words the synonym tables add for a phrase holding it.
	explainedBy := map[string]bool{}
	for _, t := range q.Words {
		if t.Source == search.FromSynonym && strings.Contains(text, t.Text) {
			for _, from := range strings.Split(t.From, "|") {
				explainedBy[from] = true
			}
		}
	}
	var have, all float64
	for _, t := range q.Words {
		if t.Source != search.FromQuery || scaffold[t.Text] || !isHanWord(t.Text) || utf8Len(t.Text) < 2 {
			continue
		}
		w := ci.idf(t.Text) * t.Weight
		all += w
		explained := strings.Contains(text, t.Text)
		for from := range explainedBy {
			if strings.Contains(from, t.Text) {
				explained = true
			}
		}
		if explained {
			have += w
		}
	}
	if all == 0 {
		return 0
	}
	return have / all
}

// scaffold are the words that frame a question rather than name its
// subject; they neither explain nor fail to explain anything.
var scaffold = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`怎么 怎么办 怎样 如何 什么 哪些 哪个 哪里 哪儿 多少 多久 多长 几天 几个 可以 能不能 能否 是否 是不是
		有没有 要不要 需不需要 需要 应该 应当 一般 规定 法律 法规 国家 现在 按照 根据 这种 这样 那种 那样 这个 那个 的话 对方
		我们 你们 他们 自己 别人 有人 一下 还是 或者 如果 要是 情况 问题 请问 知道 告诉 合法 违法 允许 算不算 这么 时候 以后
		之前 已经 还能 不能 不会 会不会 可能 觉得 一直 直接 为什么 怎么样 处理 做法 说法 几类 几种 几项 几条 哪几 哪类
		哪种 哪几种 哪几类 几个`) {
		scaffold[w] = true
	}
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
	switch c.Standing {
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
