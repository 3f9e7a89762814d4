package risk

// Action is one item of a level's checklist for the grid workers.
type Action struct {
	ID    string `json:"id"`
	Level Level  `json:"level"`
	Text  string `json:"text"`
	// Basis is the regulation the action rests on, when one does.
	Basis string `json:"basis,omitempty"`
}

// actions are every level's duties; need says which areas they apply to.
var actions = []struct {
	Action
	need func(Area) bool
}{
	{Action{"patrol", Blue, "巡查易涝点、雨水篦子和排水口，清除堵塞", "《防洪法》第十四条：城市人民政府应当加强对城区排涝管网、泵站的建设和管理"}, nil},
	{Action{"pump-standby", Blue, "通知泵站值守人员到岗，检查机组", ""}, func(a Area) bool { return a.Pumps > 0 }},
	{Action{"notify-vulnerable", Blue, "电话提醒独居老人和首层住户关注雨情", ""}, func(a Area) bool { return a.ElderlyAlone+a.GroundFloor > 0 }},
	{Action{"garage-boards", Yellow, "地下车库出入口挡水板、沙袋就位，提醒车主挪车", ""}, func(a Area) bool { return a.Garages > 0 }},
	{Action{"underpass-guard", Yellow, "下穿通道安排专人值守，准备封闭设施", ""}, func(a Area) bool { return a.Underpasses > 0 }},
	{Action{"pump-start", Yellow, "泵站预开机，降低前池水位", ""}, func(a Area) bool { return a.Pumps > 0 }},
	{Action{"ponding-watch", Yellow, "易涝点设置警示标志并专人看守", ""}, nil},
	{Action{"garage-close", Orange, "关闭地下车库出入口，禁止车辆驶入", "《突发事件应对法》第六十七条第（七）项：关闭或者限制使用易受突发事件危害的场所"}, func(a Area) bool { return a.Garages > 0 }},
	{Action{"underpass-close", Orange, "封闭积水下穿通道，设置绕行指引", "《突发事件应对法》第六十七条第（七）项：关闭或者限制使用易受突发事件危害的场所"}, func(a Area) bool { return a.Underpasses > 0 }},
	{Action{"mobile-pumps", Orange, "申请调派移动泵车到积水点", ""}, nil},
	{Action{"prepare-transfer", Orange, "联系独居老人、首层住户，做好转移准备", "《突发事件应对法》第六十七条第（六）项"}, func(a Area) bool { return a.ElderlyAlone+a.GroundFloor > 0 }},
	{Action{"transfer", Red, "转移受威胁的独居老人、首层住户并妥善安置", "《突发事件应对法》第六十七条第（六）项：转移、疏散或者撤离易受突发事件危害的人员并予以妥善安置"}, nil},
	{Action{"stop-outdoor", Red, "停止户外作业和集会，劝离积水区域行人", "《突发事件应对法》第六十七条"}, nil},
	{Action{"report-hq", Red, "向区三防指挥部报告险情，请求增援", ""}, nil},
}

// ChecklistFor is what level l calls for in area a: every applicable
// action of l and of the levels below it.
func ChecklistFor(a Area, l Level) []Action {
	out := []Action{}
	for _, x := range actions {
		if x.Level <= l && (x.need == nil || x.need(a)) {
			out = append(out, x.Action)
		}
	}
	return out
}

// Advice is one thing a level asks of residents.
type Advice struct {
	Text  string `json:"text"`
	Basis string `json:"basis,omitempty"`
	// Garage marks advice about underground garages.
	Garage bool `json:"garage,omitempty"`
}

// Regulations residents' advice rests on (突发事件应对法, 2024 revision).
const (
	basisClose  = "《中华人民共和国突发事件应对法》第六十七条第（七）项：关闭或者限制使用易受突发事件危害的场所"
	basisObey   = "《中华人民共和国突发事件应对法》第七十九条：突发事件发生地的个人应当依法服从人民政府、居民委员会、村民委员会或者所属单位的指挥和安排，配合人民政府采取的应急处置措施"
	basisAdvise = "《中华人民共和国突发事件应对法》第六十七条第（五）项：及时向社会发布有关采取特定措施避免或者减轻危害的建议、劝告"
)

// advice is what each level asks of residents, the residents' side of
// the grid workers' checklist; need says which areas it applies to.
var advice = []struct {
	Advice
	level Level
	need  func(Area) bool
}{
	{Advice{"关注暴雨预警和社区通知，不要在易涝点、低洼路段附近停车", basisAdvise, false}, Blue, nil},
	{Advice{"尽快把车辆从地下车库挪到地面高处，不要在地下车库逗留", basisAdvise, true}, Yellow, func(a Area) bool { return a.Garages > 0 }},
	{Advice{"首层住户备好挡水板、沙袋，把电器和贵重物品移到高处", "", false}, Yellow, func(a Area) bool { return a.GroundFloor > 0 }},
	{Advice{"不要进入地下车库，社区将关闭车库出入口", basisClose, true}, Orange, func(a Area) bool { return a.Garages > 0 }},
	{Advice{"不要进入积水的下穿通道，按绕行指引通行", basisClose, false}, Orange, func(a Area) bool { return a.Underpasses > 0 }},
	{Advice{"减少外出，避开积水路段，不要涉水行走或驾车通过积水", basisAdvise, false}, Orange, nil},
	{Advice{"独居老人、首层住户及其家人请保持电话畅通，做好随时转移的准备", "", false}, Orange, func(a Area) bool { return a.ElderlyAlone+a.GroundFloor > 0 }},
	{Advice{"听从社区和网格员的指挥，按安排转移到安全地点", basisObey, false}, Red, nil},
	{Advice{"停止户外活动，远离积水区域、地下空间和低洼处；发现险情拨打 110 或 119", "", false}, Red, nil},
}

// ResidentAdvice is what level l asks of the residents of area a: every
// applicable piece of advice of l and of the levels below it, the most
// urgent first.
func ResidentAdvice(a Area, l Level) []Advice {
	var out []Advice
	for i := len(advice) - 1; i >= 0; i-- {
		x := advice[i]
		if x.level <= l && (x.need == nil || x.need(a)) {
			out = append(out, x.Advice)
		}
	}
	return out
}
