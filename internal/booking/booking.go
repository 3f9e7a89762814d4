// Package booking books appointments at the service halls: windows and the
// items each serves, weekly opening hours with the lunch break, the
// holiday and make-up-working-day calendar, slots with a capacity, and the
// bookings residents make, change and cancel with a confirmation code,
// with the staff's day list, check-in, no-show marking and statistics.
//
// Personal data: a booking keeps the resident's name, the mobile number
// and (optionally) the ID number masked for display, sealed (AES-GCM under
// the deployment key, see package privacy) for the staff who must call or
// verify someone, and as keyed fingerprints for the one-booking-per-person
// rule. Only Reveal opens a sealed value, and every Reveal is recorded.
package booking

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the appointments schema.
var Migrations = store.Migrations{Component: "booking", FS: migrationFS, Dir: "migrations"}

// The refusals (package refusal). Anything else a Service returns is a
// system failure.
var (
	ErrFull          = refusal.New("booking", "full", "该时段已约满，请选择其他时段")
	ErrDuplicate     = refusal.New("booking", "duplicate", "您当天已预约过该事项，同一事项每人每天只能预约一次")
	ErrPast          = refusal.New("booking", "past", "该时段已过，请选择之后的时段")
	ErrBeyondHorizon = refusal.New("booking", "beyond_horizon", "超出可预约范围，请选择近期的日期")
	ErrNoSuchSlot    = refusal.New("booking", "no_such_slot", "该时间不在办公时段内（或为节假日），请选择其他时段")
	ErrNotOffered    = refusal.New("booking", "not_offered", "该大厅暂不提供此事项的预约，请选择其他大厅或直接到现场办理")
	ErrNotFound      = refusal.Missing("booking", "not_found", "未找到该预约，请核对预约码")
	// ErrNoMatch answers a resident whose code or mobile digits are wrong,
	// the same either way: whether a code exists is not given away.
	ErrNoMatch       = refusal.Missing("booking", "no_match", "预约码或手机号后四位不正确，请核对后重试")
	ErrNotActive     = refusal.New("booking", "not_active", "该预约已取消或已办结，不能再修改")
	ErrNotToday      = refusal.New("booking", "not_today", "只能在预约当天签到")
	ErrCheckInEarly  = refusal.New("booking", "check_in_early", "预约时段开始前 1 小时起才能签到，请稍后再来")
	ErrTooEarly      = refusal.New("booking", "too_early", "预约时段尚未结束，暂不能标记为未到")
	ErrInvalidName   = refusal.New("booking", "invalid_name", "请填写办事人姓名（2–30 个字，与证件一致）")
	ErrInvalidMobile = refusal.New("booking", "invalid_mobile", "手机号码格式不正确，请填写 11 位手机号")
	ErrInvalidID     = refusal.New("booking", "invalid_id", "身份证号码格式不正确，请核对后重新填写")
	ErrInvalidTime   = refusal.New("booking", "invalid_time", "日期或时间格式不正确")
	ErrInvalidInput  = refusal.New("booking", "invalid_input", "填写的内容不完整或格式不正确")
)

// Status is where a booking stands.
type Status string

const (
	Booked    Status = "booked"
	CheckedIn Status = "checked_in"
	NoShow    Status = "no_show"
	Cancelled Status = "cancelled"
)

// Label is the status as residents and staff read it.
func (s Status) Label() string {
	switch s {
	case Booked:
		return "已预约"
	case CheckedIn:
		return "已签到"
	case NoShow:
		return "未到"
	case Cancelled:
		return "已取消"
	}
	return string(s)
}

// Booking is one appointment. Mobile and ID numbers are masked; see Reveal.
type Booking struct {
	ID             int64      `json:"id"`
	Code           string     `json:"code"`
	HallID         string     `json:"hall_id"`
	WindowID       int64      `json:"window_id"`
	WindowName     string     `json:"window_name"`
	ItemID         string     `json:"item_id"`
	ItemName       string     `json:"item_name"`
	Day            string     `json:"day"`   // YYYY-MM-DD
	Start          string     `json:"start"` // HH:MM
	End            string     `json:"end"`
	Name           string     `json:"name"`
	Mobile         string     `json:"mobile"`              // masked
	IDNumber       string     `json:"id_number,omitempty"` // masked
	Status         Status     `json:"status"`
	Channel        string     `json:"channel"`
	ConversationID string     `json:"conversation_id,omitempty"`
	Reason         string     `json:"reason,omitempty"` // why it was cancelled
	CreatedAt      store.Time `json:"created_at"`
	UpdatedAt      store.Time `json:"updated_at"`
	CheckedInAt    store.Time `json:"checked_in_at"`
}

// Public is the booking as shown to whoever holds the code: the name
// masked too.
func (b Booking) Public() Booking {
	b.Name = privacy.MaskName(b.Name)
	b.ConversationID = ""
	return b
}

// Config tunes a Service.
type Config struct {
	// HorizonDays is how far ahead residents may book: today plus this
	// many days. Default 14.
	HorizonDays int
	// Location is the halls' time zone, in which their days begin; default
	// clock.Default (Asia/Shanghai).
	Location *time.Location
	// Now is the clock; default time.Now.
	Now func() time.Time
	// DefaultCapacity is a new window's bookings per slot when not given.
	// Default 3.
	DefaultCapacity int
}

// Service runs appointments over a migrated store. Safe for concurrent
// use, also by several processes sharing one database.
type Service struct {
	db   *store.DB
	kb   *kb.Store
	keys *privacy.Keys
	cfg  Config
}

// New makes a Service. kbs names the items booked; keys seal and
// fingerprint personal data.
func New(db *store.DB, kbs *kb.Store, keys *privacy.Keys, cfg Config) *Service {
	if cfg.HorizonDays <= 0 {
		cfg.HorizonDays = 14
	}
	if cfg.Location == nil {
		cfg.Location = clock.Default
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DefaultCapacity <= 0 {
		cfg.DefaultCapacity = 3
	}
	return &Service{db: db, kb: kbs, keys: keys, cfg: cfg}
}

// Today is the current day at the halls, YYYY-MM-DD.
func (s *Service) Today() string { return s.today().Format(DayLayout) }

// Location is the halls' time zone.
func (s *Service) Location() *time.Location { return s.cfg.Location }

// HorizonDays is how many days ahead residents may book.
func (s *Service) HorizonDays() int { return s.cfg.HorizonDays }

func (s *Service) now() time.Time { return s.cfg.Now().In(s.cfg.Location) }

func (s *Service) today() time.Time {
	n := s.now()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, s.cfg.Location)
}

func (s *Service) parseDay(day string) (time.Time, error) {
	t, err := time.ParseInLocation(DayLayout, strings.TrimSpace(day), s.cfg.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("day %q: %w", day, ErrInvalidTime)
	}
	return t, nil
}

func (s *Service) at(day time.Time, c Clock) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), int(c)/60, int(c)%60, 0, 0, s.cfg.Location)
}

// lastDay is the furthest bookable day.
func (s *Service) lastDay() time.Time { return s.today().AddDate(0, 0, s.cfg.HorizonDays) }

// codeAlphabet leaves out 0/O and 1/I, which people misread; 32 symbols
// so that a random byte maps without bias.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// newCode makes an 8-character confirmation code (40 bits).
func newCode() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b), nil
}

// NormalizeCode accepts a code typed with spaces, dashes or lower case.
func NormalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\u3000':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, strings.TrimSpace(code))
}

// errRetry asks withTx to run the transaction again (a code collision).
var errRetry = errors.New("retry transaction")

// withTx runs fn in a transaction, again when the engine gave up on it
// for reasons that are not the caller's (a PostgreSQL deadlock or
// serialisation failure, a SQLite busy timeout, a code collision).
func (s *Service) withTx(ctx context.Context, fn func(tx *store.Tx) error) error {
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		err = s.db.InTx(ctx, fn) // on SQLite, queued behind the other writers
		if err == nil || !transient(err) {
			return err
		}
		slog.Debug("booking: transaction retried", "attempt", attempt+1, "err", err)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

func transient(err error) bool {
	if errors.Is(err, errRetry) {
		return true
	}
	m := err.Error()
	return strings.Contains(m, "SQLSTATE 40P01") || strings.Contains(m, "SQLSTATE 40001") ||
		strings.Contains(m, "SQLITE_BUSY") || strings.Contains(m, "database is locked")
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// stamp is the service clock's now, for recording when things happened.
func (s *Service) stamp() store.Time { return store.T(s.cfg.Now()) }
