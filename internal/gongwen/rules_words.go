package gongwen

import (
	"bufio"
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Number rules, GB/T 15835-2011, where the rule is mechanical.

var (
	// "24年9月": a year is never shortened.
	reShortYear = regexp.MustCompile(`(^|[^\d０-９])(\d{2})年(\d{1,2})月`)
	// "二0二四年", "二○二四年": the Chinese zero is 〇.
	reMixedZero = regexp.MustCompile(`[〇○0OoΟ零一二三四五六七八九]{2,}年`)
	// "3-5天": a range takes 浪纹线.
	reRange = regexp.MustCompile(`(^|[^\d\-])(\d{1,4})(-)(\d{1,4})(\p{Han}|%)`)
	// Any date, for calendar validity.
	reAnyDate = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
)

func (c *checker) checkNumbers(l *logical) {
	s := string(l.runes)
	ri := runeIndexer(s)
	for _, m := range reShortYear.FindAllStringSubmatchIndex(s, -1) {
		i := ri(m[4])
		c.add(l, i, i+2, "number.year.short", Error, "年份不应简写", "20"+s[m[4]:m[5]])
	}
	for _, m := range reMixedZero.FindAllStringIndex(s, -1) {
		w := s[m[0]:m[1]]
		if !strings.ContainsAny(w, "一二三四五六七八九") || !strings.ContainsAny(w, "○0OoΟ零") {
			continue
		}
		fixed := strings.NewReplacer("○", "〇", "0", "〇", "O", "〇", "o", "〇", "Ο", "〇", "零", "〇").Replace(w)
		c.add(l, ri(m[0]), ri(m[1]), "number.zero", Error, "汉字数字中的“零”应写作“〇”", fixed)
	}
	for _, m := range reRange.FindAllStringSubmatchIndex(s, -1) {
		a, b := s[m[4]:m[5]], s[m[8]:m[9]]
		if a[0] == '0' || len(a) > 4 || len(b) > 4 {
			continue // telephone numbers
		}
		i := ri(m[6])
		c.add(l, i, i+1, "number.range", Warning, "表示数值范围应使用浪纹线“～”", "～")
	}
	for _, m := range reAnyDate.FindAllStringSubmatchIndex(s, -1) {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		if !validDate(y, mo, d) {
			c.add(l, ri(m[0]), ri(m[1]), "number.date.invalid", Error,
				fmt.Sprintf("日期不存在：%d年没有%d月%d日", y, mo, d), "")
		}
	}
}

// Wording rules.

//go:embed data/confusables.tsv
var confusablesTSV string

//go:embed data/terms.tsv
var termsTSV string

//go:embed data/context.tsv
var contextTSV string

// contextual is a real word that is a slip in the context its pattern
// matches ("如放生调整" for 如发生调整).
type contextual struct {
	wrong, right string
	re           *regexp.Regexp
}

func parseContext(data string) []contextual {
	var out []contextual
	for _, line := range strings.Split(data, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			panic("gongwen: data/context.tsv: want wrong<TAB>right<TAB>context: " + line) // build-time data
		}
		out = append(out, contextual{f[0], f[1], regexp.MustCompile(f[2])})
	}
	return out
}

// replacement is one entry of a word list: a wrong form and its fix, with
// characters that may not follow or precede a match.
type replacement struct {
	wrong, right       string
	notAfter, notBefor string
}

func parseList(data string) []replacement {
	var out []replacement
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || f[0] == "" {
			continue
		}
		r := replacement{wrong: f[0], right: f[1]}
		for _, x := range f[2:] {
			switch {
			case strings.HasPrefix(x, "!"):
				r.notAfter = x[1:]
			case strings.HasPrefix(x, "^"):
				r.notBefor = x[1:]
			}
		}
		out = append(out, r)
	}
	return out
}

var (
	listsOnce   sync.Once
	confusables []replacement
	terms       []replacement
	contextuals []contextual
)

func wordLists() ([]replacement, []replacement) {
	listsOnce.Do(func() {
		confusables = parseList(confusablesTSV)
		terms = parseList(termsTSV)
		contextuals = parseContext(contextTSV)
	})
	return confusables, terms
}

func (c *checker) matchList(l *logical, list []replacement, rule string, sev Severity, msg string) {
	s := string(l.runes)
	ri := runeIndexer(s)
	for _, r := range list {
		for from := 0; ; {
			k := strings.Index(s[from:], r.wrong)
			if k < 0 {
				break
			}
			k += from
			end := k + len(r.wrong)
			from = end
			if r.notAfter != "" && end < len(s) {
				next := []rune(s[end:])[0]
				if strings.ContainsRune(r.notAfter, next) {
					continue
				}
			}
			if r.notBefor != "" && k > 0 {
				prev := []rune(s[:k])
				if strings.ContainsRune(r.notBefor, prev[len(prev)-1]) {
					continue
				}
			}
			c.add(l, ri(k), ri(end), rule, sev, msg, r.right)
		}
	}
}

// 的/地/得: an adverbial before a verb takes 地 ("认真地落实"); a verb
// before a complement of degree takes 得 ("完成得很好").
var (
	adverbials = []string{"认真", "积极", "努力", "切实", "扎实", "全面", "深入", "有效", "高效", "稳步",
		"不断", "持续", "大力", "充分", "广泛", "主动", "及时", "严格", "科学", "合理", "依法", "规范",
		"统筹", "精准", "准确", "快速", "迅速", "稳妥", "顺利", "坚决", "彻底", "有序", "有力", "密切",
		"逐步", "全力", "热情", "耐心", "细致"}
	deVerbs = []string{"推进", "开展", "落实", "做好", "加强", "实施", "推动", "提升", "提高", "学习",
		"研究", "解决", "处理", "完成", "执行", "贯彻", "抓好", "部署", "保障", "改进", "运用", "整改",
		"组织", "协调", "配合", "参与", "办理", "回应", "应对", "化解", "宣传", "指导", "监督", "检查"}
	// After these, "X的V" is a noun phrase ("取得了积极的推动"), not an adverbial.
	nounPhraseBefore = []string{"了", "实现", "取得", "得到", "促进", "保持", "进行", "有", "作出", "做出", "给予", "予以"}
	// And these after V make it a noun phrase ("积极的推动作用").
	nounAfter = []string{"作用", "工作", "机制", "措施", "力度", "情况", "成效", "态势", "效果", "方式",
		"方法", "体系", "能力", "水平", "意见", "成果", "经验", "模式", "过程", "任务", "要求", "目标"}
	degree = []string{"很", "非常", "十分", "更", "较", "比较", "特别", "相当", "不错", "极"}
)

var reDe = func() *regexp.Regexp {
	return regexp.MustCompile(`(` + strings.Join(adverbials, "|") + `)的(` + strings.Join(deVerbs, "|") + `)`)
}()

var reDeDegree = func() *regexp.Regexp {
	return regexp.MustCompile(`(` + strings.Join(deVerbs, "|") + `)的(` + strings.Join(degree, "|") + `)`)
}()

func hasAnyPrefix(s string, list []string) bool {
	for _, p := range list {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, list []string) bool {
	for _, p := range list {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}

// Function characters that are never doubled in writing, and the idioms
// where they are.
const repeatChars = "的了是在和与及将把被对从向于也都就而为以其之所"

var repeatIdioms = []string{"不了了之", "的的确确", "是是非非", "一了了之"}

func (c *checker) checkWording(l *logical) {
	s := string(l.runes)
	ri := runeIndexer(s)
	for _, m := range reDe.FindAllStringSubmatchIndex(s, -1) {
		if hasAnySuffix(s[:m[0]], nounPhraseBefore) || hasAnyPrefix(s[m[1]:], nounAfter) {
			continue
		}
		i := ri(m[3])
		c.add(l, i, i+1, "wording.de", Warning, "状语与中心语之间用“地”", "地")
	}
	for _, m := range reDeDegree.FindAllStringSubmatchIndex(s, -1) {
		i := ri(m[3])
		c.add(l, i, i+1, "wording.de", Warning, "动词与补语之间用“得”", "得")
	}
	// Repeated characters and words.
	rs := l.runes
	for i := 0; i+1 < len(rs); i++ {
		if rs[i] == rs[i+1] && strings.ContainsRune(repeatChars, rs[i]) {
			idiom := false
			for _, id := range repeatIdioms {
				for k := max(0, i-3); k <= i && !idiom; k++ {
					idiom = strings.HasPrefix(string(rs[k:]), id)
				}
			}
			if !idiom {
				c.add(l, i, i+2, "wording.repeat", Error, "“"+string(rs[i])+"”字重复", string(rs[i]))
				i++
			}
		}
	}
	sp := DefaultSpeller()
	for n := 4; n >= 2; n-- {
		for i := 0; i+2*n <= len(rs); i++ {
			a, b := string(rs[i:i+n]), string(rs[i+n:i+2*n])
			if a != b || !allHan(rs[i:i+n]) || rs[i] == '一' {
				continue
			}
			wi, ok := sp.words[a]
			if !ok || (n == 2 && (wi.verb || strings.Contains(reduplicable, a))) {
				continue // "研究研究" is a verb reduplicated, not a slip
			}
			c.add(l, i, i+2*n, "wording.repeat", Error, "词语“"+a+"”重复", a)
			i += 2*n - 1
		}
	}
	// Messages say what is wrong; the text and the fix are the finding's
	// own fields, shown beside it, so the message does not repeat them.
	conf, tl := wordLists()
	c.matchList(l, conf, "wording.confusable", Error, "错别字")
	c.matchList(l, tl, "wording.term", Warning, "过时或不规范的提法")
	for _, cx := range contextuals {
		for _, m := range cx.re.FindAllStringIndex(s, -1) {
			k := strings.Index(s[m[0]:m[1]], cx.wrong)
			if k < 0 {
				continue
			}
			k += m[0]
			c.add(l, ri(k), ri(k+len(cx.wrong)), "wording.context", Error, "此处语境用词有误（同音或近音的词误用）", cx.right)
		}
	}
	c.checkApprox(l)
}

// An approximation said twice: 约200人左右, 约3万余元.
var (
	approxLead = `(?:大约|约|大概|将近|近)`
	approxNum  = `(?:\d[\d.,，]*|[一二三四五六七八九十百千万两]+)`
	reApproxLR = regexp.MustCompile(approxLead + approxNum + `[^\d，。；：、！？\s]{0,3}?(左右|上下)`)
	reApproxYu = regexp.MustCompile(`(?:大约|约|大概)` + approxNum + `[万千百亿]?(余|多)`)
)

func (c *checker) checkApprox(l *logical) {
	s := string(l.runes)
	ri := runeIndexer(s)
	for _, m := range reApproxLR.FindAllStringSubmatchIndex(s, -1) {
		c.add(l, ri(m[0]), ri(m[1]), "wording.approx", Warning, "“约”与“左右”都表示约数，语义重复，保留其一", s[m[0]:m[2]])
	}
	for _, m := range reApproxYu.FindAllStringSubmatchIndex(s, -1) {
		c.add(l, ri(m[0]), ri(m[1]), "wording.approx", Warning, "“约”与“余”“多”都表示约数，语义重复，保留其一", s[m[0]:m[2]])
	}
}

// reduplicable verbs the dictionary tags as nouns (vn) that still double
// as "try and do": 研究研究.
const reduplicable = "研究 讨论 考虑 商量 学习 休息 了解 认识 分析 总结 检查 调查 锻炼 整理 准备 交流 沟通 比较 介绍 熟悉 体验 尝试 思考 关心 活动 议论 琢磨 打听 收拾 练习 联系 协调"

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !isHan(r) {
			return false
		}
	}
	return true
}

// typoThreshold is stricter than the benchmark's: in a document a false
// alarm costs a reviewer's attention, so only clear corrections are shown.
const typoThreshold = 11.0

// checkTypos runs the speller over body text. Short quoted spans (names of
// systems, projects, titles) are left out: names are where a dictionary
// knows least.
func (c *checker) checkTypos() {
	sp := DefaultSpeller()
	for _, l := range c.logicals {
		if l.role != roleBody && l.role != roleTitle && l.role != roleAttachBody {
			continue
		}
		masked := append([]rune(nil), l.runes...)
		maskQuoted(masked)
		_, edits := sp.correct(string(masked), typoThreshold)
		for _, e := range edits {
			c.add(l, e.Pos, e.Pos+1, "wording.typo", Warning, "疑似错别字（同音或近音字）", string(e.To))
		}
	}
}

// maskQuoted blanks out the inside of “…” and 《…》 spans of up to 20
// characters.
func maskQuoted(rs []rune) {
	for i := 0; i < len(rs); i++ {
		var close rune
		switch rs[i] {
		case '“':
			close = '”'
		case '《':
			close = '》'
		default:
			continue
		}
		for j := i + 1; j < len(rs) && j <= i+21; j++ {
			if rs[j] == close {
				for k := i + 1; k < j; k++ {
					rs[k] = ' '
				}
				i = j
				break
			}
		}
	}
}
