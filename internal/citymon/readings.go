package citymon

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon/aqi"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Reading is one measured value as it arrives.
type Reading struct {
	Device string    `json:"device"`
	Param  string    `json:"param"`
	Time   time.Time `json:"time"`
	Value  float64   `json:"value"`
	// Unit is the unit the value is in; empty means the device's own.
	Unit string `json:"unit,omitempty"`
}

// Rejected is input that could not even be read as a reading (a malformed
// message, an unparseable line): it goes to the quarantine as it is.
type Rejected struct {
	Reading
	Reason string // malformed, …
	Detail string
	Raw    string
}

// Batch is what one ingest call stores, atomically.
type Batch struct {
	Source   string // mqtt, http, import:FILE, simulate …
	Readings []Reading
	Rejected []Rejected
}

// Result counts what happened to a batch's readings: every reading is
// stored, a duplicate of one stored before (counted once), or quarantined.
type Result struct {
	Stored      int `json:"stored"`
	Duplicates  int `json:"duplicates"`
	Quarantined int `json:"quarantined"`
}

func (r *Result) add(o Result) {
	r.Stored += o.Stored
	r.Duplicates += o.Duplicates
	r.Quarantined += o.Quarantined
}

// The quarantine's reasons.
const (
	ReasonUnknownDevice = "unknown_device"  // 未登记的设备
	ReasonInactive      = "inactive_device" // 设备已停用
	ReasonUnknownParam  = "unknown_param"   // 设备未登记该参数
	ReasonNotANumber    = "not_a_number"
	ReasonUnit          = "unit"         // 单位无法换算
	ReasonOutOfRange    = "out_of_range" // 超出物理量程
	ReasonFuture        = "future"       // 时间晚于当前
	ReasonTooOld        = "too_old"      // 早于原始数据保留期
	ReasonMalformed     = "malformed"    // 报文无法解析
)

// ReasonNames are the reasons in Chinese, for the console.
var ReasonNames = map[string]string{
	ReasonUnknownDevice: "未登记的设备", ReasonInactive: "设备已停用", ReasonUnknownParam: "设备未登记该参数",
	ReasonNotANumber: "数值无效", ReasonUnit: "单位无法换算", ReasonOutOfRange: "超出物理量程",
	ReasonFuture: "时间晚于当前", ReasonTooOld: "早于原始数据保留期", ReasonMalformed: "报文无法解析",
}

// maxSkew is how far ahead of the clock a reading's time may be (device
// clocks drift).
const maxSkew = 10 * time.Minute

type row struct {
	series int64
	ts     int64
	value  float64
	origin int // the batch it came in
}

// check validates r against its device and converts it to the device's
// unit, returning the quarantine reason if it fails.
func check(devs map[string]*devInfo, r *Reading, now, oldest time.Time) (reason, detail string) {
	d, ok := devs[r.Device]
	var pi paramInfo
	switch {
	case !ok:
		return ReasonUnknownDevice, "设备 " + r.Device + " 未登记"
	case !d.Active:
		return ReasonInactive, "设备 " + r.Device + " 已停用"
	case math.IsNaN(r.Value) || math.IsInf(r.Value, 0):
		return ReasonNotANumber, ""
	}
	if pi, ok = d.params[r.Param]; !ok {
		return ReasonUnknownParam, "设备 " + r.Device + " 未登记参数 " + r.Param
	}
	if r.Unit != "" && r.Unit != pi.unit {
		v, err := convert(r.Value, r.Unit, pi.unit)
		if err != nil {
			return ReasonUnit, err.Error()
		}
		r.Value, r.Unit = v, pi.unit
	}
	switch {
	case r.Value < pi.lo || r.Value > pi.hi:
		return ReasonOutOfRange, fmt.Sprintf("%s %g %s 不在 %g–%g 之内", r.Param, r.Value, pi.unit, pi.lo, pi.hi)
	case r.Time.After(now.Add(maxSkew)):
		return ReasonFuture, "读数时间 " + r.Time.UTC().Format(time.RFC3339) + " 晚于当前"
	case r.Time.Before(oldest):
		return ReasonTooOld, "读数时间 " + r.Time.UTC().Format(time.RFC3339) + " 早于原始数据保留期"
	}
	return "", ""
}

// Ingest validates and stores a batch in one transaction: readings are
// converted to their device's units; those that fail a check are
// quarantined with the reason; a reading whose (device, parameter, second)
// is already stored counts as a duplicate and changes nothing; the hourly
// aggregates of every hour that gained a reading are brought up to date,
// however late the reading came, and its day is marked for Settle. If
// Ingest returns an error nothing was stored, and the same batch may be
// sent again.
func (s *Store) Ingest(ctx context.Context, b Batch) (Result, error) {
	res, err := s.IngestAll(ctx, []Batch{b})
	if err != nil {
		return Result{}, err
	}
	return res[0], nil
}

// IngestAll stores several batches in one transaction (what the ingest
// pipeline does with the messages it gathered) and counts each batch's
// readings apart. Of equal keys in different batches the first counts.
func (s *Store) IngestAll(ctx context.Context, bs []Batch) ([]Result, error) {
	res := make([]Result, len(bs))
	devs, err := s.deviceMap(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	oldest := now.Add(-s.Retention)
	var quarantine []Rejected
	var qsrc []string
	var good []Reading
	var origin []int
	for bi, b := range bs {
		for _, r := range b.Rejected {
			quarantine, qsrc = append(quarantine, r), append(qsrc, b.Source)
			res[bi].Quarantined++
		}
		for _, r := range b.Readings {
			if reason, detail := check(devs, &r, now, oldest); reason != "" {
				quarantine, qsrc = append(quarantine, Rejected{Reading: r, Reason: reason, Detail: detail}), append(qsrc, b.Source)
				res[bi].Quarantined++
				continue
			}
			good, origin = append(good, r), append(origin, bi)
		}
	}
	if len(good) == 0 && len(quarantine) == 0 {
		return res, nil
	}
	rows, err := s.rows(ctx, good, origin)
	if err != nil {
		return nil, err
	}
	// Within the gathered batches, the first of equal keys counts.
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].series != rows[j].series {
			return rows[i].series < rows[j].series
		}
		return rows[i].ts < rows[j].ts
	})
	uniq := rows[:0]
	for i, r := range rows {
		if i > 0 && r.series == rows[i-1].series && r.ts == rows[i-1].ts {
			res[r.origin].Duplicates++
			continue
		}
		uniq = append(uniq, r)
	}
	if err := s.ensurePartitions(ctx, uniq); err != nil {
		return nil, err
	}
	originOf := make(map[hourKey]int, len(uniq)) // (series, ts) → batch
	for _, r := range uniq {
		originOf[hourKey{r.series, r.ts}] = r.origin
	}
	var fresh []row
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		fresh, err = insertReadings(ctx, tx, uniq)
		if err != nil {
			return err
		}
		if err := s.aggregate(ctx, tx, fresh); err != nil {
			return err
		}
		if err := insertQuarantine(ctx, tx, qsrc, now, quarantine); err != nil {
			return err
		}
		return touchDevices(ctx, tx, good, now)
	})
	if err != nil {
		return nil, fmt.Errorf("ingest %d readings: %w", len(good)+len(quarantine), err)
	}
	for _, r := range uniq {
		res[r.origin].Duplicates++ // undone below for those that were new
	}
	for _, r := range fresh {
		o := originOf[hourKey{r.series, r.ts}]
		res[o].Duplicates--
		res[o].Stored++
	}
	for _, r := range res {
		if r.Stored > 0 || r.Quarantined > 0 {
			_ = s.db.Publish(ctx, Topic, "readings")
			break
		}
	}
	s.publishAlarmSensors(ctx, devs, fresh)
	return res, nil
}

// alarmIDsPerMessage keeps an AlarmTopic message well below PostgreSQL's
// 8000-byte NOTIFY payload (ids are at most 64 bytes).
const alarmIDsPerMessage = 50

// publishAlarmSensors announces on AlarmTopic the alarm-kind devices
// (smoke detectors, hydrant pressure) that got new readings.
func (s *Store) publishAlarmSensors(ctx context.Context, devs map[string]*devInfo, fresh []row) {
	if len(fresh) == 0 {
		return
	}
	var alarmDevs []string
	for _, d := range devs {
		if IsAlarmKind(d.Kind) {
			alarmDevs = append(alarmDevs, d.ID)
		}
	}
	if len(alarmDevs) == 0 {
		return
	}
	bySeries := map[int64]string{}
	s.mu.Lock()
	for _, id := range alarmDevs {
		for _, p := range devs[id].Params {
			if sid, ok := s.series[seriesKey{id, p.Param}]; ok {
				bySeries[sid] = id
			}
		}
	}
	s.mu.Unlock()
	seen := map[string]bool{}
	var ids []string
	for _, r := range fresh {
		if id, ok := bySeries[r.series]; ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for start := 0; start < len(ids); start += alarmIDsPerMessage {
		msg := strings.Join(ids[start:min(start+alarmIDsPerMessage, len(ids))], ",")
		if err := s.db.Publish(ctx, AlarmTopic, msg); err != nil {
			slog.WarnContext(ctx, "citymon: announcing alarm sensors' readings", "err", err)
		}
	}
}

// rows turns readings into rows, finding or creating each series.
func (s *Store) rows(ctx context.Context, rs []Reading, origin []int) ([]row, error) {
	out := make([]row, len(rs))
	for i, r := range rs {
		id, err := s.seriesID(ctx, r.Device, r.Param)
		if err != nil {
			return nil, err
		}
		out[i] = row{id, r.Time.Unix(), r.Value, origin[i]}
	}
	return out, nil
}

// seriesID is the number of (device, param), created on first use.
func (s *Store) seriesID(ctx context.Context, device, param string) (int64, error) {
	k := seriesKey{device, param}
	s.mu.Lock()
	id, ok := s.series[k]
	s.mu.Unlock()
	if ok {
		return id, nil
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO citymon_series (device, param) VALUES (?, ?) ON CONFLICT (device, param) DO NOTHING`, device, param); err != nil {
		return 0, fmt.Errorf("series %s/%s: %w", device, param, err)
	}
	if err := s.db.QueryRow(ctx, `SELECT id FROM citymon_series WHERE device = ? AND param = ?`, device, param).Scan(&id); err != nil {
		return 0, fmt.Errorf("series %s/%s: %w", device, param, err)
	}
	s.mu.Lock()
	s.series[k] = id
	s.mu.Unlock()
	return id, nil
}

// lookupSeries is the number of (device, param) if it has any data.
func (s *Store) lookupSeries(ctx context.Context, device, param string) (int64, bool, error) {
	k := seriesKey{device, param}
	s.mu.Lock()
	id, ok := s.series[k]
	s.mu.Unlock()
	if ok {
		return id, true, nil
	}
	rows, err := s.db.Query(ctx, `SELECT id FROM citymon_series WHERE device = ? AND param = ?`, device, param)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return 0, false, rows.Err()
	}
	if err := rows.Scan(&id); err != nil {
		return 0, false, err
	}
	s.mu.Lock()
	s.series[k] = id
	s.mu.Unlock()
	return id, true, nil
}

const readingsPerInsert = 1000

// insertReadings inserts rows, skipping keys already stored, and returns
// the rows that were new.
func insertReadings(ctx context.Context, tx *store.Tx, rows []row) ([]row, error) {
	fresh := make([]row, 0, len(rows))
	for start := 0; start < len(rows); start += readingsPerInsert {
		chunk := rows[start:min(start+readingsPerInsert, len(rows))]
		var q strings.Builder
		q.Grow(40*len(chunk) + 120)
		q.WriteString(`INSERT INTO citymon_readings (series, ts, value) VALUES `)
		args := make([]any, 0, 3*len(chunk))
		for i, r := range chunk {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString(`(?,?,?)`)
			args = append(args, r.series, r.ts, r.value)
		}
		q.WriteString(` ON CONFLICT (series, ts) DO NOTHING RETURNING series, ts, value`)
		rs, err := tx.Query(ctx, q.String(), args...)
		if err != nil {
			return nil, fmt.Errorf("insert readings: %w", err)
		}
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.series, &r.ts, &r.value); err != nil {
				rs.Close()
				return nil, fmt.Errorf("insert readings: %w", err)
			}
			fresh = append(fresh, r)
		}
		if err := rs.Close(); err != nil {
			return nil, fmt.Errorf("insert readings: %w", err)
		}
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("insert readings: %w", err)
		}
	}
	return fresh, nil
}

type hourKey struct{ series, hour int64 }

type hourAgg struct {
	n          int64
	sum        float64
	vmin, vmax float64
}

// aggregate adds fresh rows to their hours and recomputes their days.
// Adding (rather than recomputing from raw data) keeps an hour right after
// its raw readings expire; only new rows are added, so a duplicate never
// counts twice.
func (s *Store) aggregate(ctx context.Context, tx *store.Tx, fresh []row) error {
	if len(fresh) == 0 {
		return nil
	}
	hours := map[hourKey]*hourAgg{}
	for _, r := range fresh {
		k := hourKey{r.series, r.ts - mod(r.ts, 3600)}
		a := hours[k]
		if a == nil {
			hours[k] = &hourAgg{1, r.value, r.value, r.value}
			continue
		}
		a.n++
		a.sum += r.value
		a.vmin, a.vmax = min(a.vmin, r.value), max(a.vmax, r.value)
	}
	keys := make([]hourKey, 0, len(hours))
	for k := range hours {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].series < keys[j].series || keys[i].series == keys[j].series && keys[i].hour < keys[j].hour
	})
	const perInsert = 500
	for start := 0; start < len(keys); start += perInsert {
		chunk := keys[start:min(start+perInsert, len(keys))]
		var q strings.Builder
		q.WriteString(`INSERT INTO citymon_hourly (series, hour, n, sum, vmin, vmax) VALUES `)
		args := make([]any, 0, 6*len(chunk))
		for i, k := range chunk {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString(`(?,?,?,?,?,?)`)
			a := hours[k]
			args = append(args, k.series, k.hour, a.n, a.sum, a.vmin, a.vmax)
		}
		q.WriteString(` ON CONFLICT (series, hour) DO UPDATE SET n = citymon_hourly.n + excluded.n,
			sum = citymon_hourly.sum + excluded.sum,
			vmin = CASE WHEN excluded.vmin < citymon_hourly.vmin THEN excluded.vmin ELSE citymon_hourly.vmin END,
			vmax = CASE WHEN excluded.vmax > citymon_hourly.vmax THEN excluded.vmax ELSE citymon_hourly.vmax END`)
		if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("hourly aggregates: %w", err)
		}
	}
	// The days those hours fall in are marked for Settle: recomputing them
	// here, batch after batch, was a third of the ingest time.
	type dayKey struct{ series, day int64 }
	days := map[dayKey]bool{}
	for _, k := range keys {
		days[dayKey{k.series, dayStart(k.hour)}] = true
	}
	marks := make([]any, 0, 2*len(days))
	for k := range days {
		marks = append(marks, k.series, k.day)
	}
	for start := 0; start < len(marks); start += 2 * perInsert {
		chunk := marks[start:min(start+2*perInsert, len(marks))]
		q := `INSERT INTO citymon_dirty_days (series, day) VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?),", len(chunk)/2), ",") +
			` ON CONFLICT (series, day) DO NOTHING`
		if _, err := tx.Exec(ctx, q, chunk...); err != nil {
			return fmt.Errorf("mark days: %w", err)
		}
	}
	return nil
}

// Settle recomputes the daily aggregates of the days whose hours changed
// (at most 20 000 series-days a call) and reports how many it did. The
// ingest loops call it every few seconds; a reader that needs the days
// exact now calls it first.
func (s *Store) Settle(ctx context.Context) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		// Deleting first locks the marks (PostgreSQL): an ingest marking
		// the same day meanwhile waits, then marks it again for next time.
		rows, err := tx.Query(ctx, `DELETE FROM citymon_dirty_days WHERE (series, day) IN
			(SELECT series, day FROM citymon_dirty_days ORDER BY day, series LIMIT 20000) RETURNING series, day`)
		if err != nil {
			return err
		}
		byDay := map[int64][]int64{}
		for rows.Next() {
			var id, day int64
			if err := rows.Scan(&id, &day); err != nil {
				rows.Close()
				return err
			}
			byDay[day] = append(byDay[day], id)
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		o3, err := s.seriesOfParam(ctx, tx, "O3")
		if err != nil {
			return err
		}
		for day, ids := range byDay {
			if err := recomputeDays(ctx, tx, day, ids, o3); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("settle daily aggregates: %w", err)
	}
	return n, nil
}

// recomputeDays rebuilds the daily rows of series ids for the Beijing day
// starting at day (Unix seconds) from their hourly rows; o3 are the series
// that get a maximum 8-hour mean.
func recomputeDays(ctx context.Context, tx *store.Tx, day int64, ids []int64, o3 map[int64]bool) error {
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	label := time.Unix(day, 0).In(Zone).Format(time.DateOnly)
	const perQuery = 500
	for start := 0; start < len(ids); start += perQuery {
		chunk := ids[start:min(start+perQuery, len(ids))]
		args := []any{day, day + 86400}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := tx.Query(ctx, `SELECT series, hour, sum / n FROM citymon_hourly WHERE hour >= ? AND hour < ? AND series IN (`+
			placeholders(len(chunk))+`) ORDER BY series, hour`, args...)
		if err != nil {
			return fmt.Errorf("daily aggregates: %w", err)
		}
		byS := map[int64]aqi.Hours{}
		for rows.Next() {
			var id, hour int64
			var mean float64
			if err := rows.Scan(&id, &hour, &mean); err != nil {
				rows.Close()
				return fmt.Errorf("daily aggregates: %w", err)
			}
			h := byS[id]
			if h == nil {
				h = nanHours(24)
				byS[id] = h
			}
			h[(hour-day)/3600] = mean
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("daily aggregates: %w", err)
		}
		var q strings.Builder
		q.WriteString(`INSERT INTO citymon_daily (series, day, hours, mean, vmin, vmax, max8h) VALUES `)
		ins := make([]any, 0, 7*len(byS))
		n := 0
		for _, id := range chunk {
			h, ok := byS[id]
			if !ok {
				continue
			}
			cnt, sum, lo, hi := 0, 0.0, math.Inf(1), math.Inf(-1)
			for _, v := range h {
				if !math.IsNaN(v) {
					cnt++
					sum += v
					lo, hi = min(lo, v), max(hi, v)
				}
			}
			var m8 any
			if o3[id] {
				if v, ok := aqi.DefaultValidity.DailyO3Max8h(h); ok {
					m8 = v
				}
			}
			if n > 0 {
				q.WriteByte(',')
			}
			q.WriteString(`(?,?,?,?,?,?,?)`)
			ins = append(ins, id, label, cnt, sum/float64(cnt), lo, hi, m8)
			n++
		}
		if n == 0 {
			continue
		}
		q.WriteString(` ON CONFLICT (series, day) DO UPDATE SET hours = excluded.hours, mean = excluded.mean,
			vmin = excluded.vmin, vmax = excluded.vmax, max8h = excluded.max8h`)
		if _, err := tx.Exec(ctx, q.String(), ins...); err != nil {
			return fmt.Errorf("daily aggregates: %w", err)
		}
	}
	return nil
}

// seriesOfParam is the set of series measuring param.
func (s *Store) seriesOfParam(ctx context.Context, tx *store.Tx, param string) (map[int64]bool, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM citymon_series WHERE param = ?`, param)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func insertQuarantine(ctx context.Context, tx *store.Tx, sources []string, now time.Time, q []Rejected) error {
	for i, r := range q {
		source := sources[i]
		var ts int64
		if !r.Time.IsZero() {
			ts = r.Time.Unix()
		}
		var v any
		if !math.IsNaN(r.Value) && !math.IsInf(r.Value, 0) {
			v = r.Value
		}
		raw := r.Raw
		if len(raw) > 4000 {
			raw = raw[:4000]
		}
		if _, err := tx.Exec(ctx, `INSERT INTO citymon_quarantine (received, source, device, param, ts, value, unit, reason, detail, raw)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, now.Unix(), source, r.Device, r.Param, ts, v, r.Unit, r.Reason, r.Detail, raw); err != nil {
			return fmt.Errorf("quarantine: %w", err)
		}
	}
	return nil
}

// touchDevices moves each device's last-seen time to its latest reading.
func touchDevices(ctx context.Context, tx *store.Tx, rs []Reading, now time.Time) error {
	latest := map[string]int64{}
	for _, r := range rs {
		latest[r.Device] = max(latest[r.Device], min(r.Time.Unix(), now.Unix()))
	}
	for id, ts := range latest {
		if _, err := tx.Exec(ctx, `UPDATE citymon_devices SET last_seen = ? WHERE id = ? AND last_seen < ?`, ts, id, ts); err != nil {
			return fmt.Errorf("last seen %s: %w", id, err)
		}
	}
	return nil
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

func nanHours(n int) aqi.Hours {
	h := make(aqi.Hours, n)
	for i := range h {
		h[i] = math.NaN()
	}
	return h
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// dayStart is the start of the Beijing day containing Unix second ts.
func dayStart(ts int64) int64 {
	const off = 8 * 3600
	return ts - mod(ts+off, 86400)
}

// partitioned reports whether raw readings are in monthly partitions:
// on PostgreSQL and KingbaseES, not on SQLite or openGauss (see
// migrations/002_readings.opengauss.sql).
func (s *Store) partitioned() bool {
	return s.db.Dialect == store.Postgres && s.db.Flavor != store.OpenGauss
}

// ensurePartitions creates the PostgreSQL monthly partitions the rows
// need.
func (s *Store) ensurePartitions(ctx context.Context, rows []row) error {
	if !s.partitioned() {
		return nil
	}
	need := map[int64]bool{}
	s.mu.Lock()
	for _, r := range rows {
		m := monthStart(r.ts)
		if !s.months[m] {
			need[m] = true
		}
	}
	s.mu.Unlock()
	for m := range need {
		t := time.Unix(m, 0).UTC()
		next := t.AddDate(0, 1, 0).Unix()
		name := "citymon_readings_p" + t.Format("200601")
		q := `CREATE TABLE IF NOT EXISTS ` + name + ` PARTITION OF citymon_readings FOR VALUES FROM (` +
			strconv.FormatInt(m, 10) + `) TO (` + strconv.FormatInt(next, 10) + `)`
		if _, err := s.db.Exec(ctx, q); err != nil && !store.IsUniqueViolation(err) && !strings.Contains(err.Error(), "already exists") {
			return fmt.Errorf("partition %s: %w", name, err)
		}
		s.mu.Lock()
		s.months[m] = true
		s.mu.Unlock()
	}
	return nil
}

func monthStart(ts int64) int64 {
	t := time.Unix(ts, 0).UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Unix()
}

// Prune deletes raw readings older than the retention period (aggregates
// stay) and returns how many. On PostgreSQL whole expired partitions are
// dropped.
func (s *Store) Prune(ctx context.Context) (int64, error) {
	cutoff := s.now().Add(-s.Retention).Unix()
	var n int64
	if s.partitioned() {
		rows, err := s.db.Query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
			JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace ns ON ns.oid = p.relnamespace
			WHERE p.relname = 'citymon_readings' AND ns.nspname = current_schema()`)
		if err != nil {
			return 0, fmt.Errorf("prune: %w", err)
		}
		var names []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return 0, fmt.Errorf("prune: %w", err)
			}
			names = append(names, name)
		}
		rows.Close()
		for _, name := range names {
			t, err := time.Parse("200601", strings.TrimPrefix(name, "citymon_readings_p"))
			if err != nil || t.AddDate(0, 1, 0).Unix() > cutoff {
				continue
			}
			var cnt int64
			if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM `+name).Scan(&cnt); err != nil {
				return n, fmt.Errorf("prune %s: %w", name, err)
			}
			if _, err := s.db.Exec(ctx, `DROP TABLE `+name); err != nil {
				return n, fmt.Errorf("prune %s: %w", name, err)
			}
			n += cnt
			s.mu.Lock()
			delete(s.months, t.Unix())
			s.mu.Unlock()
		}
	}
	ids, err := s.allSeries(ctx)
	if err != nil {
		return n, err
	}
	for _, id := range ids {
		res, err := s.db.Exec(ctx, `DELETE FROM citymon_readings WHERE series = ? AND ts < ?`, id, cutoff)
		if err != nil {
			return n, fmt.Errorf("prune: %w", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}

func (s *Store) allSeries(ctx context.Context) ([]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT id FROM citymon_series ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
