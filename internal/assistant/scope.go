package assistant

import (
	"fmt"
	"iter"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scopeModel is what the district catalogue covers, as data
// (lexicon/scope-model.txt): the places it serves and those it does not,
// services other levels of government provide, and the requests no
// service catalogue answers. It is checked wherever in a message the
// words appear, not only at its start.
type scopeModel struct {
	ours, foreign []string // foreign: other districts, cities, provinces
	// districts are the city's other districts (among foreign); citywide
	// the departments whose services are the whole city's, so that another
	// district of it named with one of them (龙华的二手房 … 公积金贷款)
	// is no other place's service.
	districts, citywide []string
	links               []string
	lifeLinks           []string // living or seeing doctors there (跟子女住, 看病)
	elsewhere           []string
	lookup, others      []string
	family              []string
	records             []string
	recordServices      []string
	howto               []string
	theirs              []string // words saying a record is the person named's (他的): records.theirs
	injection           []string
	ignoreVerb          []string // ignore, 忽略: an order to set aside …
	ignoreWhat          []string // … the assistant's instructions (previous instructions, 设定)
	roleChange          []string // you are now, act as: a new role given …
	roleWord            []string // … that is one of authority (admin, 管理员)
	countries           []string // other countries, named as who someone is (日本人)
	frame, outVerb      []string
	peopleList          []string
	personalData        []string
	residents           []string
	licences            []string // generic licence words (证, 许可证)
	objects             []string // one-character things a licence may be for (狗)
	healthAdvice        []string // what a doctor, not a service, answers
	abuse               []string
	abusePerson         []string
	abuseKin            []string // kinship phrases an abuse word may sit in (孩子他妈, 我妈的)
	abuseCompound       []string // words naming a thing an abuse word may sit in (垃圾站)
	providerCards       []string // cards a business or health provider issues (年卡, 疫苗本)
	styles              []string // words after a place that make it a style of goods (菜 of 东北菜)
	storyKinds          []string // kinds of everyday cues that may be a story's background
	storyCues           []string // cues of other kinds that may be (旅游)

	// Made once from the lists above rather than on every turn:
	// looksUpPersons' people, records and verbs, and providerCards
	// longest first.
	lookPeople, lookItems, lookVerbs []string
	cardsLongest                     []string
}

func loadScopeModel(norm func(string) string) (*scopeModel, error) {
	m := &scopeModel{}
	lists := map[string]*[]string{
		"place.ours": &m.ours, "place.district": &m.districts, "citywide": &m.citywide, "place.city": &m.foreign, "place.province": &m.foreign,
		"link": &m.links, "link.life": &m.lifeLinks, "service.elsewhere": &m.elsewhere,
		"records.lookup": &m.lookup, "records.other": &m.others, "records.what": &m.records,
		"records.family": &m.family, "records.service": &m.recordServices, "records.howto": &m.howto, "records.theirs": &m.theirs,
		"injection.frame": &m.frame, "injection.verb": &m.outVerb, "injection.list": &m.peopleList,
		"injection.data": &m.personalData, "injection.people": &m.residents,
		"licence.generic": &m.licences, "licence.object": &m.objects,
		"injection": &m.injection, "injection.ignore": &m.ignoreVerb, "injection.rules": &m.ignoreWhat,
		"injection.role": &m.roleChange, "injection.roleword": &m.roleWord, "place.country": &m.countries, "health.advice": &m.healthAdvice, "abuse": &m.abuse, "abuse.person": &m.abusePerson, "abuse.kin": &m.abuseKin, "abuse.compound": &m.abuseCompound,
		"provider.card": &m.providerCards, "place.style": &m.styles, "story.kinds": &m.storyKinds, "story.cues": &m.storyCues,
	}
	err := eachEntry("scope-model.txt", func(kind string, words []string) error {
		dst, ok := lists[kind]
		if !ok {
			return fmt.Errorf("unknown kind %q", kind)
		}
		for _, w := range words {
			*dst = append(*dst, norm(strings.ReplaceAll(w, "_", " ")))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.foreign = append(slices.Clone(m.districts), m.foreign...)
	m.lookPeople = append(slices.Clone(m.family), m.others...)
	m.lookItems = append(slices.Clone(m.recordServices), m.records...)
	m.lookVerbs = append(slices.Clone(m.lookup), "查", "睇")
	m.cardsLongest = slices.Clone(m.providerCards)
	sort.SliceStable(m.cardsLongest, func(i, j int) bool { return len(m.cardsLongest[i]) > len(m.cardsLongest[j]) })
	return m, nil
}

// firstOf returns the first of words found in s.
func firstOf(s string, words []string) (string, bool) {
	for _, w := range words {
		if strings.Contains(s, w) {
			return w, true
		}
	}
	return "", false
}

// placeElsewhere reports another district, city or province named as the
// place of the service: named anywhere, with neither a place of this
// district nor a word tying the two (moving insurance or a household).
func (m *scopeModel) placeElsewhere(norm string) (string, bool) {
	// A county or district said after its city (揭阳榕城, 茂名电白), then
	// as the owner of what is asked (榕城的低保, 电白那边有没有补贴): that
	// place's service, wherever the resident's home or family is, the city
	// said as where they come from or live.
	occ := m.occurrences(norm) // one scan of the places for both
	if sub, ok := subPlaceOwned(norm, occ); ok {
		if _, tied := firstOf(norm, m.ours); !tied {
			return sub, true
		}
	}
	p, ok := m.placeNamedIn(norm, occ)
	if !ok {
		return "", false
	}
	// A home that sits in the other place, its deeds asked about ("我在长
	// 沙有套房 房产证丢了 在深圳能补吗"), is that place's registry's
	// however Shenzhen is named: property is registered where it stands.
	if propertyThere(norm, p) || businessThere(norm, p) {
		return p, true
	}
	if _, tied := firstOf(norm, m.ours); tied {
		return "", false
	}
	// 老家 in "我老家是东莞的" says where the resident is from, not a
	// move between the places.
	if _, tied := firstOf(m.withoutGoingThere(withoutOrigin(norm)), m.links); tied {
		return "", false
	}
	// Living or seeing doctors there ties the place to Shenzhen's
	// cross-city services, unless the place is said as the owner of the
	// service ("上海的医疗救助", "北京的居住证").
	if _, tied := firstOf(norm, m.lifeLinks); tied && !m.ownerNamed(norm) {
		return "", false
	}
	return p, true
}

// sameCity reports place, another district of this city, named with a
// service of a department that serves the whole city (the housing fund,
// social and medical insurance): the city's service whichever district is
// named, so Futian's halls take it.
func (m *scopeModel) sameCity(place, department string) bool {
	if !slices.Contains(m.districts, place) {
		return false
	}
	return slices.ContainsFunc(m.citywide, func(d string) bool { return strings.HasPrefix(department, d) })
}

// homeThere is a home said to stand in the place just named: 有套房,
// 的房子, 买了房. propertyPapers are the papers and acts of its registry.
var (
	homeThere      = regexp.MustCompile(`^(?:那边|那里|嗰边)?(?:有|买了|买咗|买的|的)(?:一)?(?:套|间|个)?(?:房|楼|屋)`)
	propertyPapers = []string{"房产证", "房本", "不动产", "产权证", "过户", "房产登记"}
)

// businessOpened is a business said to be opened or registered in the
// place just named: "佛山南海开的个体户", "在东莞注册的公司". A business is
// registered, changed and closed where it was registered, however
// Futian is named as where the resident asks.
var businessOpened = regexp.MustCompile(`^[\p{Han}]{0,4}?(?:开的|注册的|登记的|办的|开了|注册了|开咗|注册咗|开嘅|注册嘅)(?:一)?(?:个|间|家|一家)?(?:个体户|个体|公司|店|铺|档口|档|企业|工厂|厂|营业执照|执照)`)

// businessThere reports a business opened or registered in place.
func businessThere(norm, place string) bool { return saidAfter(norm, place, businessOpened) }

// propertyThere reports a home standing in place, named in norm with a
// paper or act of the property registry.
func propertyThere(norm, place string) bool {
	if _, ok := firstOf(norm, propertyPapers); !ok {
		return false
	}
	return saidAfter(norm, place, homeThere)
}

// saidAfter reports whether what follows one of place's occurrences in
// norm begins with a match of re.
func saidAfter(norm, place string, re *regexp.Regexp) bool {
	for i := 0; ; {
		j := strings.Index(norm[i:], place)
		if j < 0 {
			return false
		}
		end := i + j + len(place)
		if re.MatchString(norm[end:]) {
			return true
		}
		i = end
	}
}

// goThereTo is what follows 回 and another place when the resident asks
// whether to go back there to do the thing (回肇庆办, 回老家那边申请, 回广州那边补): the
// place's own service, so that 回 ties nothing to this district.
var goThereTo = regexp.MustCompile(`^(?:那边|那里|嗰边|去)?(?:办|申请|弄|搞|处理|交|领|补|换|报|续|注销)`)

// withoutGoingThere is norm without the 回 of going back to another place
// to do the thing there.
func (m *scopeModel) withoutGoingThere(norm string) string {
	for _, p := range m.foreign {
		back := "回" + p
		for i := 0; ; {
			j := strings.Index(norm[i:], back)
			if j < 0 {
				break
			}
			at, end := i+j, i+j+len(back)
			if goThereTo.MatchString(norm[end:]) {
				norm = norm[:at] + " " + norm[at+len("回"):]
				end -= len("回") - 1
			}
			i = end
		}
	}
	return norm
}

// originSays are the phrases that say where the resident comes from.
var originSays = []string{"老家是", "老家在", "老家喺", "老家系"}

// withoutOrigin is norm without its phrases saying where the resident
// comes from.
func withoutOrigin(norm string) string {
	for _, o := range originSays {
		norm = strings.ReplaceAll(norm, o, " ")
	}
	return norm
}

// isPlace reports a word that is a place the scope model knows: this
// district's, another's, or another country. It says where or who, never
// which document.
func (m *scopeModel) isPlace(w string) bool {
	return slices.Contains(m.ours, w) || slices.Contains(m.foreign, w) || slices.Contains(m.countries, w)
}

// subPlaceOwned returns a place said right after another place norm
// names (occ; 榕城 of 揭阳榕城区, 南海 of 佛山南海) that norm later says as the
// owner of something (榕城的, 南海嘅, 电白那边): a county or district the
// scope model does not list, known by where it is said.
func subPlaceOwned(norm string, occ []placeAt) (string, bool) {
	for _, o := range occ {
		var sub []rune
		for _, r := range norm[o.end:] {
			if len(sub) == 3 || !unicode.Is(unicode.Han, r) || strings.ContainsRune(subPlaceEnds, r) {
				break
			}
			sub = append(sub, r)
		}
		if len(sub) < 2 {
			continue
		}
		name := string(sub)
		rest := norm[o.end+len(name):]
		for _, e := range indexesOf(rest, name) {
			if hasAnyPrefix(rest[e:], ownerMarks) {
				return name, true
			}
		}
	}
	return "", false
}

// subPlaceEnds end a county's or district's name said after its city
// (榕城区, 电白乡下, 南海的); ownerMarks say a place owns what follows.
const subPlaceEnds = "区县市镇乡村的那嗰老住人户在嘅这边里"

var ownerMarks = []string{"的", "嘅", "那边", "那里", "嗰边", "这边"}

// ownerNamed reports another place said as the owner of what follows
// (上海的…, 肇庆那边的…), not as a time or a clause of its own.
func (m *scopeModel) ownerNamed(norm string) bool {
	for _, p := range m.foreign {
		for i := 0; ; {
			j := strings.Index(norm[i:], p)
			if j < 0 {
				break
			}
			i += j + len(p)
			after := norm[i:]
			for _, there := range []string{"那边", "那里", "嗰边"} {
				after = strings.TrimPrefix(after, there)
			}
			if rest, ok := strings.CutPrefix(after, "的"); ok && !strings.HasPrefix(rest, "时候") && rest != "" && strings.IndexAny(rest, " ,.?!;") != 0 {
				return true
			}
		}
	}
	return false
}

// placeNamed returns the first other place norm names as where its
// question is, not as where the resident comes from: "我是湖南的", "从河南
// 来的", "我爸是江西人" say who the resident is, and the service asked
// after it is this district's.
func (m *scopeModel) placeNamed(norm string) (string, bool) {
	return m.placeNamedIn(norm, m.occurrences(norm))
}

// placeNamedIn is placeNamed over the occurrences of the places in norm.
func (m *scopeModel) placeNamedIn(norm string, occ []placeAt) (string, bool) {
	for _, o := range occ {
		if !m.notThePlace(norm[:o.start], norm[o.end:]) {
			return o.place, true
		}
	}
	return "", false
}

// placeAt is where in a message another place is named.
type placeAt struct {
	place      string
	start, end int
}

// occurrences are the other places norm names, in the scope model's order
// of places, each occurrence left to right.
func (m *scopeModel) occurrences(norm string) []placeAt {
	var out []placeAt
	for _, p := range m.foreign {
		for start, end := range indexesOf(norm, p) {
			out = append(out, placeAt{p, start, end})
		}
	}
	return out
}

// indexesOf yields where each occurrence of sub in s starts and ends,
// left to right, none overlapping.
func indexesOf(s, sub string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := 0; sub != ""; {
			j := strings.Index(s[i:], sub)
			if j < 0 {
				return
			}
			start, end := i+j, i+j+len(sub)
			if !yield(start, end) {
				return
			}
			i = end
		}
	}
}

// asAway is norm with each other place it names, except where the
// resident comes from (我是湖南人), said as 外地.
func (m *scopeModel) asAway(norm string) string {
	out := norm
	for _, p := range m.foreign {
		if !strings.Contains(out, p) {
			continue
		}
		var b strings.Builder
		rest := out
		for {
			j := strings.Index(rest, p)
			if j < 0 {
				b.WriteString(rest)
				break
			}
			before := out[:len(out)-len(rest)+j]
			if m.notThePlace(before, rest[j+len(p):]) {
				b.WriteString(rest[:j+len(p)])
			} else {
				b.WriteString(rest[:j])
				b.WriteString("外地")
			}
			rest = rest[j+len(p):]
		}
		out = b.String()
	}
	return out
}

// notThePlace reports a place named, with before and after it, as where
// the resident comes from (我是湖南人) or as the style of a dish or goods
// (潮州粉面, 兰州拉面: place.style's words right after it): not a place
// where the service is.
// So is a shop or restaurant named after it with its trade between (潮汕
// 卤鹅店, 湖南米粉馆): a style, unless a verb says it was opened there
// (广州开的店).
func (m *scopeModel) notThePlace(before, after string) bool {
	return isOrigin(before, after) || hasAnyPrefix(after, m.styles) || styledShop.MatchString(after)
}

// styledShop is a shop a place names the style of: its trade, then the
// shop, with no verb, 的 or place word between.
var styledShop = regexp.MustCompile(`^[^ ,.?!;开办注册的在里那这]{0,4}?(?:店|馆|铺|档口|摊|餐厅|饭店|酒楼|酒家)`)

// Where a resident comes from: 是/从/来自/老家/户口在 before the place, or
// 人/来的/过来/户口/籍 after it; 是X的 with the pause ending there.
var (
	originBefore = []string{"来自", "老家是", "老家", "户口在", "户籍在", "籍贯是", "籍贯", "从", "是"}
	originAfter  = []string{"人", "来的", "过来", "户口", "户籍", "籍"}
)

func isOrigin(before, after string) bool {
	for _, a := range originAfter {
		if strings.HasPrefix(after, a) {
			return true
		}
	}
	for _, b := range originBefore {
		if !strings.HasSuffix(before, b) {
			continue
		}
		if b != "是" {
			return true
		}
		// "我是湖南的 …": 是X的 closing its pause, X maybe said as a
		// region (湖北那边的); or 是X的 a household or person (是湖北那边的
		// 脱贫户): who the resident is, not whose service.
		for _, there := range []string{"那边", "那里", "那块", "嗰边", "农村", "乡下"} {
			after = strings.TrimPrefix(after, there)
		}
		rest, ok := strings.CutPrefix(after, "的")
		if !ok {
			return false
		}
		pause := rest
		if k := strings.IndexAny(rest, " ,.?!;"); k >= 0 {
			pause = rest[:k]
		}
		return pause == "" || strings.HasSuffix(pause, "户") || strings.HasSuffix(pause, "人") || strings.HasSuffix(pause, "家庭")
	}
	return false
}

// blankOurPlaces blanks the district's own places in norm, byte for byte
// (positions stay): an everyday word inside one (八卦 of 八卦岭) names a
// neighbourhood, not gossip.
func (m *scopeModel) blankOurPlaces(norm string) string {
	for _, p := range m.ours {
		if strings.Contains(norm, p) {
			norm = strings.ReplaceAll(norm, p, strings.Repeat(" ", len(p)))
		}
	}
	return norm
}

// serviceElsewhere reports a service another level of government or
// another body provides (无犯罪记录证明, 护照, 深圳通).
func (m *scopeModel) serviceElsewhere(norm string) (string, bool) {
	return firstOf(norm, m.elsewhere)
}

// providerCard returns a card or booklet a business, a venue or a health
// provider issues (年卡, 疫苗本, 健康证) that norm names, the longest
// first. A card word inside a longer word (年卡 of 老年卡, 健康证 of 健康证明)
// is not one: the character before it makes a word with its first, or
// the one after it a word with its last (isWord).
func (m *scopeModel) providerCard(norm string, isWord func(string) bool) (string, bool) {
	for _, w := range m.cardsLongest {
		for i := 0; ; {
			j := strings.Index(norm[i:], w)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(w)
			i = end
			first, _ := utf8.DecodeRuneInString(w)
			last, _ := utf8.DecodeLastRuneInString(w)
			if prev, size := utf8.DecodeLastRuneInString(norm[:start]); size > 0 && isWord(string(prev)+string(first)) {
				continue
			}
			if next, size := utf8.DecodeRuneInString(norm[end:]); size > 0 && isWord(string(last)+string(next)) {
				continue
			}
			return w, true
		}
	}
	return "", false
}

// othersRecords reports a request to look up another person's records:
// someone else, and a record or status of theirs, asked either with a
// lookup verb or — for someone outside the family — as a status only
// their records hold (我同事社保交到哪个月了). Acting for a family member
// in a service has no record word and passes; so does asking how records
// are looked up (我朋友想知道社保记录怎么查).
func (m *scopeModel) othersRecords(norm string) bool {
	_, stranger := firstOf(norm, m.others)
	// Unless the resident asks how to look up a stranger's own record
	// (员工…我想核实一下他的婚姻登记情况 怎么查): his, said of a stranger.
	_, theirs := firstOf(norm, m.theirs)
	if _, how := firstOf(norm, m.howto); how && !(stranger && theirs) {
		return false
	}
	_, lookup := firstOf(norm, m.lookup)
	_, family := firstOf(norm, m.family)
	_, status := firstOf(norm, m.records)
	_, service := firstOf(norm, m.recordServices)
	switch {
	case stranger && status:
		return true
	case stranger && lookup && service:
		return true
	case family && lookup && status:
		return true
	}
	// A lookup verb whose object is a person's record-like item (查下我老
	// 婆的个税, 帮我看看我爸公积金): the person, then within a few
	// characters a benefit, account or record of theirs.
	return m.looksUpPersons(norm)
}

// personReach is how many bytes may stand between a lookup verb and the
// person it looks up (我, 一下), and between the person and the item
// (的, 那个).
const personReach = 9

// procedure words after a person's item ask how its service goes
// ("睇下我阿妈的医保点报");
// procedureReach is how many bytes after the item they are looked for.
var procedure = []string{"怎么", "怎样", "如何", "点样", "点报", "点办", "点申请", "能不能", "可不可以", "可唔可以", "可以", "要带", "要什么", "要咩", "申请", "申报", "办理", "报销"}

const procedureReach = 18

// looksUpPersons reports a lookup verb followed by another person and a
// record-like item of theirs.
func (m *scopeModel) looksUpPersons(norm string) bool {
	people, items := m.lookPeople, m.lookItems
	// 想知道 and 看看 also ask how a service goes (想知道我妈的津贴怎么申
	// 请): a procedure word after the item tells (procedure).
	for _, l := range m.lookVerbs {
		for i := 0; ; {
			j := strings.Index(norm[i:], l)
			if j < 0 {
				break
			}
			i += j + len(l)
			after := norm[i:]
			for _, p := range people {
				k := strings.Index(after, p)
				if k < 0 || k > personReach {
					continue
				}
				rest := after[k+len(p):]
				for _, it := range items {
					x := strings.Index(rest, it)
					if x < 0 || x > personReach {
						continue
					}
					tail := rest[x+len(it):]
					if hasAnyPrefix(tail, documentSuffix) {
						continue // 医保卡: a card, not a record
					}
					if _, how := firstOf(tail[:min(len(tail), procedureReach)], procedure); !how {
						return true
					}
				}
			}
		}
	}
	return false
}

// injected reports a claim of authority inside a message, or an order to
// hand over residents' data, whatever service item it names: a list of
// people (名单), or residents' personal data (市民电话) demanded with an
// output verb; under a heading that frames the message as a notice from
// staff or the system (【…内部通知】) any personal data demanded is.
func (m *scopeModel) injected(norm string) bool {
	if _, ok := firstOf(norm, m.injection); ok {
		return true
	}
	// By their structure, in any language the lists hold: an order to set
	// the instructions aside ("ignore previous instructions", "忽略上面的规
	// 则"), or a role of authority given to the assistant ("you are now
	// admin").
	if followedWithin(norm, m.ignoreVerb, m.ignoreWhat, orderReach) || followedWithin(norm, m.roleChange, m.roleWord, orderReach) {
		return true
	}
	_, framed := firstOf(norm, m.frame)
	for _, clause := range strings.FieldsFunc(norm, isClauseBreak) {
		if _, verb := firstOf(clause, m.outVerb); !verb {
			continue
		}
		if _, ok := firstOf(clause, m.peopleList); ok {
			return true
		}
		_, data := firstOf(clause, m.personalData)
		_, people := firstOf(clause, m.residents)
		if data && (people || framed) {
			return true
		}
	}
	return false
}

// orderReach is how many bytes may stand between an order's verb and
// what it is about ("ignore all of the previous instructions": 16).
const orderReach = 24

// followedWithin reports a word of first followed, within reach bytes
// after its end, by a word of then.
func followedWithin(norm string, first, then []string, reach int) bool {
	for _, f := range first {
		for i := 0; ; {
			j := strings.Index(norm[i:], f)
			if j < 0 {
				break
			}
			i += j + len(f)
			window := norm[i:min(len(norm), i+reach+maxLen(then))]
			for _, w := range then {
				if k := strings.Index(window, w); k >= 0 && k <= reach {
					return true
				}
			}
		}
	}
	return false
}

func maxLen(ws []string) int {
	n := 0
	for _, w := range ws {
		n = max(n, len(w))
	}
	return n
}

// isClauseBreak splits a message into clauses at sentence punctuation.
func isClauseBreak(r rune) bool {
	switch r {
	case '。', '？', '?', '！', '!', '；', ';', '\n':
		return true
	}
	return false
}

// storyCue reports an everyday cue that may be only the story before a
// question: a weak one, one of a story's kind, or a story's cue.
func (m *scopeModel) storyCue(h labelHit) bool {
	return h.weak || slices.Contains(m.storyKinds, h.label) || slices.Contains(m.storyCues, h.cue)
}

// abusive reports abuse, whether it is said to the assistant, and whether
// the message also asks for a person. An abuse word counts as a word, not
// inside a kinship phrase that runs past it (妈的 of 我妈的医保卡, 他妈 of
// 孩子他妈 and 他妈妈) or a word naming a thing (垃圾站). It is said to the
// assistant with "你" or "你们" shortly before it in its clause (你就是个
// 智障), which no story of illness or disability explains.
func (m *scopeModel) abusive(norm string) (abuse, addressed, person bool) {
	_, person = firstOf(norm, m.abusePerson)
	// A slur on the assistant itself (烂系统, 笨机器人) is said to it,
	// whatever the slur.
	if insultForm.MatchString(norm) {
		return true, true, person
	}
	for _, w := range m.abuse {
		for i := 0; ; {
			j := strings.Index(norm[i:], w)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(w)
			i = start + 1
			if inLongerWord(norm, start, end, m.abuseKin) || inLongerWord(norm, start, end, m.abuseCompound) {
				continue
			}
			abuse = true
			before := norm[:start]
			if k := strings.LastIndexAny(before, " ,.?!;"); k >= 0 {
				before = before[k+1:]
			}
			if rs := []rune(before); len(rs) > addressReach {
				before = string(rs[len(rs)-addressReach:])
			}
			if strings.Contains(before, "你") {
				return true, true, person
			}
		}
	}
	return abuse, false, person
}

// insultForm is a word of contempt right before a word for the assistant:
// the machine, the system, the program, the bot.
var insultForm = regexp.MustCompile(`(?:死|破|烂|蠢|傻|笨|衰|废)(?:机器人|机器|系统|助手|程序|软件|ai|bot)`)

// addressReach is how many characters before an abuse word "你" may stand
// and still be who it is said to (你就是个智障).
const addressReach = 6

// inLongerWord reports whether text[start:end] lies in an occurrence of
// one of words that overlaps it and runs past one of its edges: 妈的 in
// 我妈的, 他妈 in 孩子他妈 (a kinship phrase), 垃圾 in 垃圾站 (a word
// naming a thing), 租车 in 出租车 (a cue's inword).
func inLongerWord(text string, start, end int, words []string) bool {
	for _, k := range words {
		lo := max(0, start-len(k)+1)
		for i := lo; i < end && i < len(text); {
			j := strings.Index(text[i:], k)
			if j < 0 || i+j >= end {
				break
			}
			ks, ke := i+j, i+j+len(k)
			if ke > start && (ks < start || ke > end) {
				return true
			}
			i = ks + 1
		}
	}
	return false
}

// NamesOtherPlace reports a wording that names, as where its service is
// done, a place other than the district's city (scopeModel.placeElsewhere):
// the console and a review round teach such a wording whole when a
// reviewer says it belongs to an item, so that the place stays in the
// lesson.
func (as *Assistant) NamesOtherPlace(text string) bool {
	_, ok := as.scopes.placeElsewhere(as.talk.rewrite(as.a.Normalize(as.cfg.Mask(text))))
	return ok
}

// hukouThere returns the other place a message says someone's household
// registration is in (户口在湖南衡阳, 揭阳户口, 户口一直在老家那边) when it
// says no registration in this city: 户口 after or before the place, or
// kept at home (老家, 那边). A message naming a registration here too
// (老公是深户, 户口在福田) is about a family with one, and is not.
func (m *scopeModel) hukouThere(norm string) (string, bool) {
	if _, ok := firstOf(norm, hukouHere); ok {
		return "", false
	}
	place := ""
	for _, w := range []string{"户口", "户籍"} {
		for start, end := range indexesOf(norm, w) {
			after := clauseOf(norm[end:], hukouReach)
			near := lastRunes(norm[:start], hukouReach)
			before := strings.TrimSuffix(near, "的")
			if slices.ContainsFunc(m.ours, func(p string) bool {
				return strings.Contains(after, p) || strings.HasSuffix(before, p)
			}) {
				return "", false
			}
			if place != "" {
				continue
			}
			lead := strings.TrimLeft(after, "一直还都也 ")
			if p, ok := m.placeNamed(after); ok && hasAnyPrefix(lead, []string{"在", "是"}) {
				place = p
			} else if p, ok := m.placeNamed(near); ok && strings.HasSuffix(before, p) {
				place = p
			} else if hasAny(after, hukouAtHome) && strings.HasPrefix(lead, "在") {
				place = "户籍地"
				if p, ok := m.placeNamed(norm); ok {
					place = p
				}
			}
		}
	}
	return place, place != ""
}

// hukouHere names a registration in this city; hukouAtHome one kept where
// the resident is from.
var (
	hukouHere   = []string{"深户", "深圳户口", "深圳户籍", "深圳户", "福田户口", "福田户籍", "本地户口", "本市户籍"}
	hukouAtHome = []string{"老家", "那边", "乡下"}
)

// hukouReach is how many characters around 户口 may name its place.
const hukouReach = 8

// clauseOf is the start of s up to its clause's end, at most n runes.
func clauseOf(s string, n int) string {
	if i := strings.IndexAny(s, " ,.?!;"); i >= 0 {
		s = s[:i]
	}
	if rs := []rune(s); len(rs) > n {
		s = string(rs[:n])
	}
	return s
}

// lastRunes is the end of s within its clause, at most n runes.
func lastRunes(s string, n int) string {
	if i := strings.LastIndexAny(s, " ,.?!;"); i >= 0 {
		s = s[i+1:]
	}
	if rs := []rune(s); len(rs) > n {
		s = string(rs[len(rs)-n:])
	}
	return s
}

// registeredElsewhere declines, as that place's, item id asked for
// someone registered in another place (hukouThere) when only a household
// registered here may have it (hukouBound).
func (as *Assistant) registeredElsewhere(t *turnState, id string) bool {
	if !as.hukouBound(id) {
		return false // most items: spared reading the message for 户口
	}
	p, ok := as.scopes.hukouThere(t.in.norm)
	if ok {
		t.status, t.scope, t.place, t.reason = OutOfScope, "place", p, "户籍在其他地区的事项："+p
	}
	return ok
}

// hukouBound reports an item every applicant of which must be registered
// in this city or district: a condition naming the registration here with
// no alternative (或, 至少, 一方, 居住).
func (as *Assistant) hukouBound(id string) bool {
	it, ok := as.cfg.Index.Item(id)
	if !ok {
		return false
	}
	return slices.ContainsFunc(it.Conditions, func(c string) bool {
		return hasAny(c, hukouHereConds) && !hasAny(c, hukouAlternatives)
	})
}

// hukouHereConds say the registration here in a condition (not 福田区学
// 位申请条件（户籍、住房…）, a list of criteria).
var hukouHereConds = []string{"深圳市户籍", "深圳户籍", "福田区户籍", "户籍在福田"}

// hukouAlternatives in a condition let someone registered elsewhere in.
var hukouAlternatives = []string{"或", "至少", "一方", "居住", "常住", "非深"}

// adviceForm asks what to eat, drink or buy for one's health (吃什么水果比较
// 好, 煲什么汤喝最好): a doctor's or a shop's question, however the thing
// between is named.
var adviceForm = regexp.MustCompile(`(?:吃|喝|泡|煲|煮|补|买)(?:点|些)?(?:什么|啥|咩)[\p{Han}]{0,4}?(?:比较好|最好|好|合适)`)

// asksAdvice reports a message asking what a doctor, not a service,
// answers: a phrase of health.advice or adviceForm.
func (m *scopeModel) asksAdvice(norm string) bool {
	if _, ok := firstOf(norm, m.healthAdvice); ok {
		return true
	}
	return adviceForm.MatchString(norm)
}
