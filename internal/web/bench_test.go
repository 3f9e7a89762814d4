package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/auth"
)

// BenchmarkChatAPI is one JSON chat turn through the whole web stack
// (headers, metrics, rate limit off, recording in the store) with the
// scripted assistant: the web's own cost per message.
func BenchmarkChatAPI(b *testing.B) {
	e := newEnv(b, sqliteDB(b), &fakeAssistant{}, func(c *Config) { c.ChatRate, c.ChatBurst = 1e9, 1e9 })
	body := `{"message":"生了孩子怎么上户口"}`
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("POST", "/api/v1/chat", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkChatPage renders a conversation page with two answered turns
// (citation cards, halls, chips, feedback forms).
func BenchmarkChatPage(b *testing.B) {
	e := newEnv(b, sqliteDB(b), &fakeAssistant{}, nil)
	c := e.client()
	r := c.postJSON("/api/v1/chat", map[string]string{"message": "上户口"})
	conv := r.body[strings.Index(r.body, `"conversation_id":"`)+19:]
	conv = conv[:strings.Index(conv, `"`)]
	c.postJSON("/api/v1/chat", map[string]string{"conversation_id": conv, "message": "上户口要什么"})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("GET", "/?c="+conv, nil)
		for _, ck := range c.c.Jar.Cookies(mustURL(e.srv.URL)) {
			req.AddCookie(ck) // the conversation's capability
		}
		w := httptest.NewRecorder()
		e.s.ServeHTTP(w, req)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `details class="card"`) {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkDocsCheckPage proofreads the planted notice (587 characters,
// 30 findings) through the check page: parse, check, mark, render.
func BenchmarkDocsCheckPage(b *testing.B) {
	e := newEnv(b, sqliteDB(b), &fakeAssistant{}, nil)
	if _, err := e.auth.AddUser(context.Background(), "agent", "", auth.Agent, "agent password"); err != nil {
		b.Fatal(err)
	}
	c := e.client()
	c.login("agent", "agent password")
	text, err := os.ReadFile("../gongwen/testdata/check/planted_notice.txt")
	if err != nil {
		b.Fatal(err)
	}
	form := url.Values{"csrf": {c.csrf("/admin/docs/check")}, "text": {string(text)}}
	c.post("/admin/docs/check", form) // loads the checker's data
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := c.post("/admin/docs/check", form); r.code != http.StatusOK {
			b.Fatalf("status %d", r.code)
		}
	}
}
