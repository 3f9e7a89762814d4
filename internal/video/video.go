// Package video runs the video-guided service (视频导办): a resident who is
// stuck with an item talks to a clerk face to face in the browser, over
// WebRTC, with no third-party service.
//
// It holds the call queue (position and estimated wait, pushed live to the
// residents waiting), the sessions' metadata (resident's item and channel,
// clerk's name, number and hall, start, end, outcome, rating), the
// signalling relay over WebSocket (offer, answer and ICE candidates passed
// between the two peers of a session, plus captions, text chat and the
// cards a clerk pushes), and an embedded TURN server (pion/turn) with
// short-lived HMAC credentials for residents behind NAT; a district's own
// TURN/STUN servers can be listed instead or as well. No public STUN server
// is configured by default: intranets have no internet.
//
// A resident holds a session only through its capability token (an HMAC
// of the session's random id under a server secret), like the chat's
// conversation tokens; a reload or a dropped connection rejoins the same
// session with it. Nothing of the call is recorded by default: media, chat
// and captions pass through memory only; the metadata of each session goes
// to the audit log when it ends. A deployment may turn recording on
// (Config.RecordDays); then a call is recorded only if its resident ticked
// a separate consent, by the clerk's browser, stored sealed and deleted
// after the retention period (record.go).
package video

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the video service's schema.
var Migrations = store.Migrations{Component: "video", FS: migrationFS, Dir: "migrations"}

// The refusals. Anything else a Service returns is a system failure.
var (
	ErrNotFound      = refusal.Missing("video", "not_found", "未找到该视频导办会话")
	ErrNotWaiting    = refusal.New("video", "not_waiting", "该视频请求已被接听或已结束")
	ErrNotActive     = refusal.New("video", "not_active", "该视频通话尚未开始或已结束")
	ErrNotEnded      = refusal.New("video", "not_ended", "通话结束后才能评价")
	ErrRated         = refusal.New("video", "rated", "您已评价过本次视频导办")
	ErrBadRating     = refusal.New("video", "bad_rating", "请选择 1 到 5 星的评价")
	ErrBadOutcome    = refusal.New("video", "bad_outcome", "请选择办理结果")
	ErrNotYourCall   = refusal.New("video", "not_your_call", "该通话由其他工作人员接听")
	ErrClerkRequired = refusal.New("video", "clerk_required", "请填写工号和所在大厅")
	ErrBadDate       = refusal.New("video", "bad_date", "日期格式应为 YYYY-MM-DD")
	ErrRecordingOff  = refusal.New("video", "recording_off", "本系统未开启通话录制")
	ErrNoRecordOK    = refusal.New("video", "no_record_consent", "居民未同意录音录像，不能录制")
	ErrBadChunk      = refusal.Bad("video", "bad_chunk", "录像分段无效")
	ErrNoRecording   = refusal.Missing("video", "no_recording", "该通话没有录像（未录制或已过保存期限被删除）")
)

// Status is where a session stands.
type Status string

const (
	Waiting   Status = "waiting"   // in the queue
	Active    Status = "active"    // a clerk accepted
	Ended     Status = "ended"     // the call is over
	Abandoned Status = "abandoned" // the resident left the queue before a clerk answered
)

// Label is the status in Chinese.
func (s Status) Label() string {
	switch s {
	case Waiting:
		return "排队中"
	case Active:
		return "通话中"
	case Ended:
		return "已结束"
	case Abandoned:
		return "已放弃"
	}
	return string(s)
}

// Outcome is how the clerk closed the call.
type Outcome string

const (
	Resolved Outcome = "resolved" // the question was answered
	Applied  Outcome = "applied"  // guided through the online application
	Offline  Outcome = "offline"  // must come to the hall
	Booked   Outcome = "booked"   // an appointment was made
	Dropped  Outcome = "dropped"  // the call broke off
)

// Outcomes lists every outcome in display order.
var Outcomes = []Outcome{Resolved, Applied, Offline, Booked, Dropped}

// Label is the outcome in Chinese.
func (o Outcome) Label() string {
	switch o {
	case Resolved:
		return "问题已解答"
	case Applied:
		return "已指导完成网上申报"
	case Offline:
		return "需到大厅办理"
	case Booked:
		return "已预约办理"
	case Dropped:
		return "通话中断"
	case "":
		return "未填写"
	}
	return string(o)
}

// ParseOutcome checks an outcome's name.
func ParseOutcome(s string) (Outcome, error) {
	for _, o := range Outcomes {
		if string(o) == s {
			return o, nil
		}
	}
	return "", ErrBadOutcome
}

// Ratings are the five levels of 好差评, 1 to 5.
var Ratings = []string{"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"}

// Session is one video request and, once accepted, its call.
type Session struct {
	ID             string     `json:"id"` // random, 32 hex digits
	ItemID         string     `json:"item_id,omitempty"`
	ItemName       string     `json:"item_name,omitempty"`
	ConversationID string     `json:"conversation_id,omitempty"`
	Channel        string     `json:"channel"`
	Status         Status     `json:"status"`
	Clerk          string     `json:"-"` // user name: staff only
	ClerkName      string     `json:"clerk_name,omitempty"`
	ClerkNumber    string     `json:"clerk_number,omitempty"`
	Hall           string     `json:"hall,omitempty"`
	CreatedAt      store.Time `json:"created_at"`
	AcceptedAt     store.Time `json:"accepted_at"`
	ConsentAt      store.Time `json:"consent_at"`
	EndedAt        store.Time `json:"ended_at"`
	EndedBy        string     `json:"-"`
	Outcome        Outcome    `json:"outcome,omitempty"`
	Rating         int        `json:"rating,omitempty"`
	Comment        string     `json:"-"`
	Resumes        int        `json:"-"`
	// RecordConsentAt is when the resident agreed to be recorded, given
	// apart from the consent to the call; zero: no recording.
	RecordConsentAt store.Time `json:"record_consent_at"`
}

// Wait is how long the resident waited for a clerk (so far, if waiting).
func (s Session) Wait(now time.Time) time.Duration {
	if s.AcceptedAt.IsZero() {
		if s.Status == Waiting {
			return now.Sub(s.CreatedAt.Time)
		}
		if !s.EndedAt.IsZero() {
			return s.EndedAt.Sub(s.CreatedAt.Time)
		}
		return 0
	}
	return s.AcceptedAt.Sub(s.CreatedAt.Time)
}

// Duration is how long the call lasted (so far, if active).
func (s Session) Duration(now time.Time) time.Duration {
	switch {
	case s.AcceptedAt.IsZero():
		return 0
	case s.EndedAt.IsZero():
		return now.Sub(s.AcceptedAt.Time)
	}
	return s.EndedAt.Sub(s.AcceptedAt.Time)
}

// Clerk is the staff member who answers, as the resident sees them.
type Clerk struct {
	User   string // user name (audit)
	Role   string
	Name   string // display name
	Number string // 工号
	Hall   string // the hall they sit in
}

// Config tunes a Service.
type Config struct {
	// Key signs residents' session tokens; Suite picks HMAC-SHA256 or
	// HMAC-SM3.
	Key   []byte
	Suite cryptosuite.Suite
	// ICE is the browsers' ICE configuration (embedded TURN, district
	// servers); nil offers host candidates only.
	ICE *ICE
	// Cards builds the guide cards and material lists clerks push; nil
	// allows links only.
	Cards Cards
	// Audit receives each session's metadata when it ends; nil logs it
	// with slog only.
	Audit *audit.Log
	// RecordDays turns recording on: calls whose resident consents may be
	// recorded by the clerk's browser, kept sealed with Seal for this many
	// days, then deleted. 0, the default, records nothing.
	RecordDays int
	// Seal seals recordings (the deployment's keyring); required when
	// RecordDays > 0.
	Seal *privacy.Keys
	// DefaultHandle is the estimated length of a call while there is no
	// history to average; default 5 minutes.
	DefaultHandle time.Duration
	// Grace is how long a waiting resident may be disconnected before
	// the request counts as abandoned, and an active call without either
	// peer before it ends as dropped; default 2 minutes.
	Grace    time.Duration
	Location *time.Location // days for the figures; default clock.Default
	Now      func() time.Time
}

// Service is the video-guided service over a migrated store.
type Service struct {
	db  *store.DB
	cfg Config
	hub *hub
}

// New makes a Service.
func New(db *store.DB, cfg Config) (*Service, error) {
	if len(cfg.Key) < 16 {
		return nil, errors.New("video: Config.Key must be at least 16 bytes")
	}
	if cfg.DefaultHandle <= 0 {
		cfg.DefaultHandle = 5 * time.Minute
	}
	if cfg.Grace <= 0 {
		cfg.Grace = 2 * time.Minute
	}
	if cfg.Location == nil {
		cfg.Location = clock.Default
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RecordDays < 0 {
		return nil, errors.New("video: Config.RecordDays must not be negative")
	}
	if cfg.RecordDays > 0 && cfg.Seal == nil {
		return nil, errors.New("video: recording needs Config.Seal")
	}
	s := &Service{db: db, cfg: cfg}
	s.hub = newHub(s)
	return s, nil
}

func (s *Service) now() store.Time { return store.T(s.cfg.Now()) }

// Token is the resident's capability for session id.
func (s *Service) Token(id string) string {
	m := s.cfg.Suite.MAC(s.cfg.Key)
	m.Write([]byte("video-session\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// Valid reports whether tok is the capability for session id.
func (s *Service) Valid(id, tok string) bool {
	return id != "" && tok != "" && hmac.Equal([]byte(s.Token(id)), []byte(tok))
}

// NewRequest is what a resident asks for.
type NewRequest struct {
	ItemID         string
	ItemName       string
	ConversationID string
	Channel        string // chat / item / request
}

// Request puts a resident in the queue and returns the session with its
// token.
func (s *Service) Request(ctx context.Context, r NewRequest) (Session, string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Session{}, "", fmt.Errorf("video: session id: %w", err)
	}
	sess := Session{ID: hex.EncodeToString(b[:]), ItemID: clip(r.ItemID, 64), ItemName: clip(r.ItemName, 200),
		ConversationID: clip(r.ConversationID, 64), Channel: clip(r.Channel, 16), Status: Waiting, CreatedAt: s.now()}
	if sess.Channel == "" {
		sess.Channel = "request"
	}
	_, err := s.db.Exec(ctx, `INSERT INTO video_sessions (public_id, item_id, item_name, conversation_id, channel, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, sess.ID, sess.ItemID, sess.ItemName, sess.ConversationID, sess.Channel, sess.Status, sess.CreatedAt)
	if err != nil {
		return Session{}, "", fmt.Errorf("video: request: %w", err)
	}
	s.hub.queueChanged()
	return sess, s.Token(sess.ID), nil
}

const sessionCols = `public_id, item_id, item_name, conversation_id, channel, status, clerk, clerk_name, clerk_number, hall,
	created_at, accepted_at, consent_at, ended_at, ended_by, outcome, rating, comment, resumes, record_consent_at`

type scanner interface{ Scan(...any) error }

func scanSession(sc scanner) (Session, error) {
	var x Session
	err := sc.Scan(&x.ID, &x.ItemID, &x.ItemName, &x.ConversationID, &x.Channel, &x.Status, &x.Clerk, &x.ClerkName, &x.ClerkNumber,
		&x.Hall, &x.CreatedAt, &x.AcceptedAt, &x.ConsentAt, &x.EndedAt, &x.EndedBy, &x.Outcome, &x.Rating, &x.Comment, &x.Resumes, &x.RecordConsentAt)
	return x, err
}

// Get reads a session.
func (s *Service) Get(ctx context.Context, id string) (Session, error) {
	x, err := scanSession(s.db.QueryRow(ctx, `SELECT `+sessionCols+` FROM video_sessions WHERE public_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("video: get %s: %w", id, err)
	}
	return x, nil
}

// Waiting lists the queue, first come first.
func (s *Service) Waiting(ctx context.Context) ([]Session, error) {
	return s.list(ctx, `WHERE status = ? ORDER BY created_at, id`, Waiting)
}

// Recent lists the latest sessions, newest first.
func (s *Service) Recent(ctx context.Context, limit int) ([]Session, error) {
	return s.list(ctx, fmt.Sprintf(`WHERE status <> ? ORDER BY created_at DESC, id DESC LIMIT %d`, max(1, limit)), Waiting)
}

func (s *Service) list(ctx context.Context, where string, args ...any) ([]Session, error) {
	rows, err := s.db.Query(ctx, `SELECT `+sessionCols+` FROM video_sessions `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("video: list: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("video: list: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Accept gives a waiting session to a clerk.
func (s *Service) Accept(ctx context.Context, id string, c Clerk) (Session, error) {
	c.Number, c.Hall, c.Name = clip(strings.TrimSpace(c.Number), 32), clip(strings.TrimSpace(c.Hall), 100), clip(strings.TrimSpace(c.Name), 64)
	if c.User == "" || c.Number == "" || c.Hall == "" {
		return Session{}, ErrClerkRequired
	}
	if c.Name == "" {
		c.Name = c.User
	}
	now := s.now()
	res, err := s.db.Exec(ctx, `UPDATE video_sessions SET status = ?, clerk = ?, clerk_name = ?, clerk_number = ?, hall = ?, accepted_at = ?
		WHERE public_id = ? AND status = ?`, Active, c.User, c.Name, c.Number, c.Hall, now, id, Waiting)
	if err != nil {
		return Session{}, fmt.Errorf("video: accept %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Get(ctx, id); err != nil {
			return Session{}, err
		}
		return Session{}, ErrNotWaiting
	}
	sess, err := s.Get(ctx, id)
	if err != nil {
		return Session{}, err
	}
	s.record(ctx, c.User, c.Role, "video.accept", sess, map[string]any{"wait_s": int(sess.Wait(now.Time).Seconds())})
	s.hub.accepted(sess)
	s.hub.queueChanged()
	return sess, nil
}

// Consent records that the resident agreed to start the camera and, if
// record (ticked apart, and only while recording is on), to be recorded.
// It reports whether recording was agreed to.
func (s *Service) Consent(ctx context.Context, id string, record bool) (bool, error) {
	now := s.now()
	_, err := s.db.Exec(ctx, `UPDATE video_sessions SET consent_at = ? WHERE public_id = ? AND status = ? AND consent_at IS NULL`,
		now, id, Active)
	if err != nil {
		return false, fmt.Errorf("video: consent %s: %w", id, err)
	}
	if !record || !s.Recording() {
		return false, nil
	}
	res, err := s.db.Exec(ctx, `UPDATE video_sessions SET record_consent_at = ? WHERE public_id = ? AND status = ? AND record_consent_at IS NULL`,
		now, id, Active)
	if err != nil {
		return false, fmt.Errorf("video: record consent %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if sess, err := s.Get(ctx, id); err == nil {
			s.record(ctx, "resident", "", "video.record.consent", sess, map[string]any{"retention_days": s.cfg.RecordDays})
		}
	}
	return true, nil
}

// Leave takes a waiting resident out of the queue (abandoned) or hangs up
// an active call on the resident's side.
func (s *Service) Leave(ctx context.Context, id string) (Session, error) {
	sess, err := s.Get(ctx, id)
	if err != nil {
		return Session{}, err
	}
	switch sess.Status {
	case Waiting:
		if _, err := s.db.Exec(ctx, `UPDATE video_sessions SET status = ?, ended_at = ?, ended_by = ? WHERE public_id = ? AND status = ?`,
			Abandoned, s.now(), "resident", id, Waiting); err != nil {
			return Session{}, fmt.Errorf("video: leave %s: %w", id, err)
		}
		s.hub.queueChanged()
		s.hub.ended(id)
		return s.Get(ctx, id)
	case Active:
		return s.end(ctx, id, "resident", "", "")
	}
	return sess, nil
}

// End hangs up an active call on the clerk's side with its outcome (which
// may be left for later with ""), or sets the outcome of a call already
// over.
func (s *Service) End(ctx context.Context, id string, c Clerk, outcome Outcome) (Session, error) {
	sess, err := s.Get(ctx, id)
	if err != nil {
		return Session{}, err
	}
	if sess.Clerk != c.User {
		return Session{}, ErrNotYourCall
	}
	if outcome != "" {
		if _, err := ParseOutcome(string(outcome)); err != nil {
			return Session{}, err
		}
	}
	switch sess.Status {
	case Active:
		return s.end(ctx, id, "clerk", c.Role, outcome)
	case Ended:
		if outcome == "" {
			return sess, nil
		}
		if _, err := s.db.Exec(ctx, `UPDATE video_sessions SET outcome = ? WHERE public_id = ?`, outcome, id); err != nil {
			return Session{}, fmt.Errorf("video: outcome %s: %w", id, err)
		}
		sess.Outcome = outcome
		s.record(ctx, c.User, c.Role, "video.outcome", sess, nil)
		return sess, nil
	}
	return Session{}, ErrNotActive
}

// end closes an active call; by is "resident", "clerk" or "system".
func (s *Service) end(ctx context.Context, id, by, role string, outcome Outcome) (Session, error) {
	res, err := s.db.Exec(ctx, `UPDATE video_sessions SET status = ?, ended_at = ?, ended_by = ?, outcome = ? WHERE public_id = ? AND status = ?`,
		Ended, s.now(), by, outcome, id, Active)
	if err != nil {
		return Session{}, fmt.Errorf("video: end %s: %w", id, err)
	}
	sess, err := s.Get(ctx, id)
	if err != nil {
		return Session{}, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		actor := sess.Clerk
		if by != "clerk" {
			actor, role = by, ""
		}
		s.record(ctx, actor, role, "video.end", sess, nil)
		if s.hub.ended(id) {
			s.record(ctx, actor, role, "video.record.stop", sess, map[string]any{"reason": "call ended"})
		}
	}
	return sess, nil
}

// Rate is the resident's 好差评 after the call: 1 to 5 stars and a
// comment (masked before it is stored).
func (s *Service) Rate(ctx context.Context, id string, stars int, comment string) error {
	if stars < 1 || stars > 5 {
		return ErrBadRating
	}
	sess, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if sess.Status != Ended {
		return ErrNotEnded
	}
	masked, _ := privacy.Mask(clip(strings.TrimSpace(comment), 500))
	res, err := s.db.Exec(ctx, `UPDATE video_sessions SET rating = ?, comment = ? WHERE public_id = ? AND rating = 0`, stars, masked, id)
	if err != nil {
		return fmt.Errorf("video: rate %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrRated
	}
	return nil
}

// resumed counts a reconnection after a drop.
func (s *Service) resumed(ctx context.Context, id string) {
	if _, err := s.db.Exec(ctx, `UPDATE video_sessions SET resumes = resumes + 1 WHERE public_id = ?`, id); err != nil {
		slog.WarnContext(ctx, "video: count resume", "err", err)
	}
}

// record puts a session's metadata in the audit log: who, when, how long,
// which item, the outcome. Never what was said or shown.
func (s *Service) record(ctx context.Context, actor, role, action string, sess Session, extra map[string]any) {
	now := s.cfg.Now()
	d := map[string]any{"item": sess.ItemID, "item_name": sess.ItemName, "channel": sess.Channel, "clerk": sess.Clerk,
		"clerk_number": sess.ClerkNumber, "hall": sess.Hall, "status": string(sess.Status)}
	if !sess.AcceptedAt.IsZero() {
		d["wait_s"] = int(sess.Wait(now).Seconds())
		d["duration_s"] = int(sess.Duration(now).Seconds())
	}
	if sess.Outcome != "" {
		d["outcome"] = string(sess.Outcome)
	}
	if sess.EndedBy != "" {
		d["ended_by"] = sess.EndedBy
	}
	for k, v := range extra {
		d[k] = v
	}
	slog.InfoContext(ctx, "video session", "action", action, "session", sess.ID, "clerk", sess.Clerk, "item", sess.ItemID)
	if s.cfg.Audit == nil {
		return
	}
	if _, err := s.cfg.Audit.Record(ctx, audit.Entry{Actor: actor, Role: role, Action: action, Target: "video:" + sess.ID, Details: d}); err != nil {
		slog.ErrorContext(ctx, "video: audit", "err", err, "action", action)
	}
}

// Sweep closes what nobody will come back to: waiting requests whose
// resident has been gone longer than Config.Grace (abandoned), and active
// calls with neither peer connected for that long (ended, dropped). The
// server runs it every few seconds.
func (s *Service) Sweep(ctx context.Context) error {
	now := s.cfg.Now()
	open, err := s.list(ctx, `WHERE status IN (?, ?)`, Waiting, Active)
	if err != nil {
		return err
	}
	for _, x := range open {
		last := s.hub.lastSeen(x.ID, x.CreatedAt.Time)
		if now.Sub(last) < s.cfg.Grace {
			continue
		}
		if x.Status == Waiting {
			if _, err := s.Leave(ctx, x.ID); err != nil {
				return err
			}
			continue
		}
		if _, err := s.end(ctx, x.ID, "system", "", Dropped); err != nil {
			return err
		}
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Place is a waiting session's place in the queue now (zero when it is not
// waiting).
func (s *Service) Place(ctx context.Context, id string) (QueueInfo, error) {
	waiting, err := s.Waiting(ctx)
	if err != nil {
		return QueueInfo{}, err
	}
	for i, w := range waiting {
		if w.ID == id {
			s.hub.mu.Lock()
			online, busy := s.hub.clerksLocked()
			s.hub.mu.Unlock()
			return QueueInfo{Position: i + 1, WaitS: estimate(i, online, busy, s.avgHandle(ctx)), Clerks: online}, nil
		}
	}
	return QueueInfo{}, nil
}

// ClerksOnline is how many clerks have the console open or are in a call.
func (s *Service) ClerksOnline() int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	online, _ := s.hub.clerksLocked()
	return online
}

// Close waits for the queue updates under way; a connection ending later
// (they end with the HTTP server) starts no more.
func (s *Service) Close() {
	s.hub.mu.Lock()
	s.hub.closed = true
	s.hub.mu.Unlock()
	s.hub.bg.Wait()
}

// Run sweeps abandoned requests and dropped calls every few seconds until
// ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 15 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				slog.ErrorContext(ctx, "video: sweep", "err", err)
			}
			if _, err := s.SweepRecordings(ctx); err != nil && ctx.Err() == nil {
				slog.ErrorContext(ctx, "video: recordings' retention", "err", err)
			}
		}
	}
}
