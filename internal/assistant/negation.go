package assistant

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/search"
)

// denials say the resident is not something: "我不是退伍的", "我们不是
// 低保户", "唔系深户". denial finds them with what they deny; 是不是 asks
// rather than denies.
// Never having served (没当过兵, 没当兵) denies the service as much:
// neverServed finds it with what was never served as.
var (
	denials     = []string{"不是", "唔系", "并非", "不属于"}
	denial      = regexp.MustCompile(`(?:` + strings.Join(denials, "|") + `)([\p{Han}]{1,6})`)
	neverServed = regexp.MustCompile(`(?:没有|从没|没|未|冇)(当过?[\p{Han}]{1,4})`)
	// denialCues are what a message holds when either expression may
	// find something in it.
	denialCues = append(slices.Clone(denials), "当过", "当兵")
)

// denialEnds end what is denied: "不是深户也能办吗" denies 深户 only.
const denialEnds = "也但却还能可就的了吗呢嘛啊呀喔"

// denied returns the groups of people (lexicon/audiences.txt) a message
// says the resident is not, said or added for what it says by the
// synonym table (退役军人 for 退伍 of "我不是退伍的"): such a word is no
// evidence for an item named for that group. It also returns the
// message with those denials blanked, for finding the life situations it
// describes (a veteran's story is not told by denying one). Other
// denials ("不是深户", "不是第一次") say how things are, which other
// items are for, and are kept.
func (as *Assistant) denied(norm string, q search.Query) (map[string]bool, string) {
	if _, ok := firstOf(norm, denialCues); !ok {
		return nil, norm // most messages: spared the expression
	}
	locs := append(denial.FindAllStringSubmatchIndex(norm, -1), neverServed.FindAllStringSubmatchIndex(norm, -1)...)
	if len(locs) == 0 {
		return nil, norm
	}
	var out map[string]bool
	var blanked []byte
	for _, l := range locs {
		if strings.HasSuffix(norm[:l[0]], "是") {
			continue
		}
		span := norm[l[2]:l[3]]
		if i := strings.IndexAny(span, denialEnds); i >= 0 {
			span = span[:i]
		}
		groups := as.groupsIn(span, q)
		if len(groups) == 0 {
			continue
		}
		if out == nil {
			out, blanked = map[string]bool{}, []byte(norm)
		}
		for _, g := range groups {
			out[g] = true
		}
		for i := l[2]; i < l[2]+len(span); i++ {
			blanked[i] = ' '
		}
	}
	if out == nil {
		return nil, norm
	}
	return out, string(blanked)
}

// noLoan says a home was bought without a loan (没贷款, 唔贷款, 全款): no
// evidence for the loan's items, whatever else names them.
var noLoan = regexp.MustCompile(`(?:没有|没|不|唔|冇|无|不用|不想)(?:贷款|按揭)|全款`)

// deniedLoan adds 贷款 to denied when norm says the purchase took none.
func deniedLoan(norm string, denied map[string]bool) map[string]bool {
	return denyWhen(denied, "贷款", noLoan.MatchString(norm))
}

// notOnWelfare says the family is not on 低保 (不是低保户, 评不上低保):
// no evidence for 最低生活保障, whose word it says.
var notOnWelfare = regexp.MustCompile(`(?:不是|唔系|并非|非|没有|冇|没吃|评不上|没评上|不够)低保`)

// deniedWelfare adds 最低生活保障 to denied when norm says the family is
// not on it.
func deniedWelfare(norm string, denied map[string]bool) map[string]bool {
	return denyWhen(denied, "最低生活保障", strings.Contains(norm, "低保") && notOnWelfare.MatchString(norm))
}

// denyWhen adds word to denied when deny holds.
func denyWhen(denied map[string]bool, word string, deny bool) map[string]bool {
	if !deny {
		return denied
	}
	if denied == nil {
		denied = map[string]bool{}
	}
	denied[word] = true
	return denied
}

// usedDevice is an aid said as one the person already uses (坐轮椅,
// 拄着拐杖, 戴助听器); askedDevice one asked for (配个轮椅, 申请助听器,
// 轮椅补贴).
var (
	usedDevice  = regexp.MustCompile(`(?:坐|坐着|坐上|拄|拄着|戴|戴着|用着)(?:轮椅|拐杖|拐棍|助听器|助行器)`)
	askedDevice = regexp.MustCompile(`(?:配|买|申请|换|要个|要一|领|租)[^ ,.?!;]{0,3}(?:轮椅|拐杖|助听器|助行器|辅具)|(?:轮椅|拐杖|助听器|助行器|辅具)[^ ,.?!;]{0,3}(?:补贴|补助|报销|适配|坏了|旧了)`)
)

// deniedDevice adds 辅助器具 to denied when norm tells of an aid the
// person already uses and asks for none: their state (坐轮椅以后灶台太高),
// not the aids' subsidy.
func deniedDevice(norm string, denied map[string]bool) map[string]bool {
	return denyWhen(denied, "辅助器具", usedDevice.MatchString(norm) && !askedDevice.MatchString(norm))
}

// groupsIn are the groups of people span names, in its own words or in
// those the synonym table added for them to q.
func (as *Assistant) groupsIn(span string, q search.Query) []string {
	var out []string
	words := as.a.Words(span)
	for _, w := range words {
		if slices.Contains(as.audiences, w) {
			out = append(out, w)
		}
	}
	for _, t := range addedFor(q, words) {
		if slices.Contains(as.audiences, t) {
			out = append(out, t)
		}
	}
	return out
}

// withoutDenied answers, when the best hit's name matched what the
// message denies ("我不是退伍的" and 退役军人创业贷款贴息), with the hits
// of the query without the denied words whose names hold none of them:
// the general item rather than the version for a group the resident is
// not in. Otherwise it returns hits.
func (as *Assistant) withoutDenied(hits []search.Hit, q search.Query, denied map[string]bool) []search.Hit {
	if len(denied) == 0 || len(hits) == 0 || !deniedName(hits[0], denied) {
		return hits
	}
	// 退役 and 军人 are denied with 退役军人.
	rest := search.Query{Norm: q.Norm}
	for _, t := range q.Words {
		if !partOfDenied(t.Text, denied) {
			rest.Words = append(rest.Words, t)
		}
	}
	for _, t := range q.Bigrams {
		if !partOfDenied(t.Text, denied) {
			rest.Bigrams = append(rest.Bigrams, t)
		}
	}
	if len(rest.Words) == 0 {
		return hits
	}
	var kept []search.Hit
	for _, h := range as.cfg.Index.SearchQuery(rest, len(hits)).Hits {
		if !deniedName(h, denied) {
			kept = append(kept, h)
		}
	}
	if len(kept) == 0 {
		return hits
	}
	return kept
}

// deniedName reports a hit whose name holds a word the message denies
// (退役军人创业贷款贴息 when the resident is no 退役军人).
func deniedName(h search.Hit, denied map[string]bool) bool {
	for d := range denied {
		if utf8.RuneCountInString(d) >= 2 && strings.Contains(h.Name, d) {
			return true
		}
	}
	return false
}

// partOfDenied reports a word that is a denied word or part of one.
func partOfDenied(w string, denied map[string]bool) bool {
	if denied[w] {
		return true
	}
	for d := range denied {
		if strings.Contains(d, w) {
			return true
		}
	}
	return false
}
