package video

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func recordingService(t *testing.T, db *store.DB, clk *clock.Manual, days int) (*Service, *audit.Log, *privacy.Keys) {
	t.Helper()
	keys, err := privacy.NewKeys(testKey)
	if err != nil {
		t.Fatal(err)
	}
	log := audit.New(db).WithClock(clk.Now, clock.Default)
	s, err := New(db, Config{Key: testKey, Audit: log, Now: clk.Now, Grace: time.Minute, RecordDays: days, Seal: keys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, log, keys
}

func TestRecordingConfig(t *testing.T) {
	t.Parallel()
	if _, err := New(nil, Config{Key: testKey, RecordDays: 30}); err == nil {
		t.Error("recording without a keyring to seal with was accepted")
	}
	if _, err := New(nil, Config{Key: testKey, RecordDays: -1}); err == nil {
		t.Error("a negative retention was accepted")
	}
	s, err := New(nil, Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if s.Recording() || s.RecordDays() != 0 {
		t.Error("recording is on by default")
	}
}

// Recording off refuses everything; on, it needs the resident's separate
// consent and the call's own clerk; chunks are sealed at rest and open in
// order; the last chunk may come just after the hang-up, not later; the
// retention sweep deletes the recording once its period is over; every
// step is audited.
func TestRecording(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewManual(clock.At("2026-12-01 09:00", clock.Default))
		clerk := Clerk{User: "agent1", Role: "agent", Name: "王芳", Number: "FT0123", Hall: "福田区行政服务大厅"}

		// Off (the default): no consent stored, nothing accepted.
		off, _ := newService(t, db, clk)
		x, _, err := off.Request(ctx, NewRequest{ItemID: "FT-001"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := off.Accept(ctx, x.ID, clerk); err != nil {
			t.Fatal(err)
		}
		if rec, err := off.Consent(ctx, x.ID, true); err != nil || rec {
			t.Errorf("consent with recording off: %v %v", rec, err)
		}
		wantErr(t, "chunk with recording off", off.SaveChunk(ctx, x.ID, clerk, 1, 0, "video/webm", []byte("data")), ErrRecordingOff)
		wantErr(t, "start with recording off", off.RecordEvent(ctx, x.ID, clerk, true, 1), ErrRecordingOff)

		s, log, _ := recordingService(t, db, clk, 30)
		if !s.Recording() || s.RecordDays() != 30 {
			t.Fatalf("recording on: %v %d", s.Recording(), s.RecordDays())
		}
		// A resident who agrees to the call but not to recording.
		a, _, _ := s.Request(ctx, NewRequest{ItemID: "FT-001"})
		if _, err := s.Accept(ctx, a.ID, clerk); err != nil {
			t.Fatal(err)
		}
		if rec, err := s.Consent(ctx, a.ID, false); err != nil || rec {
			t.Fatalf("consent without recording: %v %v", rec, err)
		}
		wantErr(t, "chunk without the resident's consent", s.SaveChunk(ctx, a.ID, clerk, 1, 0, "video/webm", []byte("data")), ErrNoRecordOK)
		wantErr(t, "start without the resident's consent", s.RecordEvent(ctx, a.ID, clerk, true, 1), ErrNoRecordOK)

		// A resident who agrees to both.
		b, _, _ := s.Request(ctx, NewRequest{ItemID: "FT-002", ItemName: "高龄津贴申领"})
		if _, err := s.Accept(ctx, b.ID, clerk); err != nil {
			t.Fatal(err)
		}
		if rec, err := s.Consent(ctx, b.ID, true); err != nil || !rec {
			t.Fatalf("consent with recording: %v %v", rec, err)
		}
		if got, _ := s.Get(ctx, b.ID); got.RecordConsentAt.IsZero() || got.ConsentAt.IsZero() {
			t.Errorf("consents not stored: %+v", got)
		}
		other := Clerk{User: "agent2", Role: "agent"}
		wantErr(t, "another clerk's chunk", s.SaveChunk(ctx, b.ID, other, 1, 0, "video/webm", []byte("data")), ErrNotYourCall)
		wantErr(t, "unknown session", s.SaveChunk(ctx, "nope", clerk, 1, 0, "video/webm", []byte("data")), ErrNotFound)
		for _, c := range []struct {
			name      string
			part, seq int
			data      []byte
		}{
			{"part 0", 0, 0, []byte("x")},
			{"negative seq", 1, -1, []byte("x")},
			{"empty", 1, 0, nil},
			{"too large", 1, 0, make([]byte, MaxChunk+1)},
		} {
			wantErr(t, c.name, s.SaveChunk(ctx, b.ID, clerk, c.part, c.seq, "video/webm", c.data), ErrBadChunk)
		}
		if err := s.RecordEvent(ctx, b.ID, clerk, true, 1); err != nil {
			t.Fatal(err)
		}
		head := []byte{0x1a, 0x45, 0xdf, 0xa3, 'h', 'e', 'a', 'd', 0x00, 0xff}
		chunks := [][]byte{head, []byte("居民的画面与声音 second chunk"), bytes.Repeat([]byte{7}, 70000)}
		for i, c := range chunks[:2] {
			if err := s.SaveChunk(ctx, b.ID, clerk, 1, i, "video/webm;codecs=vp8,opus", c); err != nil {
				t.Fatal(err)
			}
		}
		wantErr(t, "the same chunk twice", func() error {
			if err := s.SaveChunk(ctx, b.ID, clerk, 1, 1, "video/webm", []byte("again")); err != nil {
				return ErrBadChunk
			}
			return nil
		}(), ErrBadChunk)
		// A resumed call: part 2.
		if err := s.SaveChunk(ctx, b.ID, clerk, 2, 0, "video/webm", []byte("part two")); err != nil {
			t.Fatal(err)
		}
		// Sealed at rest.
		rows, err := db.Query(ctx, `SELECT data_sealed FROM video_recordings WHERE session_id = ?`, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var sealed string
			if err := rows.Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			n++
			if !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, "second chunk") || strings.Contains(sealed, "part two") {
				t.Errorf("stored chunk not sealed: %.60q", sealed)
			}
		}
		rows.Close()
		if n != 3 {
			t.Errorf("%d chunks stored, want 3", n)
		}

		// The hang-up; the last chunk comes half a minute later.
		clk.Add(5 * time.Minute)
		if _, err := s.End(ctx, b.ID, clerk, Resolved); err != nil {
			t.Fatal(err)
		}
		clk.Add(30 * time.Second)
		if err := s.SaveChunk(ctx, b.ID, clerk, 1, 2, "video/webm;codecs=vp8,opus", chunks[2]); err != nil {
			t.Fatalf("the last chunk just after the hang-up: %v", err)
		}
		if err := s.RecordEvent(ctx, b.ID, clerk, false, 1); err != nil {
			t.Fatal(err)
		}
		clk.Add(2 * time.Minute)
		wantErr(t, "a chunk long after the hang-up", s.SaveChunk(ctx, b.ID, clerk, 1, 3, "video/webm", []byte("late")), ErrNotActive)

		parts, err := s.Recordings(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := int64(len(chunks[0]) + len(chunks[1]) + len(chunks[2]))
		if len(parts) != 2 || parts[0].Part != 1 || parts[0].Chunks != 3 || parts[0].Bytes != want || parts[0].Mime != "video/webm;codecs=vp8,opus" ||
			parts[1].Part != 2 || parts[1].Chunks != 1 {
			t.Fatalf("parts %+v", parts)
		}
		if got := parts[0].ExpiresAt.Sub(parts[0].StartedAt.Time); got != 30*24*time.Hour {
			t.Errorf("kept for %s, want 30 days", got)
		}
		var buf bytes.Buffer
		mime, err := s.OpenRecording(ctx, b.ID, 1, &buf)
		if err != nil || mime != "video/webm;codecs=vp8,opus" || !bytes.Equal(buf.Bytes(), bytes.Join(chunks, nil)) {
			t.Errorf("opened part 1: %q %v, %d bytes (want %d)", mime, err, buf.Len(), want)
		}
		if _, err := s.OpenRecording(ctx, b.ID, 9, &buf); err != ErrNoRecording {
			t.Errorf("a part never recorded: %v", err)
		}
		if ps, _ := s.Recordings(ctx, a.ID); len(ps) != 0 {
			t.Errorf("the unconsented call has a recording: %+v", ps)
		}

		// Retention: nothing goes a minute before the 30 days are over,
		// everything at the end of them.
		clk.Set(parts[0].ExpiresAt.Add(-time.Minute))
		if n, err := s.SweepRecordings(ctx); err != nil || n != 0 {
			t.Errorf("sweep before the end of retention: %d %v", n, err)
		}
		clk.Set(parts[0].ExpiresAt.Time)
		if n, err := s.SweepRecordings(ctx); err != nil || n != 1 {
			t.Errorf("sweep at the end of retention: %d %v", n, err)
		}
		if ps, _ := s.Recordings(ctx, b.ID); len(ps) != 0 {
			t.Errorf("recording kept past retention: %+v", ps)
		}
		if _, err := s.OpenRecording(ctx, b.ID, 1, &buf); err != ErrNoRecording {
			t.Errorf("opened a deleted recording: %v", err)
		}

		// The audit log: consent, start, stop, delete; never the media.
		entries, _, err := log.List(ctx, audit.Filter{Action: "video.record."}, audit.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, e := range entries {
			if e.Target != "video:"+b.ID {
				t.Errorf("recording entry for %s: %+v", e.Target, e)
			}
			got[e.Action]++
			if e.Action == "video.record.delete" && (e.Actor != "system" || e.Details["reason"] != "retention" || fmt.Sprint(e.Details["chunks"]) != "4") {
				t.Errorf("delete entry %+v", e)
			}
		}
		if got["video.record.consent"] != 1 || got["video.record.start"] != 1 || got["video.record.stop"] != 1 || got["video.record.delete"] != 1 {
			t.Errorf("recording audit entries %v", got)
		}
	})
}
