package library

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// The library reuses the assistant's engine (internal/search) rather than
// a second ranker: each article becomes one indexed entry whose fields the
// engine already weighs — the article's words as the summary, the headings
// above it (第三章 录用) as questions, the law's name as its theme — so
// normalisation, segmentation, the synonym table, typo matching and the
// bigram channel work on articles as they do on service items. Two
// indexes per collection: articles, and whole laws, whose score says which
// law a question is about and moves that law's articles up.

// articleParams are the engine's constants for articles. Items have short
// names that questions name; articles have none, so the name coverage
// rerank is off and the text carries the weight.
func articleParams() search.Params {
	p := search.DefaultParams()
	// A field without weight is not indexed at all: its words find
	// nothing.
	p.WordWeight = [8]float64{0, 0, 0.8, 1.5, 0, 0, 0.5, 0}
	p.BigramWeight = [8]float64{0, 0, 0.48, 1.5, 0, 0, 0, 0}
	p.Coverage = 0
	p.Rerank = 0
	return p
}

// lawParams weigh whole laws: the title most, then the chapter headings
// and the first articles (purpose and scope). The rest of the text is left
// out: it did not change the development figures and doubled the time to
// index.
func lawParams() search.Params {
	p := search.DefaultParams()
	p.WordWeight = [8]float64{3, 3, 1, 1, 0.3, 0, 0, 0}
	p.BigramWeight = [8]float64{3, 3, 0.5, 0.5, 0, 0, 0, 0}
	p.Coverage = 0
	p.Rerank = 0
	return p
}

// entry is one indexed article.
type entry struct {
	doc *Document
	art *Article
	// norm is the article, its headings and its law's title, normalised
	// once here for the coverage every query computes.
	norm string
}

// collIndex is one collection's indexes.
type collIndex struct {
	articles *search.Index // articles of the versions in force
	archive  *search.Index // articles of superseded (or not yet in force) versions
	laws     *search.Index // one entry per document in force
	entries  map[string]entry
	docs     map[string]*Document // law index id → document
	// versions lists every version of each work, newest first, with its
	// standing on the day the index was built.
	versions map[string][]versionInfo
	an       *zh.Analyzer
	lex      *zh.Synonyms
	// n is the number of articles in force.
	n int
}

// df is the number of articles in force that use a word.
func (ci *collIndex) df(w string) int { return ci.articles.DocFreq(w) }

// idf is the weight of a word by how few articles use it; a word no
// article uses weighs most.
func (ci *collIndex) idf(w string) float64 {
	return math.Log(1 + (float64(ci.n)+0.5)/(float64(ci.df(w))+0.5))
}

// Standing is a version's legal status on a given day.
type Standing string

const (
	InForce    Standing = "in_force"
	Superseded Standing = "superseded"
	NotYet     Standing = "not_yet_in_force"
)

type versionInfo struct {
	doc      *Document
	standing Standing
}

func articleID(d *Document, a *Article) string {
	return strconv.FormatInt(d.ID, 10) + "/" + strconv.Itoa(a.Seq)
}

// standings decides, for each work, which version is in force on day:
// the newest whose effective date has come; newer ones are not yet in
// force, older ones superseded.
func standings(docs []*Document, day string) map[string][]versionInfo {
	byWork := map[string][]*Document{}
	for _, d := range docs {
		byWork[d.Work()] = append(byWork[d.Work()], d)
	}
	out := map[string][]versionInfo{}
	for w, vs := range byWork {
		sort.SliceStable(vs, func(i, j int) bool { return vs[i].Version > vs[j].Version })
		found := false
		for _, d := range vs {
			s := Superseded
			switch {
			case found:
			case d.Effective != "" && d.Effective > day:
				s = NotYet
			default:
				s, found = InForce, true
			}
			out[w] = append(out[w], versionInfo{doc: d, standing: s})
		}
		if !found { // nothing in force yet: the oldest counts, so the work answers at all
			out[w][len(out[w])-1].standing = InForce
		}
	}
	return out
}

// buildIndex indexes a collection's documents as they stand on day.
func buildIndex(an *zh.Analyzer, docs []*Document, now time.Time) *collIndex {
	ci := &collIndex{
		articles: search.New(an, articleParams()),
		archive:  search.New(an, articleParams()),
		laws:     search.New(an, lawParams()),
		entries:  map[string]entry{},
		docs:     map[string]*Document{},
		versions: standings(docs, now.Format("2006-01-02")),
		an:       an,
	}
	ci.lex, _ = legalSynonyms(an) // a broken table fails the package's tests, not a query
	var cur, old, laws []kb.Item
	for _, vs := range ci.versions {
		for _, v := range vs {
			d := v.doc
			for i := range d.Articles {
				a := &d.Articles[i]
				id := articleID(d, a)
				ci.entries[id] = entry{doc: d, art: a,
					norm: an.Normalize(a.Text() + " " + strings.Join(a.Path, " ") + " " + d.Title)}
				it := articleItem(id, d, a)
				if v.standing == InForce {
					cur = append(cur, it)
				} else {
					old = append(old, it)
				}
			}
			if v.standing == InForce {
				lid := strconv.FormatInt(d.ID, 10)
				ci.docs[lid] = d
				laws = append(laws, lawItem(lid, d))
			}
		}
	}
	sortItems(cur)
	sortItems(old)
	sortItems(laws)
	ci.n = len(cur)
	ci.articles.Replace(cur)
	ci.archive.Replace(old)
	ci.laws.Replace(laws)
	return ci
}

func sortItems(items []kb.Item) {
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
}

// articleItem maps an article onto the engine's fields.
func articleItem(id string, d *Document, a *Article) kb.Item {
	it := kb.Item{ID: id, Summary: a.Body(), Theme: d.ShortTitle()}
	for _, p := range a.Path {
		it.FAQ = append(it.FAQ, kb.FAQ{Q: headingName(p)})
	}
	if d.Kind == Sections {
		it.FAQ = append(it.FAQ, kb.FAQ{Q: a.Label})
	}
	return it
}

// lawItem maps a whole document onto the engine's fields.
func lawItem(id string, d *Document) kb.Item {
	it := kb.Item{ID: id, Name: d.ShortTitle(), Aliases: []string{d.Title}}
	seen := map[string]bool{}
	for i := range d.Articles {
		a := &d.Articles[i]
		for _, p := range a.Path {
			if !seen[p] {
				seen[p] = true
				it.FAQ = append(it.FAQ, kb.FAQ{Q: headingName(p)})
			}
		}
		if i < 2 {
			it.Summary += a.Body()
		}
	}
	return it
}

// headingName drops the number of a division heading: 第三章 录用 → 录用.
func headingName(h string) string {
	if m := reDivision.FindStringSubmatch(h); m != nil && strings.TrimSpace(m[3]) != "" {
		return strings.TrimSpace(m[3])
	}
	return h
}

// scored is one ranked article.
type scored struct {
	id    string
	score float64
	entry
}

// rankOptions steer one search.
type rankOptions struct {
	context string // the previous question of the conversation
	archive bool   // search superseded versions
	only    string // restrict to one work ("" for all)
	version string // restrict to one version of it
	k       int
	// article is an article the question names with its law (公务员法
	// 第三十四条): it comes first.
	article ArticleNo
}

// Tuning constants for articles. Chosen on the development questions as
// a whole (a few global numbers, never a per-question rule).
const (
	contextWeight = 0.4  // a word of the previous question against one of this one
	lawPrior      = 0.35 // how much the law's own score lifts its articles
	depth         = 60   // article candidates before the law prior reorders them
	// coord rewards an article for the share of the question it explains
	// (BM25 alone lets many weak words outweigh the two that matter).
	coord = 1.0
	// A local regulation (广东省…条例) weighs localBoost when the question
	// names its place and localDamp when it names none: national law is
	// the default, the province's rules are asked for by name.
	localBoost = 1.25
	localDamp  = 0.8
)

// aspect is a kind of thing a question asks for (how long, how much,
// what penalty, which authority) and what an article that answers it
// contains: a question asking 多久 wants the article with the time limit
// in it, not the one that shares the most words.
type aspect struct {
	cue, evidence *regexp.Regexp
}

var aspects = []aspect{
	{regexp.MustCompile(`多久|多长时间|多长|几天|多少天|几个月|多少年|几年|期限|最迟|最晚|时限|多少个工作日|提前多`),
		regexp.MustCompile(`[0-9一二三四五六七八九十百两]+个?(工作日|日|天|月|年|周|小时)`)},
	{regexp.MustCompile(`多少钱|罚多少|收费|费用|交钱|收钱|多少元|什么费|会费`),
		regexp.MustCompile(`[0-9一二三四五六七八九十百千万]+元|费用|收费|收取`)},
	{regexp.MustCompile(`处罚|怎么处理|什么处理|后果|怎么罚|追究|受到什么|会被怎么|承担什么`),
		regexp.MustCompile(`罚款|处分|拘留|责令|吊销|没收|追究|警告|法律责任`)},
	{regexp.MustCompile(`哪个部门|找谁|向哪|去哪里|去哪儿|谁负责|由谁|哪里办|哪儿办|哪个机关`),
		regexp.MustCompile(`部门|机关|人民政府|委员会`)},
}

// aspectBoost is the factor for an article holding what the question's
// aspect asks for.
const aspectBoost = 1.15

func aspectFactor(norm string, a *Article) float64 {
	f := 1.0
	var text string
	for _, as := range aspects {
		if !as.cue.MatchString(norm) {
			continue
		}
		if text == "" {
			text = a.Body() + strings.Join(a.Path, " ")
		}
		if as.evidence.MatchString(text) {
			f *= aspectBoost
		}
	}
	return f
}

var reRegion = regexp.MustCompile(`^(\p{Han}{2,6}?)(省|市|自治区|特别行政区)`)

// regionOf is the place a local regulation belongs to (广东 for
// 广东省建筑垃圾管理条例), "" for national law.
func regionOf(d *Document) string {
	t := strings.TrimPrefix(workKey(d.Title), "中华人民共和国")
	if t != workKey(d.Title) {
		return "" // 中华人民共和国…法 is national
	}
	if m := reRegion.FindStringSubmatch(t); m != nil && m[1] != "国务院" {
		return m[1]
	}
	return ""
}

// jurisdiction is the factor for a document's place against the question.
func jurisdiction(d *Document, norm string) float64 {
	r := regionOf(d)
	switch {
	case r == "":
		return 1
	case strings.Contains(norm, r):
		return localBoost
	}
	return localDamp
}

// rank returns the best articles for a question, the analysed query and
// the engine's raw score of the best match (how much evidence there is at
// all, before the scores are made relative).
func (ci *collIndex) rank(ctx context.Context, text string, o rankOptions) ([]scored, search.Query, float64) {
	ix := ci.articles
	if o.archive {
		ix = ci.archive
	}
	q := ci.unknownToSynonyms(expandLegal(ci.an, ci.lex, ix.Analyse(text)))
	if o.context != "" {
		q = mergeQuery(q, expandLegal(ci.an, ci.lex, ix.Analyse(o.context)), contextWeight)
	}
	res := ix.SearchQuery(q, max(depth, o.k))
	if len(res.Hits) == 0 {
		return nil, q, 0
	}
	// The law prior: how well each law as a whole matches.
	lawScore := map[int64]float64{}
	lres := ci.laws.SearchQuery(q, 10)
	top := 0.0
	for _, h := range lres.Hits {
		top = math.Max(top, h.Score)
	}
	for _, h := range lres.Hits {
		if d := ci.docs[h.ID]; d != nil && top > 0 {
			lawScore[d.ID] = h.Score / top
		}
	}
	best := res.Hits[0].Score
	var out []scored
	for _, h := range res.Hits {
		e, ok := ci.entries[h.ID]
		if !ok {
			continue
		}
		if o.only != "" && e.doc.Work() != o.only {
			continue
		}
		if o.version != "" && e.doc.Version != o.version {
			continue
		}
		s := h.Score / best
		prior := lawScore[e.doc.ID]
		if o.archive {
			// superseded laws are not in the law index: use their current version's score
			for _, v := range ci.versions[e.doc.Work()] {
				if v.standing == InForce {
					prior = lawScore[v.doc.ID]
				}
			}
		}
		sc := scored{id: h.ID, score: s * (1 + lawPrior*prior), entry: e}
		sc.score *= 1 + coord*ci.coverage(q, sc)
		sc.score *= jurisdiction(e.doc, q.Norm)
		sc.score *= aspectFactor(q.Norm, e.art)
		out = append(out, sc)
	}
	if o.article.Main > 0 {
		out = ci.named(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	if o.k > 0 && len(out) > o.k {
		out = out[:o.k]
	}
	return out, q, best
}

// unknownToSynonyms gives a query word the collection never uses no
// weight and its synonyms its full weight: 老师 reaches the statutes only
// as 教师.
func (ci *collIndex) unknownToSynonyms(q search.Query) search.Query {
	unknown := map[string]bool{}
	for i := range q.Words {
		w := &q.Words[i]
		if w.Source == search.FromQuery && ci.df(w.Text) == 0 {
			unknown[w.Text] = true
		}
	}
	for i := range q.Words {
		w := &q.Words[i]
		if w.Source == search.FromSynonym {
			for _, from := range strings.Split(w.From, "|") {
				if unknown[from] {
					w.Weight = math.Max(w.Weight, 1)
				}
			}
		}
	}
	return q
}

// named puts the article the question names first, found among the
// candidates or, when the words did not reach it, looked up directly.
func (ci *collIndex) named(out []scored, o rankOptions) []scored {
	top := 0.0
	for _, c := range out {
		top = math.Max(top, c.score)
	}
	for i := range out {
		if out[i].art.No == o.article {
			out[i].score = top * 2
			return out
		}
	}
	for id, e := range ci.entries {
		if e.doc.Work() == o.only && e.art.No == o.article && (o.version == "" || e.doc.Version == o.version) &&
			ci.standing(e.doc) == InForce != o.archive {
			return append(out, scored{id: id, score: top*2 + 1, entry: e})
		}
	}
	return out
}

// standing is a document's standing in this index.
func (ci *collIndex) standing(d *Document) Standing {
	for _, v := range ci.versions[d.Work()] {
		if v.doc == d {
			return v.standing
		}
	}
	return InForce
}

// mergeQuery adds the words of another query at a fraction of their weight.
func mergeQuery(q, other search.Query, w float64) search.Query {
	q.Words = mergeTerms(q.Words, other.Words, w)
	q.Bigrams = mergeTerms(q.Bigrams, other.Bigrams, w)
	return q
}

// mergeTerms adds src's terms, weighted by w, to dst; a term in both keeps
// the larger weight.
func mergeTerms(dst, src []search.Term, w float64) []search.Term {
	have := make(map[string]int, len(dst))
	for i, t := range dst {
		have[t.Text] = i
	}
	for _, t := range src {
		t.Weight *= w
		if i, ok := have[t.Text]; ok {
			dst[i].Weight = math.Max(dst[i].Weight, t.Weight)
			continue
		}
		have[t.Text] = len(dst)
		dst = append(dst, t)
	}
	return dst
}
