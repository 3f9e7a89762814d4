package assistant

import (
	"regexp"
	"strings"
)

// contentText is the message without its aspect cues ("要带什么",
// "能在网上办吗"), so that what is left says which item it is about.
// A cue inside a longer word the catalogue uses stays: 资格 of
// 资格认证 names the item, not the conditions aspect.
func (as *Assistant) contentText(norm string) string {
	kept := as.catalogueWords(norm)
	out := norm
	// Blanking only adds spaces: a cue whose first rune is neither in
	// norm nor a space cannot occur, so only the others are tried, in
	// the table's order.
	for _, k := range as.aspects.candidates(norm + " ") {
		c := as.aspects.cues[k]
		if !strings.Contains(out, c.phrase) {
			continue
		}
		if len(kept) == 0 {
			out = strings.ReplaceAll(out, c.phrase, " ")
			continue
		}
		out = replaceOutside(out, c.phrase, kept)
	}
	return strings.TrimSpace(out)
}

// catalogueWords are the words of norm that the catalogue holds and that
// are longer than two characters (those a cue could be part of).
func (as *Assistant) catalogueWords(norm string) []string {
	var out []string
	for _, w := range as.a.Segment(norm) {
		if len([]rune(w)) > 2 && as.cfg.Index.DocFreq(w) > 0 {
			out = append(out, w)
		}
	}
	return out
}

// replaceOutside blanks every occurrence of phrase in s that is not part
// of an occurrence of one of the kept words.
func replaceOutside(s, phrase string, kept []string) string {
	inside := make([]bool, len(s))
	for _, w := range kept {
		if len(w) <= len(phrase) || !strings.Contains(w, phrase) {
			continue
		}
		for i := 0; ; {
			j := strings.Index(s[i:], w)
			if j < 0 {
				break
			}
			for k := i + j; k < i+j+len(w); k++ {
				inside[k] = true
			}
			i += j + len(w)
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], phrase) && !inside[i] {
			b.WriteByte(' ')
			i += len(phrase)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// canQuestion is a weak eligibility question: "她能提公积金交房租吗".
var canQuestion = regexp.MustCompile(`(能|可以|可不可以|能不能)[^,.?!;]{0,8}(吗|不)`)

func (as *Assistant) detectAspect(norm string) Aspect {
	hs := as.aspects.match(norm)
	asked := askedMaterial(norm)
	// A cue that is part of the document asked about names the document,
	// not the aspect: "费用明细清单也要吗" asks whether to bring it.
	if len(hs) > 0 && asked != "" && strings.Contains(asked, hs[0].cue) {
		return Materials
	}
	if len(hs) > 0 && !hs[0].weak && hs[0].label != string(Overview) {
		return Aspect(hs[0].label)
	}
	// "要带户口本吗", "租房合同要复印件吗", "清单也要吗": a yes/no question
	// about one document is the materials aspect.
	if asked != "" {
		return Materials
	}
	// "礼拜天办不办", "周六能去吗": a weekday asked about is the hall's
	// hours for that day.
	if (len(hs) == 0 || hs[0].weak) && askedDay.MatchString(norm) {
		return Location
	}
	if len(hs) > 0 && !hs[0].weak {
		return Aspect(hs[0].label)
	}
	if canQuestion.MatchString(norm) {
		return Conditions
	}
	if len(hs) > 0 {
		return Aspect(hs[0].label)
	}
	return ""
}

// Yes/no questions about one thing: "(要|需要)(带|交)?X吗", "X(也)?要吗",
// "X行不行".
var (
	needThing   = regexp.MustCompile(`(?:要不要|需不需要|用不用|需要|要|得|用)(?:交|带|提供|准备|出具|开|拿|提交|附|写|做)?(?:个|一个|一份|份|张)?\s?([\p{Han}a-z]{1,12}?)(?:吗|么|嘛|不)`)
	whetherNeed = regexp.MustCompile(`(?:要不要|需不需要|用不用)(?:交|带|提供|准备|出具|开|拿|提交|附|写)?(?:个|一个|一份|份|张)?\s?([\p{Han}a-z]{1,12})(?:$|[,.?!;\s])`)
	thingNeeded = regexp.MustCompile(`([\p{Han}a-z]{2,12}?)\s?(?:也|还)?(?:要不要|需不需要|需要|要|得)(?:吗|么|不|嘛)`)
	formOf      = regexp.MustCompile(`([\p{Han}]{2,12}?)\s?(?:的)?(?:要|需要|得)?(?:交|带|提供)?(?:复印件|原件)`)
	thingOK     = regexp.MustCompile(`([\p{Han}a-z]{2,12}?)\s?(?:行不行|可以吗|行吗|可不可以|算不算|能用吗)`)
)

// documentEnds are how the names of documents end.
var documentEnds = []string{"证", "证明", "证件", "书", "本", "簿", "照", "照片", "相片", "合同", "协议", "决议", "报告", "清单", "发票", "原件", "复印件", "表", "单", "卡", "材料", "资料", "执照", "户口", "章", "记录", "档案", "文件", "凭证", "收据", "票据", "备案", "说明", "声明", "账户信息", "账号"}

// askedMaterial returns the document a yes/no question asks whether to
// bring, or "".
// materialPatterns are the patterns askedMaterial tries in order, each
// with a test of the words it cannot match without, which spares most
// turns the regular expressions.
var materialPatterns = []struct {
	re  *regexp.Regexp
	may func(string) bool
}{
	{needThing, func(s string) bool {
		return strings.ContainsAny(s, "要得用") && strings.ContainsAny(s, "吗么嘛不")
	}},
	{whetherNeed, func(s string) bool {
		return strings.Contains(s, "要不要") || strings.Contains(s, "需不需要") || strings.Contains(s, "用不用")
	}},
	{thingNeeded, func(s string) bool { return strings.ContainsAny(s, "要得") && strings.ContainsAny(s, "吗么不嘛") }},
	{thingOK, func(s string) bool {
		for _, w := range []string{"行不行", "可以吗", "行吗", "可不可以", "算不算", "能用吗"} {
			if strings.Contains(s, w) {
				return true
			}
		}
		return false
	}},
}

func askedMaterial(norm string) string {
	var thing string
	for _, p := range materialPatterns {
		if !p.may(norm) {
			continue
		}
		ms := p.re.FindAllStringSubmatch(norm, -1)
		// The 么 of 什么 does not end a question: "要不要写个什么说明".
		if len(ms) > 0 && !strings.HasSuffix(ms[len(ms)-1][1], "什") {
			thing = ms[len(ms)-1][1]
			break
		}
	}
	for _, p := range []string{"那个", "这个", "什么", "啥", "交", "带", "提供", "准备", "出具", "开", "拿", "提交", "附", "写", "做"} {
		thing = strings.TrimPrefix(thing, p)
	}
	thing = strings.TrimSuffix(thing, "的")
	// "户口本复印件可以吗": the document, not the form it comes in.
	for _, form := range []string{"复印件", "原件"} {
		if s := strings.TrimSuffix(thing, form); s != thing && len([]rune(s)) >= 2 {
			thing = strings.TrimSuffix(s, "的")
		}
	}
	if thing == "复印件" || thing == "原件" {
		// "租房合同要复印件吗": the document is what comes before.
		if m := formOf.FindStringSubmatch(norm); m != nil {
			thing = m[1]
		}
	}
	if thing == "" {
		return ""
	}
	for _, e := range documentEnds {
		if strings.HasSuffix(thing, e) {
			return thing
		}
	}
	return ""
}
