package greening

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/library"
)

// Citation is a source an answer quotes: an entry of the species library
// or an article of a regulation.
type Citation struct {
	Source  string `json:"source"`  // 树种库, or the law's title
	Article string `json:"article"` // the entry and field, or 第二十四条
	Text    string `json:"text"`    // verbatim
}

// Reply is the answer to a maintenance question.
type Reply struct {
	Answered  bool       `json:"answered"`
	Text      string     `json:"text"`
	Citations []Citation `json:"citations"`
	// Note qualifies the sources (the species library's review status).
	Note string `json:"note,omitempty"`
}

// LawSearch finds the regulation articles nearest a question (the
// library's article search behind it), best first.
type LawSearch func(ctx context.Context, question string) ([]Citation, error)

// aspects are what a question about a species may ask, by the words that
// say so.
var aspects = []struct {
	name  string
	words []string
}{
	{"prune", []string{"修剪", "剪", "整形", "疏枝"}},
	{"pest", []string{"虫", "病", "害"}},
	{"water", []string{"浇", "灌", "水", "旱"}},
	{"wind", []string{"台风", "抗风", "倒伏", "风"}},
	{"fertilize", []string{"施肥", "肥"}},
}

// lawWords mark a question about what the rules allow, answered from the
// regulations.
var lawWords = []string{"古树", "名木", "砍伐", "迁移", "占用", "施工", "能不能", "可以吗", "是否可以", "罚", "审批", "批准", "保护范围", "绿地", "条例", "规定"}

// Answer answers a maintenance question from the species library (a named
// species and what is asked about it) and, for questions about what the
// rules allow or when no species is named, from the regulations through
// laws. It quotes; it does not compose: with no source found it says so.
func Answer(ctx context.Context, k Knowledge, laws LawSearch, question string) (Reply, error) {
	q := strings.TrimSpace(question)
	if q == "" {
		return Reply{}, fmt.Errorf("%w: 问题为空", ErrInput)
	}
	var r Reply
	sp, ok := speciesIn(k, q)
	legal := slices.ContainsFunc(lawWords, func(w string) bool { return strings.Contains(q, w) })
	if ok {
		asked := map[string]bool{}
		for _, a := range aspects {
			if slices.ContainsFunc(a.words, func(w string) bool { return strings.Contains(q, w) }) {
				asked[a.name] = true
			}
		}
		for _, p := range sp.Pests {
			if strings.Contains(q, p.Name) {
				asked["pest"] = true
			}
		}
		if len(asked) == 0 && !legal {
			for _, a := range aspects {
				asked[a.name] = true
			}
		}
		var lines []string
		cite := func(field, text string) {
			r.Citations = append(r.Citations, Citation{Source: "树种库", Article: sp.Name + " · " + field, Text: text})
			lines = append(lines, text)
		}
		if asked["prune"] {
			cite("修剪期", fmt.Sprintf("%s的修剪期为 %s 月。%s", sp.Name, monthList(sp.PruneMonths), sp.PruneNote))
		}
		if asked["pest"] && len(sp.Pests) > 0 {
			var ps []string
			for _, p := range sp.Pests {
				ps = append(ps, fmt.Sprintf("%s（%s 月，%s）", p.Name, monthList(p.Months), p.Note))
			}
			cite("常见病虫害", sp.Name+"常见病虫害："+strings.Join(ps, "；")+"。")
		}
		if asked["water"] {
			cite("需水量", fmt.Sprintf("%s需水量：%s。", sp.Name, WaterName(sp.Water)))
		}
		if asked["wind"] {
			cite("抗风性", fmt.Sprintf("%s抗风性 %d/5，%s。%s", sp.Name, sp.WindResistance, sp.Root, sp.Notes))
		}
		if asked["fertilize"] && len(sp.FertilizeMonths) > 0 {
			cite("施肥", fmt.Sprintf("%s施肥月份：%s 月。", sp.Name, monthList(sp.FertilizeMonths)))
		}
		if len(lines) > 0 {
			r.Answered = true
			r.Text = strings.Join(lines, "\n")
			if !sp.Reviewed {
				r.Note = "树种库条目为起步数据，尚待园林专家审核"
			}
		}
	}
	if (legal || !r.Answered) && laws != nil {
		arts, err := laws(ctx, q)
		if err != nil {
			return r, err
		}
		// The greening regulation first: it is the one these questions
		// are about; others follow in their own order.
		slices.SortStableFunc(arts, func(a, b Citation) int {
			return boolRank(strings.Contains(a.Source, "绿化")) - boolRank(strings.Contains(b.Source, "绿化"))
		})
		if len(arts) > 3 {
			arts = arts[:3]
		}
		if len(arts) > 0 {
			var lines []string
			for _, a := range arts {
				lines = append(lines, fmt.Sprintf("《%s》%s：%s", a.Source, a.Article, strings.TrimSpace(strings.TrimPrefix(a.Text, a.Article))))
			}
			if r.Text != "" {
				r.Text += "\n"
			}
			r.Text += strings.Join(lines, "\n")
			r.Citations = append(r.Citations, arts...)
			r.Answered = true
		}
	}
	if !r.Answered {
		r.Text = "树种库和法规库中没有找到可以回答这个问题的内容，请咨询园林专家。"
	}
	return r, nil
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

// speciesIn finds the species a question names (the longest name found).
func speciesIn(k Knowledge, q string) (Species, bool) {
	var best Species
	for name, sp := range k.Species {
		if strings.Contains(q, name) && len(name) > len(best.Name) {
			best = sp
		}
	}
	return best, best.Name != ""
}

// LibrarySearch is a LawSearch over the document library's articles as
// viewer may read them (the 城市绿化条例 is among the bundled laws).
func LibrarySearch(lib *library.Library, viewer library.Viewer) LawSearch {
	return func(ctx context.Context, q string) ([]Citation, error) {
		hits, err := lib.Search(ctx, library.Question{Text: q, Viewer: viewer}, 5)
		if err != nil {
			return nil, fmt.Errorf("regulations: %w", err)
		}
		out := make([]Citation, 0, len(hits))
		for _, h := range hits {
			if h.Standing != "" && h.Standing != library.InForce {
				continue
			}
			out = append(out, Citation{Source: h.Law, Article: h.Article, Text: h.Text})
		}
		return out, nil
	}
}
