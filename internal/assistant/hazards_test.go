package assistant_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

var hazardNow = time.Date(2026, 6, 10, 16, 40, 0, 0, time.FixedZone("CST", 8*3600))

// fakeHazards holds a few communities, some assessed.
type fakeHazards struct {
	areas   []assistant.HazardArea
	current map[string]assistant.HazardStatus
}

func (f *fakeHazards) Areas(context.Context) ([]assistant.HazardArea, error) { return f.areas, nil }

func (f *fakeHazards) Current(_ context.Context, id string) (assistant.HazardStatus, bool, error) {
	st, ok := f.current[id]
	return st, ok, nil
}

func hazardAssistant(t *testing.T) *assistant.Assistant {
	t.Helper()
	obey := "《中华人民共和国突发事件应对法》第七十九条：突发事件发生地的个人应当依法服从……"
	closeBasis := "《中华人民共和国突发事件应对法》第六十七条第（七）项：关闭或者限制使用易受突发事件危害的场所"
	h := &fakeHazards{
		areas: []assistant.HazardArea{
			{ID: "FT-09-1", Name: "福保演示一社区", Street: "福保街道"},
			{ID: "FT-03-2", Name: "福田演示二社区", Street: "福田街道"},
			{ID: "C-FT", Name: "福田社区", Street: "福田街道"},
			{ID: "C-YL1", Name: "园岭一社区", Street: "园岭街道"},
			{ID: "C-YL2", Name: "园岭一社区", Street: "华富街道"}, // the same name in two streets
		},
		current: map[string]assistant.HazardStatus{
			"FT-09-1": {Level: 4, LevelName: "红色风险", At: hazardNow, Confidence: "基于 2/2 个雨量计、1/1 个水位计", Garages: true,
				Reasons: []string{"降雨强度（占 45%，60 分钟雨量 80 mm）", "易涝点积水（占 30%，积水 32 cm）"},
				Advice: []assistant.HazardAdvice{
					{Text: "听从社区和网格员的指挥，按安排转移到安全地点", Basis: obey},
					{Text: "不要进入地下车库，社区将关闭车库出入口", Basis: closeBasis, Garage: true},
				}},
			"C-FT": {Level: 1, LevelName: "蓝色风险", At: hazardNow.Add(-2 * time.Hour), NoData: true, Garages: true,
				Advice: []assistant.HazardAdvice{{Text: "关注暴雨预警和社区通知，不要在易涝点、低洼路段附近停车"}}},
		},
	}
	return demoAssistant(t, func(c *assistant.Config) {
		c.Hazards = h
		c.Now = func() time.Time { return hazardNow }
		c.Location = hazardNow.Location()
	})
}

// "我们XX社区会不会水浸" is answered from the named community's stored
// level, with its reasons, the advice and the regulation behind it; a
// community never assessed gets no level; without a community the
// assistant asks which, and the next message's community is answered
// (about the garage asked first); a place that is a district or street,
// not a community, names none; a service question goes to the catalogue.
func TestHazardQuestions(t *testing.T) {
	t.Parallel()
	as := hazardAssistant(t)
	for _, c := range []struct {
		name   string
		turns  []string
		status assistant.Status
		has    []string
		hasnt  []string
	}{
		{"named, red", []string{"我们福保演示一社区会不会水浸"}, assistant.Answered,
			[]string{"【福保演示一社区 内涝风险】", "当前为红色风险（6月10日 16:40 评估，基于 2/2 个雨量计、1/1 个水位计）", "主要原因：降雨强度（占 45%",
				"1. 听从社区和网格员的指挥", "依据：《中华人民共和国突发事件应对法》第七十九条", "仅供参考"}, nil},
		{"short name and 小区", []string{"福保演示一小区今天暴雨会淹吗"}, assistant.Answered, []string{"红色风险"}, nil},
		{"never assessed", []string{"福田演示二社区下大雨会不会内涝"}, assistant.Answered,
			[]string{"【福田演示二社区 内涝风险】", "目前还没有该社区的内涝风险评估结果，我无法告诉您它的风险等级"}, []string{"色风险", "当前为"}},
		{"garage without a community", []string{"暴雨天地下车库安全吗"}, assistant.Clarify, []string{"请问您住在哪个社区", "地下车库"}, nil},
		{"garage, then the community", []string{"暴雨天地下车库安全吗", "福保演示一社区"}, assistant.Answered,
			[]string{"红色风险", "1. 不要进入地下车库", "第六十七条第（七）项"}, nil},
		{"a district is not a community", []string{"福田区暴雨会不会水浸"}, assistant.Clarify, []string{"请问您住在哪个社区"}, []string{"蓝色风险"}},
		{"the community named", []string{"福田社区暴雨天地下车库安全吗"}, assistant.Answered,
			[]string{"蓝色风险", "暂无读数", "已超过 120 分钟", "地下车库暂无进水风险"}, nil},
		{"two communities of one name", []string{"园岭一社区会水浸吗"}, assistant.Clarify, []string{"园岭街道", "华富街道"}, nil},
		{"asked which, then something else", []string{"暴雨天地下车库安全吗", "居住证怎么办理"}, assistant.Answered, []string{"居住证"}, []string{"内涝风险"}},
		{"a service question", []string{"内涝受灾补助怎么申请"}, "", nil, []string{"内涝风险】", "请问您住在哪个社区"}},
		{"rain, but a hall question", []string{"下雨天一楼办事大厅几点开门"}, "", nil, []string{"内涝风险】", "请问您住在哪个社区"}},
		{"a flooded home asking for help", []string{"家里被水淹了 东西全泡坏了 政府有救助吗"}, assistant.Answered, []string{"临时救助"}, []string{"内涝风险】", "请问您住在哪个社区"}},
		{"a flood, then hardship", []string{"上周大雨家里淹了 日子过不下去了 怎么办"}, "", []string{"临时救助"}, []string{"内涝风险】", "请问您住在哪个社区"}},
		{"flooded before, asking of the danger", []string{"上次暴雨家里淹了 这次会不会又被淹"}, assistant.Clarify, []string{"请问您住在哪个社区"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			conv := ""
			var r assistant.Reply
			for _, q := range c.turns {
				var err error
				r, err = as.Ask(context.Background(), assistant.Request{ConversationID: conv, Message: q, Channel: "test"})
				if err != nil {
					t.Fatal(err)
				}
				conv = r.ConversationID
			}
			if c.status != "" && r.Status != c.status {
				t.Errorf("status %s, want %s: %s", r.Status, c.status, r.Answer)
			}
			for _, h := range c.has {
				if !strings.Contains(r.Answer, h) {
					t.Errorf("answer lacks %q:\n%s", h, r.Answer)
				}
			}
			for _, h := range c.hasnt {
				if strings.Contains(r.Answer, h) {
					t.Errorf("answer has %q:\n%s", h, r.Answer)
				}
			}
		})
	}
}
