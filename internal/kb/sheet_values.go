package kb

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The cell values of an item sheet as people type them: lists with or
// without numbering, yes/no, Chinese numerals, time limits, materials,
// FAQ pairs and dates.

// numberings are the list numbers people type before an entry: "1." "2、"
// "（3）" "四、" "④" "- ".
var numberings = []*regexp.Regexp{
	regexp.MustCompile(`^[(（]\s*[0-9一二三四五六七八九十]+\s*[)）]`),
	regexp.MustCompile(`^[0-9]+\s*[.、．)）]`),
	regexp.MustCompile(`^[一二三四五六七八九十]+\s*[、.．]`),
	regexp.MustCompile(`^[①-⑳•·●▪■◆]`),
	regexp.MustCompile(`^[-*]\s`),
}

func stripNumbering(s string) string {
	for _, re := range numberings {
		loc := re.FindStringIndex(s)
		if loc == nil {
			continue
		}
		rest := s[loc[1]:]
		// "1.5寸照片" is a name, not entry 1.
		if r, _ := utf8.DecodeRuneInString(rest); r >= '0' && r <= '9' {
			return s
		}
		return strings.TrimSpace(rest)
	}
	return s
}

// splitList splits a multi-valued cell: by line when it has several lines
// (so an entry may hold "；"), otherwise by "；" or ";". loose also splits
// on "、" "，" "," "/" for lists of short names (aliases, halls, audience).
func splitList(v string, loose bool) []string {
	var parts []string
	switch {
	case strings.Contains(v, "\n"):
		parts = strings.Split(v, "\n")
	default:
		parts = strings.FieldsFunc(v, func(r rune) bool { return r == '；' || r == ';' })
	}
	if loose {
		var out []string
		for _, p := range parts {
			out = append(out, strings.FieldsFunc(p, func(r rune) bool {
				return r == '；' || r == ';' || r == '、' || r == '，' || r == ',' || r == '/' || r == '|' || r == '｜'
			})...)
		}
		parts = out
	}
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(stripNumbering(strings.TrimSpace(p))); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func normAudience(a string) string {
	switch a {
	case "自然人", "个人", "居民", "公民":
		return "个人"
	case "法人", "企业", "企业法人", "单位", "组织", "法人或其他组织", "法人和其他组织", "法人及其他组织", "其他组织":
		return "法人"
	}
	return a
}

func normDepth(d string) string {
	switch strings.ReplaceAll(d, " ", "") {
	case "全程网办", "全流程网办", "全程网上办理", "全程网上办", "网上办理", "零跑动", "不见面审批", "零次跑":
		return "全程网办"
	case "一次到场", "最多跑一次", "跑一次", "一次办结", "到现场一次":
		return "一次到场"
	case "需到现场", "现场办理", "线下办理", "需现场办理", "到现场办理":
		return "需到现场"
	}
	return d
}

var (
	boolTrue  = []string{"是", "是的", "可", "可以", "能", "支持", "有", "提供", "需要", "y", "yes", "true", "1", "√", "✓", "✔", "on"}
	boolFalse = []string{"否", "不", "不可", "不可以", "不能", "不支持", "无", "没有", "不提供", "不需要", "无需", "n", "no", "false", "0", "×", "✗", "✘", "x", "off", "-", "/", "—"}
)

// parseBool reads a yes/no cell. A longer answer counts by how it starts
// ("是（需提前一天）", "不支持上门").
func parseBool(v string) (bool, error) {
	s := strings.ToLower(strings.TrimSpace(narrow(v)))
	for _, t := range boolTrue {
		if s == t {
			return true, nil
		}
	}
	for _, f := range boolFalse {
		if s == f {
			return false, nil
		}
	}
	for _, p := range []string{"否", "不", "无", "暂不", "没有"} {
		if strings.HasPrefix(s, p) {
			return false, nil
		}
	}
	for _, p := range []string{"是", "可", "支持", "提供", "需"} {
		if strings.HasPrefix(s, p) {
			return true, nil
		}
	}
	return false, fmt.Errorf("%q is not 是 or 否", clip(v, 20))
}

// cnNumber reads a small Chinese number (一 … 九十九, 两).
func cnNumber(s string) (int, bool) {
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '壹': 1, '二': 2, '两': 2, '贰': 2, '三': 3, '叁': 3, '四': 4, '肆': 4, '五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7, '八': 8, '捌': 8, '九': 9, '玖': 9}
	r := []rune(s)
	if len(r) == 0 || len(r) > 3 {
		return 0, false
	}
	n, cur, sawTen := 0, -1, false
	for _, c := range r {
		if d, ok := digits[c]; ok {
			if cur >= 0 {
				return 0, false
			}
			cur = d
			continue
		}
		if (c == '十' || c == '拾') && !sawTen {
			sawTen = true
			if cur < 0 {
				cur = 1
			}
			n, cur = cur*10, -1
			continue
		}
		return 0, false
	}
	if cur > 0 {
		n += cur
	}
	return n, true
}

// parseCount reads "1", "1.0", "一", "两".
func parseCount(s string) (int, bool) {
	s = strings.TrimSpace(narrow(s))
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) && f >= -1e6 && f <= 1e6 {
		return int(f), true
	}
	return cnNumber(s)
}

var daysRe = regexp.MustCompile(`^([0-9]+(?:\.0+)?|[零〇一二两三四五六七八九十]+)\s*(?:个)?\s*(工作日|工作天)?$`)

// maxDays bounds a time limit; anything longer is a typo.
const maxDays = 3650

// parseDays reads a time limit in working days. Forms that are not a plain
// count of working days ("即办", "3个月", "20个自然日") give 0 days and the
// text back as a note, so nothing is lost.
func parseDays(v string) (int, string, error) {
	s := strings.TrimSpace(narrow(v))
	switch s {
	case "", "-", "/", "—", "无":
		return 0, "", nil
	case "即办", "即时办结", "即时", "当场办结", "当场", "立即办结", "即来即办", "当场办理", "即办件":
		return 0, "即办", nil
	}
	if m := daysRe.FindStringSubmatch(s); m != nil {
		n, ok := parseCount(m[1])
		if !ok || n > maxDays {
			return 0, "", fmt.Errorf("%q is not a time limit of up to %d working days", clip(v, 20), maxDays)
		}
		return n, "", nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, "", fmt.Errorf("%q is negative", clip(v, 20))
	}
	return 0, s, nil
}

var (
	legalRe    = regexp.MustCompile(`法定(?:办结)?(?:时限)?[:：为]?\s*([0-9零〇一二两三四五六七八九十]+\s*(?:个)?\s*(?:工作日|工作天)?)`)
	promisedRe = regexp.MustCompile(`承诺(?:办结)?(?:时限)?[:：为]?\s*([0-9零〇一二两三四五六七八九十]+\s*(?:个)?\s*(?:工作日|工作天)?|即办)`)
)

// parseTimeLimit reads a combined 办结时限 cell: "法定30个工作日，承诺1个工作日",
// or a single limit taken as the promised one.
func parseTimeLimit(v string) (legal, promised int, note string, err error) {
	s := narrow(v)
	lm, pm := legalRe.FindStringSubmatch(s), promisedRe.FindStringSubmatch(s)
	if lm == nil && pm == nil {
		d, n, err := parseDays(s)
		return 0, d, n, err
	}
	var notes []string
	if lm != nil {
		d, n, err := parseDays(lm[1])
		if err != nil {
			return 0, 0, "", err
		}
		legal = d
		if n != "" {
			notes = append(notes, "法定："+n)
		}
	}
	if pm != nil {
		d, n, err := parseDays(pm[1])
		if err != nil {
			return 0, 0, "", err
		}
		promised = d
		if n != "" {
			notes = append(notes, "承诺："+n)
		}
	}
	return legal, promised, strings.Join(notes, "；"), nil
}

// materialForms are the forms a material comes in; recognised at the end
// of a material cell.
var materialForms = []string{"原件及复印件", "原件和复印件", "原件与复印件", "原件或复印件", "复印件",
	"原件", "电子证照", "电子版", "电子文档", "电子件", "扫描件", "表格", "纸质版", "纸质", "现场采集"}

var copiesRe = regexp.MustCompile(`^各?\s*([0-9]+|[一二两三四五六七八九十])\s*份$`)

// parseFormCopies reads a token like "原件1份", "复印件各2份", "原件", "1份".
func parseFormCopies(tok string) (form string, copies int, ok bool) {
	tok = strings.TrimSpace(tok)
	for _, f := range materialForms {
		if strings.HasPrefix(tok, f) {
			form, tok = f, strings.TrimSpace(tok[len(f):])
			break
		}
	}
	if tok == "" {
		return form, 0, form != ""
	}
	m := copiesRe.FindStringSubmatch(tok)
	if m == nil {
		return "", 0, false
	}
	n, ok := parseCount(m[1])
	return form, n, ok
}

// parseMaterial reads one material in the accepted forms:
//
//	居民身份证
//	居民身份证（原件1份）          form and copies in a trailing bracket
//	居民身份证（原件及复印件各1份）
//	营业执照（副本）（复印件2份，需加盖公章）   other words in the bracket become the note
//	居民身份证 原件 1份            form and copies after a space
//	居民身份证|原件|1|备注          pipe-separated: name|form|copies|note
func parseMaterial(s string) (Material, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "|｜") {
		parts := strings.Split(strings.ReplaceAll(s, "｜", "|"), "|")
		m := Material{Name: strings.TrimSpace(parts[0])}
		if m.Name == "" {
			return Material{}, errors.New("no name before |")
		}
		if len(parts) > 1 {
			m.Form = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			c := strings.TrimSuffix(strings.TrimSpace(parts[2]), "份")
			if c != "" {
				n, ok := parseCount(c)
				if !ok || n < 0 || n > 1000 {
					return Material{}, fmt.Errorf("copies %q is not a number", clip(parts[2], 20))
				}
				m.Copies = n
			}
		}
		if len(parts) > 3 {
			m.Note = strings.TrimSpace(strings.Join(parts[3:], "|"))
		}
		return m, nil
	}
	// Trailing bracket: the last balanced （…） or (…).
	if name, inner, ok := trailingBracket(s); ok && name != "" {
		var form, notes []string
		copies, recognised := 0, false
		for _, tok := range strings.FieldsFunc(inner, func(r rune) bool {
			return r == '，' || r == ',' || r == '；' || r == ';' || r == ' ' || r == '、'
		}) {
			if f, n, ok := parseFormCopies(tok); ok {
				recognised = true
				if f != "" {
					form = append(form, f)
				}
				if n != 0 && copies == 0 {
					copies = n
				}
				continue
			}
			notes = append(notes, tok)
		}
		if recognised {
			return Material{Name: name, Form: strings.Join(form, "及"), Copies: copies, Note: strings.Join(notes, "，")}, nil
		}
	}
	// "名称 原件 1份" or "名称：原件1份".
	if i := strings.LastIndexAny(s, " \t:："); i > 0 {
		head, tail := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i:])
		tail = strings.TrimLeft(tail, ":：")
		if f, n, ok := parseFormCopies(tail); ok {
			m := Material{Name: head, Form: f, Copies: n}
			// "名称 原件 1份": the form may be one more word back.
			if f == "" {
				if j := strings.LastIndexAny(head, " \t:："); j > 0 {
					if f2, n2, ok2 := parseFormCopies(head[j:]); ok2 && n2 == 0 && f2 != "" {
						m.Name, m.Form = strings.TrimSpace(head[:j]), f2
					}
				}
			}
			if strings.TrimSpace(m.Name) != "" {
				return m, nil
			}
		}
	}
	return Material{Name: s}, nil
}

// trailingBracket splits "名称（内容）" into its name and bracket content.
func trailingBracket(s string) (name, inner string, ok bool) {
	if !strings.HasSuffix(s, "）") && !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	r := []rune(s)
	depth := 0
	for i := len(r) - 1; i >= 0; i-- {
		switch r[i] {
		case '）', ')':
			depth++
		case '（', '(':
			depth--
			if depth == 0 {
				return strings.TrimSpace(string(r[:i])), string(r[i+1 : len(r)-1]), true
			}
		}
	}
	return "", "", false
}

var (
	faqQ = regexp.MustCompile(`(?:^|\n)\s*(?:问|Q|q)\s*[:：]`)
	faqA = regexp.MustCompile(`(?:^|\s)(?:答|A|a)\s*[:：]`)
)

// parseFAQ reads "问：…答：…" entries (several in a row), or lines of
// "问题|答案".
func parseFAQ(v string) ([]FAQ, error) {
	var out []FAQ
	if locs := faqQ.FindAllStringIndex(v, -1); locs != nil {
		if pre := strings.TrimSpace(v[:locs[0][0]]); pre != "" {
			return nil, fmt.Errorf("text %q before the first 问：", clip(pre, 20))
		}
		for k, loc := range locs {
			end := len(v)
			if k+1 < len(locs) {
				end = locs[k+1][0]
			}
			entry := v[loc[1]:end]
			a := faqA.FindStringIndex(entry)
			if a == nil {
				return nil, fmt.Errorf("question %d has no 答：", k+1)
			}
			q, ans := strings.TrimSpace(entry[:a[0]]), strings.TrimSpace(entry[a[1]:])
			if q == "" || ans == "" {
				return nil, fmt.Errorf("question %d has an empty question or answer", k+1)
			}
			out = append(out, FAQ{Q: q, A: ans})
		}
		return out, nil
	}
	for k, line := range strings.Split(v, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		i := strings.IndexAny(line, "|｜")
		if i < 0 {
			return nil, fmt.Errorf("line %d is neither 问：…答：… nor 问题|答案", k+1)
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		q, a := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+size:])
		if q == "" || a == "" {
			return nil, fmt.Errorf("line %d has an empty question or answer", k+1)
		}
		out = append(out, FAQ{Q: q, A: a})
	}
	return out, nil
}

var dateRe = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$`)

// parseDate reads a date as staff type it, or Excel's serial day number
// (a date cell read raw), and returns it as YYYY-MM-DD.
func parseDate(v string) (string, error) {
	s := strings.TrimSpace(narrow(v))
	if m := dateRe.FindStringSubmatch(s); m != nil {
		t, err := time.Parse("2006-1-2", m[1]+"-"+m[2]+"-"+m[3])
		if err != nil {
			return "", fmt.Errorf("%q is not a date", clip(v, 20))
		}
		return t.Format(time.DateOnly), nil
	}
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		if t, err := time.Parse("20060102", s); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	// Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
	// Only 1955 … 2118 is taken as a date cell: "2024" alone is a typo, not
	// a day in 1905.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 20000 && f < 80000 {
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
		return t.Format(time.DateOnly), nil
	}
	return "", fmt.Errorf("%q is not a date (write 2024-02-08)", clip(v, 20))
}
