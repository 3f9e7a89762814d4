package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/gongwen"
	"github.com/fuwu-gov/fuwu/internal/greening"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// templates holds one parsed set per page: the shared partials (layout,
// csrf, the chat turn) plus that page's "title" and "content".
type templates struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"join":        strings.Join,
	"statusLabel": func(s kb.Status) string { return s.Label() },
	"roleLabel":   func(r auth.Role) string { return r.Label() },
	"scoreLabel": func(s convo.Score) string {
		return s.Label() // "" when not rated
	},
	"time":     func(any) string { return "" }, // replaced per server by zoneFuncs
	"weekday":  clock.Day,
	"linkText": linkText,
	"link":     itemLink,
	"ailabel":  func() string { return assistant.AILabel },
	"lines":    func(s []string) string { return strings.Join(s, "\n") },
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
	"add":           func(a, b int) int { return a + b },
	"pct1":          func(x float64) string { return fmt.Sprintf("%.1f%%", x*100) },
	"pct0":          func(x float64) string { return fmt.Sprintf("%.0f%%", x*100) },
	"gradeName":     greening.GradeName,
	"taskName":      greening.TaskName,
	"warningName":   greening.WarningName,
	"list":          func(xs ...string) []string { return xs },
	"waitLabel":     waitLabel,
	"megabytes":     func(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) },
	"channelLabel":  channelLabel,
	"contains":      slices.Contains[[]string],
	"paras":         func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
	"yuan":          doorstep.Yuan,
	"actionLabel":   func(a assistant.SensitiveAction) string { return actionLabels[a] },
	"categoryLabel": categoryLabel,
	"headingClass":  headingClass,
	"ailabelDoc":    func() string { return gongwen.AILabel },
	"stats3":        doorstepTables,
	"barWidth": func(n, max int) int {
		if max <= 0 {
			return 0
		}
		return 200 * n / max
	},
}

// linkText is a link's text with a final full-width closing bracket set
// apart, so that the link's underline can stop at the bracket's ink
// (“残疾人证办理（首次申领）” underlined up to its “）”, not beyond).
func linkText(s string) template.HTML {
	for _, b := range []string{"）", "》", "」", "』", "】", "〕"} {
		if rest, ok := strings.CutSuffix(s, b); ok {
			return template.HTML(template.HTMLEscapeString(rest) + `<span class="cp">` + b + `</span>`)
		}
	}
	return template.HTML(template.HTMLEscapeString(s))
}

// zoneFuncs are the template functions that show times: in zone, never
// in the machine's zone.
func zoneFuncs(zone *time.Location) template.FuncMap {
	return template.FuncMap{"time": func(t any) string { return formatTime(t, zone) }}
}

// formatTime shows an instant as "2006-01-02 15:04" in zone; zero is "".
func formatTime(t any, zone *time.Location) string {
	var tt time.Time
	switch v := t.(type) {
	case time.Time:
		tt = v
	case store.Time:
		tt = v.Time
	}
	if tt.IsZero() {
		return ""
	}
	return tt.In(zone).Format("2006-01-02 15:04")
}

func loadTemplates(zone *time.Location) (*templates, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var partials, pages []string
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") {
			partials = append(partials, n)
		} else {
			pages = append(pages, n)
		}
	}
	base, err := template.New("").Funcs(funcs).Funcs(zoneFuncs(zone)).ParseFS(templateFS, partials...)
	if err != nil {
		return nil, fmt.Errorf("web templates: %w", err)
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, p := range pages {
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := c.ParseFS(templateFS, p); err != nil {
			return nil, fmt.Errorf("web template %s: %w", p, err)
		}
		t.pages[path.Base(p)] = c
	}
	return t, nil
}

// Page is what every template receives: the layout's needs plus the
// page's own Data.
type Page struct {
	Title      string
	Site       string
	User       *auth.User
	CSRF       string
	Large      bool   // 适老化: large text, high contrast
	Console    bool   // staff layout
	Nav        string // the console section to highlight
	Flash      string
	Error      string
	Path       string
	Back       string   // this page's address, to come back to after a preference change
	Scripts    []string // extra /static scripts
	Data       any
	Transcribe bool // voice upload available
	Booking    bool // appointment pages available
	Doorstep   bool // door-to-door pages available
	Policy     bool // policy pages available
	City       bool // city operations pages available
	Greening   bool // greening maintenance pages available
	Risk       bool // the risk console available
	Library    bool // the document library's pages available
	Teaching   bool // the teachers' assistant available
	Video      bool // 视频导办 available
}

// Can is the template's permission check: {{if .Can "publish"}}.
func (p Page) Can(perm string) bool { return p.User != nil && p.User.Can(auth.Permission(perm)) }

func (s *Server) page(r *http.Request, title string, data any) Page {
	seed, _ := r.Context().Value(seedKey).(string)
	p := Page{Title: title, Site: s.cfg.SiteName, User: currentUser(r), Data: data, Path: r.URL.Path, Back: r.URL.RequestURI(),
		Transcribe: s.cfg.Transcriber != nil, Booking: s.cfg.Booking != nil, Doorstep: s.cfg.Doorstep != nil,
		Policy: s.cfg.Policy != nil, City: s.cfg.City != nil, Greening: s.cfg.Greening != nil, Risk: s.cfg.Risk != nil,
		Library: s.cfg.Library != nil, Teaching: s.cfg.Teaching != nil, Video: s.cfg.Video != nil}
	if seed != "" {
		p.CSRF = s.csrf.Token(seed)
	}
	if c, err := r.Cookie(largeCookie); err == nil && c.Value == "1" {
		p.Large = true
	}
	p.Flash, p.Error = s.noticeText(r.URL.Query(), "ok"), s.noticeText(r.URL.Query(), "err")
	return p
}

// render writes a page; name is the template file (chat.html).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p Page) {
	t, ok := s.tmpl.pages[name]
	if !ok {
		slog.ErrorContext(r.Context(), "no such template", "name", name)
		http.Error(w, "页面模板缺失", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		slog.ErrorContext(r.Context(), "render", "template", name, "err", err)
		http.Error(w, "页面生成失败，请稍后再试。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderFragment executes one named template (no layout) into a string.
func (s *Server) renderFragment(page, name string, data any) (string, error) {
	t, ok := s.tmpl.pages[page]
	if !ok {
		return "", fmt.Errorf("no template %s", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// wantsJSON reports whether the caller reads errors as JSON: the API, the
// page's chat stream (its script reads the body), and any client asking
// for JSON.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/chat/stream" ||
		strings.Contains(r.Header.Get("Accept"), "application/json")
}

// renderError shows a message page (or JSON for API clients).
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if wantsJSON(r) {
		writeJSONError(w, status, msg)
		return
	}
	p := s.page(r, http.StatusText(status), nil)
	p.Error = msg
	p.Console = strings.HasPrefix(r.URL.Path, "/admin")
	s.render(w, r, status, "error.html", p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h["Content-Type"] = hdrJSON // see securityHeaders
	h["Cache-Control"] = hdrNoStore
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// apiError is the body of every API error.
type apiError struct {
	Error string `json:"error"`
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}
