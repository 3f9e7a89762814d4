// Package doorstep runs the door-to-door service (上门办 / 福上门): the
// catalogue of items that can be handled at the resident's or the
// enterprise's door, grouped by theme; the service specialists with the
// streets they cover and the themes they handle; requests and their
// workflow (submitted → accepted → assigned → visited → completed, or
// rejected / cancelled with a reason), dispatch suggestions, overdue
// flags, outcomes with amounts paid out, statistics and the Excel export.
//
// Contact numbers and addresses are kept masked for display and sealed
// (package privacy) for the staff who go to the door; free-text notes are
// stored with any numbers in them masked.
package doorstep

import (
	"context"
	"embed"
	"fmt"
	"slices"
	"strconv"
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

// Migrations is the door-to-door schema.
var Migrations = store.Migrations{Component: "doorstep", FS: migrationFS, Dir: "migrations"}

// The refusals (package refusal). Anything else a Service returns is a
// system failure.
var (
	ErrNotFound          = refusal.Missing("doorstep", "not_found", "未找到该上门服务申请")
	ErrIllegalTransition = refusal.New("doorstep", "illegal_transition", "当前状态下不能进行该操作")
	ErrReasonRequired    = refusal.New("doorstep", "reason_required", "请填写原因")
	ErrNotInCatalogue    = refusal.Missing("doorstep", "not_in_catalogue", "该事项暂不提供上门服务")
	ErrNoSpecialist      = refusal.New("doorstep", "no_specialist", "暂无负责该街道和主题的服务专员，请手动指派")
	ErrUnknownSpecialist = refusal.New("doorstep", "unknown_specialist", "未找到该服务专员或其已停用")
	ErrInvalidName       = refusal.New("doorstep", "invalid_name", "请填写申请人（个人姓名或企业名称）")
	ErrInvalidPhone      = refusal.New("doorstep", "invalid_phone", "联系电话格式不正确，请填写 11 位手机号")
	ErrInvalidAddress    = refusal.New("doorstep", "invalid_address", "请填写上门地址")
	ErrAddressIsNumber   = refusal.New("doorstep", "address_is_number", "上门地址看起来是电话号码，请填写街道、小区和楼栋门牌")
	ErrInvalidInput      = refusal.New("doorstep", "invalid_input", "填写的内容不完整或格式不正确")
	ErrPhoneMismatch     = refusal.New("doorstep", "phone_mismatch", "联系电话与申请时填写的不一致")
	ErrDuplicate         = refusal.New("doorstep", "duplicate", "您已提交过该事项的上门服务申请，正在办理中，请勿重复提交")
	ErrUnknownStreet     = refusal.New("doorstep", "unknown_street", "请选择本区的街道")
)

// Status is where a request stands.
type Status string

const (
	Submitted Status = "submitted"
	Accepted  Status = "accepted"
	Assigned  Status = "assigned"
	Visited   Status = "visited"
	Completed Status = "completed"
	Rejected  Status = "rejected"
	Cancelled Status = "cancelled"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Submitted, Accepted, Assigned, Visited, Completed, Rejected, Cancelled}

// Label is the status as residents and staff read it.
func (s Status) Label() string {
	switch s {
	case Submitted:
		return "已提交"
	case Accepted:
		return "已受理"
	case Assigned:
		return "已派单"
	case Visited:
		return "已上门"
	case Completed:
		return "已办结"
	case Rejected:
		return "不予受理"
	case Cancelled:
		return "已取消"
	}
	return string(s)
}

// Closed reports whether no further step follows.
func (s Status) Closed() bool { return s == Completed || s == Rejected || s == Cancelled }

// transitions is the workflow. Assigned → Assigned is a reassignment.
var transitions = map[Status][]Status{
	Submitted: {Accepted, Rejected, Cancelled},
	Accepted:  {Assigned, Rejected, Cancelled},
	Assigned:  {Assigned, Visited, Cancelled},
	Visited:   {Completed},
}

// CanTransition reports whether a request may move from one status to another.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Kind is who asked: a resident or an enterprise.
type Kind string

const (
	Resident   Kind = "resident"
	Enterprise Kind = "enterprise"
)

// ParseKind accepts the English names and 个人/居民/企业/法人.
func ParseKind(s string) (Kind, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "", "resident", "个人", "居民", "自然人":
		return Resident, nil
	case "enterprise", "企业", "法人", "单位":
		return Enterprise, nil
	}
	return "", fmt.Errorf("unknown applicant kind %q (resident/个人, enterprise/企业): %w", s, ErrInvalidInput)
}

// Label is the kind in Chinese.
func (k Kind) Label() string {
	if k == Enterprise {
		return "企业"
	}
	return "个人"
}

// FutianStreets are the district's ten streets (街道), used to read the
// street out of an address when a request does not name it.
var FutianStreets = []string{"园岭", "南园", "福田", "沙头", "梅林", "华富", "香蜜湖", "莲花", "华强北", "福保"}

// Config tunes a Service.
type Config struct {
	// Limits is how long a request may stay in each open status before it
	// is overdue. Defaults: submitted 24h (to accept), accepted 24h (to
	// assign), assigned 72h (to visit), visited 72h (to complete).
	Limits map[Status]time.Duration
	// Streets names the district's streets; default FutianStreets.
	Streets  []string
	Location *time.Location // days and request numbers; default clock.Default (Asia/Shanghai)
	Now      func() time.Time
}

// DefaultLimits are the time limits per status.
var DefaultLimits = map[Status]time.Duration{
	Submitted: 24 * time.Hour,
	Accepted:  24 * time.Hour,
	Assigned:  72 * time.Hour,
	Visited:   72 * time.Hour,
}

// Service runs the door-to-door service over a migrated store.
type Service struct {
	db   *store.DB
	kb   *kb.Store
	keys *privacy.Keys
	cfg  Config
}

// New makes a Service.
func New(db *store.DB, kbs *kb.Store, keys *privacy.Keys, cfg Config) *Service {
	limits := map[Status]time.Duration{}
	for k, v := range DefaultLimits {
		limits[k] = v
	}
	for k, v := range cfg.Limits {
		limits[k] = v
	}
	cfg.Limits = limits
	if len(cfg.Streets) == 0 {
		cfg.Streets = FutianStreets
	}
	if cfg.Location == nil {
		cfg.Location = clock.Default
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{db: db, kb: kbs, keys: keys, cfg: cfg}
}

func (s *Service) now() store.Time { return store.T(s.cfg.Now()) }

func (s *Service) inTx(ctx context.Context, fn func(tx *store.Tx) error) error {
	return s.db.InTx(ctx, fn)
}

// StreetKey is a street's name without the 街道 suffix, for comparing.
func StreetKey(s string) string {
	return strings.TrimSuffix(strings.TrimSpace(s), "街道")
}

// knownStreet reports whether key (without 街道) is one of the district's.
func (s *Service) knownStreet(key string) bool {
	for _, st := range s.cfg.Streets {
		if StreetKey(st) == key {
			return true
		}
	}
	return false
}

// Streets are the district's streets, as configured.
func (s *Service) Streets() []string { return slices.Clone(s.cfg.Streets) }

// StreetOf finds the street named in an address, or "".
func (s *Service) StreetOf(address string) string {
	best := ""
	for _, st := range s.cfg.Streets {
		k := StreetKey(st)
		// "福田" is also the district's name: prefer the longest match and
		// require 街道 after a name that is also a district.
		if strings.Contains(address, k+"街道") || (k != "福田" && strings.Contains(address, k)) {
			if len(k) > len(best) {
				best = k
			}
		}
	}
	return best
}

// ParseYuan reads an amount in yuan ("1234.5", "1,234.50元") into fen.
func ParseYuan(s string) (int64, error) {
	s = strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), "元")
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		return 0, fmt.Errorf("amount %q is negative: %w", s, ErrInvalidInput)
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" {
		return 0, fmt.Errorf("amount %q is not yuan with at most 2 decimals: %w", s, ErrInvalidInput)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("amount %q: %w", s, ErrInvalidInput)
		}
	}
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || y > 1e12 {
		return 0, fmt.Errorf("amount %q: %w", s, ErrInvalidInput)
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return y*100 + f, nil
}

// Yuan formats fen as "1234.50".
func Yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }
