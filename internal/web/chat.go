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
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
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
	Video          bool // 视频导办 is offered when the assistant hands over
	// Report is the card leading to the form that files what the
	// resident reported (a tree problem), prefilled.
	Report *assistant.ReportCard
}

type scoreOption struct {
	Score convo.Score
	Label string
}

// scoreOptions are the rating buttons: the one scale, best first.
var scoreOptions = func() []scoreOption {
	var out []scoreOption
	for _, sc := range convo.Scores {
		out = append(out, scoreOption{sc, sc.Label()})
	}
	return out
}()

type chatData struct {
	ConversationID string
	Turns          []turnView
	StaffReplies   []StaffReply
	HandoffState   string
	Starters       []string
	Message        string // kept in the box after an error
}

func (s *Server) turnView(ctx context.Context, convID string, t Turn, csrf string) turnView {
	v := turnView{ConversationID: convID, Turn: t, CSRF: csrf, Scores: scoreOptions, Video: s.cfg.Video != nil}
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
	v.Report = s.reportCard(t.Reply.Report)
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
		v.Items = append(v.Items, rec.Item.Public())
	}
	return v
}

func (s *Server) chatPage(w http.ResponseWriter, r *http.Request) error {
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
	p.Data = d
	s.render(w, r, http.StatusOK, "chat.html", p)
	return nil
}

// checkMessage trims and validates a message; the error is for residents.
func checkMessage(m string) (string, error) {
	m = strings.TrimSpace(m)
	switch {
	case m == "":
		return "", errNoQuestion
	case !utf8.ValidString(m):
		return "", errUnreadable
	case utf8.RuneCountInString(m) > maxMessage:
		return "", errTooLong
	}
	return m, nil
}

// What a resident's message or rating can be refused for.
var (
	errNoQuestion  = refusal.Bad("web", "no_question", "请输入您的问题。")
	errUnreadable  = refusal.Bad("web", "unreadable", "问题中有无法识别的字符。")
	errTooLong     = refusal.Bad("web", "too_long", fmt.Sprintf("问题太长了，请控制在 %d 字以内。", maxMessage))
	errBadConvID   = refusal.Bad("web", "bad_conversation_id", "conversation_id 无效")
	errConvGone    = refusal.Missing("web", "conversation_gone", "对话不存在或已过期")
	errNoRated     = refusal.Missing("web", "no_rated_answer", "找不到要评价的回答，对话可能已过期。")
	errNoVoice     = refusal.Missing("web", "no_transcriber", "本服务未配置语音识别")
	errNoRecording = refusal.Bad("web", "no_recording", "请上传录音（表单字段 audio，不超过 25 MB）")
)

// turnRequest is the one core of a chat turn, whichever way it comes (the
// page's form, the page's stream, the API): the message checked, the
// assistant's request made, the conversation held by this browser. It
// returns the token of the request's conversation as well.
func (s *Server) turnRequest(w http.ResponseWriter, r *http.Request, conv, token, message, channel string) (assistant.Request, string, error) {
	msg, err := checkMessage(message)
	if err != nil {
		return assistant.Request{}, "", err
	}
	req, tok := s.chatRequest(r, conv, token, msg, channel)
	s.grantConversation(w, r, req.ConversationID, tok)
	return req, tok, nil
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
	s.renderError(w, r, http.StatusTooManyRequests, msg)
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

const serviceBusy = "抱歉，服务暂时繁忙，请稍后再试。如需帮助，请拨打 12345 政务服务便民热线。"

// turnError turns an assistant error into a status and a message for the
// resident: input the assistant refused is the resident's to fix; anything
// else is ours.
func turnError(err error) (int, string) {
	if e, ok := refusal.As(err); ok {
		return statusOf(e), e.UserMessage()
	}
	return http.StatusServiceUnavailable, serviceBusy
}

// turn is the one core of answering a chat turn, whichever way it came
// (the page's form, the page's stream, the API, the API's stream; each
// made req with turnRequest): the assistant answers req whole, or streamed
// as "delta" events to ev when ev is not nil. The reply is counted, and a
// failure logged, here and only here; the caller shows the failure its
// way (turnError).
func (s *Server) turn(ctx context.Context, req assistant.Request, ev *sse) (assistant.Reply, error) {
	start := time.Now()
	var rep assistant.Reply
	var err error
	if ev == nil {
		rep, err = s.cfg.Assistant.Ask(ctx, req)
	} else {
		rep, err = s.cfg.Assistant.Stream(ctx, req, func(d string) {
			if d != "" {
				ev.send("delta", deltaEvent{Text: d})
			}
		})
	}
	if err != nil {
		// The log's name for the turn is built only for a failed one.
		what := "chat " + req.Channel
		if ev != nil {
			what += " stream"
		}
		logTurnError(ctx, what, err)
		return rep, err
	}
	s.metrics.ObserveReply(rep, time.Since(start))
	return rep, nil
}

// chatForm is the chat without JavaScript: post, answer, redirect back.
func (s *Server) chatForm(w http.ResponseWriter, r *http.Request) error {
	conv := r.FormValue("conversation_id")
	if s.cfg.Video != nil && wantsVideo(r.FormValue("message")) {
		http.Redirect(w, r, videoFromChat(conv), http.StatusSeeOther)
		return nil
	}
	req, _, err := s.turnRequest(w, r, conv, "", r.FormValue("message"), "web")
	if err != nil {
		http.Redirect(w, r, s.chatURL(conv, "", err), http.StatusSeeOther)
		return nil
	}
	rep, err := s.turn(r.Context(), req, nil)
	if err != nil {
		http.Redirect(w, r, s.chatURL(conv, "", err), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, s.chatURL(rep.ConversationID, fmt.Sprintf("t%d", rep.TurnID), nil), http.StatusSeeOther)
	return nil
}

// chatURL is the chat page of conversation conv (none: a new one), at
// anchor, showing why err refused the last message: a refusal by its key,
// anything else as serviceBusy (logged by the caller).
func (s *Server) chatURL(conv, anchor string, err error) string {
	q := url.Values{}
	if conv != "" {
		q.Set("c", conv)
	}
	if err != nil {
		code := "chat.busy"
		if e, ok := refusal.As(err); ok {
			code = e.Key()
		}
		q.Set("err", code)
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

type turnEvent struct {
	ConversationID string `json:"conversation_id"`
	TurnID         int64  `json:"turn_id"`
	Status         string `json:"status"`
	HTML           string `json:"html"`
}

// chatPageStream serves the page's script: the same turn as chatForm, as
// Server-Sent Events ending with the server-rendered turn ("turn"), so the
// page shows exactly what the no-script page would.
func (s *Server) chatPageStream(w http.ResponseWriter, r *http.Request) error {
	req, _, err := s.turnRequest(w, r, r.FormValue("conversation_id"), "", r.FormValue("message"), "web")
	if err != nil {
		return err
	}
	msg := req.Message
	ev := startSSE(w)
	rep, err := s.turn(r.Context(), req, ev)
	if err != nil {
		_, msg := turnError(err)
		ev.send("error", apiError{Error: msg})
		return nil
	}
	p := s.page(r, "", nil)
	t := Turn{ID: rep.TurnID, At: s.cfg.Now(), Message: msg, Reply: rep}
	v := s.turnView(r.Context(), rep.ConversationID, t, p.CSRF)
	v.Latest = true
	html, err := s.renderFragment("chat.html", "turn", v)
	if err != nil {
		slog.ErrorContext(r.Context(), "render turn", "err", err)
		ev.send("error", apiError{Error: serviceBusy})
		return nil
	}
	ev.send("turn", turnEvent{ConversationID: rep.ConversationID, TurnID: rep.TurnID, Status: string(rep.Status), HTML: html})
	return nil
}

// prefs toggles large text (适老化) and goes back where the resident was.
func (s *Server) prefs(w http.ResponseWriter, r *http.Request) error {
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
	return nil
}

// reportCard is the card of a reported problem when this server takes
// such reports: a tree report needs greening maintenance, and the link
// must be a path on this server.
func (s *Server) reportCard(c *assistant.ReportCard) *assistant.ReportCard {
	if c == nil || c.Kind == "tree" && s.cfg.Greening == nil ||
		!strings.HasPrefix(c.URL, "/") || strings.HasPrefix(c.URL, "//") || strings.Contains(c.URL, `\`) {
		return nil
	}
	return c
}

// itemLink keeps template output honest: only http(s) links from the
// knowledge base become hrefs.
func itemLink(u string) template.URL {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return template.URL(u)
	}
	return ""
}
