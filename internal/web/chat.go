package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// maxMessage is the longest message accepted, in characters.
const maxMessage = 500

// starters are offered on an empty chat.
var starters = []string{"生了孩子怎么上户口", "怎么办理居住证", "灵活就业怎么交养老保险", "公积金怎么提取", "开办企业需要什么材料"}

// turnView is one turn as the page shows it.
type turnView struct {
	ConversationID string
	Turn           Turn
	Paragraphs     []string
	Items          []kb.Item // cited items, for the expandable cards
	CSRF           string
	Scores         []scoreOption
	Latest         bool // suggestions are offered on the latest turn only
}

type scoreOption struct {
	Score int
	Label string
}

var scoreOptions = []scoreOption{{5, "非常满意"}, {4, "满意"}, {3, "基本满意"}, {2, "不满意"}, {1, "非常不满意"}}

type chatData struct {
	ConversationID string
	Turns          []turnView
	StaffReplies   []StaffReply
	HandoffState   string
	Starters       []string
	Message        string // kept in the box after an error
}

func (s *Server) turnView(ctx context.Context, convID string, t Turn, csrf string) turnView {
	v := turnView{ConversationID: convID, Turn: t, CSRF: csrf, Scores: scoreOptions}
	for _, p := range strings.Split(strings.TrimSpace(t.Reply.Answer), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Paragraphs = append(v.Paragraphs, p)
		}
	}
	// The route card under the answer shows the online link and each
	// hall's appointment link as buttons: the text refers to them rather
	// than printing the same address again (API and CLI keep it).
	if rt := t.Reply.Route; rt != nil {
		var pairs []string // old, new: the longer form first
		if itemLink(rt.OnlineURL) != "" {
			pairs = append(pairs, "："+rt.OnlineURL, "：见下方“在线办理”", rt.OnlineURL, "下方“在线办理”")
		}
		for _, h := range rt.Halls {
			if rt.Appointment && itemLink(h.AppointmentURL) != "" {
				pairs = append(pairs, "，预约："+h.AppointmentURL, "", h.AppointmentURL, "下方“预约”")
			}
		}
		if len(pairs) > 0 {
			rep := strings.NewReplacer(pairs...)
			for i, p := range v.Paragraphs {
				v.Paragraphs[i] = rep.Replace(p)
			}
		}
	}
	// A model-written answer ends with the explicit AI label; the page shows
	// it once, styled as a label, under the answer.
	if n := len(v.Paragraphs); t.Reply.Generated && n > 0 && v.Paragraphs[n-1] == assistant.AILabel {
		v.Paragraphs = v.Paragraphs[:n-1]
	}
	for _, c := range t.Reply.Citations {
		rec, err := s.cfg.KB.Item(ctx, c.ID)
		if err != nil {
			if !errors.Is(err, kb.ErrNotFound) {
				slog.WarnContext(ctx, "citation lookup", "item", c.ID, "err", err)
			}
			continue
		}
		v.Items = append(v.Items, rec.Item)
	}
	return v
}

func (s *Server) chatPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "AI 福务管家", nil)
	p.Scripts = []string{"/static/chat.js"}
	d := chatData{Starters: starters}
	if id := r.URL.Query().Get("c"); id != "" {
		var conv Conversation
		err := fmt.Errorf("conversation %q not this browser's: %w", id, ErrNoConversation)
		if s.ownsConversation(r, id, "") {
			conv, err = s.cfg.Conversations.Conversation(r.Context(), id)
		}
		switch {
		case err == nil:
			d.ConversationID = conv.ID
			d.StaffReplies, d.HandoffState = conv.StaffReplies, conv.HandoffState
			for i, t := range conv.Turns {
				v := s.turnView(r.Context(), conv.ID, t, p.CSRF)
				v.Latest = i == len(conv.Turns)-1
				d.Turns = append(d.Turns, v)
			}
		case errors.Is(err, ErrNoConversation):
			p.Error = "这段对话已过期或不属于本浏览器，请重新提问。"
		default:
			slog.ErrorContext(r.Context(), "load conversation", "err", err)
			p.Error = "暂时无法读取对话记录。"
		}
	}
	if e := r.URL.Query().Get("err"); e != "" && p.Error == "" {
		p.Error = e
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "chat.html", p)
}

// checkMessage trims and validates a message; the error is for residents.
func checkMessage(m string) (string, error) {
	m = strings.TrimSpace(m)
	switch {
	case m == "":
		return "", errors.New("请输入您的问题。")
	case !utf8.ValidString(m):
		return "", errors.New("问题中有无法识别的字符。")
	case utf8.RuneCountInString(m) > maxMessage:
		return "", fmt.Errorf("问题太长了，请控制在 %d 字以内。", maxMessage)
	}
	return m, nil
}

// rateLimited answers 429 with a clear message when the client is asking
// too fast; it reports whether it did.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request) bool {
	ok, wait := s.limiter.allow(clientIP(r))
	if ok {
		return false
	}
	s.metrics.rateLimited.Add(1)
	secs := int(wait/time.Second) + 1
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	msg := fmt.Sprintf("您的提问太频繁了，请 %d 秒后再试。如需帮助，也可拨打 12345 政务服务便民热线。", secs)
	if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/chat/stream" {
		writeJSONError(w, http.StatusTooManyRequests, msg)
	} else {
		s.renderError(w, r, http.StatusTooManyRequests, msg)
	}
	return true
}

// logTurnError logs a failed turn: a resident who closed the page or
// cancelled the request is no server error, so it is not logged as one.
func logTurnError(ctx context.Context, what string, err error) {
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		slog.InfoContext(ctx, what+": client went away", "err", err)
		return
	}
	slog.ErrorContext(ctx, what, "err", err)
}

const unavailable = "抱歉，服务暂时繁忙，请稍后再试。如需帮助，请拨打 12345 政务服务便民热线。"

// turnError turns an assistant error into a status and a message for the
// resident: input the assistant refused is the resident's to fix; anything
// else is ours.
func turnError(err error) (int, string) {
	if errors.Is(err, assistant.ErrBadRequest) {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		if msg == "conversation id" {
			msg = "对话编号无效，请重新开始对话。"
		}
		return http.StatusBadRequest, msg
	}
	return http.StatusServiceUnavailable, unavailable
}

func (s *Server) ask(ctx context.Context, req assistant.Request) (assistant.Reply, error) {
	start := time.Now()
	rep, err := s.cfg.Assistant.Ask(ctx, req)
	if err == nil {
		s.metrics.ObserveReply(rep, time.Since(start))
	}
	return rep, err
}

// chatForm is the chat without JavaScript: post, answer, redirect back.
func (s *Server) chatForm(w http.ResponseWriter, r *http.Request) {
	conv := r.FormValue("conversation_id")
	msg, err := checkMessage(r.FormValue("message"))
	if err != nil {
		http.Redirect(w, r, chatURL(conv, "", err.Error()), http.StatusSeeOther)
		return
	}
	req := s.chatRequest(r, conv, "", msg, "web")
	s.grantConversation(w, r, req.ConversationID)
	rep, err := s.ask(r.Context(), req)
	if err != nil {
		logTurnError(r.Context(), "chat", err)
		_, msg := turnError(err)
		http.Redirect(w, r, chatURL(conv, "", msg), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, chatURL(rep.ConversationID, fmt.Sprintf("t%d", rep.TurnID), ""), http.StatusSeeOther)
}

func chatURL(conv, anchor, errMsg string) string {
	q := url.Values{}
	if conv != "" {
		q.Set("c", conv)
	}
	if errMsg != "" {
		q.Set("err", errMsg)
	}
	u := "/"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}

// sse writes Server-Sent Events; safe for concurrent use.
type sse struct {
	mu sync.Mutex
	w  http.ResponseWriter
	rc *http.ResponseController
}

func startSSE(w http.ResponseWriter) *sse {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	e := &sse{w: w, rc: http.NewResponseController(w)}
	_ = e.rc.Flush()
	return e
}

func (e *sse) send(event string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	fmt.Fprintf(e.w, "event: %s\ndata: %s\n\n", event, b)
	_ = e.rc.Flush()
}

type deltaEvent struct {
	Text string `json:"text"`
}

// stream runs one streamed turn, sending delta events, and returns the
// final reply.
func (s *Server) stream(ctx context.Context, req assistant.Request, ev *sse) (assistant.Reply, error) {
	start := time.Now()
	rep, err := s.cfg.Assistant.Stream(ctx, req, func(d string) {
		if d != "" {
			ev.send("delta", deltaEvent{Text: d})
		}
	})
	if err == nil {
		s.metrics.ObserveReply(rep, time.Since(start))
	}
	return rep, err
}

type turnEvent struct {
	ConversationID string `json:"conversation_id"`
	TurnID         int64  `json:"turn_id"`
	Status         string `json:"status"`
	HTML           string `json:"html"`
}

// chatPageStream serves the page's script: the same turn as chatForm, as
// Server-Sent Events ending with the server-rendered turn ("turn"), so the
// page shows exactly what the no-script page would.
func (s *Server) chatPageStream(w http.ResponseWriter, r *http.Request) {
	conv := r.FormValue("conversation_id")
	msg, err := checkMessage(r.FormValue("message"))
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	req := s.chatRequest(r, conv, "", msg, "web")
	s.grantConversation(w, r, req.ConversationID)
	ev := startSSE(w)
	rep, err := s.stream(r.Context(), req, ev)
	if err != nil {
		logTurnError(r.Context(), "chat stream", err)
		_, msg := turnError(err)
		ev.send("error", apiError{Error: msg})
		return
	}
	p := s.page(r, "", nil)
	t := Turn{ID: rep.TurnID, At: s.cfg.Now(), Message: msg, Reply: rep}
	v := s.turnView(r.Context(), rep.ConversationID, t, p.CSRF)
	v.Latest = true
	html, err := s.renderFragment("chat.html", "turn", v)
	if err != nil {
		slog.ErrorContext(r.Context(), "render turn", "err", err)
		ev.send("error", apiError{Error: unavailable})
		return
	}
	ev.send("turn", turnEvent{ConversationID: rep.ConversationID, TurnID: rep.TurnID, Status: string(rep.Status), HTML: html})
}

func (s *Server) feedbackForm(w http.ResponseWriter, r *http.Request) {
	turn, _ := strconv.ParseInt(r.FormValue("turn_id"), 10, 64)
	score, _ := strconv.Atoi(r.FormValue("score"))
	f := Feedback{ConversationID: r.FormValue("conversation_id"), TurnID: turn, Score: score,
		Comment: strings.TrimSpace(r.FormValue("comment"))}
	err := f.Validate()
	if err == nil && !s.ownsConversation(r, f.ConversationID, "") {
		err = fmt.Errorf("conversation %q not this browser's: %w", f.ConversationID, ErrNoConversation)
	}
	if err == nil {
		err = s.cfg.Conversations.AddFeedback(r.Context(), f)
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		if err != nil {
			writeJSONError(w, feedbackStatus(err), feedbackMessage(err))
			return
		}
		s.metrics.feedback[score].Add(1)
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "message": "感谢您的评价！"})
		return
	}
	if err != nil {
		http.Redirect(w, r, chatURL(f.ConversationID, "", feedbackMessage(err)), http.StatusSeeOther)
		return
	}
	s.metrics.feedback[score].Add(1)
	http.Redirect(w, r, chatURL(f.ConversationID, fmt.Sprintf("t%d", turn), ""), http.StatusSeeOther)
}

func feedbackStatus(err error) int {
	switch {
	case errors.Is(err, ErrNoConversation):
		return http.StatusNotFound
	case errors.Is(err, ErrRated):
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

func feedbackMessage(err error) string {
	switch {
	case errors.Is(err, ErrNoConversation):
		return "找不到要评价的回答，对话可能已过期。"
	case errors.Is(err, ErrRated):
		return "您已评价过这条回答，感谢您的反馈。"
	}
	return err.Error()
}

// prefs toggles large text (适老化) and goes back where the resident was.
func (s *Server) prefs(w http.ResponseWriter, r *http.Request) {
	v := "0"
	if r.FormValue("large") == "1" {
		v = "1"
	}
	http.SetCookie(w, &http.Cookie{Name: largeCookie, Value: v, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	back := r.FormValue("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.Contains(back, `\`) {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// apiReply is the JSON API's answer (issue 3: conversation_id, status,
// answer, citations, route, suggestions; plus turn_id for feedback and
// the AI label flag).
type apiReply struct {
	ConversationID string `json:"conversation_id"`
	// ConversationToken is the capability to continue and read the
	// conversation (X-Conversation-Token); only the reply to a chat
	// message carries it.
	ConversationToken string               `json:"conversation_token,omitempty"`
	TurnID            int64                `json:"turn_id"`
	Status            assistant.Status     `json:"status"`
	Answer            string               `json:"answer"`
	Citations         []assistant.Citation `json:"citations"`
	Route             *assistant.Route     `json:"route"`
	Suggestions       []string             `json:"suggestions"`
	Generated         bool                 `json:"generated"`
	HandoffID         int64                `json:"handoff_id,omitempty"`
	Notice            string               `json:"notice,omitempty"`
}

func toAPI(rep assistant.Reply) apiReply {
	out := apiReply{ConversationID: rep.ConversationID, TurnID: rep.TurnID, Status: rep.Status, Answer: rep.Answer,
		Citations: rep.Citations, Route: rep.Route, Suggestions: rep.Suggestions, Generated: rep.Generated,
		HandoffID: rep.HandoffID, Notice: rep.Notice}
	if out.Citations == nil {
		out.Citations = []assistant.Citation{}
	}
	if out.Suggestions == nil {
		out.Suggestions = []string{}
	}
	return out
}

// toAPIWithToken is toAPI plus the conversation's capability.
func (s *Server) toAPIWithToken(rep assistant.Reply) apiReply {
	out := toAPI(rep)
	out.ConversationToken = s.convs.token(rep.ConversationID)
	return out
}

type chatRequest struct {
	ConversationID    string `json:"conversation_id"`
	ConversationToken string `json:"conversation_token"`
	Message           string `json:"message"`
}

func (s *Server) readChat(w http.ResponseWriter, r *http.Request) (assistant.Request, bool) {
	var in chatRequest
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&in); err != nil {
		writeJSONError(w, http.StatusBadRequest, "请求体不是有效的 JSON："+err.Error())
		return assistant.Request{}, false
	}
	msg, err := checkMessage(in.Message)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return assistant.Request{}, false
	}
	if len(in.ConversationID) > 100 {
		writeJSONError(w, http.StatusBadRequest, "conversation_id 无效")
		return assistant.Request{}, false
	}
	return s.chatRequest(r, in.ConversationID, in.ConversationToken, msg, "api"), true
}

// apiChat answers one message; with "Accept: text/event-stream" it streams
// like /api/v1/chat/stream.
func (s *Server) apiChat(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		s.apiChatStream(w, r)
		return
	}
	req, ok := s.readChat(w, r)
	if !ok {
		return
	}
	// A browser calling the API holds the conversation like the page does.
	s.grantConversation(w, r, req.ConversationID)
	rep, err := s.ask(r.Context(), req)
	if err != nil {
		logTurnError(r.Context(), "api chat", err)
		code, msg := turnError(err)
		writeJSONError(w, code, msg)
		return
	}
	writeJSON(w, http.StatusOK, s.toAPIWithToken(rep))
}

// apiChatStream streams "delta" events ({"text"}) and ends with one
// "reply" event holding the same object /api/v1/chat returns (or "error").
func (s *Server) apiChatStream(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readChat(w, r)
	if !ok {
		return
	}
	// A browser calling the API holds the conversation like the page does.
	s.grantConversation(w, r, req.ConversationID)
	ev := startSSE(w)
	rep, err := s.stream(r.Context(), req, ev)
	if err != nil {
		logTurnError(r.Context(), "api chat stream", err)
		_, msg := turnError(err)
		ev.send("error", apiError{Error: msg})
		return
	}
	ev.send("reply", s.toAPIWithToken(rep))
}

type apiTurn struct {
	TurnID   int64     `json:"turn_id"`
	At       time.Time `json:"at"`
	Message  string    `json:"message"`
	Reply    apiReply  `json:"reply"`
	Feedback int       `json:"feedback,omitempty"`
}

func (s *Server) apiConversation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.ownsConversation(r, id, "") {
		// The same answer as for an unknown id: a guess learns nothing.
		writeJSONError(w, http.StatusNotFound, "对话不存在或已过期")
		return
	}
	c, err := s.cfg.Conversations.Conversation(r.Context(), id)
	if errors.Is(err, ErrNoConversation) {
		writeJSONError(w, http.StatusNotFound, "对话不存在或已过期")
		return
	}
	if err != nil {
		slog.ErrorContext(r.Context(), "api conversation", "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, unavailable)
		return
	}
	out := struct {
		ConversationID string       `json:"conversation_id"`
		Turns          []apiTurn    `json:"turns"`
		StaffReplies   []StaffReply `json:"staff_replies"`
		HandoffState   string       `json:"handoff_state,omitempty"`
	}{ConversationID: c.ID, Turns: []apiTurn{}, StaffReplies: c.StaffReplies, HandoffState: c.HandoffState}
	if out.StaffReplies == nil {
		out.StaffReplies = []StaffReply{}
	}
	for _, t := range c.Turns {
		out.Turns = append(out.Turns, apiTurn{TurnID: t.ID, At: t.At, Message: t.Message, Reply: toAPI(t.Reply), Feedback: t.Feedback})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiFeedback(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Feedback
		ConversationToken string `json:"conversation_token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSONError(w, http.StatusBadRequest, "请求体不是有效的 JSON："+err.Error())
		return
	}
	f := in.Feedback
	f.Comment = strings.TrimSpace(f.Comment)
	err := f.Validate()
	if err == nil && !s.ownsConversation(r, f.ConversationID, in.ConversationToken) {
		err = fmt.Errorf("conversation %q: no capability: %w", f.ConversationID, ErrNoConversation)
	}
	if err == nil {
		err = s.cfg.Conversations.AddFeedback(r.Context(), f)
	}
	if err != nil {
		writeJSONError(w, feedbackStatus(err), feedbackMessage(err))
		return
	}
	s.metrics.feedback[f.Score].Add(1)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "message": "感谢您的评价！"})
}

// apiTranscribe turns a recording (multipart field "audio") into text.
func (s *Server) apiTranscribe(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Transcriber == nil {
		writeJSONError(w, http.StatusNotFound, "本服务未配置语音识别")
		return
	}
	f, hdr, err := r.FormFile("audio")
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "请上传录音（表单字段 audio，不超过 25 MB）")
		return
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second)
	defer cancel()
	text, err := s.cfg.Transcriber.Transcribe(ctx, f, hdr.Filename, hdr.Header.Get("Content-Type"))
	if err != nil {
		slog.ErrorContext(r.Context(), "transcribe", "err", err)
		writeJSONError(w, http.StatusBadGateway, "语音识别暂时不可用，请改用文字输入。")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"text": text})
}

// static serves the embedded assets, cacheable for an hour.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.FileServerFS(staticFS).ServeHTTP(w, r)
}

// favicon serves the site's icon where browsers ask for it.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/favicon.ico")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/x-icon")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
}

// itemLink keeps template output honest: only http(s) links from the
// knowledge base become hrefs.
func itemLink(u string) template.URL {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return template.URL(u)
	}
	return ""
}
