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
	{Action{"garage-close", Orange, "关闭地下车库出入口，禁止车辆驶入", "《突发事件应对法》第六十七条：封锁危险场所"}, func(a Area) bool { return a.Garages > 0 }},
	{Action{"underpass-close", Orange, "封闭积水下穿通道，设置绕行指引", "《突发事件应对法》第六十七条：封锁危险场所"}, func(a Area) bool { return a.Underpasses > 0 }},
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
