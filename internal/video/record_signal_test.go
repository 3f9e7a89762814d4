package video

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// wsSide is one side's signalling connection without media.
type wsSide struct {
	t  *testing.T
	ws *websocket.Conn
}

func dialSide(t *testing.T, base, path string) *wsSide {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(base, "http", "ws", 1)+path, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	t.Cleanup(func() { ws.Close() })
	return &wsSide{t: t, ws: ws}
}

func (w *wsSide) send(m Message) {
	w.t.Helper()
	if err := w.ws.WriteJSON(m); err != nil {
		w.t.Fatal(err)
	}
}

// await reads until a frame of type typ (others are skipped).
func (w *wsSide) await(typ string) Message {
	w.t.Helper()
	_ = w.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		var m Message
		if err := w.ws.ReadJSON(&m); err != nil {
			w.t.Fatalf("waiting for %q: %v", typ, err)
		}
		if m.Type == typ {
			return m
		}
	}
}

// The signalling side of recording: the resident's consent frame carries
// the separate consent to be recorded (ignored while recording is off);
// the clerk learns it; the clerk's start and stop reach the resident's
// page and the audit log; a start without consent comes back as an
// error; hanging up while recording audits the stop.
func TestRecordingSignalling(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewManual(clock.At("2026-12-01 09:00", clock.Default))
		for _, c := range []struct {
			name     string
			days     int
			consent  bool
			recorded bool
		}{
			{"off", 0, true, false},
			{"on, not agreed", 30, false, false},
			{"on, agreed", 30, true, true},
		} {
			t.Run(strings.ReplaceAll(c.name, " ", ""), func(t *testing.T) {
				s, log, _ := recordingService(t, db, clk, c.days)
				mux := http.NewServeMux()
				mux.HandleFunc("GET /r/{id}", func(w http.ResponseWriter, r *http.Request) { _ = s.ServeResident(w, r, r.PathValue("id")) })
				mux.HandleFunc("GET /c/{id}", func(w http.ResponseWriter, r *http.Request) { _ = s.ServeClerk(w, r, r.PathValue("id"), rigClerk) })
				srv := httptest.NewServer(mux)
				defer srv.Close()

				sess, _, err := s.Request(ctx, NewRequest{ItemID: "FT-001"})
				if err != nil {
					t.Fatal(err)
				}
				res := dialSide(t, srv.URL, "/r/"+sess.ID)
				res.await("hello")
				if _, err := s.Accept(ctx, sess.ID, rigClerk); err != nil {
					t.Fatal(err)
				}
				res.await("accepted")
				clerk := dialSide(t, srv.URL, "/c/"+sess.ID)
				if h := clerk.await("hello"); h.Record {
					t.Error("recording agreed before the resident said anything")
				}
				res.send(Message{Type: "consent", Record: c.consent})
				if m := clerk.await("consent"); m.Record != c.recorded {
					t.Errorf("the clerk learns recording agreed %v, want %v", m.Record, c.recorded)
				}
				// A reconnecting clerk learns it from hello.
				clerk.ws.Close()
				clerk = dialSide(t, srv.URL, "/c/"+sess.ID)
				if h := clerk.await("hello"); h.Record != c.recorded || h.Recording {
					t.Errorf("hello after reconnecting: record %v recording %v", h.Record, h.Recording)
				}

				clerk.send(Message{Type: "record", Text: "start", Seq: 1})
				if !c.recorded {
					if m := clerk.await("error"); m.Text == "" {
						t.Error("a refused start says nothing")
					}
				} else {
					if m := res.await("record"); !m.Recording || m.Seq != 1 {
						t.Errorf("the resident sees %+v", m)
					}
					// The resident's page reloading sees the recording on.
					res.ws.Close()
					res = dialSide(t, srv.URL, "/r/"+sess.ID)
					if h := res.await("hello"); !h.Recording {
						t.Error("a rejoining resident is not told the call is recorded")
					}
				}
				clk.Add(3 * time.Minute)
				if _, err := s.End(ctx, sess.ID, rigClerk, Resolved); err != nil {
					t.Fatal(err)
				}
				res.await("ended")
				entries, _, err := log.List(ctx, audit.Filter{Action: "video.record.", Target: "video:" + sess.ID}, audit.Page{Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				for _, e := range entries {
					got[e.Action] = e.Actor
					if e.Action == "video.record.stop" && e.Details["reason"] != "call ended" {
						t.Errorf("stop entry %+v", e)
					}
				}
				if c.recorded {
					if got["video.record.consent"] != "resident" || got["video.record.start"] != "agent1" || got["video.record.stop"] != "agent1" {
						t.Errorf("audit %v", got)
					}
				} else if len(got) != 0 {
					t.Errorf("recording audited though nothing was recorded: %v", got)
				}
			})
		}
	})
}
