package assistant

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
)

// What the resident is (低保户, 低收入家庭, 特困) names an item of its own
// and is, as often, a condition of the item asked for: this file tells
// the two apart.

// statusOf reports a close candidate h every matched name word of which
// the message says in words (低保 for 最低生活保障) that the conditions of
// another close candidate hold, that other candidate matching a name word
// of its own said in other words: h is then what the resident is, which
// the other one requires.
func (as *Assistant) statusOf(q search.Query, h search.Hit, close []search.Hit) bool {
	_, ok := as.statusHolder(q, h, close)
	return ok
}

// statusHolder returns the first of pool whose conditions list what h
// names as the resident's status (statusOf).
func (as *Assistant) statusHolder(q search.Query, h search.Hit, pool []search.Hit) (search.Hit, bool) {
	said := saidFor(q, h.NameTerms)
	if len(said) == 0 {
		return search.Hit{}, false
	}
	for _, o := range pool {
		if o.ID == h.ID {
			continue
		}
		it, ok := as.cfg.Index.Item(o.ID)
		if !ok {
			continue
		}
		conds := as.conditionsText(it)
		if !slices.ContainsFunc(said, func(w string) bool { return !listedIn(conds, w) && !listedIn(conds, householdless(w)) }) && (hasOwnName(q, o, said) || as.ownEvidence(o, h)) {
			return o, true
		}
	}
	return search.Hit{}, false
}

// statusBelow reports a cued hit h that the message names only as what
// the resident is (家里评上了低收入) while another item ranks first: the
// status tells of the family, the first item says what is asked (学校给困
// 难学生的补助).
func (as *Assistant) statusBelow(t *turnState, q search.Query, h, top search.Hit) bool {
	if h.ID == top.ID || h.Score >= top.Score {
		return false
	}
	said := saidFor(q, h.NameTerms)
	return saidAsBeing(t.in.norm, said) && slices.ContainsFunc(said, as.listedStatus)
}

// listedStatus reports a word some item's conditions list among the kinds
// of people it serves (属于特困、低保、低收入…): a status, not any word
// said after 是 (是深圳户口).
func (as *Assistant) listedStatus(w string) bool {
	for _, it := range as.cfg.Index.Items() {
		conds := as.conditionsText(it)
		if listedIn(conds, w) || listedIn(conds, householdless(w)) {
			return true
		}
	}
	return false
}

// conditionsText is an item's conditions as one normalised text.
func (as *Assistant) conditionsText(it *kb.Item) string {
	return as.a.Normalize(strings.Join(it.Conditions, " "))
}

// saidAsBeing reports each of words said as what someone is (我们家是低收入
// 家庭, 低保户, 属于特困, a bare attribute between pauses: "深户 低收入 "),
// not as what is asked for (申请低保, 低保要什么材料).
func saidAsBeing(norm string, words []string) bool {
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		ok := false
		for start, end := range indexesOf(norm, w) {
			before, after := strings.TrimRight(norm[:start], " "), norm[end:]
			bare := (start == 0 || strings.HasSuffix(norm[:start], " ")) && (after == "" || strings.HasPrefix(after, " "))
			if hasAnySuffix(before, beingMarks) || strings.HasPrefix(after, "户") || strings.HasSuffix(w, "户") || bare {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// beingMarks say, before a status, that someone has it.
var beingMarks = []string{"是", "属于", "评上了", "评上", "认定了", "认定过", "认定为", "都是"}

// statusPool are the hits a status may be a condition of: the first five
// scoring at least statusRatio of the best.
func statusPool(hits []search.Hit) []search.Hit {
	var out []search.Hit
	for _, h := range hits {
		if len(out) == 5 || h.Score < statusRatio*hits[0].Score {
			break
		}
		out = append(out, h)
	}
	return out
}

// statusRatio: a status named outright (低收入家庭) outscores the item it
// is a condition of by its own name's weight.
const statusRatio = 0.35

// householdless is a status without the household it is said of (低收入
// of 低收入家庭, 低保 of 低保户).
func householdless(w string) string {
	for _, suf := range []string{"家庭", "户", "家"} {
		if t, ok := strings.CutSuffix(w, suf); ok && utf8.RuneCountInString(t) >= 2 {
			return t
		}
	}
	return w
}

// listedIn reports w said in conditions as one of a list of kinds of
// people (属于特困、低保、低收入、失能或高龄独居等): a status a resident
// has, not an act done first (已结清应纳税款).
func listedIn(conds, w string) bool {
	for start, end := range indexesOf(conds, w) {
		if hasAnySuffix(conds[:start], listMarks) || hasAnyPrefix(conds[end:], listMarks) {
			return true
		}
	}
	return false
}

// listMarks join the kinds of a list in a condition (、 is normalised to ,).
var listMarks = []string{",", "或", "等"}

// saidFor returns the message's own words that produced the matched name
// terms: the term itself when said, the words a synonym came from.
func saidFor(q search.Query, names []string) []string {
	var out []string
	for _, n := range names {
		for _, w := range q.Words {
			if w.Text != n {
				continue
			}
			if w.Source == search.FromQuery {
				out = append(out, n)
			} else {
				out = append(out, strings.Split(w.From, "|")...)
			}
			break
		}
	}
	return out
}

// hasOwnName reports a hit matching a name term said in words other than
// those given.
func hasOwnName(q search.Query, h search.Hit, not []string) bool {
	return slices.ContainsFunc(saidFor(q, h.NameTerms), func(w string) bool {
		return !slices.ContainsFunc(not, func(n string) bool { return strings.Contains(n, w) || strings.Contains(w, n) })
	})
}

// ownEvidence reports a hit o that matched a word of substance the status
// item h did not (上门 of 居家养老服务补贴 beside 低收入家庭认定): the
// message asks something of o's besides the status.
func (as *Assistant) ownEvidence(o, h search.Hit) bool {
	return slices.ContainsFunc(o.Terms, func(w string) bool {
		return utf8.RuneCountInString(w) >= 2 && !slices.Contains(h.Terms, w) && !as.generic[w] && !as.frames[w]
	})
}
