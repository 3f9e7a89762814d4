package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/risk"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

type fakeTranscriber struct {
	got  []byte
	name string
	fail bool
}

func (f *fakeTranscriber) Transcribe(ctx context.Context, audio io.Reader, filename, contentType string) (string, error) {
	if f.fail {
		return "", errors.New("endpoint down")
	}
	f.got, _ = io.ReadAll(audio)
	f.name = filename
	return "生了孩子怎么上户口", nil
}

func postAudio(c *client, data []byte) resp {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("audio", "voice.webm")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+"/api/v1/transcribe", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestTranscribe(t *testing.T) {
	t.Parallel()
	// Without an endpoint there is no voice upload, and the page says so.
	e := newEnv(t, sqliteDB(t), &fakeAssistant{}, nil)
	c := e.client()
	if r := postAudio(c, []byte("RIFF")); r.code != 404 || !strings.Contains(r.body, "未配置语音识别") {
		t.Errorf("no transcriber = %d %s", r.code, r.body)
	}
	if page := c.get("/").body; !strings.Contains(page, `data-transcribe=""`) || strings.Contains(page, `id="voice"`) {
		t.Error("page offers voice input without a transcriber (the browser's own recognition sends audio off the intranet)")
	}
	ft := &fakeTranscriber{}
	e = newEnv(t, sqliteDB(t), &fakeAssistant{}, func(cfg *Config) { cfg.Transcriber = ft })
	c = e.client()
	if page := c.get("/").body; !strings.Contains(page, `data-transcribe="1"`) || !strings.Contains(page, `id="voice"`) {
		t.Error("page does not offer upload")
	}
	r := postAudio(c, []byte("webm audio bytes"))
	if r.code != 200 || r.body != "{\"text\":\"生了孩子怎么上户口\"}\n" || string(ft.got) != "webm audio bytes" || ft.name != "voice.webm" {
		t.Errorf("transcribe = %d %s (got %q as %q)", r.code, r.body, ft.got, ft.name)
	}
	ft.fail = true
	if r := postAudio(c, []byte("x")); r.code != 502 || !strings.Contains(r.body, "请改用文字输入") {
		t.Errorf("failing endpoint = %d %s", r.code, r.body)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/transcribe", strings.NewReader("not multipart"))
	if r := c.do(req); r.code != 400 {
		t.Errorf("no file = %d", r.code)
	}
}

// Every public API route is in the OpenAPI document, and the document
// names no route the server lacks.
func TestOpenAPICoversRoutes(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite, append(append([]store.Migrations{}, serviceMigrations...), citymon.Migrations, risk.Migrations)...)
	e, _, _ := servicesEnvAt(t, db, testNow, func(c *Config) { // every optional part configured
		st := citymon.NewStore(db, c.Now)
		c.City = &CityOps{Store: st, Alerts: citymon.NewAlerts(st, c.Audit), Pipeline: citymon.NewPipeline(st)}
		rs := risk.NewStore(db, c.Now)
		c.Risk = &RiskOps{Store: rs, City: st, Runner: risk.NewRunner(&risk.Live{Areas: rs, City: st, Model: risk.DefaultModel()}, c.Now)}
	})
	doc := e.client().get("/api/openapi.yaml").body
	var documented []string
	for _, m := range regexp.MustCompile(`(?m)^  (/[^:]*):\n    (get|post):`).FindAllStringSubmatch(doc, -1) {
		documented = append(documented, strings.ToUpper(m[2])+" "+m[1])
	}
	sort.Strings(documented)
	want := []string{"GET /api/v1/booking/days", "GET /api/v1/booking/halls", "GET /api/v1/booking/slots", "GET /api/v1/bookings/{code}",
		"GET /api/v1/conversations/{id}", "GET /api/v1/doorstep/catalogue", "GET /api/v1/items/{id}", "GET /healthz", "GET /metrics", "GET /readyz",
		"POST /api/v1/bookings", "POST /api/v1/bookings/{code}/cancel", "POST /api/v1/bookings/{code}/reschedule", "POST /api/v1/chat",
		"POST /api/v1/chat/stream", "POST /api/v1/city/forecasts", "POST /api/v1/city/readings", "POST /api/v1/doorstep/requests", "POST /api/v1/doorstep/requests/lookup", "POST /api/v1/feedback", "POST /api/v1/transcribe"}
	if strings.Join(documented, "\n") != strings.Join(want, "\n") {
		t.Errorf("documented routes:\n%s\nwant:\n%s", strings.Join(documented, "\n"), strings.Join(want, "\n"))
	}
	for _, route := range want {
		method, path, _ := strings.Cut(route, " ")
		path = strings.NewReplacer("{id}", "x", "{code}", "x").Replace(path)
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		if _, pattern := e.s.mux.Handler(req); pattern == "" || pattern == "/" {
			t.Errorf("%s is documented but not served", route)
		}
	}
}

// FuzzChatAPI posts arbitrary messages: the answer is always JSON with a
// status of 200 or 400, never a server error, and what is stored reads back.
func FuzzChatAPI(f *testing.F) {
	for _, s := range []string{"生了孩子怎么上户口", "", "   ", "\x00\xff", strings.Repeat("长", 600), `{"message":1}`, "转人工 110101199003074514"} {
		f.Add(s)
	}
	e := newEnv(f, sqliteDB(f), &fakeAssistant{}, func(c *Config) { c.ChatRate, c.ChatBurst = 1e9, 1e9 })
	f.Fuzz(func(t *testing.T, msg string) {
		body, _ := json.Marshal(map[string]string{"message": msg})
		req := httptest.NewRequest("POST", "/api/v1/chat", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.s.ServeHTTP(w, req)
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("status %d, body not JSON: %q", w.Code, w.Body.String())
		}
		switch w.Code {
		case 200:
			conv, _ := out["conversation_id"].(string)
			tok, _ := out["conversation_token"].(string)
			req := httptest.NewRequest("GET", "/api/v1/conversations/"+conv, nil)
			req.Header.Set("X-Conversation-Token", tok)
			w := httptest.NewRecorder()
			e.s.ServeHTTP(w, req)
			var c struct {
				Turns []struct{ Message string } `json:"turns"`
			}
			if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &c) != nil || len(c.Turns) != 1 {
				t.Fatalf("read back: %d %s", w.Code, w.Body.String())
			}
			// Nothing maskable is left in what was stored.
			if m, kinds := privacy.Mask(c.Turns[0].Message); len(kinds) > 0 {
				t.Fatalf("stored %q unmasked (%v → %q)", c.Turns[0].Message, kinds, m)
			}
		case 400:
			if out["error"] == "" {
				t.Fatal("400 without a message")
			}
		default:
			t.Fatalf("status %d for %q: %s", w.Code, msg, w.Body.String())
		}
	})
}
