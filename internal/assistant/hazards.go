package assistant

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"
)

// Waterlogging questions: "我们XX社区会不会水浸", "暴雨天地下车库安全吗".
// The assistant answers from the current level of the community the
// resident names — as the district's risk model last assessed it — with
// what that level asks of residents and the regulation behind it. It asks
// which community when none is named, and never states a level the model
// has not assessed.

// Hazards gives the current waterlogging risk of the district's
// communities. It is implemented over the risk store (cmd/fuwu).
type Hazards interface {
	// Areas lists the communities a resident may name.
	Areas(ctx context.Context) ([]HazardArea, error)
	// Current is a community's latest assessment; ok is false when it has
	// never been assessed.
	Current(ctx context.Context, id string) (HazardStatus, bool, error)
}

// HazardArea is a community as residents name it.
type HazardArea struct {
	ID     string
	Name   string // 福保演示一社区
	Street string
}

// HazardStatus is a community's latest assessment as a resident reads it.
type HazardStatus struct {
	Level     int    // 0 none … 4 red
	LevelName string // 红色风险, 无明显风险
	At        time.Time
	Reasons   []string // the factors that drove it, with their shares
	// Confidence states the data it rests on ("基于 2/2 个雨量计"); NoData
	// that no gauge reported.
	Confidence string
	NoData     bool
	Synthetic  bool // the community is the synthetic demo's
	Garages    bool // the community has underground garages
	// Advice is what the level asks of residents, each with the
	// regulation it rests on (if one does).
	Advice []HazardAdvice
}

// HazardAdvice is one piece of advice to residents.
type HazardAdvice struct {
	Text  string
	Basis string
	// Garage marks advice about underground garages, put first when the
	// resident asks about one.
	Garage bool
}

// statusHazard marks a turn answering a waterlogging question.
const statusHazard Status = "hazard"

// hazardStale is how old an assessment may be before the answer says the
// level may have changed.
const hazardStale = 30 * time.Minute

var (
	// Words that name waterlogging or the rain that causes it.
	hazardWords = []string{"水浸", "水淹", "被淹", "淹水", "淹了", "会淹", "浸水", "进水", "内涝", "积水", "涝", "暴雨", "大暴雨", "大雨", "下大雨", "强降雨", "雨很大", "雨太大"}
	// Places residents worry about in a storm.
	hazardPlaces = []string{"地下车库", "车库", "地库", "地下停车场", "下穿通道", "隧道", "地下室", "低洼"}
	// Words that ask about the danger rather than a service.
	hazardAsk = []string{"会不会", "会淹", "安全", "危险", "风险", "严重", "怎么样", "要不要", "能不能", "可不可以", "吗", "么", "情况", "等级", "预警", "注意", "怎么办", "?", "？"}
	// Words of a service question (a subsidy after a flood, a claim):
	// those go to the catalogue.
	hazardService = []string{"申请", "办理", "补贴", "补助", "补偿", "赔偿", "理赔", "材料", "流程", "报销", "证明", "救助", "救济", "帮扶", "慰问", "安置", "资助"}
	// Words that ask what the water may do: the danger to come, not a
	// loss already suffered.
	hazardDanger = []string{"会不会", "会淹", "安全", "危险", "风险", "严重", "等级", "预警", "注意", "小心"}
	// What may follow a community's short name when the words name
	// something else (福田 of 福田街道, 福田区, 福田河).
	hazardNotArea = []string{"街道", "区", "河", "路", "口岸", "站", "大道"}
	garageWords   = []string{"车库", "地库", "停车场"}
)

// hazardTurn is the waterlogging part of one turn, decided in resolve.
type hazardTurn struct {
	area    *HazardArea
	choices []HazardArea // several communities fit the name
	garage  bool         // the resident asks about an underground garage
	status  HazardStatus
	known   bool // the community has an assessment
	err     error
}

// sufferedLoss reports a situation of a loss already suffered: a
// disaster struck, a family in hardship.
func sufferedLoss(s *situation) bool { return s.name == "disaster" || s.name == "hardship" }

// asksDanger reports a message asking what the water may do: a danger
// word, or 会 before a word of waterlogging (会水浸, 会被淹).
func asksDanger(norm string) bool {
	if hasAny(norm, hazardDanger) {
		return true
	}
	return slices.ContainsFunc(hazardWords, func(w string) bool { return strings.Contains(norm, "会"+w) })
}

// asksHazard reports whether a message asks about waterlogging danger.
func asksHazard(norm string) bool {
	if hasAny(norm, hazardService) {
		return false
	}
	hazard := hasAny(norm, hazardWords)
	place := hasAny(norm, hazardPlaces)
	switch {
	case hazard && hasAny(norm, hazardAsk):
		return true
	case place && (hazard || strings.Contains(norm, "下雨") || strings.Contains(norm, "雨天")) && hasAny(norm, hazardAsk):
		return true
	}
	return false
}

// findCommunities returns the communities a message names: by full name,
// by name without its 社区 suffix (not when what follows makes it a
// street, district or river), or by id; the longest names win.
func findCommunities(norm string, areas []HazardArea, normalize func(string) string) []HazardArea {
	best := 0
	var out []HazardArea
	seen := map[string]bool{}
	for _, a := range areas {
		n := 0
		full := normalize(a.Name)
		keys := []string{full, strings.TrimSuffix(strings.TrimSuffix(full, "社区"), "小区")}
		if a.ID != "" {
			keys = append(keys, strings.ToLower(a.ID))
		}
		for _, k := range keys {
			if len([]rune(k)) < 2 || len([]rune(k)) <= n {
				continue
			}
			for from := 0; ; {
				i := strings.Index(norm[from:], k)
				if i < 0 {
					break
				}
				rest := norm[from+i+len(k):]
				ok := k == full
				if !ok {
					ok = true
					for _, x := range hazardNotArea {
						if strings.HasPrefix(rest, x) {
							ok = false
						}
					}
				}
				if ok {
					n = len([]rune(k))
					break
				}
				from += i + len(k)
			}
		}
		switch {
		case n == 0 || n < best:
		case n > best:
			best, out, seen = n, []HazardArea{a}, map[string]bool{a.ID: true}
		case !seen[a.ID]:
			out = append(out, a)
			seen[a.ID] = true
		}
	}
	return out
}

// resolveHazard takes the turn when it asks about waterlogging, or names
// the community the previous turn asked for.
func (as *Assistant) resolveHazard(ctx context.Context, t *turnState) bool {
	h := as.cfg.Hazards
	if h == nil {
		return false
	}
	norm := t.in.norm
	pending := t.state.HazardAsk
	t.state.HazardAsk = false
	asks := asksHazard(norm)
	// A home already flooded or a family in hardship, told without asking
	// after the danger ("家里淹了 日子过不下去了 怎么办"), asks for help: the
	// catalogue's.
	if asks && !asksDanger(norm) && slices.ContainsFunc(as.situations.detect(norm), sufferedLoss) {
		asks = false
	}
	if !asks && !pending {
		return false
	}
	areas, err := h.Areas(ctx)
	if err != nil {
		slog.WarnContext(ctx, "hazards: areas", "err", err)
		if !asks {
			return false
		}
		t.status, t.hazard = statusHazard, &hazardTurn{err: err}
		return true
	}
	found := findCommunities(norm, areas, as.cfg.Analyzer.Normalize)
	if !asks && len(found) == 0 {
		return false // asked about something else instead
	}
	ht := &hazardTurn{garage: hasAny(norm, garageWords) || pending && t.state.HazardGarage}
	t.state.HazardGarage = false
	t.status, t.hazard = statusHazard, ht
	switch len(found) {
	case 0:
		t.state.HazardAsk, t.state.HazardGarage = true, ht.garage
		return true
	case 1:
	default:
		ht.choices = found
		t.state.HazardAsk, t.state.HazardGarage = true, ht.garage
		return true
	}
	ht.area = &found[0]
	ht.status, ht.known, ht.err = h.Current(ctx, found[0].ID)
	if ht.err != nil {
		slog.WarnContext(ctx, "hazards: current", "area", found[0].ID, "err", ht.err)
	}
	return true
}

// composeHazard answers a waterlogging question, or asks which community.
func (as *Assistant) composeHazard(t *turnState, r *Reply) {
	ht := t.hazard
	r.Status = Answered
	var b strings.Builder
	switch {
	case ht.err != nil:
		b.WriteString("抱歉，内涝风险信息暂时无法查询。请关注深圳市气象部门发布的暴雨预警和社区通知；遇到险情请拨打 110 或 119。")
	case len(ht.choices) > 0:
		r.Status = Clarify
		b.WriteString("有几个社区的名称相近，请问您说的是哪一个？")
		for _, a := range ht.choices {
			fmt.Fprintf(&b, "\n- %s（%s）", a.Name, a.Street)
			r.Suggestions = append(r.Suggestions, a.Name)
		}
	case ht.area == nil:
		r.Status = Clarify
		b.WriteString("请问您住在哪个社区？告诉我社区名称，我按该社区当前的内涝风险等级告诉您需要注意什么。")
		if ht.garage {
			b.WriteString("地下车库是否安全要看所在社区的积水情况。")
		}
	case !ht.known:
		fmt.Fprintf(&b, "【%s 内涝风险】\n", ht.area.Name)
		b.WriteString("目前还没有该社区的内涝风险评估结果，我无法告诉您它的风险等级。")
		b.WriteString("\n请关注深圳市气象部门发布的暴雨预警和社区、网格员的通知；暴雨时不要进入积水的地下车库、地下室和下穿通道，不要涉水行走或驾车。遇到险情请拨打 110 或 119。")
	default:
		as.writeHazardLevel(&b, t, ht)
	}
	r.Answer = b.String()
	if r.Suggestions == nil {
		r.Suggestions = []string{}
	}
}

func (as *Assistant) writeHazardLevel(b *strings.Builder, t *turnState, ht *hazardTurn) {
	st := ht.status
	fmt.Fprintf(b, "【%s 内涝风险】\n", ht.area.Name)
	at := st.At.In(as.cfg.Location).Format("1月2日 15:04")
	fmt.Fprintf(b, "当前为%s（%s 评估", st.LevelName, at)
	switch {
	case st.NoData:
		b.WriteString("；所用雨量计、水位计暂无读数，此等级仅依据降雨预报和社区基础情况")
	case st.Confidence != "":
		b.WriteString("，" + st.Confidence)
	}
	b.WriteString("）。")
	if age := as.cfg.Now().Sub(st.At); age > hazardStale {
		fmt.Fprintf(b, "这次评估距今已超过 %d 分钟，实际情况可能已有变化。", int(age.Minutes()))
	}
	if len(st.Reasons) > 0 && st.Level > 0 {
		b.WriteString("\n主要原因：" + strings.Join(st.Reasons, "；") + "。")
	}
	advice := append([]HazardAdvice(nil), st.Advice...)
	if ht.garage {
		sort.SliceStable(advice, func(i, j int) bool { return advice[i].Garage && !advice[j].Garage })
		switch {
		case !st.Garages:
			b.WriteString("\n该社区的登记信息中没有地下车库；如您停车的车库在其他社区，请告诉我那个社区的名称。")
		case st.Level < 2:
			b.WriteString("\n按当前等级，地下车库暂无进水风险，无需挪车；雨势加大时请留意社区通知。")
		}
	}
	if len(advice) > 0 {
		b.WriteString("\n请注意：")
		for i, a := range advice {
			fmt.Fprintf(b, "\n%d. %s", i+1, a.Text)
			if a.Basis != "" {
				fmt.Fprintf(b, "（依据：%s）", a.Basis)
			}
		}
	}
	b.WriteString("\n\n以上等级由区内涝风险模型根据雨量、水位和降雨预报自动评估，仅供参考，请以区三防指挥部和气象部门发布的预警为准。遇到险情请拨打 110 或 119。")
	if st.Synthetic {
		b.WriteString("\n（当前为演示系统，社区和监测数据为合成数据。）")
	}
}
