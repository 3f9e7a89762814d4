package citymon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
)

// hook is an httptest webhook receiver that keeps what it got.
type hook struct {
	mu     sync.Mutex
	events []webhookEvent
	fail   int // answer 500 to this many requests first
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail > 0 {
		h.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	var e webhookEvent
	if err := json.NewDecoder(r.Body).Decode(&e); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	h.events = append(h.events, e)
}

func (h *hook) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, e := range h.events {
		out = append(out, e.Event+":"+e.Alert.Rule+":"+e.Alert.Device)
	}
	return out
}

func TestAlertsLifecycle(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, Device{ID: "D1", Kind: DustMonitor, Name: "工地一", Params: []ParamUnit{{"PM10", ""}}, Interval: 10 * time.Minute})
		mustDevice(t, s, Device{ID: "D2", Kind: DustMonitor, Name: "工地二", Params: []ParamUnit{{"PM10", ""}}, Interval: 10 * time.Minute})
		h := &hook{fail: 1} // the first delivery fails and is retried
		srv := httptest.NewServer(h)
		defer srv.Close()
		log := audit.New(s.DB())
		al := NewAlerts(s, log)
		al.Webhook = &Webhook{URL: srv.URL, Wait: func(time.Duration) {}}
		if err := al.SaveRule(ctx, Rule{ID: "dust-pm10", Name: "工地 PM10 持续超标", Kind: DustMonitor, Param: "PM10", Op: ">", Threshold: 80,
			Duration: time.Hour, Level: 2, Escalate: 30 * time.Minute, Source: "参考河北 DB13/2934-2019", Unverified: true, Enabled: true}, "test"); err != nil {
			t.Fatal(err)
		}
		// D1: above 80 for 70 minutes. D2: above, but only for 30 minutes.
		for i := 0; i <= 7; i++ {
			at := t0.Add(-time.Duration(70-10*i) * time.Minute)
			mustIngest(t, s, Reading{Device: "D1", Param: "PM10", Time: at, Value: 120})
			v := 50.0
			if i >= 4 {
				v = 150
			}
			mustIngest(t, s, Reading{Device: "D2", Param: "PM10", Time: at, Value: v})
		}
		raised, err := al.Evaluate(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(raised) != 1 || raised[0].Device != "D1" || raised[0].Level != 2 {
			t.Fatalf("raised %+v", raised)
		}
		// Evaluated again: the same alert, not a second one.
		c.Set(t0.Add(5 * time.Minute))
		if raised, err = al.Evaluate(ctx, t0.Add(5*time.Minute)); err != nil || len(raised) != 0 {
			t.Fatalf("second evaluation raised %+v %v", raised, err)
		}
		live, _ := al.List(ctx, AlertFilter{Live: true})
		if len(live) != 1 || live[0].Count != 2 {
			t.Fatalf("live %+v", live)
		}
		id := live[0].ID
		// Nobody acknowledged it for 30 minutes: escalated, once.
		c.Set(t0.Add(31 * time.Minute))
		mustIngest(t, s, Reading{Device: "D1", Param: "PM10", Time: t0.Add(30 * time.Minute), Value: 130})
		if _, err := al.Evaluate(ctx, t0.Add(31*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := al.Evaluate(ctx, t0.Add(32*time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, _ := al.Get(ctx, id)
		if !got.Escalated || got.Level != 3 {
			t.Fatalf("not escalated: %+v", got)
		}
		// Acknowledged, audited; a second ack is refused.
		acked, err := al.Ack(ctx, id, Actor{Name: "值班员张", Role: "agent", IP: "10.0.0.1"}, "已通知工地喷淋")
		if err != nil || acked.Status != AlertAcked || acked.AckedBy != "值班员张" {
			t.Fatalf("ack %+v %v", acked, err)
		}
		if _, err := al.Ack(ctx, id, Actor{Name: "x"}, ""); !errors.Is(err, ErrState) {
			t.Errorf("second ack: %v", err)
		}
		entries, _, err := log.List(ctx, audit.Filter{Action: "city.alert.ack"}, audit.Page{})
		if err != nil || len(entries) != 1 || entries[0].Target != "alert:"+itoa(id) || entries[0].Actor != "值班员张" {
			t.Fatalf("audit %+v %v", entries, err)
		}
		// The dust settles: the alert closes itself.
		mustIngest(t, s, Reading{Device: "D1", Param: "PM10", Time: t0.Add(40 * time.Minute), Value: 40})
		c.Set(t0.Add(41 * time.Minute))
		if _, err := al.Evaluate(ctx, t0.Add(41*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, _ := al.Get(ctx, id); got.Status != AlertClosed || got.ClosedBy != "system" {
			t.Errorf("not closed: %+v", got)
		}
		// D2 has been above 80 since t0-30m: at +31m that is over an hour,
		// and having sent nothing since t0 it is offline (3 × 10 minutes).
		want := []string{"opened:dust-pm10:D1", "opened:dust-pm10:D2", "opened:offline:D2", "escalated:dust-pm10:D1",
			"acknowledged:dust-pm10:D1", "closed:dust-pm10:D1"}
		if g := h.got(); !slices.Equal(g, want) {
			t.Errorf("webhook got %v, want %v", g, want)
		}
	})
}

func TestOfflineAlert(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("A1", "福田街道"))
		mustDevice(t, s, airStation("A2", "福田街道")) // never reported: no alert
		mustIngest(t, s, Reading{Device: "A1", Param: "PM2.5", Time: t0.Add(-4 * time.Hour), Value: 30})
		al := NewAlerts(s, audit.New(s.DB()))
		raised, err := al.Evaluate(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(raised) != 1 || raised[0].Rule != OfflineRule || raised[0].Device != "A1" {
			t.Fatalf("raised %+v", raised)
		}
		mustIngest(t, s, Reading{Device: "A1", Param: "PM2.5", Time: t0, Value: 30})
		if _, err := al.Evaluate(ctx, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if live, _ := al.List(ctx, AlertFilter{Live: true}); len(live) != 0 {
			t.Errorf("back online, still alerting: %+v", live)
		}
	})
}
