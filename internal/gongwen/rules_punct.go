package gongwen

import (
	"regexp"
	"strings"
	"unicode"
)

// Punctuation rules, GB/T 15834-2011.

var fullWidth = map[rune]string{',': "，", ';': "；", ':': "：", '?': "？", '!': "！", '(': "（", ')': "）", '.': "。"}

func (c *checker) checkPunct(l *logical) {
	rs := l.runes
	hanAt := func(i int) bool { return i >= 0 && i < len(rs) && (isHan(rs[i]) || isCJKPunct(rs[i])) }
	quoteOpen := true
	for i, r := range rs {
		switch r {
		case ',', ';', ':', '?', '!', '(', ')':
			// Half-width marks between Chinese characters; "8:30", "(a)"
			// and English text are left alone.
			if (hanAt(i-1) || hanAt(i+1)) && !(r == ':' && i > 0 && unicode.IsDigit(rs[i-1]) && i+1 < len(rs) && unicode.IsDigit(rs[i+1])) {
				c.add(l, i, i+1, "punct.halfwidth", Error, "中文文本中应使用全角标点", fullWidth[r])
			}
		case '.':
			// A sentence-final half-width point after Chinese; never a
			// decimal point or the "1." of a heading.
			if hanAt(i-1) && isHan(rs[i-1]) && (i+1 == len(rs) || hanAt(i+1) || rs[i+1] == ' ') {
				c.add(l, i, i+1, "punct.halfwidth", Error, "中文文本中应使用全角句号", "。")
			}
		case '"':
			if hanAt(i-1) || hanAt(i+1) {
				s := "“"
				if !quoteOpen {
					s = "”"
				}
				c.add(l, i, i+1, "punct.halfwidth", Error, "中文文本中应使用全角引号", s)
			}
			quoteOpen = !quoteOpen
		}
	}
	c.checkDoubled(l)
	c.checkLists(l)
}

const sentenceMarks = "，。、；：？！"

// checkDoubled flags two marks in a row ("，，", "。，") except the
// emphatic "？！" and "！？".
func (c *checker) checkDoubled(l *logical) {
	rs := l.runes
	for i := 0; i+1 < len(rs); i++ {
		a, b := rs[i], rs[i+1]
		if !strings.ContainsRune(sentenceMarks, a) || !strings.ContainsRune(sentenceMarks, b) {
			continue
		}
		if (a == '？' || a == '！') && (b == '？' || b == '！') && a != b {
			continue
		}
		j := i + 2
		for j < len(rs) && strings.ContainsRune(sentenceMarks, rs[j]) {
			j++
		}
		keep := string(a)
		if strings.ContainsRune(string(rs[i:j]), '。') {
			keep = "。"
		}
		c.add(l, i, j, "punct.double", Error, "标点符号重复使用", keep)
		i = j - 1
	}
}

var (
	// 顿号 before a conjunction: "甲、乙、和丙".
	reCommaConj = regexp.MustCompile(`、(和|及|以及|或|或者|与|并且)`)
	// Approximate numbers take no 顿号: "三、四个" → "三四个".
	reApprox = regexp.MustCompile(`([一二三四五六七八九])、([一二三四五六七八九])(个|种|项|天|年|次|人|名|十|百|千|万|倍|成|岁|家|所|条|米|公里|分钟|小时)`)
	// 省略号 and 等 say the same thing: "……等".
	reEllipsisEtc = regexp.MustCompile(`(……|\.\.\.|…)(等等|等)`)
	// A list counted exactly: "甲、乙、丙等三个".
	reCountedList = regexp.MustCompile(`((?:[^，。；、：“”]{1,12}、)+[^，。；、：“”等]{1,12})(等)([一二三四五六七八九十两]{1,3})(个|项|类|种|方面|部门|单位|家|条|件|所)`)
)

func (c *checker) checkLists(l *logical) {
	s := string(l.runes)
	ri := runeIndexer(s)
	for _, m := range reCommaConj.FindAllStringSubmatchIndex(s, -1) {
		i := ri(m[0])
		c.add(l, i, i+1, "punct.list.comma", Error, "并列词语间已用连词“"+s[m[2]:m[3]]+"”，其前不用顿号", "")
	}
	for _, m := range reApprox.FindAllStringSubmatchIndex(s, -1) {
		a, b := s[m[2]:m[3]], s[m[4]:m[5]]
		if chineseNumber(b) != chineseNumber(a)+1 {
			continue
		}
		i := ri(m[2])
		c.add(l, i, i+3, "punct.list.approx", Error, "相邻两数字连用表示概数，中间不用顿号", a+b)
	}
	for _, m := range reEllipsisEtc.FindAllStringSubmatchIndex(s, -1) {
		c.add(l, ri(m[4]), ri(m[5]), "punct.etc", Error, "省略号与“等”“等等”不同时使用", "")
	}
	for _, m := range reCountedList.FindAllStringSubmatchIndex(s, -1) {
		items := strings.Count(s[m[2]:m[3]], "、") + 1
		n := chineseNumber(s[m[6]:m[7]])
		if s[m[6]:m[7]] == "两" {
			n = 2
		}
		if n == items {
			i := ri(m[4])
			c.add(l, i, i+1, "punct.etc", Info, "列举已完整（与所计数目相同），“等”可删去", "")
		}
	}
}

// Paired marks.
var pairs = map[rune]rune{'“': '”', '‘': '’', '（': '）', '《': '》', '〈': '〉', '【': '】', '〔': '〕', '「': '」', '『': '』'}
var closers = func() map[rune]rune {
	m := map[rune]rune{}
	for o, c := range pairs {
		m[c] = o
	}
	return m
}()

// checkPairs finds unpaired quotation marks and brackets within each
// logical paragraph (a quotation may not run over a paragraph end unless
// the next paragraph opens with the same mark, which is then fine).
func (c *checker) checkPairs() {
	for li, l := range c.logicals {
		type open struct {
			r rune
			i int
		}
		var stack []open
		for i, r := range l.runes {
			// Half-width brackets have their own finding; here they pair
			// like full-width ones so that "(电话）" is not also unpaired.
			switch r {
			case '(':
				r = '（'
			case ')':
				r = '）'
			}
			if _, ok := pairs[r]; ok {
				stack = append(stack, open{r, i})
				continue
			}
			o, ok := closers[r]
			if !ok {
				continue
			}
			k := len(stack) - 1
			for k >= 0 && stack[k].r != o {
				k--
			}
			if k < 0 {
				c.add(l, i, i+1, "punct.unpaired", Error, "“"+string(r)+"”没有与之配对的“"+string(o)+"”", "")
				continue
			}
			for _, u := range stack[k+1:] {
				c.add(l, u.i, u.i+1, "punct.unpaired", Error, "“"+string(u.r)+"”没有与之配对的“"+string(pairs[u.r])+"”", "")
			}
			stack = stack[:k]
		}
		for _, u := range stack {
			// A quotation of several paragraphs: each opens with “ and only
			// the last closes.
			if u.r == '“' && li+1 < len(c.logicals) {
				if next := c.logicals[li+1].runes; len(next) > 0 && strings.HasPrefix(strings.TrimLeft(string(next), " \u3000"), "“") {
					continue
				}
			}
			c.add(l, u.i, u.i+1, "punct.unpaired", Error, "“"+string(u.r)+"”没有与之配对的“"+string(pairs[u.r])+"”", "")
		}
	}
}
