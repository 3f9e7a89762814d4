package assistant

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// contentText is the message without its aspect cues ("要带什么",
// "能在网上办吗"), so that what is left says which item it is about.
// A cue inside a longer word the catalogue uses stays: 资格 of
// 资格认证 names the item, not the conditions aspect.
func (as *Assistant) contentText(norm string) string {
	guarded := as.catalogueWords(norm)
	kept := slices.DeleteFunc(slices.Clone(guarded), func(w string) bool { return utf8.RuneCountInString(w) <= 2 })
	kept = append(kept, attributeSpans(norm)...)
	kept = append(kept, oldAddress.FindAllString(norm, -1)...)
	out := norm
	// Blanking only adds spaces: a cue whose first rune is neither in
	// norm nor a space cannot occur, so only the others are tried, in
	// the table's order.
	for _, k := range as.aspects.candidates(norm + " ") {
		c := as.aspects.cues[k]
		if !strings.Contains(out, c.phrase) {
			continue
		}
		if len(kept) == 0 && !isASCIILetter(rune(c.phrase[0])) && !isASCIILetter(rune(c.phrase[len(c.phrase)-1])) && !cutsAny(out, c.phrase, guarded) {
			out = strings.ReplaceAll(out, c.phrase, " ")
			continue
		}
		out = replaceOutside(out, c.phrase, kept, guarded)
	}
	return strings.TrimSpace(out)
}

// catalogueWords are the words of norm, as cut, of two characters or
// more that the catalogue holds. A cue inside one longer than two
// characters stays (资格 of 资格认证); so does one taking only part of one
// (还能签 of 签注 in 还能签注吗).
func (as *Assistant) catalogueWords(norm string) []string {
	var out []string
	for _, w := range as.a.Segment(norm) {
		if utf8.RuneCountInString(w) >= 2 && as.cfg.Index.DocFreq(w) > 0 {
			out = append(out, w)
		}
	}
	return out
}

// cutsAny reports an occurrence of phrase in s taking part, not all, of
// an occurrence of one of words.
func cutsAny(s, phrase string, words []string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], phrase)
		if j < 0 {
			return false
		}
		if cutsWordAt(s, i+j, len(phrase), words) {
			return true
		}
		i += j + len(phrase)
	}
}

// cutsWordAt reports the span [at, at+n) of s overlapping an occurrence of
// one of words without holding it whole.
func cutsWordAt(s string, at, n int, words []string) bool {
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(s[i:], w)
			if j < 0 {
				break
			}
			ws, we := i+j, i+j+len(w)
			if ws < at+n && at < we && (ws < at || we > at+n) {
				return true
			}
			i = ws + len(w)
		}
	}
	return false
}

// replaceOutside blanks every occurrence of phrase in s that is not part
// of an occurrence of one of the kept words, nor of a longer Latin word,
// nor takes part of one of the guarded words (catalogueWords).
func replaceOutside(s, phrase string, kept, guarded []string) string {
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
		if strings.HasPrefix(s[i:], phrase) && !inside[i] && wordEdges(s, i, len(phrase)) && !cutsWordAt(s, i, len(phrase), guarded) {
			b.WriteByte(' ')
			i += len(phrase)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// canQuestion is a weak eligibility question: "她能提公积金交房租吗"; one
// said at length in one clause (能用外公这套房子申请学位吗), with a
// potential verb (补得了吗), as 行不行 or as 会不会…不 is one too. Each
// form is tried only on a message holding its marker.
var (
	canQuestion  = regexp.MustCompile(`(能|可以|可不可以|能不能)[^,.?!;]{0,8}(吗|不)`)
	canAtLength  = regexp.MustCompile(`(能|可以)[^ ,.?!;]{9,14}吗`)
	canPotential = regexp.MustCompile(`[\p{Han}]得了(吗|不)`)
	wouldNot     = regexp.MustCompile(`会不会[^ ,.?!;]{0,8}(不|没)[\p{Han}]`)
	// "单身也行吗", "算无房吗", "年限够不", "够得上吗", "行得通吗": whether
	// the resident's case is enough, asked without 能 or 可以.
	enoughQuestion = regexp.MustCompile(`(?:也|都)(?:行|可以|成)(?:吗|不|吧|嘛)|算[^ ,.?!;]{1,6}吗|够(?:不|吗)|够得上|够格|行得通|行不通`)
)

// asksCan reports a weak eligibility question in one of canQuestion's forms.
func asksCan(norm string) bool {
	return canQuestion.MatchString(norm) ||
		strings.Contains(norm, "吗") && canAtLength.MatchString(norm) ||
		strings.Contains(norm, "得了") && canPotential.MatchString(norm) ||
		strings.Contains(norm, "行不行") ||
		enoughQuestion.MatchString(norm) ||
		strings.Contains(norm, "会不会") && wouldNot.MatchString(norm)
}

func (as *Assistant) detectAspect(norm string) Aspect {
	all := as.clauseAspect(norm)
	// A spoken message puts its question last: the aspect the last clause
	// asks on its own beats a question form before it, and a cue said in
	// the story ("听说有免费体检 他也能做吗" asks whether he qualifies, not
	// the fee) — not a cue the resident asked about in a clause of its own
	// ("手机上能申请吗 电子卡算不算", "online 可以吗").
	cs := clauses(norm)
	if len(cs) < 2 {
		return all
	}
	last := as.clauseAspect(cs[len(cs)-1])
	if last == "" || last == all {
		return all
	}
	if hs := askedHits(norm, as.aspects); len(hs) > 0 && !hs[0].weak && !saidInStory(norm, hs[0]) {
		return all
	}
	return last
}

// saidInStory reports a cue in a clause that asks nothing and says more
// than the cue: "听说领证前有免费体检".
func saidInStory(norm string, h labelHit) bool {
	start := strings.LastIndexAny(norm[:h.pos], " ,.?!;") + 1
	end := len(norm)
	if i := strings.IndexAny(norm[h.pos:], " ,.?!;"); i >= 0 {
		end = h.pos + i
	}
	clause := norm[start:end]
	if isQuestion(clause) {
		return false
	}
	return utf8.RuneCountInString(clause)-utf8.RuneCountInString(h.cue) >= 2
}

func (as *Assistant) clauseAspect(norm string) Aspect {
	hs := whereOnline(norm, askedHits(norm, as.aspects))
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
	if (len(hs) == 0 || hs[0].weak) && asksDay(norm) {
		return Location
	}
	// "使唔使亲身返去", "要跑税务局一趟吗", "使唔使去窗口": whether one must
	// go in person asks whether it can be done on line.
	if (len(hs) == 0 || hs[0].weak) && hasAny(norm, inPersonWords) && inPerson.MatchString(norm) {
		return Online
	}
	// "刻公章要去公安局吗", "要回医院补吗", "系咪去街道递申请": whether to
	// go to one office or another asks where, unless it asks whether to
	// go in person at all (亲身, 跑一趟: the online channel's cues), or
	// whether one may go (能去福田登记吗: the conditions).
	if (len(hs) == 0 || hs[0].weak) && hasAny(norm, officeEnds) && goesToOffice.MatchString(norm) && !asksCan(norm) {
		return Location
	}
	if len(hs) > 0 && !hs[0].weak {
		return Aspect(hs[0].label)
	}
	if asksCan(norm) {
		return Conditions
	}
	if len(hs) > 0 {
		return Aspect(hs[0].label)
	}
	return ""
}

// inPerson asks whether one must go in person: 亲身返去, 跑…一趟, 去窗口.
// inPersonWords are the words it cannot match without, and officeEnds
// goesToOffice's offices: a message holding none is spared the expression.
var (
	inPerson      = regexp.MustCompile(`(?:亲身|亲自)[^ ,.?!;]{0,3}(?:去|回|返|到|过去|跑)|跑[^ ,.?!;]{0,6}一趟|(?:去|到|跑)(?:窗口|柜台|现场)`)
	inPersonWords = []string{"亲身", "亲自", "一趟", "窗口", "柜台", "现场"}
	officeEnds    = []string{"局", "派出所", "医院", "街道", "大厅", "服务中心", "工作站", "福田"}
)

// goesToOffice asks whether to go to an office named (去公安局吗, 回福田补
// 吗, 去街道嗰度递申请).
var goesToOffice = regexp.MustCompile(`(?:去|回|到)[^ ,.?!;去回到]{0,8}?(?:` + strings.Join(officeEnds, "|") + `)[^ ,.?!;]{0,6}(?:吗|嘛|呢|不|定系|还是)`)

// whereOnline puts first an online cue said in the clause that asks where
// ("护理补贴在网上哪里申请", "个税app哪里填"): where on line, the online
// channel, not the hall's address. A negated one (网上办不了 去哪办) is
// the hall.
func whereOnline(norm string, hs []labelHit) []labelHit {
	if len(hs) < 2 || hs[0].label != string(Location) {
		return hs
	}
	for i, h := range hs[1:] {
		if h.label != string(Online) || h.weak {
			continue
		}
		from, to := min(h.pos, hs[0].pos), max(h.pos, hs[0].pos)
		if strings.ContainsAny(norm[from:to], " ,.?!;") || strings.Contains(norm[h.pos:], h.cue+"不") || strings.Contains(norm[h.pos:], h.cue+"办不") || hasAnySuffix(norm[:h.pos], []string{"不", "没", "唔", "冇", "不能", "不可以"}) {
			continue
		}
		out := append([]labelHit{h}, hs[:i+1]...)
		return append(out, hs[i+2:]...)
	}
	return hs
}

// asksDay reports a weekday asked about: said in a clause that asks, or
// one the clause after it asks of (礼拜天 办不办), or with the hall's
// hours (周六上班). A weekday in the story (星期二晚上生的) is none. A
// time of day asked of the hall's work (asksHour) counts as one.
func asksDay(norm string) bool {
	if asksHour(norm) {
		return true
	}
	asks := func(c string) bool { return isQuestion(c) || aNotA(c) }
	cs := clauses(norm)
	for i, c := range cs {
		if !askedDay.MatchString(c) {
			continue
		}
		if asks(c) || hasAny(c, hoursWords) || i+1 < len(cs) && asks(cs[i+1]) {
			return true
		}
	}
	return false
}

// asksHour reports a time of day asked of the hall's work (中午十二点到两
// 点是不是不办业务, 下午五点以后还受理吗): its hours too. One in a story
// (晚上睡不着) says no work of the hall.
func asksHour(norm string) bool {
	if !hasAny(norm, hallWork) {
		return false // most messages: spared the expression
	}
	for _, c := range clauses(norm) {
		if askedHour.MatchString(c) && (isQuestion(c) || aNotA(c)) && hasAny(c, hallWork) {
			return true
		}
	}
	return false
}

// askedHour is a time of day; hallWork the hall's work asked about at it.
var (
	askedHour = regexp.MustCompile(`中午|午饭|早上|上午|下午|晚上|傍晚|[0-9一二两三四五六七八九十]{1,3}点`)
	hallWork  = append([]string{"办业务", "办事", "办不办", "能办", "可以办", "还办", "受理", "有人", "开门", "窗口"}, hoursWords...)
)

// aNotA reports a question asked as "A not A" (办不办, 开不开, 上班不上班)
// or ending in 不 (能去不).
func aNotA(c string) bool {
	rs := []rune(c)
	for i := 1; i+1 < len(rs); i++ {
		if rs[i] == '不' && rs[i-1] == rs[i+1] {
			return true
		}
	}
	return len(rs) > 1 && rs[len(rs)-1] == '不'
}

// hoursWords say a hall's hours.
var hoursWords = []string{"上班", "开门", "营业", "办公", "休息", "放假", "值班"}

// Question forms that the cue table cannot list word by word, because
// the verb is the item's own: "怎么注销", "点样迁出", "那笔钱怎么领" ask
// for the steps (weak, like 怎么申请); "要回老家办吗", "得回去一趟吗" ask
// whether the resident must go in person somewhere else — the online
// aspect, like 跑一趟.
var (
	howVerb = regexp.MustCompile(`(?:怎么|怎样|如何|咋)(?:样才能|才能|才可以|去|来|给)?([\p{Han}]{1,2})`)
	// "要提供啥房子的证明", "医院要开什么证明": which papers, the
	// materials, though 证明 alone is too often an item's own name to be
	// a cue.
	whichPaper = regexp.MustCompile(`(?:什么|啥|哪些|哪种|哪几种|哪几样|哪样|咩|乜嘢|乜)(?:样的|类的)?\s?(?:[\p{Han}]{1,4}的)?(?:` + strings.Join(paperNouns, "|") + `)`)
	// "要拿些啥去", "手头得备好些什么", "要医院开些什么单", "报名得备齐
	// 哪几样": a verb of handing in or bringing with what asked after
	// it is the materials, whatever the verb's ending.
	provideWhat = regexp.MustCompile(`(?:拿|带|备|准备|预备|递|交|提供|填|开|上传|出具)(?:上|好|齐|全|出)?(?:些|点)?(?:什么|啥|哪些|哪几样|哪几份|哪几种|哪样)`)
	// "什么时候可以申请", "燃油补贴每年几时发", "得花几周", "要公示几多日",
	// "轮到他大概得等几年": when a thing is done, or how long the wait,
	// asked with the item's own verb — the time limit.
	whenDone  = regexp.MustCompile(`(?:什么时候|什么时间|啥时候|几时|哪天)(?:可以|能|开始|才能|才可以|就能|会)?(?:申请|报名|报|发|拿|领|到|办|交|批|拎|下来|打)`)
	howLongTo = regexp.MustCompile(`(?:等|花|用|公示|审核|审批)(?:上|个)?(?:几|多少|几多)(?:个)?(?:周|礼拜|星期|日|天|月|年|工作日)`)
	// "用不用先网上挂个号", "要不要约了时间", "拿个号先": a time or a
	// number booked, whatever the verb's ending, is the appointment —
	// and outweighs the 网上 it is booked on.
	bookSlot = regexp.MustCompile(`(?:挂|约|排|抢|订|取|拿)(?:个|一个|好|了|定|上)?(?:号|时间|时段)`)
	// bookAhead is arranging the visit in advance (事前约个钟, 事先讲定,
	// 预先电联, 先打电话约): the appointment, though no word of booking is
	// said.
	bookAhead = regexp.MustCompile(`(?:事前|事先|预先|提前|一早|早点)(?:打个?电话|打声?招呼)?(?:约|讲定|讲好|说好|说定|定好|订好|电联|打个?电话|打声?招呼|预订|留位)|先打个?电话(?:约|预约|订)`)
	// whereToDo asks where a thing is done with the place word cut short
	// (在福田哪办, 喺边度递, 向哪提交): the location.
	whereToDo = regexp.MustCompile(`(?:在|去|到|喺|向)(?:福田)?(?:哪|边)(?:儿|里|边|度|个地方)?(?:办|弄|交|递|报名|报|领|申请|搞|提出|提交)`)
	// "封够几个月才让取", "超过几多日就": how long a thing must have
	// lasted before it is allowed, the conditions. Not 过几天就 (过几天就能
	// 拿到吗), which asks when.
	lastedFor = regexp.MustCompile(`(?:够|满|超过)(?:几|多少|多久|几多)[^ ,.?!;]{0,4}(?:才|就)`)
	// "是我自己去申请还是公司帮弄", "系公司报定系我自己报": who applies, the
	// resident or the employer, the school or the hospital, is the steps.
	whoApplies = regexp.MustCompile(`(?:(?:自己|我们|我|本人|个人)[^,.?!;]{0,8}(?:还是|定系|定是)[^,.?!;]{0,6}(?:公司|单位|医院|学校|老板|厂里|雇主))|(?:(?:公司|单位|医院|学校|老板|厂里|雇主)[^,.?!;]{0,8}(?:还是|定系|定是)[^,.?!;]{0,6}(?:自己|我们|我|本人|个人))|(?:\bme or (?:to )?(?:the |my |our )?(?:公司|单位|company|employer))`)
	goBackFor  = regexp.MustCompile(`回(?:去|来|到)?(?:老家|原籍|户籍地|户口所在地|当地|那边|参保地|外地|[\p{Han}]{2}那边)?(?:一趟|一次)?(?:才能|才可以|去|再)?(?:办|弄|申请|交|领|跑|转|吗|嘛|不)`)
)

// handedBack reports a verb right before 回 that makes it "back" to an
// office (旧证要交回去吗, 寄回来): a thing returned, not the resident going
// back somewhere to apply.
func handedBack(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune("交退收寄送还", r)
}

// notPaperAfter reports that what follows provideWhat's question word asks
// something other than a paper: 开什么店 is the business, 带什么时候 the time.
func notPaperAfter(rest string) bool {
	for _, w := range []string{"时候", "时间", "地方", "部门", "窗口", "大厅", "店", "公司", "生意", "手续", "人", "钱", "费", "税", "社保", "保险", "险"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// paperNouns are the nouns whichPaper ends with: a message with none is
// spared the expression.
var paperNouns = []string{"证明", "文件", "凭证", "收据"}

// mayAskPaper reports a message holding one of paperNouns.
func mayAskPaper(norm string) bool {
	_, ok := firstOf(norm, paperNouns)
	return ok
}

// howNotProcess are what follows 怎么 when it asks something other than
// the steps: "怎么样", "怎么回事", "怎么收费" (the fee cue says that).
var howNotProcess = []string{"样", "回", "说", "看", "想", "算", "收", "这么", "那么", "会", "还", "没", "不", "都", "也", "了", "联", "走", "去", "来", "预", "约"}

// askedHits adds the question forms to the cue table's hits and drops
// the cues that are said rather than asked: a cue after 已经 or before
// 了 with no question after it ("准迁证已经拿到了") is part of the story.
// An overview cue earlier than another aspect's question ("认定了有什么用
// 我也不太懂 怎么认定") is the story too: the later question is what is
// asked.
func askedHits(norm string, t *cueTable) []labelHit {
	hs := t.match(norm)
	if locs := howVerb.FindAllStringSubmatchIndex(norm, -1); len(locs) > 0 {
		l := locs[len(locs)-1]
		verb := norm[l[2]:l[3]]
		skip := false
		for _, p := range howNotProcess {
			if strings.HasPrefix(verb, p) {
				skip = true
			}
		}
		// "怎么办" is what to do, not the steps of something — unless a
		// wish said before it names what is to be done ("想拿那笔钱提前还
		// 贷款 怎么办"): then it asks how to do that.
		if strings.HasPrefix(verb, "办") && verb != "办理" && verb != "办证" && !wishBefore(norm[:l[0]]) {
			skip = true
		}
		if !skip && !hasLabel(hs, string(Process)) {
			// "怎样才能领到": what it takes to get it, the steps however a
			// cue inside it (领到) reads alone.
			what := strings.Contains(norm[l[0]:l[1]], "才")
			h := formHit(Process, norm, l)
			h.weak = !what
			hs = append(hs, h)
		}
	}
	if mayAskPaper(norm) && !hasLabel(hs, string(Materials)) {
		if l := whichPaper.FindStringIndex(norm); l != nil {
			hs = append(hs, formHit(Materials, norm, l))
		}
	}
	if !hasLabel(hs, string(Materials)) {
		if l := provideWhat.FindStringIndex(norm); l != nil && !notPaperAfter(norm[l[1]:]) {
			hs = append(hs, formHit(Materials, norm, l))
		}
	}
	for _, f := range askForms {
		if hasLabel(hs, string(f.aspect)) || f.needs != nil && !hasAny(norm, f.needs) {
			continue
		}
		if l := f.re.FindStringIndex(norm); l != nil {
			h := formHit(f.aspect, norm, l)
			h.weak = f.weak
			hs = append(hs, h)
		}
	}
	if l := goBackFor.FindStringIndex(norm); l != nil && !hasLabel(hs, string(Online)) && !handedBack(norm[:l[0]]) {
		hs = append(hs, formHit(Online, norm, l))
	}
	out := hs[:0:0]
	for _, h := range hs {
		if !saidNotAsked(norm, h) {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].better(out[j], t) })
	// Another aspect's question later than an overview cue is what is
	// asked.
	if len(out) > 1 && out[0].label == string(Overview) {
		for i, h := range out[1:] {
			if h.pos > out[0].pos {
				h.weak = false
				out = append([]labelHit{h}, append(out[:i+1:i+1], out[i+2:]...)...)
				break
			}
		}
	}
	return out
}

// askForms are question forms askedHits tries in order, each adding its
// aspect when no cue or earlier form has; a form with needs is tried only
// on a message holding one of them, which spares most turns the
// expression.
var askForms = []struct {
	aspect Aspect
	re     *regexp.Regexp
	needs  []string
	weak   bool
}{
	{TimeLimit, whenDone, nil, false},
	{TimeLimit, howLongTo, nil, false},
	{Conditions, lastedFor, []string{"才", "就"}, false},
	{Process, whoApplies, []string{"还是", "定系", "定是", "me or"}, false},
	{Appointment, bookSlot, []string{"号", "时间", "时段"}, false},
	{Location, whereToDo, []string{"哪", "边"}, false},
	{Appointment, bookAhead, []string{"事前", "事先", "预先", "提前", "一早", "早点", "先"}, false},
	{Materials, photoAsked, []string{"照", "相", "合影"}, false},
	{Online, fromAfar, []string{"回", "返", "人在", "手机", "上网"}, false},
	// English asks with a question word and a verb the item owns as
	// Chinese does with 怎么 and 能…吗: how one does it is the steps and
	// whether one may the conditions, both weak like theirs; how many days
	// the time, which hall or bank the place, what one brings the papers,
	// paying anything the fee, on one's phone the online channel. The
	// English table has rewritten the words it knows (hospital → 医院) by
	// then.
	{Process, enHow, []string{"how ", "walk"}, true},
	{TimeLimit, enHowMany, []string{"how ", "same day", "when", "date", "cut", "within", "time", "period"}, false},
	{Location, enWhich, []string{"which "}, false},
	{Materials, enBring, []string{"what ", "have to ", "need to ", "got to ", "which ", "is ", "are ", "they ", "how many"}, false},
	{Fee, enPay, []string{"pay", "charge"}, false},
	{Online, enRemote, []string{" on ", "internet", "网上", "web", "网站", "网页", "app", "phone", "mobile", "computer", "laptop", "without", "rather than", "instead of", "physically", "personally"}, false},
	// Whether one can still is the conditions, whatever else the
	// question names (can we still get the free …): tried before the
	// weak forms of the conditions.
	{Conditions, enStill, []string{"still"}, false},
	{Conditions, enMay, []string{"allowed", "able to", "count", "limit", "can ", "could "}, true},
	// Which law or whom to ring are the legal basis and the contact
	// however English puts them; doing it at home is the online channel
	// only when nothing else is asked; the wider weak forms of the
	// conditions (is that too early, does it matter) come last.
	{LegalBasis, enLaw, []string{"law", "regulation", "statute", "legislation", "legal", "based on"}, false},
	{Contact, enCall, []string{"phone", "hotline", "helpline", "contact", "call", "ring"}, false},
	{Online, enAtHome, []string{"home"}, true},
	{Conditions, enMatters, []string{"is ", "was ", "does ", "would ", "are ", "can ", "could ", "long enough"}, true},
}

var (
	// fromAfar asks whether it can be done without coming back (他人不回深圳能
	// 做吗, 人在国外怎么认证) or by phone or the web with the item's own verb
	// (手机报名, 上网去报): the online channel.
	fromAfar = regexp.MustCompile(`(?:不回|不用回|唔返|不返|回不去|回不来)(?:深圳|福田|来|去)?(?:也)?(?:能|可以)(?:办|做|弄|申请|认证|交|报)|人在(?:国外|外国|海外|外地|老家)[^ ,.?!;]{0,6}(?:怎么|能|可以)(?:做|办|弄|认证|申请)|手机(?:上)?(?:报名|申请|提交|填报|操作|办理|认证)|上网(?:去)?(?:报名|报|申请|办|填|交)`)

	// photoAsked is a question about the photo to hand in (照片要交几张, 张相要
	// 几寸, 合照要什么样的, 要不要带相片): its size, number, look or whether to
	// bring or prepare one is the materials, however the item's cues read.
	photoAsked = regexp.MustCompile(`(?:照片|相片|合照|合影|证件照|寸照|相)\s?(?:是)?(?:要|得|需要)?(?:交|带|拍|影|照|准备|备|提供)?(?:几张|几寸|多少寸|多少张|多大|什么样|啥样|什么颜色|啥颜色|什么底色|啥底色|底色|自己拍|现场拍|自己影|去照相馆|自己带)|(?:要不要|用不用|需不需要|要|得)(?:自己)?(?:交|带|拍)(?:照片|相片|合照|相)(?:吗|不|$| )`)

	// The English question forms of askForms.
	enHow     = regexp.MustCompile(`\bhow (?:do|does|did|can|could|should|would|will) (?:i|we|you|he|she|they|it|one|my|our|his|her|the)\b|\bwalk (?:me|us) through\b|\bhow (?:does|do|would|will) (?:that|this|it) work\b`)
	enHowMany = regexp.MustCompile(`\bhow many (?:working |business |calendar )?(?:days|weeks|months|years)\b|\bhow soon\b|\b(?:on )?the same day\b|\bwhen (?:will|would|can|could|do|does) (?:i|we|it|they|he|she|the \w+|my \w+|our \w+) (?:get|receive|be issued|be ready|be approved|arrive|come through)\b|\bwhen (?:does|do|will|would|is|are|can|could) (?:\S+ ){1,5}?(?:get |be )?(?:paid|land|arrive|ready|issued|approved|processed|done|finished|credited|transferred)\b|\bhow (?:quickly|fast)\b|\b(?:last|latest|final) (?:date|day)\b|\bby what (?:date|day|time)\b|\bcut-?off\b|\bwithin (?:a|one|two|three|five|ten|\d+) (?:working )?(?:day|days|week|weeks|month|months)\b|\b(?:approval|processing|waiting|turnaround) (?:time|period)\b`)
	enWhich   = regexp.MustCompile(`\bwhich (?:\S+ )?(?:(?:hall|halls|office|offices|bank|banks|branch|branches|hospital|hospitals|window|counter|centre|center|building|station)\b|医院)|\bdo (?:i|we|you|they|he|she) (?:go|head) to (?:a|an|the|which)\b`)
	enBring   = regexp.MustCompile(`\bwhat (?:do|does|should|must|shall|will) (?:i|we|he|she|they|you|my \w+|our \w+) (?:need to |have to |got to )?(?:bring|prepare|submit|provide|hand in|take)\b|\b(?:do|does|should|must) (?:i|we|he|she|they|you|my \w+|our \w+) (?:both |all )?(?:need to|have to|got to) (?:bring|prepare|submit|provide|hand in|show)\b|\bwhat goes into\b|\bwhat (?:\S+ ){0,5}?(?:do|does|should|must|shall|will|would) (?:i|we|he|she|they|you) (?:need to |have to |got to )?(?:bring|prepare|submit|provide|send|upload|show|present|hand in)\b|\bhow many (?:photos|pictures|copies)\b|\b(?:what|which) (?:材料|证书|证明|证件|表格)|\b(?:is|are) (?:it|they|that|this|these|those|both) (?:needed|required|necessary)\b|\b(?:will|do|would) they (?:want|need|ask for)\b`)
	enPay     = regexp.MustCompile(`\b(?:have to|need to|must|do \w+|does \w+) pay\b|\bpay (?:anything|any|for)\b|\bany (?:charge|fee|cost)\b|\bcharge (?:for|anything)\b|\bpay out\b`)
	enRemote  = regexp.MustCompile(`\bon (?:my|the|his|her|our|a) (?:phone|mobile|smartphone|app|website|web)\b|\b(?:over|through|via|from|in|inside|using|by) (?:the |my |our |a |her |his |their )?(?:internet|网上|web|website|网站|网页|app|phone|mobile|smartphone|computer|laptop)\b|\bwithout (?:ever )?(?:visiting|going|coming|queu(?:e)?ing|leaving (?:home|the house)|stepping|showing up|turning up|travell?ing)\b|\b(?:rather than|instead of) (?:queu(?:e)?ing|going|visiting|coming)\b|\b(?:have to|need to|must) (?:physically|personally) (?:show up|go|come|attend|turn up)\b`)
	enMay     = regexp.MustCompile(`\b(?:am i|are we|are they|is (?:he|she|it|my \w+|our \w+)) (?:allowed|able|entitled)\b|\b(?:can|could) (?:i|we|he|she|they|both of \w+|my \w+|our \w+) (?:still )?(?:get|apply|qualify|be|register|claim|move|use)\b|\bdoes (?:that|this|it) count\b|\bis there an? (?:\w+ )?limit\b`)
	enLaw     = regexp.MustCompile(`\b(?:which|what) (?:\S+ )?(?:law|laws|regulation|regulations|statute|statutes|legislation)\b|\blegal basis\b|\bbased on (?:which|what)\b`)
	enCall    = regexp.MustCompile(`\b(?:phone|telephone|contact|hotline|helpline) (?:line|lines|number|numbers)\b|\b(?:any|a|the|their|its) (?:hotline|helpline)\b|\bwho (?:do|can|should) (?:i|we|you|he|she|they) (?:call|ring|phone|contact)\b|\b(?:number|line) (?:to|i can|we can|she can|he can|they can) (?:call|ring)\b`)
	enAtHome  = regexp.MustCompile(`\b(?:at|from) home\b`)
	enMatters = regexp.MustCompile(`\b(?:is|was) (?:that|this|it) (?:allowed|ok|okay|acceptable|too early|too late|a problem)\b|\bdoes (?:it|that|this) matter\b|\bwould (?:i|we|he|she|they|my \w+|our \w+) (?:still )?(?:count|qualify|be eligible|be entitled)\b|\bare (?:we|they|you) still (?:allowed|eligible|entitled|able)\b|\b(?:can|could) (?:i|we|he|she|they|my \S+|our \S+|that \S+|the \S+) (?:still )?(?:\p{Han}|join|adopt|bind|add|give)|\blong enough\b`)
	enStill   = regexp.MustCompile(`\b(?:can|could) (?:i|we|he|she|they|both of us|the two of us|my \S+|our \S+|that \S+|the \S+) still\b`)
)

// formHit is the hit of a question form matched at loc in norm: its
// length counts the match's characters, as a cue's does.
func formHit(a Aspect, norm string, loc []int) labelHit {
	cue := norm[loc[0]:loc[1]]
	return labelHit{label: string(a), length: utf8.RuneCountInString(cue), cue: cue, pos: loc[0]}
}

// wishBefore reports a wish (想, 打算, 准备) with at least two characters
// of what is wished after it in text.
func wishBefore(text string) bool {
	for _, w := range []string{"想", "打算", "准备"} {
		if i := strings.LastIndex(text, w); i >= 0 && utf8.RuneCountInString(strings.TrimSpace(text[i+len(w):])) >= 2 {
			return true
		}
	}
	return false
}

// aspectOfVerb reports whether the aspect of norm is the steps asked by
// how + the item's own verb ("怎么注销") and no cue: the verb is part of
// what names the item, so such a question is no lighter than one with no
// aspect (a follow-up "养老金怎么领" still names its item). aspect is
// detectAspect(norm), which the turn has already worked out.
func (as *Assistant) aspectOfVerb(norm string, aspect Aspect) bool {
	if aspect != Process {
		return false
	}
	return !hasLabel(as.aspects.match(norm), string(Process))
}

func hasLabel(hs []labelHit, label string) bool {
	for _, h := range hs {
		if h.label == label {
			return true
		}
	}
	return false
}

// saidNotAsked reports whether the cue of h is part of a statement: after
// 已经/已 ("已经拿到了"), or followed by 了 with no question after it in
// its clause.
func saidNotAsked(norm string, h labelHit) bool {
	if attributive(norm, h.pos, h.cue) {
		return true
	}
	before := norm[:h.pos]
	if strings.HasSuffix(before, "已经") || strings.HasSuffix(before, "已") || strings.HasSuffix(before, "早就") {
		return true
	}
	rest := norm[h.pos+len(h.cue):]
	if !strings.HasPrefix(rest, "了") {
		return false
	}
	clause := rest
	if i := strings.IndexAny(rest, " ,.?!;"); i >= 0 {
		clause = rest[:i]
	}
	// 是不是, 会不会, 要不要 before it in its clause or in the cue ask it
	// (是不是就不给弄了, 要不要约了时间先去).
	start := strings.LastIndexAny(before, " ,.?!;") + 1
	// So does a question word before it in its clause (拖到什么时候就不给弄了,
	// 超过几个月就不给报了).
	if hasAny(before[start:]+h.cue, []string{"是不是", "会不会", "是否", "要不要", "用不用", "需不需要", "得不得", "什么", "几", "多久", "多少", "哪"}) {
		return false
	}
	return !strings.ContainsAny(clause, "吗呢么没") && !strings.Contains(clause, "多久") && !strings.Contains(clause, "什么")
}

// attributeCues are cues that can describe a thing instead of asking
// about it: "坐地铁免费那个卡", "那个免费体检" name the service by what it
// gives, and ask nothing about a fee.
var attributeCues = []string{"免费"}

// demonstratives before or after an attribute mark it as describing the
// thing named next to it.
var demonstratives = []string{"那个", "这个", "那种", "这种", "嗰个", "嗰种"}

// attributive reports whether the cue at pos in norm describes a thing:
// followed by a demonstrative (免费那个卡), by 的 and a noun (免费的体检),
// or after a demonstrative and before a noun (那个免费体检).
func attributive(norm string, pos int, cue string) bool {
	if !slices.Contains(attributeCues, cue) {
		return false
	}
	rest := norm[pos+len(cue):]
	for _, d := range demonstratives {
		if strings.HasPrefix(rest, d) {
			return true
		}
	}
	if r, ok := strings.CutPrefix(rest, "的"); ok {
		return startsNoun(r)
	}
	before := norm[:pos]
	for _, d := range demonstratives {
		if strings.HasSuffix(before, d) {
			return startsNoun(rest)
		}
	}
	return false
}

// startsNoun reports text that goes on with a word rather than ending or
// asking (吗, 不, 吧).
func startsNoun(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return unicode.Is(unicode.Han, r) && !strings.ContainsRune("吗么嘛吧呢不没啊呀哦嘅咩", r)
}

// oldAddress is an address said old or new (还是老地址, 新地址): a thing
// the story tells of, kept in the content, not a question where.
var oldAddress = regexp.MustCompile(`(?:老|旧|新|原来的|以前的)地址`)

// attributeSpans are the attribute cues of norm with the rune after them,
// kept in the content: they name the service (坐地铁免费 is the elder card).
func attributeSpans(norm string) []string {
	var out []string
	for _, c := range attributeCues {
		for i := 0; ; {
			j := strings.Index(norm[i:], c)
			if j < 0 {
				break
			}
			at := i + j
			if attributive(norm, at, c) {
				end := at + len(c)
				if _, n := utf8.DecodeRuneInString(norm[end:]); n > 0 {
					end += n
				}
				out = append(out, norm[at:end])
			}
			i = at + len(c)
		}
	}
	return out
}

// Yes/no questions about one thing: "(要|需要)(带|交)?X吗", "X(也)?要吗",
// "X行不行".
var (
	needThing   = regexp.MustCompile(`(?:要不要|需不需要|用不用|需要|要|得|用)(?:交|带|提供|准备|出具|开|拿|提交|附|写|做)?(?:个|一个|一份|份|张)?\s?((?:[a-z]+ )*[\p{Han}a-z]{1,12}?)(?:吗|么|嘛|不)`)
	whetherNeed = regexp.MustCompile(`(?:要不要|需不需要|用不用)(?:交|带|提供|准备|出具|开|拿|提交|附|写)?(?:个|一个|一份|份|张)?\s?((?:[a-z]+ )*[\p{Han}a-z]{1,12})(?:$|[,.?!;\s])`)
	thingNeeded = regexp.MustCompile(`([\p{Han}a-z]{2,12}?)\s?(?:也|还)?(?:要不要|需不需要|需要|要|得)(?:吗|么|不|嘛)`)
	formOf      = regexp.MustCompile(`([\p{Han}]{2,12}?)\s?(?:的)?(?:要|需要|得)?(?:交|带|提供)?(?:复印件|原件)`)
	thingNeedDo = regexp.MustCompile(`([\p{Han}a-z]{2,12}?)\s?(?:也|还)?(?:要不要|需不需要|用不用|需要|要|得)(?:交|带|提供|准备|出具|提交|附)(?:$|吗|么|嘛|不|[,.?!;\s])`)
	thingOK     = regexp.MustCompile(`([\p{Han}a-z]{2,12}?)\s?(?:行不行|可以吗|行吗|可不可以|算不算|能用吗|就行了吗|就可以了吗|就够了吗|行了吗|就行吗|就够吗|就可以吗)`)
)

// documentEnds are how the names of documents end, and of the checks a
// resident may have to undergo to get one ("要体检吗", "要医院开的诊断吗").
var documentEnds = []string{"诊断", "诊断书", "病历", "体检", "检查", "公证", "鉴定", "翻译", "签字", "证", "证明", "证件", "书", "本", "簿", "照", "照片", "相片", "合同", "协议", "决议", "报告", "清单", "发票", "原件", "复印件", "表", "单", "卡", "材料", "资料", "执照", "户口", "章", "记录", "档案", "文件", "凭证", "收据", "票据", "备案", "说明", "声明", "账户信息", "账号"}

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
		for _, w := range []string{"行不行", "可以吗", "行吗", "可不可以", "算不算", "能用吗", "行了吗", "可以了吗", "够了吗"} {
			if strings.Contains(s, w) {
				return true
			}
		}
		return false
	}},
}

// lateMaterialPatterns are tried when materialPatterns find no document:
// "低保的证明要不要交", "户口本要带吗" name the document, then ask whether
// to hand it in.
var lateMaterialPatterns = []struct {
	re  *regexp.Regexp
	may func(string) bool
}{
	{thingNeedDo, func(s string) bool {
		return strings.ContainsAny(s, "要得用") && strings.ContainsAny(s, "交带供备具附")
	}},
}

func askedMaterial(norm string) string {
	if thing := askedMaterialBy(norm, materialPatterns); thing != "" {
		return thing
	}
	return askedMaterialBy(norm, lateMaterialPatterns)
}

func askedMaterialBy(norm string, patterns []struct {
	re  *regexp.Regexp
	may func(string) bool
}) string {
	var thing string
	for _, p := range patterns {
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
