package assistant

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The eligibility dialogue: "我能领什么补贴", "我这种情况能申请高龄津贴吗",
// "我爸85岁了能领什么补贴". The assistant asks the facts the policies
// still need, one at a time, and answers with the result, its reasons and
// the policy it rests on. It keeps the facts sealed in the dialogue state
// (like a booking's mobile number) and out of the transcript.

// Benefits evaluates a resident's facts against the policies in force.
// It is implemented over the live policy set (cmd/fuwu).
type Benefits interface {
	// InForce reports whether any policy of target ("person",
	// "enterprise") is in force: without one there is nothing to ask.
	InForce(target string) bool
	// Find returns the in-force policies a text names ("高龄津贴"), best
	// first; none when it names none.
	Find(text string) []BenefitPolicy
	// Facts reads the facts a message states outright for target (a
	// field's label that is a yes/no fact: "独居", "退役军人"), field
	// key → value as said.
	Facts(target, text string) map[string]string
	// Check evaluates facts (field key → value as the resident said it;
	// FactAge is an age in years) for target ("person" or "enterprise"),
	// against the policies ids only when given.
	Check(ctx context.Context, target string, facts map[string]string, ids []string) (BenefitCheck, error)
	// Seal and Open keep the facts unreadable in the dialogue state.
	Seal(plain string) (string, error)
	Open(sealed string) (string, error)
}

// FactAge is the fact key of an age said in years ("我爸85岁了"); the
// implementation turns it into the birth date its policies read.
const FactAge = "age"

// BenefitPolicy names a policy.
type BenefitPolicy struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Target string `json:"target"`
	Item   string `json:"item,omitempty"` // the service item to apply through
}

// BenefitCheck is the result of a check.
type BenefitCheck struct {
	AsOf       string // 2026年12月2日
	Eligible   []BenefitResult
	Possible   []BenefitResult
	Ineligible []BenefitResult
	// Ask are the facts worth asking next, the most useful first.
	Ask []BenefitQuestion
	// Problems are the facts that could not be read: key → how to answer.
	Problems map[string]string
	// Values are the facts as the results may show them (a birth date
	// computed from an age): kept out of the transcript.
	Values []string
}

// BenefitResult is one policy's verdict.
type BenefitResult struct {
	PolicyID, Title, Issuer, DocNo string
	Amount                         string // 每月津贴 200元/月
	Summary                        string // why, and what would change it
	Needs                          []string
	Conditions                     []BenefitCondition
	ItemID                         string
	ItemName                       string
	ExcludedBy                     string // the policy of its group that applies instead
	Auto                           bool   // 免申即享
}

// BenefitCondition is one condition with its result ("pass", "fail",
// "unknown") and the clause that says so.
type BenefitCondition struct {
	Label, Clause, Result string
}

// BenefitQuestion is a fact to ask.
type BenefitQuestion struct {
	Key     string   `json:"key"`
	Text    string   `json:"text"`
	Type    string   `json:"type"` // text, number, bool, date, choice
	Unit    string   `json:"unit,omitempty"`
	Options []string `json:"options,omitempty"`
	Birth   bool     `json:"birth,omitempty"` // a birth date: an age answers it
}

// BenefitsDraft is an eligibility dialogue under way.
type BenefitsDraft struct {
	Target   string   `json:"target"`
	Policies []string `json:"policies,omitempty"` // "能申请X吗": X only
	// Facts is the sealed JSON of the facts said so far.
	Facts   string           `json:"facts,omitempty"`
	Asking  *BenefitQuestion `json:"asking,omitempty"`
	Skipped []string         `json:"skipped,omitempty"`
	Asked   int              `json:"asked"`
	Retries int              `json:"retries,omitempty"`
	// Named: the dialogue is about named policies, and its turns answer
	// about their items (a general one asks until it can answer).
	Named bool `json:"named,omitempty"`
}

// statusBenefits marks a turn of the eligibility dialogue.
const statusBenefits Status = "benefits"

// maxBenefitQuestions bounds the dialogue: after so many questions it
// answers with what it knows.
const maxBenefitQuestions = 6

// maxPossibleShown is how many possibly-qualifying policies a result
// spells out; the rest are counted.
const maxPossibleShown = 3

var (
	benefitNouns = []string{"补贴", "津贴", "补助", "福利", "救助", "政策", "优惠", "保健金", "奖励", "资助", "待遇", "扶持", "扶助金", "慰问金"}
	benefitWhat  = []string{"什么", "啥", "哪些", "哪种", "哪几", "哪个"}
	benefitGet   = []string{"领", "享受", "申请", "拿", "有", "得到", "符合", "能办"}
	// A named policy is asked about with these.
	benefitCan  = regexp.MustCompile(`(能|可以|可不可以|能不能|是否|够不够|符不符合|符合)[^,.?!;，。？！；]{0,6}(申请|领|享受|拿|办)`)
	benefitEnds = []string{"结束", "不问了", "不测了", "算了", "不用了", "退出", "取消"}
	skipWords   = []string{"不清楚", "不知道", "不确定", "跳过", "不记得", "说不准", "不好说", "不方便说", "不想说"}
	noWords     = []string{"不是", "没有", "否", "无", "没", "不属于", "不"}
	yesWords    = []string{"是", "有", "对", "嗯", "属于", "已经", "办了", "在", "yes", "y"}
	ageRe       = regexp.MustCompile(`(\d{1,3})\s*(?:周岁|岁)`)
	numberRe    = regexp.MustCompile(`\d+(?:\.\d+)?\s*(?:万|千|亿)?`)
	enterprise  = []string{"公司", "企业", "工厂", "厂里", "我们厂", "单位能", "个体工商户", "商户"}
	// A message with these asks something rather than answering.
	questionWords = []string{"怎么", "什么", "啥", "吗", "哪里", "哪儿", "如何", "多久", "要不要", "能不能", "为什么", "?", "？"}
	// Words that answer nothing.
	fillers = []string{"好", "好吧", "好的", "嗯", "嗯嗯", "哦", "噢", "行", "可以", "知道了", "明白", "谢谢", "ok"}
	// Words around a short text answer ("户口在深圳" → 深圳).
	textLeads = []string{"户口在", "户籍在", "户口是", "户籍是", "我在", "在", "是", "属于", "我们是", "我是"}
	textTails = []string{"户口", "户籍", "的", "人", "市"}
)

// Transcript placeholders: what the resident says about themselves is
// not kept.
const (
	keptFact  = "（政策测算的回答，已隐去）"
	keptAge   = "［年龄已隐去］"
	keptFacts = "（咨询可享受的政策，所述个人情况已隐去）"
)

// benefitsTurn is the dialogue's part of one turn, decided in resolve.
type benefitsTurn struct {
	draft  *BenefitsDraft
	facts  map[string]string
	start  bool   // the turn opens the dialogue
	redo   string // the answer could not be read: how to answer
	ageRaw string // the age said in the message, to keep out of the record
	kept   string // what the transcript keeps of the message
}

// resolveBenefits takes the turn when it belongs to the eligibility
// dialogue: an answer to its question, or a question that opens one. An
// answer that is no answer (the resident asks something else) ends the
// dialogue and the turn is resolved as usual.
func (as *Assistant) resolveBenefits(ctx context.Context, t *turnState) bool {
	b := as.cfg.Benefits
	if b == nil {
		return false
	}
	norm := t.in.norm
	if d := t.state.Benefits; d != nil {
		facts, err := as.openFacts(d)
		if err != nil {
			slog.Warn("benefits dialogue: facts unreadable; starting over", "err", err)
			t.state.Benefits = nil
			return false
		}
		bt := &benefitsTurn{draft: d, facts: facts}
		if _, _, _, again := as.benefitsQuestion(ctx, norm, t.normAspect); again {
			t.state.Benefits = nil // a new eligibility question starts over
			return as.resolveBenefits(ctx, t)
		}
		if hasAny(norm, benefitEnds) {
			t.state.Benefits = nil
			t.benefits, t.status = &benefitsTurn{}, statusBenefits
			return true
		}
		if as.takeBenefitAnswer(bt, t) {
			bt.kept = keptFact
			t.benefits, t.status = bt, statusBenefits
			return true
		}
		t.state.Benefits = nil // asked about something else
	}
	target, ids, named, ok := as.benefitsQuestion(ctx, norm, t.normAspect)
	if !ok || !b.InForce(target) {
		return false
	}
	d := &BenefitsDraft{Target: target, Policies: ids, Named: named}
	bt := &benefitsTurn{draft: d, facts: b.Facts(target, t.in.masked), start: true}
	if m := ageRe.FindStringSubmatch(normalizeFigures(t.in.masked)); m != nil && target == "person" {
		bt.facts[FactAge] = m[1]
		bt.ageRaw = m[0]
	}
	t.state.Benefits = d
	t.benefits, t.status = bt, statusBenefits
	switch {
	case len(bt.facts) > 1 || len(bt.facts) == 1 && bt.ageRaw == "":
		bt.kept = keptFacts // facts said in passing: 独居, 退役军人 …
	case bt.ageRaw != "":
		bt.kept = strings.Replace(normalizeFigures(t.in.masked), bt.ageRaw, keptAge, 1)
	}
	return true
}

// benefitsQuestion reads a message as an eligibility question: "what can
// I get" (any policy of the target) or "can I get X" (the policies X
// names). A question about how, where or what to bring is not one; aspect
// is detectAspect(norm), which the turn has already worked out.
func (as *Assistant) benefitsQuestion(ctx context.Context, norm string, aspect Aspect) (target string, ids []string, named, ok bool) {
	target = "person"
	if hasAny(norm, enterprise) {
		target = "enterprise"
	}
	if a := aspect; a != "" && a != Conditions && a != Overview {
		return "", nil, false, false
	}
	if hasAny(norm, benefitNouns) && hasAny(norm, benefitWhat) && hasAny(norm, benefitGet) {
		return target, nil, false, true
	}
	if !benefitCan.MatchString(norm) {
		return "", nil, false, false
	}
	// A policy named by its title's words must agree with what the
	// catalogue says the message is about: "生活困难能申请救助吗" shares
	// 生活 and 困难 with 困难残疾人生活补贴 but asks about 医疗救助.
	hits := as.cfg.Index.Search(ctx, as.contentText(norm), 3).Hits
	agrees := func(p BenefitPolicy) bool {
		if len(hits) == 0 || hits[0].Score < weakScore {
			return true // the catalogue has no strong opinion
		}
		for _, h := range hits {
			if h.ID == p.Item && h.Score >= closeRatio*hits[0].Score {
				return true
			}
		}
		return false
	}
	for _, p := range as.cfg.Benefits.Find(norm) {
		if !agrees(p) {
			continue
		}
		if len(ids) == 0 {
			target = p.Target
		}
		if p.Target == target {
			ids = append(ids, p.ID)
		}
	}
	return target, ids, true, len(ids) > 0
}

// takeBenefitAnswer reads the answer to the question asked, or a skip;
// false when the message does not answer it.
func (as *Assistant) takeBenefitAnswer(bt *benefitsTurn, t *turnState) bool {
	d := bt.draft
	q := d.Asking
	if q == nil {
		return false
	}
	text := strings.TrimSpace(strings.Trim(normalizeFigures(t.in.masked), "。.，,！!？? "))
	norm := strings.TrimSpace(strings.Trim(t.in.norm, "。.，,！!？? "))
	if hasAny(norm, skipWords) {
		d.Skipped = append(d.Skipped, q.Key)
		return true
	}
	if a := as.detectAspect(norm); a != "" && a != Conditions && a != Overview {
		return false // "要带什么材料": a question about the item, not an answer
	}
	long := utf8.RuneCountInString(text) > 12
	v, ok := readAnswer(q, text, norm)
	if !ok || long && !(q.Type == "number" || q.Type == "date") {
		if long || d.Retries > 0 || hasAny(norm, questionWords) {
			return false
		}
		d.Retries++
		bt.redo = answerHint(q)
		return true
	}
	d.Retries = 0
	bt.facts[q.Key] = v
	return true
}

// readAnswer reads an answer as a value of q's type.
func readAnswer(q *BenefitQuestion, text, norm string) (string, bool) {
	switch q.Type {
	case "bool":
		for _, w := range noWords {
			if strings.Contains(norm, w) {
				return "否", true
			}
		}
		for _, w := range yesWords {
			if strings.Contains(norm, w) {
				return "是", true
			}
		}
		return "", false
	case "choice":
		for _, o := range q.Options {
			if strings.Contains(text, o) {
				return o, true
			}
		}
		if i, ok := ordinal(norm, len(q.Options)); ok {
			return q.Options[i], true
		}
		return "", false
	case "number":
		if m := numberRe.FindString(text); m != "" {
			return strings.ReplaceAll(m, " ", ""), true
		}
		if hasAny(norm, []string{"没有", "无", "零"}) {
			return "0", true
		}
		return "", false
	case "date":
		if q.Birth {
			if m := ageRe.FindStringSubmatch(text); m != nil {
				return m[1] + "岁", true
			}
		}
		if strings.ContainsAny(text, "0123456789") {
			return text, true
		}
		return "", false
	}
	s := text
	for _, l := range textLeads {
		if rest, ok := strings.CutPrefix(s, l); ok {
			s = rest
			break
		}
	}
	for _, tl := range textTails {
		s = strings.TrimSuffix(s, tl)
	}
	s = strings.TrimSpace(s)
	if slices.Contains(fillers, s) || hasAny(norm, questionWords) {
		return "", false
	}
	return s, s != "" && utf8.RuneCountInString(s) <= 12
}

// answerHint is how to answer q, when an answer was not understood.
func answerHint(q *BenefitQuestion) string {
	switch q.Type {
	case "bool":
		return "请回答“是”或“否”。"
	case "choice":
		return "请从这些选项中选一个：" + strings.Join(q.Options, "、") + "。"
	case "number":
		if q.Unit != "" {
			return "请回答一个数字（单位：" + q.Unit + "）。"
		}
		return "请回答一个数字。"
	case "date":
		if q.Birth {
			return "请回答出生日期（如 1941-06-02），或者年龄（如 85岁）。"
		}
		return "请回答日期，如 2020-03-01。"
	}
	return "请简单回答，例如“深圳”。"
}

// composeBenefits asks the next fact or answers with the result.
func (as *Assistant) composeBenefits(ctx context.Context, t *turnState, r *Reply) {
	bt := t.benefits
	r.Status, r.Aspect = Answered, Conditions
	r.keptMessage = bt.kept
	if bt.draft == nil {
		r.Answer = "好的，已结束政策测算。还有其他问题可以继续问我。"
		r.Suggestions = []string{"我能领什么补贴"}
		return
	}
	d := bt.draft
	if bt.redo != "" {
		r.Status = Clarify
		as.askBenefit(r, d, "抱歉，没有听明白。"+bt.redo+"不清楚可以说“不清楚”。")
		return
	}
	check, err := as.cfg.Benefits.Check(ctx, d.Target, bt.facts, d.Policies)
	if err != nil {
		slog.Warn("benefits check", "err", err)
		t.state.Benefits = nil
		r.Answer = "抱歉，政策测算暂时不可用。您可以打开“政策计算器”（/policies/check）自行测算，或拨打 " + as.cfg.Hotline + " 咨询。"
		return
	}
	r.secrets = append(r.secrets, check.Values...)
	if d.Asking != nil {
		if p, ok := check.Problems[d.Asking.Key]; ok {
			delete(bt.facts, d.Asking.Key)
			if d.Retries == 0 {
				d.Retries++
				r.Status = Clarify
				as.askBenefit(r, d, "抱歉，没有听明白。"+p+"不清楚可以说“不清楚”。")
				as.sealFacts(d, bt.facts)
				return
			}
			d.Skipped = append(d.Skipped, d.Asking.Key)
			d.Retries = 0
		}
	}
	if err := as.sealFacts(d, bt.facts); err != nil {
		slog.Warn("benefits: seal facts", "err", err)
		t.state.Benefits = nil
		r.Answer = "抱歉，政策测算暂时不可用，请稍后再试，或拨打 " + as.cfg.Hotline + " 咨询。"
		return
	}
	next := as.nextBenefitQuestion(d, bt.facts, check)
	var b strings.Builder
	if bt.start {
		if d.Named {
			fmt.Fprintf(&b, "我来帮您看看能不能享受%s。", quotedTitles(check))
		} else {
			b.WriteString("我来帮您看看可以享受哪些政策。")
		}
	}
	if next == nil || len(check.Possible) == 0 {
		as.benefitsResult(ctx, t, r, &b, check)
		return
	}
	// Still asking: say where things stand, then the next question.
	if len(check.Eligible) > 0 {
		b.WriteString("按目前的情况，您符合：")
		for i, e := range check.Eligible {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString("《" + e.Title + "》")
			if e.Amount != "" {
				b.WriteString("（" + e.Amount + "）")
			}
		}
		b.WriteString("。")
	}
	if len(check.Possible) > 0 && !d.Named {
		fmt.Fprintf(&b, "还有 %d 项政策可能符合，需要再确认几个情况。", len(check.Possible))
	}
	if bt.start {
		b.WriteString("（不清楚的可以回答“不清楚”，随时说“结束”可停止。）")
	}
	d.Asking = next
	d.Asked++
	r.Status = Clarify
	if d.Named {
		r.Status = Answered
		as.citeBenefits(ctx, t, r, check, false)
	}
	as.askBenefit(r, d, b.String())
}

// askBenefit puts the draft's current question after lead.
func (as *Assistant) askBenefit(r *Reply, d *BenefitsDraft, lead string) {
	q := d.Asking
	var b strings.Builder
	b.WriteString(lead)
	if lead != "" {
		b.WriteString("\n")
	}
	b.WriteString(q.Text)
	var chips []string
	switch q.Type {
	case "bool":
		chips = []string{"是", "否"}
	case "choice":
		for i, o := range q.Options {
			fmt.Fprintf(&b, "\n%d. %s", i+1, o)
		}
		chips = slices.Clone(q.Options)
	}
	r.Answer = b.String()
	r.Suggestions = append(chips, "不清楚", "结束测算")
	r.Route = nil
}

// nextBenefitQuestion is the most useful fact not yet said or skipped,
// while the dialogue has questions left.
func (as *Assistant) nextBenefitQuestion(d *BenefitsDraft, facts map[string]string, c BenefitCheck) *BenefitQuestion {
	if d.Asked >= maxBenefitQuestions {
		return nil
	}
	for _, q := range c.Ask {
		if _, said := facts[q.Key]; said || slices.Contains(d.Skipped, q.Key) {
			continue
		}
		if q.Birth && facts[FactAge] != "" {
			continue
		}
		return &q
	}
	return nil
}

// benefitsResult ends the dialogue with the result: what the facts
// qualify for with amounts and reasons, what might qualify and what it
// still needs, the document each rests on and the item to apply through.
func (as *Assistant) benefitsResult(ctx context.Context, t *turnState, r *Reply, b *strings.Builder, c BenefitCheck) {
	d := t.state.Benefits
	t.state.Benefits = nil
	r.Status = Answered
	for _, list := range [][]BenefitResult{c.Eligible, c.Possible} {
		for i := range list {
			if it, ok := as.cfg.Index.Item(list[i].ItemID); ok {
				list[i].ItemName = it.Name
			}
		}
	}
	fmt.Fprintf(b, "根据您提供的情况，按%s在有效期内的政策：", c.AsOf)
	if len(c.Eligible) == 0 && len(c.Possible) == 0 {
		b.WriteString("\n暂未找到符合条件的政策。")
	}
	if len(c.Eligible) > 0 {
		fmt.Fprintf(b, "\n\n符合条件（%d 项）：", len(c.Eligible))
		for i, e := range c.Eligible {
			writeBenefit(b, i, e)
		}
	}
	if len(c.Possible) > 0 {
		// The closest first: those that need the fewest facts more.
		possible := slices.Clone(c.Possible)
		slices.SortStableFunc(possible, func(x, y BenefitResult) int { return len(x.Needs) - len(y.Needs) })
		fmt.Fprintf(b, "\n\n可能符合，还需确认（%d 项）：", len(possible))
		for i, e := range possible[:min(len(possible), maxPossibleShown)] {
			writeBenefit(b, i, e)
		}
		if n := len(possible) - maxPossibleShown; n > 0 {
			fmt.Fprintf(b, "\n另有 %d 项可能符合的政策，需要更多情况才能确定。", n)
		}
	}
	if d != nil && d.Named {
		for _, e := range c.Ineligible {
			fmt.Fprintf(b, "\n\n《%s》：%s", e.Title, e.Summary)
			writeSource(b, e)
			r.secrets = append(r.secrets, e.Summary)
		}
	} else if n := len(c.Ineligible); n > 0 {
		fmt.Fprintf(b, "\n\n另有 %d 项政策按您的情况不符合。", n)
	}
	b.WriteString("\n\n以上根据您提供的情况初步测算，具体以受理部门审核为准。也可以打开“政策计算器”（/policies/check）自行测算。")
	r.Answer = b.String()
	as.citeBenefits(ctx, t, r, c, true)
	if len(r.Citations) > 0 {
		if it, ok := as.cfg.Index.Item(r.Citations[0].ID); ok {
			r.Suggestions = as.suggestions(it, Conditions)
		}
	}
	r.Suggestions = append(r.Suggestions, "我能领什么补贴")
}

// citeBenefits cites the items of the policies (eligible first) and gives
// the route of the first one; with routed false only the citation.
func (as *Assistant) citeBenefits(ctx context.Context, t *turnState, r *Reply, c BenefitCheck, routed bool) {
	r.Citations = []Citation{}
	seen := map[string]bool{}
	for _, list := range [][]BenefitResult{c.Eligible, c.Possible, c.Ineligible} {
		for _, e := range list {
			if e.ItemID == "" || seen[e.ItemID] {
				continue
			}
			it, ok := as.cfg.Index.Item(e.ItemID)
			if !ok {
				continue
			}
			seen[e.ItemID] = true
			r.Citations = append(r.Citations, Citation{ID: it.ID, Name: it.Name})
			if len(r.Citations) == 1 {
				t.item = it
				if routed {
					r.Route = as.route(ctx, it)
				}
			}
		}
	}
	// The candidates for staff and evaluation: the cited items, then
	// what retrieval ranks for the message.
	r.Candidates = nil
	for _, c := range r.Citations {
		r.Candidates = append(r.Candidates, c.ID)
	}
	for _, h := range as.cfg.Index.Search(ctx, as.contentText(t.in.norm), 5).Hits {
		if !seen[h.ID] {
			r.Candidates = append(r.Candidates, h.ID)
		}
	}
}

func writeBenefit(b *strings.Builder, i int, e BenefitResult) {
	fmt.Fprintf(b, "\n%d.《%s》", i+1, e.Title)
	if e.Amount != "" {
		b.WriteString("：" + e.Amount)
	}
	if e.ExcludedBy != "" {
		fmt.Fprintf(b, "（与《%s》不可叠加享受，按金额较高的一项）", e.ExcludedBy)
	}
	if e.Auto {
		b.WriteString("。免申即享，经核实后直接发放，一般无需申请")
	}
	b.WriteString("。")
	var conds []string
	for _, c := range e.Conditions {
		mark := map[string]string{"pass": "✔", "fail": "✘"}[c.Result]
		if mark == "" {
			mark = "？"
		}
		s := c.Label + mark
		if c.Clause != "" {
			s = c.Label + "（" + c.Clause + "）" + mark
		}
		conds = append(conds, s)
	}
	if len(conds) > 0 {
		b.WriteString("\n   条件：" + strings.Join(conds, "；"))
	}
	if len(e.Needs) > 0 {
		b.WriteString("\n   还需确认：" + strings.Join(e.Needs, "、"))
	}
	writeSource(b, e)
	if e.ItemName != "" && !e.Auto {
		fmt.Fprintf(b, "\n   申请办理：%s（%s）", e.ItemName, e.ItemID)
	}
}

func writeSource(b *strings.Builder, e BenefitResult) {
	if e.Issuer != "" || e.DocNo != "" {
		b.WriteString("\n   依据：" + strings.TrimSpace(e.Issuer+" "+e.DocNo))
	}
}

func quotedTitles(c BenefitCheck) string {
	var ts []string
	for _, list := range [][]BenefitResult{c.Eligible, c.Possible, c.Ineligible} {
		for _, e := range list {
			ts = append(ts, "《"+e.Title+"》")
		}
	}
	if len(ts) == 0 {
		return "这项政策"
	}
	return strings.Join(ts, "、")
}

func (as *Assistant) openFacts(d *BenefitsDraft) (map[string]string, error) {
	facts := map[string]string{}
	if d.Facts == "" {
		return facts, nil
	}
	plain, err := as.cfg.Benefits.Open(d.Facts)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(plain), &facts); err != nil {
		return nil, fmt.Errorf("benefit facts: %w", err)
	}
	return facts, nil
}

func (as *Assistant) sealFacts(d *BenefitsDraft, facts map[string]string) error {
	b, err := json.Marshal(facts)
	if err != nil {
		return err
	}
	sealed, err := as.cfg.Benefits.Seal(string(b))
	if err != nil {
		return err
	}
	d.Facts = sealed
	return nil
}
