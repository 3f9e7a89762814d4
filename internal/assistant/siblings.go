package assistant

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// Choosing among close siblings by what tells them apart. Candidates
// scoring close to one another for a question are siblings there: a
// general item and a group's version of it (创业担保贷款贴息,
// 退役军人创业贷款贴息), a card's first issue and its replacement, two
// benefits of one family. Their shared words, which most of a question
// matches, rank them by chance; what a clerk decides by is the detail
// the question gives that only one of them is about. The catalogue says
// which details those are: the words of one candidate's text (name,
// summary, conditions, materials) that another's lacks, or holds in a
// less telling field, weighed by their rarity in the catalogue
// (search.Index.Holdings), the synonym tables carrying everyday words to
// them (丢了 → 遗失, 退伍 → 退役军人).
//
// Two kinds of sibling follow a rule of their own, read from the
// lexicons rather than listed by item: an item whose name restricts it
// to a group (lexicon/audiences.txt) needs its group in the question,
// and then beats the version for everyone; a variant of an item (补领,
// 换领, 注销 … lexicon/variants.txt) needs its action or a detail of its
// own (遗失, 有效期满) in the question, otherwise the basic item is meant.

// Thresholds of the choice by details (global, chosen on the learning
// sets as a whole).
const (
	// The winner's details against each other candidate must weigh at
	// least detailMin …
	detailMin = 1.0
	// … and detailRatio times that candidate's details against it.
	detailRatio = 2.0
	// A message says a detail only when it has at least siblingRichness
	// content words: a bare name ("结婚那个") says none.
	siblingRichness = 2
)

// sibling is one close candidate as bySiblings weighs it.
type sibling struct {
	hit     search.Hit
	out     string // why it was set aside, "" while in
	variant bool
	// groups its name restricts it to, said and not said in the question
	said, unsaid []string
	words        []string // its name's words besides groups and generic ones
}

// bySiblings chooses among close candidates (best first) by the details
// of the question that tell them apart. ok is false when nothing the
// question says does; why says what decided, for the trace.
func (as *Assistant) bySiblings(t *turnState, q search.Query, close []search.Hit) (search.Hit, string, bool) {
	if len(close) < 2 || as.richness(t.content) < siblingRichness {
		return search.Hit{}, "", false
	}
	// Siblings of the best: the candidates whose names share a word with
	// its name (个体工商户 of 设立 and 注销, 贴息 of the general and the
	// veterans' version). Close candidates about other things (租房
	// beside 居住证) are left to the search and to distinguish.
	// So are the items a described life situation lists beside the best
	// (an elder's allowance, home adaptation and alarm).
	// Each candidate's name words are worked out once, here, for this
	// choice and for the siblings below.
	words := make([][]string, len(close))
	for i, h := range close {
		words[i] = as.nameWords(h.Name)
	}
	fam, famWords := close[:1:1], words[:1:1]
	for i, h := range close[1:] {
		// So is one whose name's group of people the question says in its
		// own word (烈士 of 烈士遗属…) when nothing of the best's name is
		// said (高龄老人津贴 matched by 每个月, and 老人 from 爸妈).
		if shareWord(words[0], words[i+1]) || slices.ContainsFunc(t.situations, func(s *situation) bool {
			return slices.Contains(s.items, close[0].Name) && slices.Contains(s.items, h.Name)
		}) || len(close[0].NameTerms) == 0 && saysPartOfName(h, q) && as.saysOwnGroup(h, q) {
			fam, famWords = append(fam, h), append(famWords, words[i+1])
		}
	}
	if len(fam) < 2 {
		return search.Hit{}, "", false
	}
	close = fam
	ids := make([]string, len(close))
	sibs := make([]*sibling, len(close))
	for i, h := range close {
		ids[i] = h.ID
		s := &sibling{hit: h, variant: as.isVariant(h.Name)}
		s.said, s.unsaid = as.nameGroups(h.Name, q)
		s.words = famWords[i]
		sibs[i] = s
	}
	var held []search.Held
	// kind marks what is said only of the kind of item (补贴: a benefit,
	// not an enrolment): it tells apart the one whose name says it.
	kind := map[string]bool{}
	for _, h := range as.cfg.Index.Holdings(q, ids) {
		// Words of asking and getting (申请, 登记) tell nothing apart;
		// those of replacing, renewing or closing (遗失, 到期) do, and a
		// benefit's kind (补贴, 津贴) does when a name says it.
		if utf8.RuneCountInString(h.Text) < 2 || as.frames[h.Text] {
			continue
		}
		if as.generic[h.Text] && !as.variants[h.Text] {
			if !slices.Contains(benefitNouns, h.Text) {
				continue
			}
			h.From = "~" + h.Text
			kind[h.From] = true
		}
		held = append(held, h)
	}
	// What the question says is weighed by what in it said it: a word
	// of the question and the words synonym rules read from it are one
	// thing said (社保卡, and 社会保障卡 from it). For each, a candidate
	// holds it as much as its most telling word.
	said := map[string][]float64{}
	about := map[string][]bool{}
	named := map[string][]bool{}
	var order []string
	for _, h := range held {
		for _, o := range strings.Split(h.From, "|") {
			v, ok := said[o]
			if !ok {
				v = make([]float64, len(close))
				about[o] = make([]bool, len(close))
				named[o] = make([]bool, len(close))
				order = append(order, o)
			}
			for i := range v {
				v[i] = max(v[i], h.Weight*h.In[i])
				about[o][i] = about[o][i] || h.Any[i]
				named[o][i] = named[o][i] || h.Named[i]
			}
			said[o] = v
		}
	}
	// A word a candidate's text says only as what its case is not (直接
	// 结算 in 未能直接结算的医疗费用) is not what the candidate is about,
	// unless the question denies it too: the item for settling directly
	// is the other one.
	texts := make([]string, len(close))
	for i, h := range close {
		if it, ok := as.cfg.Index.Item(h.ID); ok {
			texts[i] = as.a.Normalize(itemText(it))
		}
	}
	for _, w := range q.Words {
		o := w.Text
		if w.Source != search.FromQuery || utf8.RuneCountInString(o) < 2 || as.frames[o] || as.generic[o] || !strings.Contains(t.in.norm, o) {
			continue
		}
		asked := onlyNegated(t.in.norm, o)
		fits := make([]bool, len(close))
		differ := false
		for i := range close {
			fits[i] = strings.Contains(texts[i], o) && onlyNegated(texts[i], o) == asked
			differ = differ || fits[i] != fits[0]
		}
		if !differ || !slices.ContainsFunc(texts, func(x string) bool { return strings.Contains(x, o) && onlyNegated(x, o) != asked }) {
			continue
		}
		if _, ok := said[o]; !ok {
			said[o], about[o], named[o] = make([]float64, len(close)), make([]bool, len(close)), make([]bool, len(close))
			order = append(order, o)
		}
		for i := range close {
			if fits[i] {
				said[o][i], about[o][i] = max(said[o][i], w.Weight), true
			} else {
				said[o][i], about[o][i], named[o][i] = 0, false, false
			}
		}
	}
	// A word of the question inside a phrase a synonym rule read is said
	// by that phrase: 退休金 in 停发…退休金 (a pension about to stop, the
	// yearly verification), 残疾证 in 残疾证…一级 (a card held, not asked
	// for), 失业登记 in 办了失业登记. What the phrase adds tells the
	// siblings apart; the word alone, naming another, does not.
	inside := map[string]bool{}
	for _, h := range held {
		for _, o := range strings.Split(h.From, "|") {
			if o == h.Text {
				continue
			}
			for _, w := range order {
				if w != o && strings.Contains(o, w) && !strings.Contains(w, o) {
					inside[w] = true
				}
			}
		}
	}
	// adv is what the question says that i's text holds and j's lacks
	// altogether, or that i's name says and j's does not: a thing both
	// texts are about, though one has it among its materials, tells them
	// apart only when one of them is named for it (缴存证明).
	adv := func(i, j int) float64 {
		v := 0.0
		for _, o := range order {
			if inside[o] {
				continue
			}
			if kind[o] && named[o][i] && !named[o][j] || !kind[o] && (!about[o][j] || named[o][i] && !named[o][j]) {
				v += said[o][i]
			}
		}
		return v
	}
	// A group's version needs its group in the question; said, it beats
	// the version for everyone. Versions of one item share a word of
	// their names besides the group (贴息, 优待证).
	for _, s := range sibs {
		for _, o := range sibs {
			if s == o || s.out != "" || !shareWord(s.words, o.words) {
				continue
			}
			switch {
			case len(s.unsaid) > 0 && len(o.unsaid) == 0:
				s.out = "名称限定的人群（" + strings.Join(s.unsaid, "、") + "）问题未提及，" + o.hit.ID + "不限"
			case len(s.said) == 0 && len(o.said) > 0 && len(o.unsaid) == 0:
				s.out = "问题说了" + o.hit.ID + "名称中的人群（" + strings.Join(o.said, "、") + "）"
			}
		}
	}
	grouped := slices.ContainsFunc(sibs, func(s *sibling) bool { return s.out != "" })
	// A variant needs its action or a detail of its own.
	if !as.asksVariant(q) {
		for i, s := range sibs {
			if !s.variant || s.out != "" {
				continue
			}
			for j, o := range sibs {
				if !o.variant && o.out == "" && versions(s.words, o.words) && adv(i, j) == 0 {
					s.out = "补换变更类事项，问题未说其动作或缘由，" + o.hit.ID + "是其基本事项"
					break
				}
			}
		}
	}
	var in []int
	for i, s := range sibs {
		if s.out == "" {
			in = append(in, i)
		}
	}
	for _, i := range in {
		wins := true
		for _, j := range in {
			if i != j && (adv(i, j) < detailMin || adv(i, j) < detailRatio*adv(j, i)) {
				wins = false
				break
			}
		}
		// A candidate the question names outright (its name covered) is
		// not set aside for another's details unless that one is named too.
		for _, j := range in {
			if close[j].Coverage >= namedCoverage && close[i].Coverage < namedCoverage {
				wins = false
			}
		}
		if wins && len(in) > 1 {
			return close[i], as.explainSibling(i, sibs, held), true
		}
	}
	// The rules alone choose on a message that says whom it is for (the
	// group rule), or says much, which distinguish would answer with the
	// best anyway; a short one naming only the thing ("居住证") is left
	// to it, which may ask.
	if len(in) == 1 && (grouped || as.richness(t.content) > 3) {
		return close[in[0]], as.explainSibling(in[0], sibs, held), true
	}
	// Undecided: what each said against each, for the trace.
	var b strings.Builder
	b.WriteString("未分出")
	for _, i := range in {
		for _, j := range in {
			if i != j {
				fmt.Fprintf(&b, " %s>%s:%.1f", close[i].ID, close[j].ID, adv(i, j))
			}
		}
	}
	return search.Hit{}, b.String(), false
}

// explainSibling says why a sibling won: the question's words that its
// text holds more tellingly than another's, and why the others were set
// aside.
func (as *Assistant) explainSibling(i int, sibs []*sibling, held []search.Held) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s 胜出", sibs[i].hit.ID)
	var ws []string
	for _, h := range held {
		for j := range sibs {
			if j != i && h.In[i] > h.In[j] {
				w := h.Text
				if h.From != h.Text {
					w += "<" + h.From
				}
				ws = append(ws, fmt.Sprintf("%s(%.1f)", w, h.Weight*h.In[i]))
				break
			}
		}
	}
	if len(ws) > 0 {
		b.WriteString("；区别词 " + strings.Join(ws, " "))
	}
	for _, s := range sibs {
		if s.out != "" {
			fmt.Fprintf(&b, "；%s 排除：%s", s.hit.ID, s.out)
		}
	}
	return b.String()
}

// nameGroups are the groups of people an item's name restricts it to
// (lexicon/audiences.txt), split by whether the question mentions them
// (by the word, the resident's own word holding it, a part of it, or an
// alias).
func (as *Assistant) nameGroups(name string, q search.Query) (said, unsaid []string) {
	norm := as.a.Normalize(name)
	for _, g := range as.audiences {
		if !strings.Contains(norm, g) {
			continue
		}
		// A synonym naming the group's item from the thing alone
		// (优待证 → 退役军人优待证) says the thing, not the group; one
		// from another word (外资 → 外商投资企业) says the group.
		if as.groupMentioned(g, q, true) {
			said = append(said, g)
		} else {
			unsaid = append(unsaid, g)
		}
	}
	// The groups of one name are one group in other words (老年人 and
	// 长者 of 老年人优待证（长者卡）): one said, the group is.
	if len(said) > 0 {
		return said, nil
	}
	return said, unsaid
}

// saysOwnGroup reports a hit whose name restricts it to a group of people
// (lexicon/audiences.txt) that a word of the question's own holds.
func (as *Assistant) saysOwnGroup(h search.Hit, q search.Query) bool {
	norm := as.a.Normalize(h.Name)
	return slices.ContainsFunc(as.audiences, func(g string) bool {
		return utf8.RuneCountInString(g) >= 2 && strings.Contains(norm, g) && slices.ContainsFunc(q.Words, func(w search.Term) bool {
			return w.Source == search.FromQuery && strings.Contains(w.Text, g)
		})
	})
}

// versions reports two names, as their words besides groups, generic
// and variant words, of which one says nothing the other does not: every
// word of one is, or holds or is held by, a word of the other (退役军人
// 创业贷款贴息 and 创业担保贷款贴息; 居住证签注 and 深圳市居住证申领).
func versions(a, b []string) bool {
	return len(a) > 0 && len(b) > 0 && (covered(a, b) || covered(b, a))
}

func covered(a, b []string) bool {
	for _, x := range a {
		if !slices.ContainsFunc(b, func(y string) bool { return strings.Contains(x, y) || strings.Contains(y, x) }) {
			return false
		}
	}
	return true
}

// nameWords are the words of an item's name that say what it is about,
// without the groups of people it is for (优待证 of 退役军人优待证 and of
// 老年人优待证): two characters or more, neither generic nor a variant's
// (申领, 补领).
func (as *Assistant) nameWords(name string) []string {
	var out []string
	for _, w := range as.a.Segment(as.a.Normalize(name)) {
		for _, g := range as.audiences {
			if utf8.RuneCountInString(g) >= 2 {
				w = strings.ReplaceAll(w, g, "")
			}
		}
		if utf8.RuneCountInString(w) >= 2 && !as.generic[w] && !as.variants[w] && !as.a.IsStop(w) {
			out = append(out, w)
		}
	}
	return out
}

// shareWord reports a word both lists hold, or one holding the other.
func shareWord(a, b []string) bool {
	return slices.ContainsFunc(a, func(x string) bool {
		return slices.ContainsFunc(b, func(y string) bool { return strings.Contains(x, y) || strings.Contains(y, x) })
	})
}

// saysThingOnly reports a synonym term holding group g that only the
// thing beside the group produced: every phrase it came from is part of
// the term without the group.
func saysThingOnly(w search.Term, g string) bool {
	if w.Source == search.FromQuery || w.From == "" {
		return false
	}
	rest := strings.ReplaceAll(w.Text, g, "")
	for _, f := range strings.Split(w.From, "|") {
		if !strings.Contains(rest, f) {
			return false
		}
	}
	return true
}

// negators are the words that, right before a phrase, say a case is not
// so (未能直接结算, 非深户籍, 无自有住房).
var negators = []string{"未能", "不能", "无法", "没法", "没办法", "没能", "不可以", "不给", "没有", "不属于", "不是", "未", "非", "无", "没"}

// onlyNegated reports whether every occurrence of w in text follows a
// negator.
func onlyNegated(text, w string) bool {
	found := false
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return found
		}
		at := i + j
		if !slices.ContainsFunc(negators, func(n string) bool { return strings.HasSuffix(text[:at], n) }) {
			return false
		}
		found = true
		i = at + len(w)
	}
}
