package gongwen

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/clock"
)

// Form is what a drafter fills in for a new document.
type Form struct {
	Type       Type     `json:"type"`
	Issuer     string   `json:"issuer"`      // 发文机关, e.g. "深圳市福田区政务服务和数据管理局"
	IssuerMark string   `json:"issuer_mark"` // optional; default issuer + "文件"
	DocNumber  string   `json:"doc_number"`  // e.g. "福政数〔2024〕12号"
	Signer     string   `json:"signer"`      // 签发人, for 请示 and 报告
	Recipients []string `json:"recipients"`
	// Subject is the 事由: the title is 发文机关 + 关于 + Subject + 的 + 文种.
	Subject string `json:"subject"`
	// Title overrides the generated title.
	Title string `json:"title"`
	// Points are the key points, in order; each becomes a numbered part.
	Points      []string     `json:"points"`
	Attachments []Attachment `json:"attachments"`
	Date        time.Time    `json:"date"`
	Contact     string       `json:"contact"` // 联系人及电话, the 附注 of a 请示
	CC          []string     `json:"cc"`
	PrintedBy   string       `json:"printed_by"`
	// ReplyTo is the title of the 请示 a 批复 answers, or of the letter a
	// 复函 answers.
	ReplyTo        string `json:"reply_to"`
	Classification string `json:"classification"`
	Urgency        string `json:"urgency"`
	CopyNumber     string `json:"copy_number"`
}

// Model writes text. internal/llm's OpenAI-compatible client satisfies it
// through a one-line adapter; tests use a fake.
type Model interface {
	Complete(ctx context.Context, system, user string) (string, error)
}

// DraftResult is a draft and how it was made.
type DraftResult struct {
	Document *Document
	// ModelUsed is true when the body is the model's; false when the
	// template wrote it (no model, model error, or the model's text failed
	// the fact check, see Fallback).
	ModelUsed bool
	// Fallback says why a configured model's text was not used.
	Fallback string
}

// Validate reports what a form lacks for its type.
func (f *Form) Validate() error {
	var miss []string
	if f.Type == "" {
		miss = append(miss, "文种")
	}
	if strings.TrimSpace(f.Issuer) == "" {
		miss = append(miss, "发文机关")
	}
	if strings.TrimSpace(f.Subject) == "" && strings.TrimSpace(f.Title) == "" {
		miss = append(miss, "事由或标题")
	}
	if len(f.Points) == 0 {
		miss = append(miss, "要点")
	}
	if f.Type != "" && Requirement(f.Type, Recipients) == Required && len(f.Recipients) == 0 {
		miss = append(miss, "主送机关")
	}
	if f.Type == Request && strings.TrimSpace(f.Contact) == "" {
		miss = append(miss, "联系人及电话（请示须在附注中注明）")
	}
	if len(miss) > 0 {
		return fmt.Errorf("表单缺少：%s", strings.Join(miss, "、"))
	}
	if f.Type == Request && len(cleanList(f.Recipients)) > 1 {
		return errors.New("请示应当一文一事，只主送一个上级机关（需要同时送其他机关的，用抄送）")
	}
	if _, err := ParseType(string(f.Type)); err != nil {
		return err
	}
	return nil
}

// FormatDate writes a 成文日期: Arabic numerals, no leading zeros.
func FormatDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// Draft makes a complete document from a form. With a nil model the body
// comes from the type's template. With a model the body is the model's,
// written from the key points only; if the model fails, or its text has a
// number or name not in the form, the template body is used instead and
// the result says why. A model-written document is labelled as such.
func Draft(ctx context.Context, f Form, m Model) (*DraftResult, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	d := skeleton(f)
	d.Body = templateBody(f)
	res := &DraftResult{Document: d}
	if m == nil {
		return res, nil
	}
	body, err := modelBody(ctx, f, m)
	switch {
	case err != nil:
		res.Fallback = "模型不可用：" + err.Error()
	default:
		if bad := unsupportedFacts(strings.Join(body, "\n"), formText(f)); len(bad) > 0 {
			res.Fallback = "模型文本含有表单中没有的内容：" + strings.Join(bad, "、")
		} else {
			d.Body = body
			d.AIGenerated = true
			res.ModelUsed = true
		}
	}
	return res, nil
}

func skeleton(f Form) *Document {
	date := f.Date
	if date.IsZero() { // callers pass their clock's today; this is the last resort
		date = time.Now().In(clock.Default)
	}
	d := &Document{
		Type: f.Type, CopyNumber: f.CopyNumber, Classification: f.Classification, Urgency: f.Urgency,
		IssuerMark: f.IssuerMark, DocNumber: f.DocNumber, Recipients: cleanList(f.Recipients),
		Issuer: strings.TrimSpace(f.Issuer), Date: FormatDate(date), CC: cleanList(f.CC),
		PrintedBy: strings.TrimSpace(f.PrintedBy), Attachments: f.Attachments,
	}
	if f.Type.Upward() || f.Type == Motion {
		d.Signer = f.Signer
	}
	if Requirement(f.Type, Recipients) == NotUsed {
		d.Recipients = nil
	}
	if d.PrintedBy != "" {
		d.PrintDate = d.Date
	}
	if f.Contact != "" {
		d.Remark = "联系人：" + strings.TrimSpace(f.Contact)
	}
	d.Title = f.Title
	if d.Title == "" {
		d.Title = MakeTitle(f.Type, d.Issuer, f.Subject)
	}
	return d
}

// MakeTitle composes 发文机关 + 关于 + 事由 + 的 + 文种.
func MakeTitle(t Type, issuer, subject string) string {
	subject = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(subject), "关于"))
	subject = strings.TrimRight(subject, "。，；：！？")
	if t == Order {
		return issuer + "令"
	}
	return issuer + "关于" + subject + "的" + t.TitleWord()
}

func cleanList(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// templateBody writes the body from the type's opening and closing
// formulas and the key points, adding nothing of substance.
func templateBody(f Form) []string {
	subject := strings.TrimRight(strings.TrimPrefix(strings.TrimSpace(f.Subject), "关于"), "。，；")
	purpose := "为做好" + subject + "工作"
	switch {
	case hasAnyPrefix(subject, []string{"做好", "加强", "推进", "开展", "落实", "规范", "提升", "进一步", "切实", "深化", "推动", "完善", "保障", "促进", "加快", "建立", "健全"}):
		purpose = "为" + subject
	case strings.HasSuffix(subject, "工作"):
		purpose = "为做好" + subject
	}
	var open, close string
	switch f.Type {
	case Circular:
		open, close = purpose+"，现将有关事项通知如下：", "特此通知。"
	case Request:
		open, close = "现就"+subject+"有关事项请示如下：", "妥否，请批示。"
	case Report:
		open, close = "现将"+subject+"有关情况报告如下：", "特此报告。"
	case Letter:
		if f.ReplyTo != "" {
			open, close = "你单位《"+strings.Trim(f.ReplyTo, "《》")+"》收悉。现将有关事项函复如下：", "特此函复。"
		} else {
			open, close = "现就"+subject+"有关事项函告如下：", "特此函告。"
		}
	case Reply:
		open, close = "你单位《"+strings.Trim(f.ReplyTo, "《》")+"》收悉。经研究，现批复如下：", "此复。"
		if f.ReplyTo == "" {
			open = "经研究，现就" + subject + "批复如下："
		}
	case Bulletin:
		open, close = "现将"+subject+"有关情况通报如下：", "特此通报。"
	case Opinion:
		open = purpose + "，现提出如下意见："
	case Decision:
		open = purpose + "，经研究，决定如下："
	case Announcement:
		open, close = "现将"+subject+"有关事项公告如下：", "特此公告。"
	case Notice:
		open, close = "现就"+subject+"有关事项通告如下：", "特此通告。"
	case Communique:
		open = "现将" + subject + "有关情况公报如下："
	case Resolution:
		open = "现就" + subject + "决议如下："
	case Motion:
		open, close = "现就"+subject+"提出议案如下：", "请予审议。"
	case Minutes:
		open = "现将" + subject + "议定事项纪要如下："
	case Order:
		open = "现就" + subject + "命令如下："
	}
	body := []string{open}
	points := cleanList(f.Points)
	for i, p := range points {
		p = ensurePeriod(stripMarker(p))
		if len(points) > 1 {
			p = chineseNumeral(i+1) + "、" + p
		}
		body = append(body, p)
	}
	if close != "" {
		body = append(body, close)
	}
	return body
}

// stripMarker removes a heading marker the user typed ("1." "一、").
func stripMarker(p string) string {
	p = strings.TrimSpace(p)
	if h, ok := parseHeading(p); ok {
		p = strings.TrimSpace(p[len(h.text):])
	}
	return p
}

func ensurePeriod(p string) string {
	if p == "" {
		return p
	}
	r, _ := utf8.DecodeLastRuneInString(p)
	switch r {
	case '。', '！', '？', '；', '”':
		return p
	case '，', '、', '：', ',', '.', ';', ':':
		p = p[:len(p)-utf8.RuneLen(r)]
	}
	return p + "。"
}

const draftSystem = `你是党政机关公文写作助手。根据用户给出的文种、事由和要点撰写公文正文。
要求：
1. 只使用要点中给出的事实。不得新增任何数字、日期、金额、人名、机构名、地名、文件名或事实；不确定的一律不写。
2. 语言庄重、准确、简明，符合《党政机关公文处理工作条例》和 GB/T 9704-2012 的要求。
3. 只输出正文，每段一行；不要标题、主送机关、落款、日期，不要使用 Markdown。
4. 层次序数依次用“一、”“（一）”“1.”“（1）”。`

func modelBody(ctx context.Context, f Form, m Model) ([]string, error) {
	var u strings.Builder
	fmt.Fprintf(&u, "文种：%s\n发文机关：%s\n", f.Type, f.Issuer)
	if len(f.Recipients) > 0 {
		fmt.Fprintf(&u, "主送机关：%s\n", strings.Join(f.Recipients, "、"))
	}
	fmt.Fprintf(&u, "事由：%s\n", f.Subject)
	if f.ReplyTo != "" {
		fmt.Fprintf(&u, "答复的来文：%s\n", f.ReplyTo)
	}
	u.WriteString("要点：\n")
	for i, p := range cleanList(f.Points) {
		fmt.Fprintf(&u, "%d. %s\n", i+1, p)
	}
	for _, a := range f.Attachments {
		fmt.Fprintf(&u, "附件：%s\n", a.Name)
	}
	out, err := m.Complete(ctx, draftSystem, MaskPersonal(u.String()))
	if err != nil {
		return nil, err
	}
	var body []string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(strings.TrimLeft(line, "#*>-　 "))
		line = strings.ReplaceAll(line, "**", "")
		if line != "" {
			body = append(body, line)
		}
	}
	if len(body) == 0 {
		return nil, errors.New("模型返回了空正文")
	}
	return body, nil
}

func formText(f Form) string {
	parts := []string{f.Issuer, f.IssuerMark, f.Subject, f.Title, f.ReplyTo, f.Contact, f.DocNumber, f.Signer, f.PrintedBy}
	parts = append(parts, f.Recipients...)
	parts = append(parts, f.Points...)
	parts = append(parts, f.CC...)
	for _, a := range f.Attachments {
		parts = append(parts, a.Name)
	}
	return strings.Join(parts, "\n")
}

var (
	reArabicNum = regexp.MustCompile(`[0-9０-９]+(?:[.．][0-9０-９]+)?`)
	// A Chinese numeral with a measure word: 三项, 十二个, 两名.
	reHanNum = regexp.MustCompile(`([零〇一二两三四五六七八九十百千万亿]+)(个|项|名|人|家|次|天|年|月|日|元|万|亿|所|件|条|户|批|类|种|场|座|台|辆|倍|成|岁|周|小时|分钟|公里|平方米|亩|吨)`)
	// Organisation names end with one of these.
	reOrg = regexp.MustCompile(`\p{Han}{2,20}?(委员会|人民政府|政府|办公室|办事处|管理局|局|委|厅|部|院|中心|公司|集团|医院|学校|大学|银行|街道|社区|协会|基金会)`)
	// A person is named before a title or honorific.
	rePerson = regexp.MustCompile(`(\p{Han}{2,3})(同志|先生|女士|主任|局长|书记|区长|市长|处长|科长|主席|委员|部长|厅长|院长|经理|董事长)`)
	reQuoted = regexp.MustCompile(`[《“]([^》”]{1,40})[》”]`)
)

// unsupportedFacts lists the numbers and names in text that do not occur in
// the source: Arabic and Chinese numbers (with a measure word), quoted
// titles, organisation names and people named by their title.
func unsupportedFacts(text, source string) []string {
	src := normDigits(source)
	srcNums := map[string]bool{}
	for _, n := range reArabicNum.FindAllString(src, -1) {
		srcNums[n] = true
	}
	for _, m := range reHanNum.FindAllStringSubmatch(src, -1) {
		if v := hanValue(m[1]); v > 0 {
			srcNums[fmt.Sprint(v)] = true
		}
	}
	var bad []string
	seen := map[string]bool{}
	flag := func(s string) {
		if !seen[s] {
			seen[s] = true
			bad = append(bad, s)
		}
	}
	t := normDigits(text)
	for _, n := range reArabicNum.FindAllString(t, -1) {
		if !srcNums[n] {
			flag(n)
		}
	}
	for _, m := range reHanNum.FindAllStringSubmatch(t, -1) {
		v := hanValue(m[1])
		if v > 1 && !srcNums[fmt.Sprint(v)] {
			flag(m[0])
		}
	}
	for _, m := range reQuoted.FindAllStringSubmatch(t, -1) {
		if !strings.Contains(source, m[1]) {
			flag(m[0])
		}
	}
	for _, ix := range reOrg.FindAllStringIndex(t, -1) {
		m := t[ix[0]:ix[1]]
		// "部门", "局长", "委员": not an organisation's name.
		if next, _ := utf8.DecodeRuneInString(t[ix[1]:]); strings.ContainsRune("门长员属", next) {
			continue
		}
		if !orgSupported(m, source) {
			flag(m)
		}
	}
	for _, m := range rePerson.FindAllStringSubmatch(t, -1) {
		if !strings.Contains(source, m[1]) && !strings.Contains(source, m[0]) {
			flag(m[0])
		}
	}
	return bad
}

// orgSupported: some ending of the name, at least three characters long
// and longer than the bare suffix, is in the source ("区政数局" and
// "福田区政数局" are both supported by "区政数局").
func orgSupported(name, source string) bool {
	rs := []rune(name)
	for k := 0; k+3 <= len(rs); k++ {
		tail := string(rs[k:])
		if strings.Contains(source, tail) {
			return true
		}
	}
	// Generic collective words are not names: 各有关单位, 有关部门.
	for _, g := range []string{"有关部门", "相关部门", "各部门", "各单位", "主管部门", "职能部门", "上级部门", "本部门", "各街道", "各社区"} {
		if strings.HasSuffix(name, g) {
			return true
		}
	}
	return false
}

func normDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		if r == '．' {
			return '.'
		}
		return r
	}, s)
}

// hanValue reads a Chinese numeral up to the 亿s; 0 if it is not one.
func hanValue(s string) int64 {
	digits := map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	units := map[rune]int64{'十': 10, '百': 100, '千': 1000}
	var total, section, num int64
	for _, r := range s {
		if d, ok := digits[r]; ok {
			num = d
			continue
		}
		if u, ok := units[r]; ok {
			if num == 0 {
				num = 1
			}
			section += num * u
			num = 0
			continue
		}
		switch r {
		case '万':
			total += (section + num) * 10000
		case '亿':
			total += (section + num) * 100000000
		default:
			return 0
		}
		section, num = 0, 0
	}
	return total + section + num
}

// Personal data masked before any text goes to a model.
var (
	reIDCard = regexp.MustCompile(`\b\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b`)
	reMobile = regexp.MustCompile(`\b1[3-9]\d{9}\b`)
	reLandln = regexp.MustCompile(`\b0\d{2,3}-?\d{7,8}\b`)
	reBank   = regexp.MustCompile(`\b\d{16,19}\b`)
)

// MaskPersonal replaces ID-card, mobile, landline and bank-card numbers
// with asterisks, keeping the first and last few digits.
func MaskPersonal(s string) string {
	mask := func(keepHead, keepTail int) func(string) string {
		return func(m string) string {
			if len(m) <= keepHead+keepTail {
				return strings.Repeat("*", len(m))
			}
			return m[:keepHead] + strings.Repeat("*", len(m)-keepHead-keepTail) + m[len(m)-keepTail:]
		}
	}
	s = reIDCard.ReplaceAllStringFunc(s, mask(3, 2))
	s = reBank.ReplaceAllStringFunc(s, mask(4, 4))
	s = reMobile.ReplaceAllStringFunc(s, mask(3, 4))
	s = reLandln.ReplaceAllStringFunc(s, mask(4, 2))
	return s
}
