package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/citymon/aqi"
	"github.com/fuwu-gov/fuwu/internal/citymon/water"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// CityOps is what the city-operations pages work on: the one-screen
// environment dashboard /city, its console pages and the sensors' HTTP
// batch API.
type CityOps struct {
	Store  *citymon.Store
	Alerts *citymon.Alerts
	// Pipeline takes the sensors' HTTP batches (POST /api/v1/city/readings
	// with a per-device token); nil leaves that API unmounted.
	Pipeline *citymon.Pipeline
	// Demo says the data is the simulated demo network's: every city page
	// then says 演示数据, so nobody takes it for measurements.
	Demo bool
}

// cityHub turns the store's change notifications (one after every stored
// batch and every alert or event change) into wake-ups for the open
// dashboards, and keeps the last computed state so that ten wall screens
// cost one computation per change, not ten.
type cityHub struct {
	now func() time.Time

	mu        sync.Mutex
	seq       uint64 // changes heard so far
	subs      map[chan struct{}]struct{}
	closed    chan struct{} // closed by CloseStreams: the event streams end
	closeOnce sync.Once

	stateMu sync.Mutex // one computation at a time; later callers reuse it
	state   *cityStateView
	stateAt time.Time
	stateSq uint64
	// The slow panels (yesterday's street ranking, the month's compliance,
	// the 24-hour trend: most of a fresh state's cost) are recomputed at
	// most every citySlowTTL and when the hour turns, not on every change.
	slow   citySlow
	slowAt time.Time
}

type citySlow struct {
	rankings citymon.Rankings
	trend    []citymon.TrendPoint
}

const citySlowTTL = time.Minute

// cityStateTTL bounds how stale a cached state may be without a change:
// devices go offline and hours roll over without any notification.
const cityStateTTL = 20 * time.Second

func newCityHub(db *store.DB, now func() time.Time) *cityHub {
	h := &cityHub{now: now, subs: map[chan struct{}]struct{}{}, closed: make(chan struct{})}
	ch := db.Subscribe(citymon.Topic)
	go func() { // ends when the database closes the channel
		for range ch {
			h.mu.Lock()
			h.seq++
			for c := range h.subs {
				select { // a buffer of one: a slow page gets one wake-up for many changes
				case c <- struct{}{}:
				default:
				}
			}
			h.mu.Unlock()
		}
	}()
	return h
}

// CloseStreams ends the dashboards' event streams, which would otherwise
// hold http.Server.Shutdown until its deadline: register it with
// RegisterOnShutdown. The pages reconnect on their own (EventSource).
func (s *Server) CloseStreams() {
	if s.city != nil {
		s.city.closeOnce.Do(func() { close(s.city.closed) })
	}
}

func (h *cityHub) subscribe() (chan struct{}, func()) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	h.subs[c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}
}

func (h *cityHub) version() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq
}

// cityStateView is everything the dashboard shows, in one answer.
type cityStateView struct {
	Demo      bool                     `json:"demo"`
	Version   uint64                   `json:"version"` // changes heard when computed
	At        time.Time                `json:"at"`
	Summary   citymon.Summary          `json:"summary"`
	Stations  []citymon.StationStatus  `json:"stations"`
	Water     []citymon.WaterClass     `json:"water"`
	Alarms    []citymon.Alarm          `json:"alarms"`
	Rankings  citymon.Rankings         `json:"rankings"`
	Trend     []citymon.TrendPoint     `json:"trend"`   // district hourly AQI, last 24 hours
	SlowAt    time.Time                `json:"slow_at"` // when the street and enterprise rankings and the trend were computed
	Dust      []cityPlume              `json:"dust"`
	Sensitive []citymon.SensitivePoint `json:"sensitive"`
	Devices   []cityMapDevice          `json:"devices"` // the other points on the map
	Map       cityMap                  `json:"map"`
	Legend    cityLegend               `json:"legend"`
}

// cityLegend explains the map's colours: the AQI levels' official colours
// (HJ 633 Appendix A, verified in the standards note) and the water
// classes' customary colours (GB 3838 prescribes none).
type cityLegend struct {
	AQI   []cityLegendItem `json:"aqi"`
	Water []cityLegendItem `json:"water"`
	Note  string           `json:"note"`
}

type cityLegendItem struct {
	Label  string `json:"label"`
	Range  string `json:"range,omitempty"`
	Colour string `json:"colour"`
}

var theCityLegend = func() cityLegend {
	l := cityLegend{Note: "AQI 颜色为 HJ 633 规定颜色；水质类别颜色为常用配色，GB 3838 未作规定"}
	lo := 0
	for _, v := range aqi.Levels {
		r := fmt.Sprintf("%d–%d", lo, v.Max)
		if v.Max > 500 {
			r = fmt.Sprintf(">%d", lo-1)
		}
		l.AQI = append(l.AQI, cityLegendItem{Label: v.Category, Range: r, Colour: v.Hex()})
		lo = v.Max + 1
	}
	for c := water.I; c <= water.WorseV; c++ {
		l.Water = append(l.Water, cityLegendItem{Label: c.String() + "类", Colour: c.Colour()})
	}
	return l
}()

// cityPlume is a construction site's dust estimate as the map draws it.
type cityPlume struct {
	Site    string                 `json:"site"`
	Name    string                 `json:"name"`
	Lon     float64                `json:"lon"`
	Lat     float64                `json:"lat"`
	PM10    *float64               `json:"pm10"`
	Excess  float64                `json:"excess"`
	Outline [][2]float64           `json:"outline"`
	Top     []citymon.Contribution `json:"top"` // largest contributions at sensitive points
}

// cityMapDevice is a device other than an air station or water section.
type cityMapDevice struct {
	ID     string       `json:"id"`
	Kind   citymon.Kind `json:"kind"`
	Name   string       `json:"name"`
	Lon    float64      `json:"lon"`
	Lat    float64      `json:"lat"`
	Online bool         `json:"online"`
}

// stateAt computes (or reuses) the dashboard's state at now.
func (s *Server) cityStateAt(ctx context.Context, now time.Time) (*cityStateView, error) {
	h := s.city
	h.stateMu.Lock()
	defer h.stateMu.Unlock()
	ver := h.version()
	if h.state != nil && h.stateSq == ver && now.Sub(h.stateAt) < cityStateTTL && !now.Before(h.stateAt) {
		return h.state, nil
	}
	c := s.cfg.City
	st := &cityStateView{Demo: c.Demo, Version: ver, At: now, Map: futianMap, Legend: theCityLegend}
	var err error
	// Stations and water are read once and shared by the panels.
	if st.Stations, err = c.Store.Stations(ctx, now); err != nil {
		return nil, fmt.Errorf("city stations: %w", err)
	}
	if st.Water, err = c.Store.WaterOverview(ctx, now.In(citymon.Zone).Format("2006-01")); err != nil {
		return nil, fmt.Errorf("city water: %w", err)
	}
	if st.Summary, err = c.Store.SummaryOf(ctx, c.Alerts, now, st.Stations, st.Water); err != nil {
		return nil, fmt.Errorf("city summary: %w", err)
	}
	if st.Alarms, err = c.Store.ActiveAlarms(ctx, c.Alerts); err != nil {
		return nil, fmt.Errorf("city alarms: %w", err)
	}
	hour := now.Truncate(time.Hour)
	if h.slowAt.IsZero() || now.Sub(h.slowAt) >= citySlowTTL || now.Before(h.slowAt) || !h.slowAt.Truncate(time.Hour).Equal(hour) {
		var slow citySlow
		if slow.rankings, err = c.Store.RankingsOf(ctx, now, st.Stations); err != nil {
			return nil, fmt.Errorf("city rankings: %w", err)
		}
		if slow.trend, err = c.Store.Trend(ctx, "", "AQI", hour.Add(-23*time.Hour), hour.Add(time.Hour)); err != nil {
			return nil, fmt.Errorf("city trend: %w", err)
		}
		h.slow, h.slowAt = slow, now
	}
	st.Rankings, st.Trend, st.SlowAt = h.slow.rankings, h.slow.trend, h.slowAt
	st.Rankings.Stations = citymon.WorstFirst(st.Stations) // always current
	// The last complete hour: the current one has only minutes of data.
	dust, err := c.Store.DustAt(ctx, hour.Add(-time.Hour), citymon.DefaultDust)
	if err != nil {
		return nil, fmt.Errorf("city dust: %w", err)
	}
	st.Dust = []cityPlume{}
	for _, d := range dust {
		p := cityPlume{Site: d.Site.ID, Name: d.Site.Name, Lon: d.Site.Lon, Lat: d.Site.Lat, PM10: d.PM10, Excess: d.Excess, Outline: d.Outline}
		p.Top = d.Contributions[:min(3, len(d.Contributions))]
		st.Dust = append(st.Dust, p)
	}
	if st.Sensitive, err = c.Store.SensitivePoints(ctx); err != nil {
		return nil, fmt.Errorf("city sensitive points: %w", err)
	}
	devs, err := c.Store.Devices(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("city devices: %w", err)
	}
	st.Devices = []cityMapDevice{}
	for _, d := range devs {
		if d.Kind == citymon.AirStation || d.Kind == citymon.WaterSection || !d.Active {
			continue
		}
		st.Devices = append(st.Devices, cityMapDevice{ID: d.ID, Kind: d.Kind, Name: d.Name, Lon: d.Lon, Lat: d.Lat,
			Online: !d.LastSeen.IsZero() && now.Sub(d.LastSeen) <= max(3*d.Interval, 15*time.Minute)})
	}
	h.state, h.stateAt, h.stateSq = st, now, ver
	return st, nil
}

type cityPageData struct {
	Demo bool
}

func (s *Server) cityPage(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "城市运行一屏统览", cityPageData{Demo: s.cfg.City.Demo})
	p.Console = true
	p.Scripts = []string{"/static/echarts.min.js", "/static/city.js"}
	s.render(w, r, http.StatusOK, "city.html", p)
	return nil
}

func (s *Server) cityState(w http.ResponseWriter, r *http.Request) error {
	st, err := s.cityStateAt(r.Context(), s.cfg.Now())
	if err != nil {
		return unavailable("数据暂时无法读取，请稍后再试。", fmt.Errorf("city state: %w", err))
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// cityTrend is one series for the trend chart: ?scope= a station, a
// street or "" (the district), ?metric= AQI or a parameter, ?hours= 1–720.
func (s *Server) cityTrend(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	hours := 24
	if v := q.Get("hours"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 720 {
			writeJSONError(w, http.StatusBadRequest, "hours 应为 1–720 的整数。")
			return nil
		}
		hours = n
	}
	metric := q.Get("metric")
	if metric == "" {
		metric = "AQI"
	}
	to := s.cfg.Now().Truncate(time.Hour).Add(time.Hour)
	pts, err := s.cfg.City.Store.Trend(r.Context(), q.Get("scope"), metric, to.Add(-time.Duration(hours)*time.Hour), to)
	if err != nil {
		err = cityRefusal(r, err)
		st, msg := explain(err)
		if !isRefusal(err) {
			slog.ErrorContext(r.Context(), "city trend", "request_id", requestID(r), "err", err)
		}
		writeJSONError(w, st, msg)
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"scope": q.Get("scope"), "metric": metric, "points": pts})
	return nil
}

// cityEvents is a Server-Sent-Events stream: "change" after stored
// readings or an alert change (at most every half second), a comment every
// 25 s to keep proxies from closing it. The page then fetches the state.
func (s *Server) cityEvents(w http.ResponseWriter, r *http.Request) error {
	rc := http.NewResponseController(w) // reaches Flush through the middleware's wrappers
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	ch, done := s.city.subscribe()
	defer done()
	fmt.Fprintf(w, "retry: 3000\nevent: hello\ndata: %d\n\n", s.city.version())
	_ = rc.Flush()
	ping := time.NewTicker(25 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-s.city.closed:
			return nil
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		case <-ch:
			fmt.Fprintf(w, "event: change\ndata: %d\n\n", s.city.version())
			_ = rc.Flush()
			// Coalesce a burst (MQTT at full speed commits many batches a
			// second) into one refresh per half second.
			select {
			case <-r.Context().Done():
				return nil
			case <-time.After(500 * time.Millisecond):
			}
			continue
		}
		_ = rc.Flush()
	}
}
