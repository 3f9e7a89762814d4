package video

// Recording, off by default. When a deployment turns it on
// (Config.RecordDays > 0) the resident's consent panel asks separately,
// unticked, whether the call may be recorded; only then may the clerk
// start recording. The clerk's browser records (MediaRecorder: the
// resident's video and both voices mixed) and uploads it in chunks of a
// few seconds; each chunk is sealed under the deployment's keyring
// (AES-256-GCM or SM4-GCM, as every sealed value, and moved by "fuwu key
// reseal") and carries the instant it must be deleted by, fixed when it
// was recorded. A resumed call starts a new part: each part is one WebM
// file. Starting, stopping, downloading and deleting are audited.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// MaxChunk is the largest recording chunk accepted (a few seconds of
// video at a call's rate are well under a megabyte).
const MaxChunk = 8 << 20

// maxParts bounds the parts of one session (each resume starts one).
const maxParts = 1000

// Recording reports whether recording is turned on.
func (s *Service) Recording() bool { return s.cfg.RecordDays > 0 && s.cfg.Seal != nil }

// RecordDays is how long recordings are kept (0: recording is off).
func (s *Service) RecordDays() int {
	if !s.Recording() {
		return 0
	}
	return s.cfg.RecordDays
}

// mayRecord checks that clerk c may record session id now: recording is
// on, the session is theirs, the resident consented to be recorded, and
// the call is active or ended within the grace period (the last chunk
// arrives after the hang-up).
func (s *Service) mayRecord(ctx context.Context, id string, c Clerk) (Session, error) {
	if !s.Recording() {
		return Session{}, ErrRecordingOff
	}
	sess, err := s.Get(ctx, id)
	if err != nil {
		return Session{}, err
	}
	if sess.Clerk != c.User || c.User == "" {
		return Session{}, ErrNotYourCall
	}
	if sess.RecordConsentAt.IsZero() {
		return Session{}, ErrNoRecordOK
	}
	switch {
	case sess.Status == Active:
	case sess.Status == Ended && s.cfg.Now().Sub(sess.EndedAt.Time) <= s.cfg.Grace:
	default:
		return Session{}, ErrNotActive
	}
	return sess, nil
}

// RecordEvent audits the clerk starting or stopping part of a recording
// (stopping part 0: a reloaded page lost its recorder).
func (s *Service) RecordEvent(ctx context.Context, id string, c Clerk, start bool, part int) error {
	sess, err := s.mayRecord(ctx, id, c)
	if err != nil {
		return err
	}
	if part < 0 || part > maxParts || (start && part == 0) {
		return ErrBadChunk
	}
	action := "video.record.stop"
	if start {
		action = "video.record.start"
	}
	s.record(ctx, c.User, c.Role, action, sess, map[string]any{"part": part, "retention_days": s.cfg.RecordDays})
	return nil
}

// SaveChunk seals and stores one chunk of part (1, 2, …) of session id's
// recording, seq counting from 0 within the part.
func (s *Service) SaveChunk(ctx context.Context, id string, c Clerk, part, seq int, mime string, data []byte) error {
	if _, err := s.mayRecord(ctx, id, c); err != nil {
		return err
	}
	if part < 1 || part > maxParts || seq < 0 || len(data) == 0 || len(data) > MaxChunk {
		return ErrBadChunk
	}
	mime = strings.TrimSpace(mime)
	if !strings.HasPrefix(mime, "video/") && !strings.HasPrefix(mime, "audio/") {
		mime = "video/webm"
	}
	sealed, err := s.cfg.Seal.Seal(string(data))
	if err != nil {
		return fmt.Errorf("video: seal chunk: %w", err)
	}
	now := s.cfg.Now()
	expires := store.T(now.Add(time.Duration(s.cfg.RecordDays) * 24 * time.Hour))
	_, err = s.db.Exec(ctx, `INSERT INTO video_recordings (session_id, part, seq, mime, size, data_sealed, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, part, seq, clip(mime, 100), len(data), sealed, store.T(now), expires)
	if err != nil {
		return fmt.Errorf("video: store chunk %s/%d/%d: %w", id, part, seq, err)
	}
	return nil
}

// Part is one part of a session's recording.
type Part struct {
	Part      int
	Chunks    int
	Bytes     int64
	Mime      string
	StartedAt store.Time
	ExpiresAt store.Time
}

// Recordings lists the parts recorded for session id (none when nothing
// was recorded or the retention period is over).
func (s *Service) Recordings(ctx context.Context, id string) ([]Part, error) {
	rows, err := s.db.Query(ctx, `SELECT part, COUNT(*), SUM(size), MIN(mime), MIN(created_at), MIN(expires_at)
		FROM video_recordings WHERE session_id = ? GROUP BY part ORDER BY part`, id)
	if err != nil {
		return nil, fmt.Errorf("video: recordings of %s: %w", id, err)
	}
	defer rows.Close()
	var out []Part
	for rows.Next() {
		var p Part
		if err := rows.Scan(&p.Part, &p.Chunks, &p.Bytes, &p.Mime, &p.StartedAt, &p.ExpiresAt); err != nil {
			return nil, fmt.Errorf("video: recordings of %s: %w", id, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// OpenRecording writes part of session id's recording to w, opened chunk
// by chunk in order, and returns its media type. The caller audits who
// downloaded it.
func (s *Service) OpenRecording(ctx context.Context, id string, part int, w io.Writer) (string, error) {
	if s.cfg.Seal == nil {
		return "", ErrNoRecording
	}
	// One chunk read at a time: a recording can be far larger than memory
	// should hold.
	var seqs []int
	var mime string
	rows, err := s.db.Query(ctx, `SELECT seq, mime FROM video_recordings WHERE session_id = ? AND part = ? ORDER BY seq`, id, part)
	if err != nil {
		return "", fmt.Errorf("video: recording %s/%d: %w", id, part, err)
	}
	for rows.Next() {
		var q int
		var m string
		if err := rows.Scan(&q, &m); err != nil {
			rows.Close()
			return "", fmt.Errorf("video: recording %s/%d: %w", id, part, err)
		}
		seqs = append(seqs, q)
		if mime == "" {
			mime = m
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("video: recording %s/%d: %w", id, part, err)
	}
	if len(seqs) == 0 {
		return "", ErrNoRecording
	}
	for _, q := range seqs {
		var sealed string
		if err := s.db.QueryRow(ctx, `SELECT data_sealed FROM video_recordings WHERE session_id = ? AND part = ? AND seq = ?`, id, part, q).Scan(&sealed); err != nil {
			return "", fmt.Errorf("video: recording %s/%d/%d: %w", id, part, q, err)
		}
		plain, err := s.cfg.Seal.Open(sealed)
		if err != nil {
			return "", fmt.Errorf("video: open recording %s/%d/%d: %w", id, part, q, err)
		}
		if _, err := io.WriteString(w, plain); err != nil {
			return "", fmt.Errorf("video: write recording %s/%d: %w", id, part, err)
		}
	}
	return mime, nil
}

// SweepRecordings deletes every recording whose retention period is over
// (a session's whole recording once its first chunk expires) and audits
// each deletion. It returns how many sessions' recordings went.
func (s *Service) SweepRecordings(ctx context.Context) (int, error) {
	now := store.T(s.cfg.Now())
	rows, err := s.db.Query(ctx, `SELECT DISTINCT session_id FROM video_recordings WHERE expires_at <= ?`, now)
	if err != nil {
		return 0, fmt.Errorf("video: expired recordings: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("video: expired recordings: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("video: expired recordings: %w", err)
	}
	for _, id := range ids {
		if err := s.deleteRecording(ctx, id, "system", "", "retention"); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// deleteRecording removes a session's whole recording and audits it.
func (s *Service) deleteRecording(ctx context.Context, id, actor, role, reason string) error {
	var chunks int
	var bytes int64
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(size), 0) FROM video_recordings WHERE session_id = ?`, id).Scan(&chunks, &bytes); err != nil {
		return fmt.Errorf("video: delete recording %s: %w", id, err)
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM video_recordings WHERE session_id = ?`, id); err != nil {
		return fmt.Errorf("video: delete recording %s: %w", id, err)
	}
	sess, err := s.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		sess = Session{ID: id}
	} else if err != nil {
		return err
	}
	s.record(ctx, actor, role, "video.record.delete", sess, map[string]any{"reason": reason, "chunks": chunks, "bytes": bytes})
	return nil
}

// refusalText is what a clerk's page shows for a refused action.
func refusalText(err error) string {
	var u interface{ UserMessage() string }
	if errors.As(err, &u) {
		return u.UserMessage()
	}
	return "操作失败"
}
