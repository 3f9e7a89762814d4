package web

import (
	"strings"
	"unicode"

	"github.com/fuwu-gov/fuwu/internal/kb"
)

// diffSeg is a run of text on one side of a comparison; Changed marks
// text the other side lacks (deleted on the old side, inserted on the new).
type diffSeg struct {
	Text    string
	Changed bool
}

// fieldDiff is one changed field of an item, both sides marked up.
type fieldDiff struct {
	Label    string
	Old, New []diffSeg
}

func itemDiffs(prev, next kb.Item) []fieldDiff {
	var out []fieldDiff
	for _, c := range kb.Changes(prev, next) {
		o, n := diffText(c.Old, c.New)
		out = append(out, fieldDiff{Label: c.Label, Old: o, New: n})
	}
	return out
}

// maxDiffCells bounds the comparison (a longest-common-subsequence
// table); longer texts are shown as wholly replaced.
const maxDiffCells = 4 << 20

// tokens splits text for comparison: each Chinese character (or other
// symbol) alone, runs of Latin letters and digits whole, so that a changed
// phone number or link reads as one change.
func tokens(s string) []string {
	var out []string
	word := -1
	for i, r := range s {
		alnum := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
		switch {
		case alnum && word < 0:
			word = i
		case alnum:
		default:
			if word >= 0 {
				out = append(out, s[word:i])
				word = -1
			}
			out = append(out, string(r))
		}
	}
	if word >= 0 {
		out = append(out, s[word:])
	}
	return out
}

// diffText compares two texts and returns each side as runs of kept and
// changed text.
func diffText(a, b string) (old, new []diffSeg) {
	ta, tb := tokens(a), tokens(b)
	// The common head and tail cost nothing and are most of a typical edit.
	p := 0
	for p < len(ta) && p < len(tb) && ta[p] == tb[p] {
		p++
	}
	s := 0
	for s < len(ta)-p && s < len(tb)-p && ta[len(ta)-1-s] == tb[len(tb)-1-s] {
		s++
	}
	ma, mb := ta[p:len(ta)-s], tb[p:len(tb)-s]
	var keepA, keepB []bool
	if (len(ma)+1)*(len(mb)+1) <= maxDiffCells {
		keepA, keepB = lcs(ma, mb)
	} else {
		keepA, keepB = make([]bool, len(ma)), make([]bool, len(mb))
	}
	return segments(ta, p, s, keepA), segments(tb, p, s, keepB)
}

// lcs marks the tokens of a and b that belong to a longest common
// subsequence.
func lcs(a, b []string) (keepA, keepB []bool) {
	n, m := len(a), len(b)
	w := m + 1
	t := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i*w+j] = t[(i+1)*w+j+1] + 1
			} else {
				t[i*w+j] = max(t[(i+1)*w+j], t[i*w+j+1])
			}
		}
	}
	keepA, keepB = make([]bool, n), make([]bool, m)
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			keepA[i], keepB[j] = true, true
			i++
			j++
		case t[(i+1)*w+j] >= t[i*w+j+1]:
			i++
		default:
			j++
		}
	}
	return keepA, keepB
}

// segments groups tokens (a head of p and a tail of s kept, the middle
// kept where keep says) into runs.
func segments(toks []string, p, s int, keep []bool) []diffSeg {
	changed := func(i int) bool { return i >= p && i < len(toks)-s && !keep[i-p] }
	var out []diffSeg
	var b strings.Builder
	for i, tok := range toks {
		if i > 0 && changed(i) != changed(i-1) {
			out = append(out, diffSeg{Text: b.String(), Changed: changed(i - 1)})
			b.Reset()
		}
		b.WriteString(tok)
	}
	if len(toks) > 0 {
		out = append(out, diffSeg{Text: b.String(), Changed: changed(len(toks) - 1)})
	}
	return out
}
