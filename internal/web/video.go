package web

// 视频导办: the resident's call page (queue, consent, the call, captions,
// chat, pushed cards, 好差评) and the clerks' console (queue with the
// conversation so far, masked; the call with pushes, captions and screen
// share; the figures and their Excel export). Signalling runs over
// WebSocket through package video; the media goes peer to peer or through
// the embedded TURN server, never through this server.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/video"
)

// videoCookie holds the resident's capability for their latest video
// session ("id.token"), HttpOnly, so a reload or a dropped connection
// rejoins the same session and a link alone opens nothing.
const videoCookie = "fuwu_video"

var errNoVideo = refusal.Missing("web", "no_video", "未找到该视频导办会话，请重新发起。")

// videoPath reports whether a path is one of the video pages, which may
// use the camera (and the clerk's screen).
func videoPath(p string) bool {
	return p == "/video" || strings.HasPrefix(p, "/video/") || p == "/admin/video" || strings.HasPrefix(p, "/admin/video/")
}

// videoAllowed reports whether an item's page offers a video call.
func (s *Server) videoAllowed(itemID string) bool {
	return s.cfg.Video != nil && (len(s.cfg.VideoItems) == 0 || slices.Contains(s.cfg.VideoItems, itemID))
}

type videoStartData struct {
	Item           *kb.Item
	ConversationID string
	Clerks         int
	Booking        bool
	RecordDays     int // recording is on (with the resident's consent), kept this many days
}

// videoStart is the request page: what 视频导办 is, who is online, and
// booking a slot when nobody is.
func (s *Server) videoStart(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := videoStartData{Clerks: s.cfg.Video.ClerksOnline(), Booking: s.cfg.Booking != nil, RecordDays: s.cfg.Video.RecordDays()}
	if id := q.Get("item"); id != "" {
		if rec, err := s.cfg.KB.Item(r.Context(), id); err == nil && rec.Status == kb.Published && s.videoAllowed(id) {
			d.Item = &rec.Item
		}
	}
	if c := q.Get("c"); s.ownsConversation(r, c, "") {
		d.ConversationID = c
	}
	p := s.page(r, "视频导办", d)
	s.render(w, r, http.StatusOK, "video_start.html", p)
	return nil
}

// videoRequest joins the queue.
func (s *Server) videoRequest(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("%w: %v", errBadForm, err)
	}
	req := video.NewRequest{Channel: r.FormValue("channel")}
	switch req.Channel {
	case "chat", "item", "request":
	default:
		req.Channel = "request"
	}
	if id := r.FormValue("item"); id != "" {
		if rec, err := s.cfg.KB.Item(r.Context(), id); err == nil && rec.Status == kb.Published && s.videoAllowed(id) {
			req.ItemID, req.ItemName = rec.Item.ID, rec.Item.Name
		}
	}
	// The clerk sees the conversation so far only if the requester holds it.
	if c := r.FormValue("conversation_id"); s.ownsConversation(r, c, "") {
		req.ConversationID = c
	}
	sess, tok, err := s.cfg.Video.Request(r.Context(), req)
	if err != nil {
		return unavailable("暂时无法发起视频导办，请稍后再试。", err)
	}
	http.SetCookie(w, &http.Cookie{Name: videoCookie, Value: sess.ID + "." + tok, Path: "/video", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies, MaxAge: 24 * 3600})
	http.Redirect(w, r, "/video/s/"+sess.ID, http.StatusSeeOther)
	return nil
}

// videoOwned checks the cookie's capability for the session in the path.
func (s *Server) videoOwned(r *http.Request) (string, error) {
	id := r.PathValue("id")
	ck, err := r.Cookie(videoCookie)
	if err != nil {
		return "", errNoVideo
	}
	cid, tok, _ := strings.Cut(ck.Value, ".")
	if cid != id || !s.cfg.Video.Valid(id, tok) {
		return "", errNoVideo
	}
	return id, nil
}

type videoCallData struct {
	Session    video.Session
	Place      video.QueueInfo
	Ratings    []string
	Booking    bool
	RecordDays int
}

// videoCall is the resident's call page; its script does the rest.
func (s *Server) videoCall(w http.ResponseWriter, r *http.Request) error {
	id, err := s.videoOwned(r)
	if err != nil {
		return err
	}
	sess, err := s.cfg.Video.Get(r.Context(), id)
	if errors.Is(err, video.ErrNotFound) {
		return errNoVideo
	}
	if err != nil {
		return unavailable("暂时无法读取视频导办会话。", err)
	}
	place, _ := s.cfg.Video.Place(r.Context(), id)
	p := s.page(r, "视频导办", videoCallData{Session: sess, Place: place, Ratings: video.Ratings, Booking: s.cfg.Booking != nil,
		RecordDays: s.cfg.Video.RecordDays()})
	p.Scripts = []string{"/static/video.js"}
	s.render(w, r, http.StatusOK, "video_call.html", p)
	return nil
}

func (s *Server) videoSocket(w http.ResponseWriter, r *http.Request) error {
	id, err := s.videoOwned(r)
	if err != nil {
		return err
	}
	return s.cfg.Video.ServeResident(w, r, id)
}

func (s *Server) videoRate(w http.ResponseWriter, r *http.Request) error {
	id, err := s.videoOwned(r)
	if err != nil {
		return err
	}
	stars, _ := strconv.Atoi(r.FormValue("stars"))
	if err := s.cfg.Video.Rate(r.Context(), id, stars, r.FormValue("comment")); err != nil {
		return s.backRefused(w, r, "/video/s/"+id, err)
	}
	s.back(w, r, "/video/s/"+id, "video.thanks")
	return nil
}

func (s *Server) videoLeave(w http.ResponseWriter, r *http.Request) error {
	id, err := s.videoOwned(r)
	if err != nil {
		return err
	}
	if _, err := s.cfg.Video.Leave(r.Context(), id); err != nil {
		return s.backRefused(w, r, "/video/s/"+id, err)
	}
	s.back(w, r, "/video/s/"+id, "video.left")
	return nil
}

// Console.

// clerk is the logged-in staff member as a resident sees them: their
// number (工号) and hall come from the form they accept with, remembered
// in the browser, else their user name and the configured hall.
func (s *Server) clerk(r *http.Request) video.Clerk {
	u := currentUser(r)
	c := video.Clerk{User: u.Username, Role: string(u.Role), Name: u.Name(), Number: r.FormValue("number"), Hall: r.FormValue("hall")}
	if c.Number == "" {
		c.Number = u.Username
	}
	if c.Hall == "" {
		c.Hall = s.cfg.VideoHall
	}
	return c
}

type adminVideoData struct {
	Queue  []video.Session
	Recent []video.Session
	Hall   string
	Clerks int
}

func (s *Server) adminVideo(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.cfg.Video.Waiting(ctx)
	if err != nil {
		return unavailable("暂时无法读取视频导办队列。", err)
	}
	recent, err := s.cfg.Video.Recent(ctx, 30)
	if err != nil {
		return unavailable("暂时无法读取视频导办记录。", err)
	}
	p := s.consolePage(r, "video", "视频导办", adminVideoData{Queue: q, Recent: recent, Hall: s.cfg.VideoHall, Clerks: s.cfg.Video.ClerksOnline()})
	p.Scripts = append(p.Scripts, "/static/video_console.js")
	s.render(w, r, http.StatusOK, "admin_video.html", p)
	return nil
}

func (s *Server) adminVideoSocket(w http.ResponseWriter, r *http.Request) error {
	return s.cfg.Video.ServeConsole(w, r, s.clerk(r))
}

func (s *Server) adminVideoAccept(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("%w: %v", errBadForm, err)
	}
	id := r.PathValue("id")
	if _, err := s.cfg.Video.Accept(r.Context(), id, s.clerk(r)); err != nil {
		return s.backRefused(w, r, "/admin/video", err)
	}
	http.Redirect(w, r, "/admin/video/"+id, http.StatusSeeOther)
	return nil
}

type adminVideoCallData struct {
	Session    video.Session
	Item       *kb.Item
	Turns      []Turn
	Outcomes   []video.Outcome
	Ratings    []string
	RecordDays int
}

// transcript is the conversation so far, masked as stored.
func (s *Server) transcript(ctx context.Context, convID string) []Turn {
	if convID == "" {
		return nil
	}
	c, err := s.cfg.Conversations.Conversation(ctx, convID)
	if err != nil {
		return nil
	}
	return c.Turns
}

// adminVideoCall is the clerk's side of a call they accepted.
func (s *Server) adminVideoCall(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sess, err := s.cfg.Video.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if sess.Clerk != currentUser(r).Username {
		return video.ErrNotYourCall
	}
	d := adminVideoCallData{Session: sess, Turns: s.transcript(ctx, sess.ConversationID), Outcomes: video.Outcomes, Ratings: video.Ratings,
		RecordDays: s.cfg.Video.RecordDays()}
	itemID := sess.ItemID
	// From the chat: the item the assistant last answered about.
	for i := len(d.Turns) - 1; itemID == "" && i >= 0; i-- {
		if rt := d.Turns[i].Reply.Route; rt != nil && rt.ItemID != "" {
			itemID = rt.ItemID
		} else if c := d.Turns[i].Reply.Citations; len(c) > 0 {
			itemID = c[0].ID
		}
	}
	if itemID != "" {
		if rec, err := s.cfg.KB.Item(ctx, itemID); err == nil {
			d.Item = &rec.Item
		}
	}
	if sess.ConversationID != "" {
		s.audit(r, nil, "convo.read", "conversation:"+sess.ConversationID, map[string]any{"video": sess.ID})
	}
	p := s.consolePage(r, "video", "视频导办通话", d)
	p.Scripts = append(p.Scripts, "/static/video.js")
	s.render(w, r, http.StatusOK, "admin_video_call.html", p)
	return nil
}

func (s *Server) adminVideoCallSocket(w http.ResponseWriter, r *http.Request) error {
	return s.cfg.Video.ServeClerk(w, r, r.PathValue("id"), s.clerk(r))
}

// adminVideoConversation is the masked conversation of a waiting request,
// for the queue.
func (s *Server) adminVideoConversation(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.cfg.Video.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	turns := s.transcript(r.Context(), sess.ConversationID)
	if sess.ConversationID != "" {
		s.audit(r, nil, "convo.read", "conversation:"+sess.ConversationID, map[string]any{"video": sess.ID})
	}
	html, err := s.renderFragment("admin_video.html", "video-turns", turns)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(html))
	return nil
}

func (s *Server) adminVideoEnd(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	outcome, err := video.ParseOutcome(r.FormValue("outcome"))
	if err != nil {
		return s.backRefused(w, r, "/admin/video/"+id, err)
	}
	if _, err := s.cfg.Video.End(r.Context(), id, s.clerk(r), outcome); err != nil {
		return s.backRefused(w, r, "/admin/video/"+id, err)
	}
	s.back(w, r, "/admin/video", "video.ended", outcome.Label())
	return nil
}

// adminVideoRecordChunk stores one chunk the clerk's browser recorded
// (the body, as MediaRecorder gave it; ?part=&seq= place it). Refused
// unless recording is on, the call is this clerk's and its resident
// consented to be recorded.
func (s *Server) adminVideoRecordChunk(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	part, err1 := strconv.Atoi(q.Get("part"))
	seq, err2 := strconv.Atoi(q.Get("seq"))
	if err1 != nil || err2 != nil {
		return video.ErrBadChunk
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		if tooLarge(err) {
			return video.ErrBadChunk
		}
		return fmt.Errorf("%w: %v", errBadForm, err)
	}
	if err := s.cfg.Video.SaveChunk(r.Context(), r.PathValue("id"), s.clerk(r), part, seq, r.Header.Get("Content-Type"), data); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type adminVideoRecordingsData struct {
	Session video.Session
	Parts   []video.Part
	Days    int
}

// adminVideoRecordings is a session's recordings, for staff allowed to
// download them.
func (s *Server) adminVideoRecordings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sess, err := s.cfg.Video.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	parts, err := s.cfg.Video.Recordings(ctx, sess.ID)
	if err != nil {
		return unavailable("暂时无法读取录像。", err)
	}
	p := s.consolePage(r, "video", "视频导办录像", adminVideoRecordingsData{Session: sess, Parts: parts, Days: s.cfg.Video.RecordDays()})
	s.render(w, r, http.StatusOK, "admin_video_recordings.html", p)
	return nil
}

// adminVideoRecordingDownload sends one part of a recording, opened, and
// audits who took it.
func (s *Server) adminVideoRecordingDownload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	part, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("part"), ".webm"))
	if err != nil {
		return video.ErrNoRecording
	}
	parts, err := s.cfg.Video.Recordings(ctx, id)
	if err != nil {
		return unavailable("暂时无法读取录像。", err)
	}
	i := slices.IndexFunc(parts, func(p video.Part) bool { return p.Part == part })
	if i < 0 {
		return video.ErrNoRecording
	}
	p := parts[i]
	s.audit(r, nil, "video.record.download", "video:"+id, map[string]any{"part": part, "bytes": p.Bytes})
	ext := "webm"
	if strings.HasPrefix(p.Mime, "video/mp4") || strings.HasPrefix(p.Mime, "audio/mp4") {
		ext = "mp4"
	}
	// Streamed chunk by chunk (a long call is large) with its length
	// given, so that a failure halfway reads as a broken download, never
	// as a complete file.
	w.Header().Set("Content-Type", p.Mime)
	w.Header().Set("Content-Length", strconv.FormatInt(p.Bytes, 10))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="video-%s-%d.%s"`, id, part, ext))
	if _, err := s.cfg.Video.OpenRecording(ctx, id, part, w); err != nil {
		slog.ErrorContext(ctx, "video: recording download broken off", "err", err, "session", id, "part", part)
		panic(http.ErrAbortHandler)
	}
	return nil
}

type adminVideoStatsData struct {
	Stats    video.Stats
	Outcomes []video.Outcome
	From, To string
}

func (s *Server) adminVideoStats(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	st, err := s.cfg.Video.Stats(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	p := s.consolePage(r, "video", "视频导办统计", adminVideoStatsData{Stats: st, Outcomes: video.Outcomes, From: q.Get("from"), To: q.Get("to")})
	p.Scripts = append(p.Scripts, "/static/echarts.min.js", "/static/video_stats.js")
	s.render(w, r, http.StatusOK, "admin_video_stats.html", p)
	return nil
}

// adminVideoStatsJSON feeds the charts.
func (s *Server) adminVideoStatsJSON(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	st, err := s.cfg.Video.Stats(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	labels := map[string]string{}
	for _, o := range video.Outcomes {
		labels[string(o)] = o.Label()
	}
	writeJSON(w, http.StatusOK, map[string]any{"stats": st, "outcome_labels": labels})
	return nil
}

func (s *Server) adminVideoExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var buf bytes.Buffer
	if err := s.cfg.Video.ExportExcel(r.Context(), &buf, q.Get("from"), q.Get("to")); err != nil {
		return err
	}
	s.audit(r, nil, "video.export", "video", map[string]any{"from": q.Get("from"), "to": q.Get("to")})
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="video.xlsx"; filename*=UTF-8''`+url.PathEscape("视频导办统计.xlsx"))
	_, _ = w.Write(buf.Bytes())
	return nil
}

// VideoCards builds the cards clerks push from the knowledge base.
type VideoCards struct{ KB *kb.Store }

// Card is an item's guide (summary, conditions, steps) or its materials.
func (c VideoCards) Card(ctx context.Context, kind, itemID string) (video.Card, error) {
	rec, err := c.KB.Item(ctx, itemID)
	if err != nil || rec.Status != kb.Published {
		return video.Card{}, fmt.Errorf("事项 %s 不存在或未发布", itemID)
	}
	it := rec.Item
	card := video.Card{Kind: kind, URL: "/items/" + url.PathEscape(it.ID)}
	switch kind {
	case "materials":
		card.Title = it.Name + " · 申请材料"
		for _, m := range it.Materials {
			line := m.Name
			if m.Form != "" {
				line += "（" + m.Form
				if m.Copies > 0 {
					line += fmt.Sprintf(" %d 份", m.Copies)
				}
				line += "）"
			}
			card.Lines = append(card.Lines, line)
		}
	default:
		card.Title = it.Name + " · 办事指南"
		if it.Summary != "" {
			card.Lines = append(card.Lines, it.Summary)
		}
		for i, p := range it.Process {
			card.Lines = append(card.Lines, fmt.Sprintf("第 %d 步：%s", i+1, p))
		}
	}
	return card, nil
}

// waitLabel is an estimated wait as a resident reads it.
func waitLabel(sec int) string {
	switch {
	case sec <= 0:
		return "即将接通"
	case sec < 60:
		return "不到 1 分钟"
	}
	return fmt.Sprintf("约 %d 分钟", (sec+59)/60)
}

// channelLabel says where a video request came from.
func channelLabel(c string) string {
	switch c {
	case "chat":
		return "来自智能咨询"
	case "item":
		return "来自办事指南"
	}
	return "居民直接发起"
}

// wantsVideo reports whether a chat message asks for a video call
// ("我想视频咨询", "视频导办", "能视频办理吗").
func wantsVideo(msg string) bool {
	m := strings.ReplaceAll(msg, " ", "")
	for _, w := range []string{"视频咨询", "视频导办", "视频办理", "视频通话", "视频指导", "视频连线"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// videoFromChat is the video request page for a chat conversation.
func videoFromChat(conv string) string {
	if conv == "" {
		return "/video"
	}
	return "/video?c=" + url.QueryEscape(conv)
}
