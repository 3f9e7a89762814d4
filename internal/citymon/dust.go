package citymon

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon/plume"
)

// SensitivePoint is a place to protect from a site's dust.
type SensitivePoint struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Kind   string  `json:"kind"` // school 学校, hospital 医院, residential 居民区
	Street string  `json:"street"`
	Lon    float64 `json:"lon"`
	Lat    float64 `json:"lat"`
}

// SensitiveKinds are the kinds of sensitive point with their Chinese names.
var SensitiveKinds = map[string]string{"school": "学校", "hospital": "医院", "residential": "居民区", "kindergarten": "幼儿园", "elderly": "养老机构"}

// SaveSensitive creates or replaces a sensitive point.
func (s *Store) SaveSensitive(ctx context.Context, p SensitivePoint) error {
	if strings.TrimSpace(p.ID) == "" || strings.TrimSpace(p.Name) == "" || SensitiveKinds[p.Kind] == "" {
		return fmt.Errorf("%w: sensitive point needs an id, a name and a kind (school, hospital, residential, kindergarten, elderly)", ErrInput)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO citymon_sensitive (id, name, kind, street, lon, lat) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, street = excluded.street, lon = excluded.lon, lat = excluded.lat`,
		p.ID, p.Name, p.Kind, p.Street, p.Lon, p.Lat)
	if err != nil {
		return fmt.Errorf("save sensitive point %s: %w", p.ID, err)
	}
	return nil
}

// SensitivePoints lists them by id.
func (s *Store) SensitivePoints(ctx context.Context) ([]SensitivePoint, error) {
	rows, err := s.db.Query(ctx, `SELECT id, name, kind, street, lon, lat FROM citymon_sensitive ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sensitive points: %w", err)
	}
	defer rows.Close()
	out := []SensitivePoint{}
	for rows.Next() {
		var p SensitivePoint
		if err := rows.Scan(&p.ID, &p.Name, &p.Kind, &p.Street, &p.Lon, &p.Lat); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DustConfig are the plume estimate's assumptions.
type DustConfig struct {
	// MonitorDistance is taken as the distance (m) from the site's dust
	// source to its monitor, downwind: the monitor's excess over the
	// background fixes the emission rate.
	MonitorDistance float64
	SourceHeight    float64 // m
	ReceptorHeight  float64 // m, breathing height
	Radius          float64 // m: sensitive points farther are not estimated
	Outline         float64 // µg/m³: the contribution the drawn outline encloses
	DefaultCloud    float64 // oktas, when no weather station reports cloud
}

// DefaultDust are the assumptions used unless configured otherwise.
var DefaultDust = DustConfig{MonitorDistance: 50, SourceHeight: 2, ReceptorHeight: 1.5, Radius: 3000, Outline: 10, DefaultCloud: 4}

// Contribution is a site's estimated PM10 at a sensitive point.
type Contribution struct {
	Point    SensitivePoint `json:"point"`
	Distance float64        `json:"distance_m"`
	PM10     float64        `json:"pm10"` // µg/m³, the site's share only
}

// SiteDust is one construction site's dust at an hour.
type SiteDust struct {
	Site       Device    `json:"site"`
	Hour       time.Time `json:"hour"`
	PM10       *float64  `json:"pm10"`       // the site monitor's hourly mean
	Background *float64  `json:"background"` // the air stations' mean
	Excess     float64   `json:"excess"`
	Weather    string    `json:"weather"` // the weather station used
	Wind       float64   `json:"wind_speed"`
	WindDir    float64   `json:"wind_dir"` // degrees the wind blows from
	Cloud      float64   `json:"cloud"`
	Stability  string    `json:"stability"`
	Q          float64   `json:"q_g_per_s"` // estimated emission rate
	// Contributions at the sensitive points within the radius, largest first.
	Contributions []Contribution `json:"contributions"`
	// Outline is the plume's footprint at the Outline level, [lon, lat]
	// pairs, for the map; empty in calm air or without excess.
	Outline [][2]float64 `json:"outline"`
	Note    string       `json:"note"`
}

// DustAt estimates, for the hour starting at hour, each dust site's
// emission from its monitor's excess over the background (the mean of the
// air stations' PM10) and its contribution at the sensitive points, with
// the wind, cloud and stability of the nearest weather station.
func (s *Store) DustAt(ctx context.Context, hour time.Time, cfg DustConfig) ([]SiteDust, error) {
	hour = hour.Truncate(time.Hour)
	sites, err := s.Devices(ctx, DustMonitor)
	if err != nil {
		return nil, err
	}
	points, err := s.SensitivePoints(ctx)
	if err != nil {
		return nil, err
	}
	weather, err := s.Devices(ctx, Weather)
	if err != nil {
		return nil, err
	}
	bg, err := s.scopeMeans(ctx, "", hour, hour.Add(time.Hour))
	if err != nil && !strings.Contains(err.Error(), ErrNotFound.Error()) {
		return nil, err
	}
	var background *float64
	if v, ok := bg["PM10"][hour.Unix()]; ok {
		background = &v
	}
	out := []SiteDust{}
	for _, site := range sites {
		sd := SiteDust{Site: site, Hour: hour.In(Zone), Background: background, Contributions: []Contribution{}, Outline: [][2]float64{}}
		m, err := s.hourMeans(ctx, site.ID, []string{"PM10"}, hour, hour.Add(time.Hour))
		if err != nil {
			return nil, err
		}
		if v, ok := m["PM10"][hour.Unix()]; ok {
			sd.PM10 = &v
		}
		if sd.PM10 == nil {
			sd.Note = "该小时无扬尘监测数据"
			out = append(out, sd)
			continue
		}
		if background != nil {
			sd.Excess = math.Max(0, *sd.PM10-*background)
		}
		// The nearest weather station with wind this hour.
		sort.Slice(weather, func(i, j int) bool {
			return distance(site.Lon, site.Lat, weather[i].Lon, weather[i].Lat) < distance(site.Lon, site.Lat, weather[j].Lon, weather[j].Lat)
		})
		found := false
		for _, w := range weather {
			wm, err := s.hourMeans(ctx, w.ID, []string{"wind_speed", "wind_dir", "cloud"}, hour, hour.Add(time.Hour))
			if err != nil {
				return nil, err
			}
			ws, ok1 := wm["wind_speed"][hour.Unix()]
			wd, ok2 := wm["wind_dir"][hour.Unix()]
			if !ok1 || !ok2 {
				continue
			}
			cl, ok := wm["cloud"][hour.Unix()]
			if !ok {
				cl = cfg.DefaultCloud
			}
			sd.Weather, sd.Wind, sd.WindDir, sd.Cloud, found = w.ID, ws, wd, cl, true
			break
		}
		switch {
		case !found:
			sd.Note = "附近气象站该小时无风速风向数据，未作扩散估算"
		case sd.Wind < plume.MinWind:
			sd.Note = "静风，未作扩散估算"
		case sd.Excess <= 0:
			sd.Note = "工地 PM10 未高于背景值"
		}
		if !found {
			out = append(out, sd)
			continue
		}
		mid := hour.Add(30 * time.Minute)
		cls := plume.Stability(sd.Wind, sd.Cloud, plume.SunElevation(mid, site.Lon, site.Lat))
		sd.Stability = string(cls)
		if sd.Wind < plume.MinWind || sd.Excess <= 0 {
			out = append(out, sd)
			continue
		}
		src := plume.Source{Q: 1, H: cfg.SourceHeight, Urban: true}
		perUnit := src.Concentration(cls, sd.Wind, cfg.MonitorDistance, 0, cfg.ReceptorHeight)
		src.Q = sd.Excess / perUnit
		sd.Q = round3(src.Q)
		to := (sd.WindDir + 180) * math.Pi / 180 // the direction the wind blows to
		ux, uy := math.Sin(to), math.Cos(to)
		for _, p := range points {
			dx, dy := offset(site.Lon, site.Lat, p.Lon, p.Lat)
			dist := math.Hypot(dx, dy)
			if dist > cfg.Radius {
				continue
			}
			x, y := dx*ux+dy*uy, -dx*uy+dy*ux
			c := src.Concentration(cls, sd.Wind, x, y, cfg.ReceptorHeight)
			sd.Contributions = append(sd.Contributions, Contribution{Point: p, Distance: math.Round(dist), PM10: round1(c)})
		}
		sort.SliceStable(sd.Contributions, func(i, j int) bool { return sd.Contributions[i].PM10 > sd.Contributions[j].PM10 })
		sd.Outline = outline(src, cls, sd.Wind, cfg, site.Lon, site.Lat, ux, uy)
		sd.Note = "高斯烟羽模式估算，仅供参考"
		out = append(out, sd)
	}
	return out, nil
}

// outline traces the footprint where the contribution is at least
// cfg.Outline: up one side of the plume and back down the other.
func outline(src plume.Source, c plume.Class, u float64, cfg DustConfig, lon, lat, ux, uy float64) [][2]float64 {
	var left, right [][2]float64
	for x := 10.0; x <= cfg.Radius; x *= 1.25 {
		w := src.HalfWidth(c, u, x, cfg.ReceptorHeight, cfg.Outline)
		if w == 0 {
			if len(left) > 0 {
				break
			}
			continue
		}
		// (x, ±w) along and across the wind, back to east/north metres.
		for _, side := range []float64{1, -1} {
			e, n := x*ux-side*w*uy, x*uy+side*w*ux
			plon, plat := lonLat(lon, lat, e, n)
			if side == 1 {
				left = append(left, [2]float64{plon, plat})
			} else {
				right = append(right, [2]float64{plon, plat})
			}
		}
	}
	if len(left) == 0 {
		return [][2]float64{}
	}
	out := [][2]float64{{lon, lat}}
	out = append(out, left...)
	for i := len(right) - 1; i >= 0; i-- {
		out = append(out, right[i])
	}
	return append(out, [2]float64{lon, lat})
}

// offset is (east, north) metres from one point to another (local flat
// approximation, good across a district).
func offset(lon1, lat1, lon2, lat2 float64) (float64, float64) {
	k := math.Cos(lat1 * math.Pi / 180)
	return (lon2 - lon1) * 111320 * k, (lat2 - lat1) * 110540
}

func lonLat(lon, lat, e, n float64) (float64, float64) {
	k := math.Cos(lat * math.Pi / 180)
	return lon + e/(111320*k), lat + n/110540
}

func distance(lon1, lat1, lon2, lat2 float64) float64 {
	dx, dy := offset(lon1, lat1, lon2, lat2)
	return math.Hypot(dx, dy)
}

// Measures are a site's dust-control measures, checked daily.
var Measures = []struct{ Code, Name string }{
	{"spray", "喷淋降尘"}, {"cover", "裸土覆盖"}, {"wash", "车辆冲洗"},
}

// MeasureState is one measure's state on a day.
type MeasureState struct {
	Code    string    `json:"code"`
	Name    string    `json:"name"`
	Done    bool      `json:"done"`
	Officer string    `json:"officer"`
	At      time.Time `json:"at,omitzero"`
	Note    string    `json:"note"`
}

// AckMeasure records that a site's officer did (or could not do) a measure
// on day (YYYY-MM-DD), in the audit log too.
func (s *Store) AckMeasure(ctx context.Context, log *audit.Log, site, day, code string, done bool, who Actor, note string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return fmt.Errorf("%w: day %q", ErrInput, day)
	}
	known := false
	for _, m := range Measures {
		known = known || m.Code == code
	}
	if !known || strings.TrimSpace(who.Name) == "" {
		return fmt.Errorf("%w: measure %q (spray, cover, wash) and who acknowledges it", ErrInput, code)
	}
	if d, err := s.Device(ctx, site); err != nil {
		return err
	} else if d.Kind != DustMonitor {
		return fmt.Errorf("%w: %s is not a construction site's dust monitor", ErrInput, site)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO citymon_measures (site, day, measure, done, officer, at, note) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (site, day, measure) DO UPDATE SET done = excluded.done, officer = excluded.officer, at = excluded.at, note = excluded.note`,
		site, day, code, boolInt(done), who.Name, s.now().Unix(), note); err != nil {
		return fmt.Errorf("measure %s %s: %w", site, code, err)
	}
	_, err := log.Record(ctx, audit.Entry{Actor: who.Name, Role: who.Role, IP: who.IP, Action: "city.dust.measure",
		Target: "site:" + site, Details: map[string]any{"day": day, "measure": code, "done": done, "note": note}})
	return err
}

// MeasuresOn is a site's checklist for day.
func (s *Store) MeasuresOn(ctx context.Context, site, day string) ([]MeasureState, error) {
	rows, err := s.db.Query(ctx, `SELECT measure, done, officer, at, note FROM citymon_measures WHERE site = ? AND day = ?`, site, day)
	if err != nil {
		return nil, fmt.Errorf("measures: %w", err)
	}
	defer rows.Close()
	got := map[string]MeasureState{}
	for rows.Next() {
		var m MeasureState
		var done int
		var at int64
		if err := rows.Scan(&m.Code, &done, &m.Officer, &at, &m.Note); err != nil {
			return nil, err
		}
		m.Done, m.At = done != 0, time.Unix(at, 0).In(Zone)
		got[m.Code] = m
	}
	out := make([]MeasureState, 0, len(Measures))
	for _, m := range Measures {
		st, ok := got[m.Code]
		if !ok {
			st = MeasureState{Code: m.Code}
		}
		st.Name = m.Name
		out = append(out, st)
	}
	return out, rows.Err()
}
