package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var titleTag = regexp.MustCompile(`<title>([^<]*)</title>`)

// Each page's title names the site once: "智能咨询 · 福务 · AI 福务管家",
// not "AI 福务管家 · 福务 · AI 福务管家".
func TestPageTitlesNameTheSiteOnce(t *testing.T) {
	e, _, _ := servicesEnv(t, servicesDB(t))
	c := e.client()
	for _, path := range []string{"/", "/items", "/items/FT-001", "/booking?item=FT-001", "/booking/lookup", "/doorstep", "/admin/login", "/no-such-page"} {
		m := titleTag.FindStringSubmatch(c.get(path).body)
		if m == nil || strings.Count(m[1], "AI 福务管家") != 1 {
			t.Errorf("%s: title %q", path, m)
		}
	}
}

// /favicon.ico is an icon, and every page links it.
func TestFavicon(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	r := c.get("/favicon.ico")
	if r.code != 200 || r.hdr.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(r.body, "\x00\x00\x01\x00") {
		t.Errorf("favicon = %d %s %q", r.code, r.hdr.Get("Content-Type"), r.body[:min(8, len(r.body))])
	}
	if !strings.Contains(c.get("/").body, `<link rel="icon" href="/favicon.ico"`) {
		t.Error("pages do not link the icon")
	}
}

// The booking page lists the hall's open days, Saturdays included, and
// does not call them 工作日; each day shows its weekday.
func TestBookingPageDays(t *testing.T) {
	e, _, _ := servicesEnv(t, servicesDB(t)) // Wednesday 2 December 2026
	body := e.client().get("/booking?item=FT-001&hall=HALL-03").body
	if strings.Contains(body, "工作日") || !strings.Contains(body, "12月5日（周六）") || !strings.Contains(body, "12月7日（周一）") {
		t.Errorf("booking days: %s", body[strings.Index(body, "<ol"):])
	}
}

// The door-to-door page promises service to enterprises when its
// catalogue has items for them, marks those, and does not otherwise.
func TestDoorstepEnterpriseItems(t *testing.T) {
	e, _, ds := servicesEnv(t, servicesDB(t))
	c := e.client()
	body := c.get("/doorstep").body
	if !strings.Contains(body, "忙于经营的企业") || !strings.Contains(body, `营业执照变更登记</a> <span class="tag">企业可办</span>`) {
		t.Errorf("no enterprise item: %s", body)
	}
	for _, id := range []string{"FT-090", "FT-097", "FT-101", "FT-102"} {
		if err := ds.SetItemActive(context.Background(), id, false, "test"); err != nil {
			t.Fatal(err)
		}
	}
	if body := c.get("/doorstep").body; strings.Contains(body, "企业") {
		t.Errorf("promises enterprise service with no item for it: %s", body)
	}
}

// The chat page shows an item's online address once, as the 在线办理
// button, and each hall's appointment address once, as its 预约 button;
// the API's answer text keeps them.
func TestChatShowsEachAddressOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteDB(t), nil, nil) // the real assistant
	c := e.client()
	tok := c.csrf("/")
	r := c.post("/chat", url.Values{"csrf": {tok}, "message": {"生了孩子怎么上户口"}})
	page := c.get(r.hdr.Get("Location")).body
	for _, u := range []string{"https://fuwu.example/guide/FT-001", "https://fuwu.example/booking/HALL-01"} {
		if n := strings.Count(page, u); n != 1 {
			t.Errorf("%s shown %d times", u, n)
		}
	}
	if !strings.Contains(page, "见下方“在线办理”") {
		t.Error("the answer does not point to the button")
	}
	api := c.postJSON("/api/v1/chat", map[string]string{"message": "生了孩子怎么上户口"})
	if !strings.Contains(api.body, "https://fuwu.example/guide/FT-001") {
		t.Error("the API's answer lost the address")
	}
}
