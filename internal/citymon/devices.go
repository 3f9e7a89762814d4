package citymon

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon/water"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// ParamUnit is a parameter a device measures and the unit it stores it in.
type ParamUnit struct {
	Param string `json:"param"`
	Unit  string `json:"unit"`
}

// Device is a monitoring point.
type Device struct {
	ID        string      `json:"id"`
	Kind      Kind        `json:"kind"`
	Name      string      `json:"name"`
	Street    string      `json:"street"`    // 街道
	Community string      `json:"community"` // 社区
	Lon       float64     `json:"lon"`
	Lat       float64     `json:"lat"`
	Owner     string      `json:"owner"` // department, site or enterprise
	Params    []ParamUnit `json:"params"`
	// Interval is how often the device reports; offline after three missed.
	Interval time.Duration `json:"interval"`
	// TargetClass is a water section's target class (I … 劣V), Lake whether
	// it is a lake or reservoir.
	TargetClass string    `json:"target_class,omitempty"`
	Lake        bool      `json:"lake,omitempty"`
	Active      bool      `json:"active"`
	LastSeen    time.Time `json:"last_seen"` // latest reading's time; zero if none
	HasToken    bool      `json:"has_token"`
	UpdatedAt   string    `json:"updated_at"`
	UpdatedBy   string    `json:"updated_by"`
}

// Unit is the unit the device keeps param in, and whether it measures it.
func (d Device) Unit(param string) (string, bool) {
	for _, p := range d.Params {
		if p.Param == param {
			return p.Unit, true
		}
	}
	return "", false
}

// Store keeps devices, readings and the modules' records.
type Store struct {
	db  *store.DB
	now func() time.Time
	// Retention is how long raw readings are kept (aggregates forever).
	Retention time.Duration

	mu      sync.Mutex
	series  map[seriesKey]int64
	months  map[int64]bool // PostgreSQL partitions known to exist, by month start
	devices map[string]*devInfo
	devAt   time.Time // when devices was loaded
}

type seriesKey struct{ device, param string }

// DefaultRetention keeps raw readings 90 days.
const DefaultRetention = 90 * 24 * time.Hour

// NewStore wraps a database migrated with Migrations. now is the clock
// (time.Now in production; tests inject their own).
func NewStore(db *store.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, Retention: DefaultRetention,
		series: map[seriesKey]int64{}, months: map[int64]bool{}}
}

// DB is the database the store writes to.
func (s *Store) DB() *store.DB { return s.db }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// validate checks d and fills defaults.
func (d *Device) validate() error {
	// Filling defaults writes Params: a copy, never the caller's backing
	// array (the demo network's devices are shared by concurrent tests).
	d.Params = slices.Clone(d.Params)
	d.ID, d.Name = strings.TrimSpace(d.ID), strings.TrimSpace(d.Name)
	switch {
	case d.ID == "" || len(d.ID) > 64 || strings.ContainsAny(d.ID, " \t\r\n/#+"):
		return fmt.Errorf("%w: device id %q: 1–64 characters, no spaces, '/', '#' or '+'", ErrInput, d.ID)
	case d.Name == "":
		return fmt.Errorf("%w: device %s: a name is required", ErrInput, d.ID)
	case !validKind(d.Kind):
		return fmt.Errorf("%w: device %s: unknown kind %q", ErrInput, d.ID, d.Kind)
	case math.IsNaN(d.Lon) || math.IsNaN(d.Lat) || d.Lon < -180 || d.Lon > 180 || d.Lat < -90 || d.Lat > 90:
		return fmt.Errorf("%w: device %s: longitude/latitude out of range", ErrInput, d.ID)
	}
	if d.TargetClass != "" {
		c, err := water.ParseClass(d.TargetClass)
		if err != nil {
			return fmt.Errorf("%w: device %s: %v", ErrInput, d.ID, err)
		}
		d.TargetClass = c.String()
	}
	// A copy: the units filled in below must not write into the caller's
	// slice (the demo network's devices share theirs).
	d.Params = append([]ParamUnit(nil), d.Params...)
	seen := map[string]bool{}
	for i, p := range d.Params {
		p.Param = strings.TrimSpace(p.Param)
		if p.Param == "" || seen[p.Param] {
			return fmt.Errorf("%w: device %s: parameter %q empty or twice", ErrInput, d.ID, p.Param)
		}
		seen[p.Param] = true
		if spec, ok := Params[p.Param]; ok {
			if p.Unit == "" {
				p.Unit = spec.Unit
			}
			if _, err := convert(1, spec.Unit, p.Unit); err != nil && normUnit(p.Unit) != normUnit(spec.Unit) {
				return fmt.Errorf("%w: device %s: %s in %q: %v", ErrInput, d.ID, p.Param, p.Unit, err)
			}
		}
		d.Params[i] = p
	}
	if d.Interval <= 0 {
		d.Interval = time.Hour
	}
	return nil
}

// SaveDevice creates or replaces a device (its token and last-seen time
// are kept).
func (s *Store) SaveDevice(ctx context.Context, d Device, actor string) (Device, error) {
	if err := d.validate(); err != nil {
		return Device{}, err
	}
	params, _ := json.Marshal(d.Params)
	now := store.T(s.now()).String()
	_, err := s.db.Exec(ctx, `INSERT INTO citymon_devices (id, kind, name, street, community, lon, lat, owner, params, interval_s,
		target_class, lake, active, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, street = excluded.street,
		community = excluded.community, lon = excluded.lon, lat = excluded.lat, owner = excluded.owner,
		params = excluded.params, interval_s = excluded.interval_s, target_class = excluded.target_class,
		lake = excluded.lake, active = excluded.active, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		d.ID, string(d.Kind), d.Name, d.Street, d.Community, d.Lon, d.Lat, d.Owner, string(params), int64(d.Interval/time.Second),
		d.TargetClass, boolInt(d.Lake), boolInt(d.Active), now, actor)
	if err != nil {
		return Device{}, fmt.Errorf("save device %s: %w", d.ID, err)
	}
	s.forgetDevices()
	for _, p := range d.Params {
		if _, err := s.seriesID(ctx, d.ID, p.Param); err != nil {
			return Device{}, err
		}
	}
	return s.Device(ctx, d.ID)
}

// DeleteDevice removes a device; its readings stay (and are quarantined
// as from an unknown device if it reports again).
func (s *Store) DeleteDevice(ctx context.Context, id string) error {
	res, err := s.db.Exec(ctx, `DELETE FROM citymon_devices WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete device %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("device %s: %w", id, ErrNotFound)
	}
	s.forgetDevices()
	return nil
}

const deviceCols = `id, kind, name, street, community, lon, lat, owner, params, interval_s, target_class, lake, active, last_seen, token_hash, updated_at, updated_by`

func scanDevice(sc interface{ Scan(...any) error }) (Device, error) {
	var d Device
	var params, tokenHash string
	var interval, lastSeen int64
	var lake, active int
	if err := sc.Scan(&d.ID, &d.Kind, &d.Name, &d.Street, &d.Community, &d.Lon, &d.Lat, &d.Owner, &params, &interval,
		&d.TargetClass, &lake, &active, &lastSeen, &tokenHash, &d.UpdatedAt, &d.UpdatedBy); err != nil {
		return Device{}, err
	}
	if err := json.Unmarshal([]byte(params), &d.Params); err != nil {
		return Device{}, fmt.Errorf("device %s params: %w", d.ID, err)
	}
	d.Interval = time.Duration(interval) * time.Second
	d.Lake, d.Active, d.HasToken = lake != 0, active != 0, tokenHash != ""
	if lastSeen > 0 {
		d.LastSeen = time.Unix(lastSeen, 0).UTC()
	}
	return d, nil
}

// Device returns one device.
func (s *Store) Device(ctx context.Context, id string) (Device, error) {
	d, err := scanDevice(s.db.QueryRow(ctx, `SELECT `+deviceCols+` FROM citymon_devices WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, fmt.Errorf("device %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Device{}, fmt.Errorf("device %s: %w", id, err)
	}
	return d, nil
}

// Devices lists devices, of one kind when kind is not empty, by id.
func (s *Store) Devices(ctx context.Context, kind Kind) ([]Device, error) {
	q, args := `SELECT `+deviceCols+` FROM citymon_devices`, []any{}
	if kind != "" {
		q, args = q+` WHERE kind = ?`, append(args, string(kind))
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	defer rows.Close()
	out := []Device{}
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("devices: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// devInfo is a device with its parameters' units and physical ranges in
// those units, worked out once for ingestion.
type devInfo struct {
	Device
	params map[string]paramInfo
}

type paramInfo struct {
	unit   string
	lo, hi float64
}

// deviceMap is the devices by id, cached for ingestion; a change through
// this Store clears it, and it is re-read at least every minute so that
// changes by another replica are seen.
func (s *Store) deviceMap(ctx context.Context) (map[string]*devInfo, error) {
	s.mu.Lock()
	m, at := s.devices, s.devAt
	s.mu.Unlock()
	if m != nil && time.Since(at) < time.Minute {
		return m, nil
	}
	list, err := s.Devices(ctx, "")
	if err != nil {
		return nil, err
	}
	m = make(map[string]*devInfo, len(list))
	for _, d := range list {
		di := &devInfo{Device: d, params: map[string]paramInfo{}}
		for _, p := range d.Params {
			pi := paramInfo{unit: p.Unit, lo: math.Inf(-1), hi: math.Inf(1)}
			if spec, ok := Params[p.Param]; ok {
				if lo, err := convert(spec.Min, spec.Unit, p.Unit); err == nil {
					pi.lo = lo
				}
				if hi, err := convert(spec.Max, spec.Unit, p.Unit); err == nil {
					pi.hi = hi
				}
			}
			di.params[p.Param] = pi
		}
		m[d.ID] = di
	}
	s.mu.Lock()
	s.devices, s.devAt = m, time.Now()
	s.mu.Unlock()
	return m, nil
}

func (s *Store) forgetDevices() {
	s.mu.Lock()
	s.devices = nil
	s.mu.Unlock()
}

// IssueToken gives a device a new HTTP ingest token and returns it; only
// its hash is kept, so it is shown once. The old token stops working.
func (s *Store) IssueToken(ctx context.Context, id string) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := "fwd_" + hex.EncodeToString(b)
	res, err := s.db.Exec(ctx, `UPDATE citymon_devices SET token_hash = ? WHERE id = ?`, tokenHash(tok), id)
	if err != nil {
		return "", fmt.Errorf("issue token %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", fmt.Errorf("device %s: %w", id, ErrNotFound)
	}
	return tok, nil
}

// ErrBadToken is returned for an unknown or revoked device token.
var ErrBadToken = errors.New("citymon: unknown device token")

// DeviceByToken finds the device a token was issued to.
func (s *Store) DeviceByToken(ctx context.Context, token string) (Device, error) {
	if !strings.HasPrefix(token, "fwd_") {
		return Device{}, ErrBadToken
	}
	d, err := scanDevice(s.db.QueryRow(ctx, `SELECT `+deviceCols+` FROM citymon_devices WHERE token_hash = ?`, tokenHash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, ErrBadToken
	}
	if err != nil {
		return Device{}, fmt.Errorf("device by token: %w", err)
	}
	return d, nil
}

func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
