package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
)

// consoleRoles signs in one client per role, each an account named for
// its role (servicesEnv's agent and editor, and one made here for every
// other role), and one resident, anonymous, under "".
func consoleRoles(t *testing.T, e *env) map[string]*client {
	t.Helper()
	out := map[string]*client{"": e.client()}
	for _, role := range auth.Roles {
		name := string(role)
		if _, err := e.auth.AddUser(t.Context(), name, "", role, name+" password"); err != nil && !errors.Is(err, auth.ErrUserExists) {
			t.Fatal(err)
		}
		c := e.client()
		if r := c.login(name, name+" password"); r.code != 303 {
			t.Fatalf("%s login = %d", name, r.code)
		}
		out[name] = c
	}
	return out
}

var pathValue = regexp.MustCompile(`\{[^}]+\}`)

// TestEveryConsoleRouteNeedsItsPermission walks the route table as bound:
// every console route sends an anonymous GET to the login page and
// refuses an anonymous POST (401), refuses each role without the route's
// permission (403), and lets the roles holding it past the check.
func TestEveryConsoleRouteNeedsItsPermission(t *testing.T) {
	t.Parallel()
	e, _, _ := servicesEnv(t, servicesDB(t))
	as := consoleRoles(t, e)
	anonToken := as[""].csrf("/admin/login")
	n := 0
	for _, rt := range e.s.bound {
		if rt.perm == "" {
			continue
		}
		n++
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = pathValue.ReplaceAllString(path, "x")
		r := send(as[""], method, path, anonToken)
		switch {
		case method == "GET" && (r.code != 303 || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login?next=")):
			t.Errorf("anonymous %s = %d %s", rt.pattern, r.code, r.hdr.Get("Location"))
		case method == "POST" && (r.code != 401 || !strings.Contains(r.body, "请先登录")):
			t.Errorf("anonymous %s = %d", rt.pattern, r.code)
		}
		for _, role := range auth.Roles {
			c := as[string(role)]
			r := send(c, method, path, c.csrf("/admin"))
			refused := r.code == 403 && strings.Contains(r.body, "无权访问")
			if role.Can(rt.perm) == refused {
				t.Errorf("%s as %s = %d, permission %s held: %v", rt.pattern, role, r.code, rt.perm, role.Can(rt.perm))
			}
		}
	}
	if n < 40 { // 43 with appointments and door-to-door, without the lexicon
		t.Errorf("only %d console routes walked", n)
	}
}

// send makes a request with a CSRF token (POST as a form).
func send(c *client, method, path, token string) resp {
	if method == "POST" {
		return c.post(path, url.Values{"csrf": {token}})
	}
	return c.get(path)
}

// scenario is one request and what it must answer: who asks (a role, or
// "" for a resident), the request, and the status and text of the answer.
// Together the rows pin every refusal the routes give to its status.
type scenario struct {
	name         string
	as           string
	method, path string
	form         url.Values // a form, posted with the caller's CSRF token
	json         any        // or a JSON body
	raw          string     // or a raw body (not JSON)
	status       int
	contains     []string // in the body, or in the Location of a redirect
	absent       []string
}

func TestRouteScenarios(t *testing.T) {
	t.Parallel()
	e, _, _ := servicesEnv(t, servicesDB(t))
	as := consoleRoles(t, e)
	long := strings.Repeat("x", 101)
	for _, s := range []scenario{
		// Residents' pages.
		{name: "unknown page", method: "GET", path: "/nope", status: 404, contains: []string{"页面不存在"}},
		{name: "item not published", method: "GET", path: "/items/NOPE", status: 404, contains: []string{"没有找到这个事项"}},
		{name: "booking without an item", method: "GET", path: "/booking?item=NOPE", status: 404, contains: []string{"请先在办事指南中选择要预约的事项"}},
		{name: "booking refused", method: "POST", path: "/booking", form: url.Values{"item": {"FT-001"}, "hall": {"HALL-01"}, "day": {"2026-12-03"}, "start": {"09:00"}, "name": {"张"}, "mobile": {"1"}},
			status: 422, contains: []string{"预约没有成功"}},
		{name: "booking code and digits wrong", method: "POST", path: "/booking/cancel", form: url.Values{"code": {"ABCD1234"}, "m": {"0000"}},
			status: 404, contains: []string{"预约码或手机号后四位不正确"}},
		{name: "doorstep item not offered", method: "GET", path: "/doorstep?item=NOPE", status: 404, contains: []string{"该事项暂不提供上门服务"}},
		{name: "doorstep refused", method: "POST", path: "/doorstep", form: url.Values{"applicant": {"张三"}, "phone": {"123"}},
			status: 422, contains: []string{"提交没有成功"}},
		{name: "doorstep number unknown", method: "POST", path: "/doorstep/lookup", form: url.Values{"number": {"SM-NOPE"}, "phone": {"13612345678"}},
			status: 404, contains: []string{"未找到该上门服务申请"}},
		{name: "empty chat message", method: "POST", path: "/chat", form: url.Values{"message": {" "}}, status: 303, contains: []string{"err=web.no_question"}},
		{name: "rating another's answer", method: "POST", path: "/feedback", form: url.Values{"conversation_id": {"c1"}, "turn_id": {"1"}, "score": {"5"}},
			status: 303, contains: []string{"err=web.no_rated_answer"}},
		{name: "rating out of scale", method: "POST", path: "/feedback", form: url.Values{"conversation_id": {"c1"}, "turn_id": {"1"}, "score": {"9"}},
			status: 303, contains: []string{"err=web.bad_score"}},
		{name: "rating not a number", method: "POST", path: "/feedback", form: url.Values{"conversation_id": {"c1"}, "turn_id": {"1"}, "score": {"满分<b>"}},
			status: 303, contains: []string{"err=web.bad_form_field"}, absent: []string{"满分", "%3Cb%3E"}},
		{name: "rating of zero", method: "POST", path: "/feedback", form: url.Values{"conversation_id": {"c1"}, "turn_id": {"1"}, "score": {"0"}},
			status: 303, contains: []string{"err=web.bad_score"}},
		// The page's form and the API book through one core: the same refusal.
		{name: "booking refused as by the API", method: "POST", path: "/booking", form: url.Values{"item": {"FT-001"}, "hall": {"HALL-01"}, "day": {"2026-12-03"}, "start": {"09:00"}, "name": {"张三"}, "mobile": {"1"}},
			status: 422, contains: []string{"预约没有成功", "手机号码格式不正确"}},
		{name: "doorstep kind unknown", method: "POST", path: "/doorstep", form: url.Values{"kind": {"robot"}, "applicant": {"张三"}, "phone": {"13612345678"}},
			status: 422, contains: []string{"提交没有成功", "填写的内容不完整或格式不正确"}, absent: []string{"robot"}},

		// Residents' API.
		{name: "API: not JSON", method: "POST", path: "/api/v1/chat", raw: "{", status: 400, contains: []string{"请求体不是有效的 JSON"}},
		{name: "API: empty message", method: "POST", path: "/api/v1/chat", json: map[string]string{"message": ""}, status: 400, contains: []string{"请输入您的问题"}},
		{name: "API: message too long", method: "POST", path: "/api/v1/chat", json: map[string]string{"message": strings.Repeat("问", 501)}, status: 400, contains: []string{"问题太长了"}},
		{name: "API: conversation id too long", method: "POST", path: "/api/v1/chat", json: map[string]string{"message": "上户口", "conversation_id": long}, status: 400, contains: []string{"conversation_id 无效"}},
		{name: "API: someone else's conversation", method: "GET", path: "/api/v1/conversations/c1", status: 404, contains: []string{"对话不存在或已过期"}},
		{name: "API: rating without a conversation", method: "POST", path: "/api/v1/feedback", json: map[string]any{"turn_id": 1, "score": 5}, status: 400, contains: []string{"缺少 conversation_id"}},
		{name: "API: rating without a turn", method: "POST", path: "/api/v1/feedback", json: map[string]any{"conversation_id": "c1", "score": 5}, status: 400, contains: []string{"缺少 turn_id"}},
		{name: "API: rating another's answer", method: "POST", path: "/api/v1/feedback", json: map[string]any{"conversation_id": "c1", "turn_id": 1, "score": 5}, status: 404, contains: []string{"找不到要评价的回答"}},
		{name: "API: rating out of scale", method: "POST", path: "/api/v1/feedback", json: map[string]any{"conversation_id": "c1", "turn_id": 1, "score": 6}, status: 400, contains: []string{"评价须为 1 到 5 分"}},
		{name: "API: no speech recognition", method: "POST", path: "/api/v1/transcribe", raw: "x", status: 404, contains: []string{"本服务未配置语音识别"}},
		{name: "API: item unknown", method: "GET", path: "/api/v1/items/NOPE", status: 404, contains: []string{"事项不存在"}},
		{name: "API: booking unknown", method: "GET", path: "/api/v1/bookings/ABCD1234?mobile_last4=0000", status: 404, contains: []string{"预约码或手机号后四位不正确"}},
		{name: "API: booking refused", method: "POST", path: "/api/v1/bookings", json: map[string]string{"item_id": "FT-001", "hall_id": "HALL-01", "day": "2026-12-03", "start": "09:00", "name": "张三", "mobile": "1"},
			status: 422, contains: []string{"手机号码格式不正确"}},
		{name: "API: doorstep kind unknown", method: "POST", path: "/api/v1/doorstep/requests", json: map[string]string{"kind": "robot"}, status: 422},
		{name: "API: doorstep wrong phone looks like unknown", method: "POST", path: "/api/v1/doorstep/requests/lookup", json: map[string]string{"number": "SM-NOPE", "phone": "13612345678"},
			status: 404, contains: []string{"未找到该上门服务申请"}},

		// Staff console.
		{name: "account unknown", as: "admin", method: "POST", path: "/admin/users/999", form: url.Values{"role": {"editor"}}, status: 404, contains: []string{"账号不存在"}},
		{name: "account id not a number", as: "admin", method: "POST", path: "/admin/users/x/password", status: 404, contains: []string{"账号不存在"}},
		{name: "unknown role", as: "admin", method: "POST", path: "/admin/users", form: url.Values{"username": {"zhao"}, "role": {"root"}, "password": {"long enough password"}},
			status: 303, contains: []string{"err=auth.unknown_role"}},
		{name: "weak password", as: "admin", method: "POST", path: "/admin/users", form: url.Values{"username": {"zhao"}, "role": {"editor"}, "password": {"short"}},
			status: 303, contains: []string{"err=auth.weak_password"}},
		{name: "item unknown", as: "editor", method: "GET", path: "/admin/items/NOPE", status: 404, contains: []string{"事项不存在"}},
		{name: "status unknown", as: "reviewer", method: "POST", path: "/admin/items/FT-001/status", form: url.Values{"to": {"gone"}}, status: 400, contains: []string{"未知的状态"}},
		{name: "status of an unknown item", as: "reviewer", method: "POST", path: "/admin/items/NOPE/status", form: url.Values{"to": {"review"}}, status: 404, contains: []string{"事项不存在"}},
		{name: "status the item cannot take", as: "reviewer", method: "POST", path: "/admin/items/FT-001/status", form: url.Values{"to": {"review"}}, status: 409, contains: []string{"无法变更状态"}},
		{name: "publishing without the right", as: "editor", method: "POST", path: "/admin/items/FT-001/status", form: url.Values{"to": {"published"}}, status: 403, contains: []string{"无权发布或撤回事项"}},
		{name: "revision step unknown", as: "editor", method: "POST", path: "/admin/items/FT-001/revision", form: url.Values{"do": {"fly"}}, status: 400, contains: []string{"未知的修订操作"}},
		{name: "revision that is not there", as: "editor", method: "POST", path: "/admin/items/FT-001/revision", form: url.Values{"do": {"submit"}}, status: 303, contains: []string{"err=revision.refused"}},
		{name: "revision of an unknown item", as: "editor", method: "POST", path: "/admin/items/NOPE/revision", form: url.Values{"do": {"submit"}}, status: 404, contains: []string{"事项不存在"}},
		{name: "FAQ incomplete", as: "editor", method: "POST", path: "/admin/faq", form: url.Values{"question": {"q"}}, status: 303, contains: []string{"err=faq.incomplete"}},
		{name: "hall unknown", as: "editor", method: "GET", path: "/admin/halls/NOPE", status: 404, contains: []string{"服务大厅不存在"}},
		{name: "hall change step unknown", as: "reviewer", method: "POST", path: "/admin/halls/HALL-01/change", form: url.Values{"do": {"fly"}}, status: 400, contains: []string{"未知操作"}},
		{name: "hall change that is not there", as: "reviewer", method: "POST", path: "/admin/halls/HALL-01/change", form: url.Values{"do": {"publish"}}, status: 303, contains: []string{"err=web.no_hall_change"}},
		{name: "conversation unknown", as: "editor", method: "GET", path: "/admin/conversations/nope", status: 404, contains: []string{"对话不存在。"}},
		{name: "ticket unknown", as: "agent", method: "GET", path: "/admin/handoffs/999", status: 404, contains: []string{"工单不存在"}},
		{name: "ticket id not a number", as: "agent", method: "POST", path: "/admin/handoffs/x/claim", status: 404, contains: []string{"工单不存在"}},
		{name: "booking action unknown", as: "agent", method: "POST", path: "/admin/booking/ABCD1234/fly", status: 404, contains: []string{"没有这个操作"}},
		{name: "booking check-in refused", as: "agent", method: "POST", path: "/admin/booking/ABCD1234/checkin", form: url.Values{"hall": {"HALL-01"}, "day": {"2026-12-02"}},
			status: 303, contains: []string{"err=booking.not_found"}},
		{name: "doorstep request unknown", as: "agent", method: "GET", path: "/admin/doorstep/999", status: 404, contains: []string{"未找到该上门服务申请"}},
		{name: "doorstep action unknown", as: "agent", method: "POST", path: "/admin/doorstep/1/fly", status: 404, contains: []string{"没有这个操作"}},
		{name: "doorstep catalogue action unknown", as: "agent", method: "POST", path: "/admin/doorstep/catalogue", form: url.Values{"action": {"fly"}}, status: 400, contains: []string{"没有这个操作"}},
		{name: "specialist refused", as: "agent", method: "POST", path: "/admin/doorstep/specialists", form: url.Values{"name": {""}}, status: 303, contains: []string{"err=doorstep."}},
		{name: "specialist load not a number", as: "agent", method: "POST", path: "/admin/doorstep/specialists", form: url.Values{"name": {"王五"}, "max_load": {"很多"}},
			status: 303, contains: []string{"err=web.bad_form_field"}, absent: []string{"很多", "%E5%BE%88"}},
		{name: "lexicon not configured", as: "admin", method: "GET", path: "/admin/sensitive", status: 404, contains: []string{"页面不存在"}},
		{name: "draft without a type", as: "editor", method: "POST", path: "/admin/docs/draft", form: url.Values{"type": {"诗"}}, status: 400, contains: []string{"请选择文种"}},
		{name: "export of a forged draft", as: "editor", method: "POST", path: "/admin/docs/export", form: url.Values{"format": {"txt"}, "doc": {"x"}, "sig": {"y"}}, status: 400, contains: []string{"草稿已失效"}},
	} {
		c := as[s.as]
		var r resp
		switch {
		case s.form != nil || (s.method == "POST" && s.json == nil && s.raw == ""):
			if s.form == nil {
				s.form = url.Values{}
			}
			tokenPage := "/"
			if s.as != "" {
				tokenPage = "/admin"
			}
			s.form.Set("csrf", c.csrf(tokenPage))
			r = c.post(s.path, s.form)
		case s.json != nil:
			r = c.postJSON(s.path, s.json)
		case s.raw != "":
			req, _ := http.NewRequest(s.method, e.srv.URL+s.path, strings.NewReader(s.raw))
			req.Header.Set("Content-Type", "application/json")
			r = c.do(req)
		default:
			r = c.get(s.path)
		}
		got := r.body
		if r.code == 303 {
			got = r.hdr.Get("Location")
		}
		if r.code != s.status {
			t.Errorf("%s: %s %s = %d, want %d: %.300s", s.name, s.method, s.path, r.code, s.status, got)
			continue
		}
		for _, want := range s.contains {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %s %s does not say %q: %.300s", s.name, s.method, s.path, want, got)
			}
		}
		for _, no := range s.absent {
			if strings.Contains(got, no) {
				t.Errorf("%s: %s %s says %q", s.name, s.method, s.path, no)
			}
		}
	}
}
