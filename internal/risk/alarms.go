package risk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// HydrantThreshold is the water pressure below which a hydrant pressure
// sensor raises a fire alarm. Official says whether LowMPa is the
// district's adopted value; the shipped example is not (the standards
// note has no verified hydrant pressure), and pages say so.
type HydrantThreshold struct {
	LowMPa   float64 `json:"low_mpa"`
	Official bool    `json:"official"`
	Source   string  `json:"source"`
}

// ExampleHydrantLow is the example threshold: 0.14 MPa, a value often
// quoted for municipal hydrants but NOT verified against the standard's
// text; configure the district's value (--risk-model, "hydrant").
var ExampleHydrantLow = HydrantThreshold{LowMPa: 0.14, Official: false,
	Source: "请按本区供水与消防部门的规定配置"}

// Status is the label pages show beside the threshold.
func (h HydrantThreshold) Status() string {
	if h.Official {
		return fmt.Sprintf("消火栓低压报警阈值 %g MPa（%s）", h.LowMPa, h.Source)
	}
	return fmt.Sprintf("消火栓低压报警阈值 %g MPa 为示例阈值，未经核实，不作为正式依据——%s", h.LowMPa, h.Source)
}

// Validate checks the threshold lies within a hydrant gauge's range.
func (h HydrantThreshold) Validate() error {
	if !(h.LowMPa > 0 && h.LowMPa < 4) {
		return fmt.Errorf("%w: hydrant low-pressure threshold must lie in (0, 4) MPa", ErrInput)
	}
	return nil
}

// FireAlarm is an alarm in a community: raised by a city sensor (smoke
// detector, hydrant pressure) or recorded by hand, open until cleared.
type FireAlarm struct {
	ID          int64        `json:"id"`
	Community   string       `json:"community"`
	Source      string       `json:"source"`
	Device      string       `json:"device,omitempty"`
	Kind        citymon.Kind `json:"kind,omitempty"`
	Detail      string       `json:"detail,omitempty"`
	Raised      time.Time    `json:"raised"`
	ReadingAt   time.Time    `json:"reading_at,omitzero"`
	Cleared     time.Time    `json:"cleared,omitzero"`
	ClearedBy   string       `json:"cleared_by,omitempty"` // ClearedBySensor or the staff member
	IndexBefore float64      `json:"index_before"`         // the community's fire index just before it was raised
	IndexAfter  float64      `json:"index_after"`          // and just after
}

// ClearedBySensor marks an alarm cleared by its device reporting normal.
const ClearedBySensor = "sensor"

// Open reports whether the alarm is still open.
func (a FireAlarm) Open() bool { return a.Cleared.IsZero() }

const alarmCols = `id, community, source, device, kind, detail, raised_at, reading_at, cleared_at, cleared_by, index_before, index_after`

func scanAlarm(sc interface{ Scan(...any) error }) (FireAlarm, error) {
	var a FireAlarm
	var raised, reading, cleared int64
	if err := sc.Scan(&a.ID, &a.Community, &a.Source, &a.Device, &a.Kind, &a.Detail, &raised, &reading, &cleared, &a.ClearedBy,
		&a.IndexBefore, &a.IndexAfter); err != nil {
		return a, err
	}
	a.Raised = time.Unix(raised, 0)
	if reading > 0 {
		a.ReadingAt = time.Unix(reading, 0)
	}
	if cleared > 0 {
		a.Cleared = time.Unix(cleared, 0)
	}
	return a, nil
}

// FireAlarms lists alarms: the open ones (oldest first), then up to limit
// cleared ones, newest first.
func (s *Store) FireAlarms(ctx context.Context, limit int) ([]FireAlarm, error) {
	out := []FireAlarm{}
	for _, q := range []string{
		`SELECT ` + alarmCols + ` FROM risk_fire_alarms WHERE cleared_at = 0 ORDER BY raised_at, id`,
		`SELECT ` + alarmCols + ` FROM risk_fire_alarms WHERE cleared_at > 0 ORDER BY cleared_at DESC, id DESC LIMIT ?`,
	} {
		var args []any
		if strings.HasSuffix(q, "?") {
			args = append(args, limit)
		}
		rows, err := s.db.Query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("fire alarms: %w", err)
		}
		for rows.Next() {
			a, err := scanAlarm(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("fire alarms: %w", err)
			}
			out = append(out, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("fire alarms: %w", err)
		}
	}
	return out, nil
}

// FireAlarm returns one alarm.
func (s *Store) FireAlarm(ctx context.Context, id int64) (FireAlarm, error) {
	a, err := scanAlarm(s.db.QueryRow(ctx, `SELECT `+alarmCols+` FROM risk_fire_alarms WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("fire alarm %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("fire alarm %d: %w", id, err)
	}
	return a, nil
}

// raiseSensorAlarm opens a device's alarm unless one is open (the
// partial unique index makes that hold across replicas) or staff closed
// its last one while it still reported alarm (latched). raised is false
// when nothing was opened.
func (s *Store) raiseSensorAlarm(ctx context.Context, a FireAlarm) (id int64, raised bool, err error) {
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var latched int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM risk_fire_alarms WHERE device = ? AND latched = 1`, a.Device).Scan(&latched); err != nil {
			return err
		}
		if latched > 0 {
			return nil
		}
		rows, err := tx.Query(ctx, `INSERT INTO risk_fire_alarms (community, source, raised_at, device, kind, detail, reading_at, index_before, index_after)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device) WHERE cleared_at = 0 AND device <> '' DO NOTHING RETURNING id`,
			a.Community, a.Source, s.now().Unix(), a.Device, string(a.Kind), a.Detail, a.ReadingAt.Unix(), a.IndexBefore, a.IndexAfter)
		if err != nil {
			return err
		}
		defer rows.Close()
		if rows.Next() {
			if err := rows.Scan(&id); err != nil {
				return err
			}
			raised = true
		}
		return rows.Err()
	})
	if err != nil {
		return 0, false, fmt.Errorf("raise alarm of %s: %w", a.Device, err)
	}
	return id, raised, nil
}

// clearSensorAlarm closes a device's open alarm because it reported
// normal, and unlatches it; cleared reports whether an alarm was open.
func (s *Store) clearSensorAlarm(ctx context.Context, device string) (cleared bool, err error) {
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE risk_fire_alarms SET cleared_at = ?, cleared_by = ? WHERE device = ? AND cleared_at = 0`,
			s.now().Unix(), ClearedBySensor, device)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		cleared = n > 0
		_, err = tx.Exec(ctx, `UPDATE risk_fire_alarms SET latched = 0 WHERE device = ? AND latched = 1`, device)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("clear alarm of %s: %w", device, err)
	}
	return cleared, nil
}

// CloseFireAlarm is staff closing an open alarm (处置): it stops counting
// at once. A sensor's alarm stays latched, so that the same device
// raises no new alarm until it has reported normal once.
func (s *Store) CloseFireAlarm(ctx context.Context, id int64, actor string) (FireAlarm, error) {
	res, err := s.db.Exec(ctx, `UPDATE risk_fire_alarms SET cleared_at = ?, cleared_by = ?,
		latched = CASE WHEN device <> '' THEN 1 ELSE 0 END WHERE id = ? AND cleared_at = 0`, s.now().Unix(), actor, id)
	if err != nil {
		return FireAlarm{}, fmt.Errorf("close alarm %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return FireAlarm{}, fmt.Errorf("open alarm %d: %w", id, ErrNotFound)
	}
	return s.FireAlarm(ctx, id)
}

// AlarmSync is what one SyncAlarms did.
type AlarmSync struct {
	Raised  []FireAlarm // with the index before and after
	Cleared []string    // devices whose alarm cleared on a normal reading
}

// alarmParam is the parameter an alarm sensor reports its state in.
func alarmParam(k citymon.Kind) string {
	if k == citymon.SmokeDetector {
		return "smoke"
	}
	return "pressure"
}

// SyncAlarms brings the alarms of the named alarm sensors (every one
// when ids is nil) in line with their latest readings at Now: a smoke
// detector at 1 or a hydrant below the configured low pressure opens an
// alarm in the device's community (one per device while it is open), a
// normal reading clears it, and a sensor without a recent reading
// (within three intervals, at least 15 minutes) keeps its state. The
// communities' fire index is computed around every alarm raised and
// stored with it. It is what FollowAlarms runs on every announcement
// of new readings, and each cycle runs it for every sensor to catch up.
func (r *Runner) SyncAlarms(ctx context.Context, ids []string) (AlarmSync, error) {
	r.alarmMu.Lock()
	defer r.alarmMu.Unlock()
	var out AlarmSync
	now := r.Now()
	want := map[string]bool{}
	for _, id := range ids {
		want[strings.TrimSpace(id)] = true
	}
	var devs []citymon.Device
	for _, k := range citymon.AlarmKinds {
		ds, err := r.Live.City.Devices(ctx, k)
		if err != nil {
			return out, fmt.Errorf("alarm sensors: %w", err)
		}
		for _, d := range ds {
			if d.Active && (ids == nil || want[d.ID]) {
				devs = append(devs, d)
			}
		}
	}
	if len(devs) == 0 {
		return out, nil
	}
	cs, err := r.Live.Areas.FireCommunities(ctx)
	if err != nil {
		return out, err
	}
	community := communityOf(cs)
	byID := map[string]FireCommunity{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	var weather *Weather
	// index is a community's fire index with its open alarms and one
	// more: what raising an alarm there does.
	index := func(id string) (before, after float64, err error) {
		c, ok := byID[id]
		if !ok {
			return 0, 0, nil // no fire record: the alarm is listed, no index to raise
		}
		if weather == nil {
			w, err := r.Live.Weather(ctx, now)
			if err != nil {
				return 0, 0, err
			}
			weather = &w
		}
		b := r.Fire.Score(c, *weather).Index
		c.Alarms++
		return b, r.Fire.Score(c, *weather).Index, nil
	}
	low := r.Live.Model.HydrantLow()
	for _, d := range devs {
		param := alarmParam(d.Kind)
		back := max(3*d.Interval, 15*time.Minute)
		pts, err := r.Live.City.Raw(ctx, d.ID, param, now.Add(-back), now.Add(11*time.Minute)) // device clocks may run ahead
		if err != nil {
			return out, fmt.Errorf("alarm sensor %s: %w", d.ID, err)
		}
		if len(pts) == 0 {
			continue
		}
		p := pts[len(pts)-1]
		var alarm bool
		var detail string
		switch d.Kind {
		case citymon.SmokeDetector:
			alarm, detail = p.Value >= 0.5, "烟感报警"
		case citymon.HydrantPressure:
			// Stored in the device's unit (kPa, bar …): compared in MPa.
			unit, _ := d.Unit(param)
			mpa, err := citymon.Convert(p.Value, unit, "MPa")
			if err != nil {
				slog.WarnContext(ctx, "hydrant pressure in a unit that is not a pressure", "device", d.ID, "unit", unit)
				continue
			}
			alarm = mpa < low.LowMPa
			detail = fmt.Sprintf("水压 %.2f MPa，低于 %g MPa", mpa, low.LowMPa)
			if !low.Official {
				detail += "（示例阈值）"
			}
		}
		if !alarm {
			cleared, err := r.Live.Areas.clearSensorAlarm(ctx, d.ID)
			if err != nil {
				return out, err
			}
			if cleared {
				out.Cleared = append(out.Cleared, d.ID)
			}
			continue
		}
		a := FireAlarm{Community: community(d), Source: fmt.Sprintf("%s %s（%s）", citymon.KindName(d.Kind), d.Name, d.ID),
			Device: d.ID, Kind: d.Kind, Detail: detail, ReadingAt: p.Time}
		// The index around it goes in with the alarm, so that no reader
		// sees the alarm without it.
		if a.IndexBefore, a.IndexAfter, err = index(a.Community); err != nil {
			return out, err
		}
		id, raised, err := r.Live.Areas.raiseSensorAlarm(ctx, a)
		if err != nil {
			return out, err
		}
		if raised {
			a.ID, a.Raised = id, now
			out.Raised = append(out.Raised, a)
			if c, ok := byID[a.Community]; ok {
				c.Alarms++
				byID[a.Community] = c
			}
		}
	}
	return out, nil
}

// communityOf maps a device to the fire record of its community: by the
// record's id, else by its name (in the same street when both say one);
// a device whose community has no record keeps what it says.
func communityOf(cs []FireCommunity) func(citymon.Device) string {
	ids := map[string]bool{}
	for _, c := range cs {
		ids[c.ID] = true
	}
	return func(d citymon.Device) string {
		if ids[d.Community] {
			return d.Community
		}
		for _, c := range cs {
			if c.Name == d.Community && (c.Street == "" || d.Street == "" || c.Street == d.Street) {
				return c.ID
			}
		}
		return d.Community
	}
}

// CloseAlarm is staff handling an alarm on the console: it closes it and
// re-reads the device, so that a sensor already back to normal is
// unlatched at once.
func (r *Runner) CloseAlarm(ctx context.Context, id int64, actor string) (FireAlarm, error) {
	a, err := r.Live.Areas.CloseFireAlarm(ctx, id, actor)
	if err != nil {
		return a, err
	}
	if a.Device != "" {
		if _, err := r.SyncAlarms(ctx, []string{a.Device}); err != nil {
			return a, err
		}
	}
	return a, nil
}

// FollowAlarms raises and clears fire alarms as alarm sensors' readings
// are stored: it catches up with every sensor, then syncs the devices
// each citymon.AlarmTopic announcement names (every sensor after a
// Resync), until ctx ends. The announcement is published by the city
// store under every ingestion path, and on PostgreSQL reaches every
// process sharing the database.
func (r *Runner) FollowAlarms(ctx context.Context, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	ch := r.Live.City.DB().Subscribe(citymon.AlarmTopic)
	sync := func(ids []string) {
		res, err := r.SyncAlarms(ctx, ids)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("fire alarms from sensors", "err", err)
			}
			return
		}
		for _, a := range res.Raised {
			log.Info("fire alarm raised", "device", a.Device, "community", a.Community, "index_before", a.IndexBefore, "index_after", a.IndexAfter)
		}
		if len(res.Cleared) > 0 {
			log.Info("fire alarms cleared by normal readings", "devices", res.Cleared)
		}
	}
	sync(nil)
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-ch:
			if !ok {
				return
			}
			if m == store.Resync {
				sync(nil)
			} else {
				sync(strings.Split(m, ","))
			}
		}
	}
}

// alarmNotes formats the open alarms behind a community's alarm factor.
func alarmNotes(notes []string) string {
	sort.Strings(notes)
	return strings.Join(notes, "；")
}
