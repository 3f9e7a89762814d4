package eligibility

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// ProspectFilter selects 政策找人 lists.
type ProspectFilter struct {
	PolicyID  string        // required
	Status    policy.Status // eligible (default) or possible
	Street    string
	Community string
	// Served includes the profiles already reached for the policy (a
	// door-to-door request, a notification, an approved batch).
	Served bool
	IDs    []string // only these profiles
}

// Prospect is a profile a policy is meant for.
type Prospect struct {
	Result
	Name    string   `json:"name"`    // masked for persons
	Phone   string   `json:"phone"`   // masked
	Address string   `json:"address"` // masked
	Served  []string `json:"served,omitempty"`
}

func (f ProspectFilter) where() (string, []any, error) {
	if f.PolicyID == "" {
		return "", nil, fmt.Errorf("prospects: the policy must be named: %w", ErrInput)
	}
	st := f.Status
	if st == "" {
		st = policy.Eligible
	}
	if st != policy.Eligible && st != policy.Possible {
		return "", nil, fmt.Errorf("prospects: status %q (eligible or possible): %w", st, ErrInput)
	}
	// Someone who gets another policy of the group instead is not looked
	// for under this one.
	q := ` WHERE r.policy_id = ? AND r.status = ? AND (r.chosen IS NULL OR r.chosen = 1)`
	args := []any{f.PolicyID, st}
	if f.Street != "" {
		q, args = q+` AND r.street = ?`, append(args, strings.TrimSuffix(f.Street, "街道"))
	}
	if f.Community != "" {
		q, args = q+` AND r.community = ?`, append(args, f.Community)
	}
	if !f.Served {
		q += ` AND NOT EXISTS (SELECT 1 FROM eligibility_outreach o WHERE o.policy_id = r.policy_id AND o.profile_id = r.profile_id)`
	}
	if len(f.IDs) > 0 {
		q += ` AND r.profile_id IN (?` + strings.Repeat(",?", len(f.IDs)-1) + `)`
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	return q, args, nil
}

const prospectFrom = ` FROM eligibility_results r JOIN registry_profiles p ON p.id = r.profile_id`

// Prospects is 政策找人: per policy, the profiles that qualify and have not
// been served, filtered by street and community, ordered by street,
// community and id; up to limit (0: 100) after offset, with how many match.
func (s *Service) Prospects(ctx context.Context, f ProspectFilter, limit, offset int) ([]Prospect, int, error) {
	where, args, err := f.where()
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+prospectFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("prospects: %w", err)
	}
	if limit <= 0 {
		limit = 100
	}
	out, err := s.prospects(ctx, where+` ORDER BY r.street, r.community, r.profile_id LIMIT ? OFFSET ?`, append(args, limit, max(offset, 0))...)
	return out, total, err
}

func (s *Service) prospects(ctx context.Context, tail string, args ...any) ([]Prospect, error) {
	cols := `r.profile_id, r.policy_id, r.kind, r.street, r.community, r.status, r.amount_fen, r.chosen, r.excluded_by, r.conditions, r.as_of,
		p.name_masked, p.phone_masked, p.address_masked`
	rows, err := s.db.Query(ctx, `SELECT `+cols+prospectFrom+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("prospects: %w", err)
	}
	defer rows.Close()
	var out []Prospect
	for rows.Next() {
		var p Prospect
		r, err := scanResult(scanTail{rows, []any{&p.Name, &p.Phone, &p.Address}})
		if err != nil {
			return nil, err
		}
		p.Result = r
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		served, err := s.served(ctx, out[i].PolicyID, out[i].ProfileID)
		if err != nil {
			return nil, err
		}
		out[i].Served = served
	}
	return out, nil
}

// scanTail scans a result's columns and then some more.
type scanTail struct {
	sc   interface{ Scan(...any) error }
	more []any
}

func (t scanTail) Scan(dst ...any) error { return t.sc.Scan(append(dst, t.more...)...) }

// served lists how a profile was reached for a policy: 上门办 SM-…,
// 通知, 免申即享批次 3.
func (s *Service) served(ctx context.Context, policyID, profileID string) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT channel, ref FROM eligibility_outreach WHERE policy_id = ? AND profile_id = ? ORDER BY id`, policyID, profileID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ch, ref string
		if err := rows.Scan(&ch, &ref); err != nil {
			return nil, err
		}
		out = append(out, strings.TrimSpace(channelLabel(ch)+" "+ref))
	}
	return out, rows.Err()
}

func channelLabel(ch string) string {
	switch ch {
	case ChannelDoorstep:
		return "上门办"
	case ChannelNotify:
		return "通知"
	case "batch":
		return "免申即享批次"
	}
	return ch
}

// ExportProspects writes a 政策找人 list (every match of the filter) as an
// .xlsx workbook; names, phones and addresses stay masked.
func (s *Service) ExportProspects(ctx context.Context, w io.Writer, f ProspectFilter) error {
	where, args, err := f.where()
	if err != nil {
		return err
	}
	list, err := s.prospects(ctx, where+` ORDER BY r.street, r.community, r.profile_id`, args...)
	if err != nil {
		return err
	}
	title := f.PolicyID
	if cp, ok := s.live.Set().Lookup(f.PolicyID); ok {
		title += " " + cp.Policy.Title
	}
	rows := [][]any{{"编号", "类型", "姓名/名称", "联系电话", "地址", "街道", "社区", "结果", "金额（元）", "条件", "已服务"}}
	for _, p := range list {
		var amount any = ""
		if p.AmountFen != nil {
			amount = float64(*p.AmountFen) / 100
		}
		var conds []string
		for _, c := range p.Conditions {
			conds = append(conds, c.Result.Label()+"："+c.Label)
		}
		rows = append(rows, []any{p.ProfileID, p.Kind.Label(), p.Name, p.Phone, p.Address, p.Street, p.Community, p.Status.Label(),
			amount, strings.Join(conds, "；"), strings.Join(p.Served, "；")})
	}
	info := [][]any{{"项目", "内容"}, {"政策", title}, {"街道", f.Street}, {"社区", f.Community}, {"人数", len(list)},
		{"说明", "个人信息已脱敏；查看完整联系方式请在控制台逐条申请，操作留痕"}}
	return writeWorkbook(w, []sheet{{"名单", rows}, {"说明", info}})
}

// Outreach channels.
const (
	ChannelDoorstep = "doorstep" // a door-to-door request (上门办)
	ChannelNotify   = "notify"   // on a notification list
)

// OutreachRequest turns a selection of a 政策找人 list into action.
type OutreachRequest struct {
	PolicyID   string
	ProfileIDs []string
	Channel    string // ChannelDoorstep or ChannelNotify
	// ItemID is the door-to-door item; default the policy's own item.
	ItemID  string
	Actor   string
	Role    string
	Purpose string // recorded with each reveal; default 政策找人：<policy>
}

// Skip is a selected profile left out, with why.
type Skip struct {
	ProfileID string `json:"profile"`
	Reason    string `json:"reason"`
}

// OutreachReport says what Outreach did.
type OutreachReport struct {
	Requests []string `json:"requests,omitempty"` // door-to-door request numbers
	Notified int      `json:"notified,omitempty"`
	Skipped  []Skip   `json:"skipped,omitempty"`
}

// Outreach reaches the selected profiles for a policy: with
// ChannelDoorstep each becomes a door-to-door request in the existing
// 上门办 dispatch (its phone and address opened for it, each opening in
// the audit log); with ChannelNotify each is put on the notification
// list. Either way they count as served. A profile not on the policy's
// list, already served, or without a phone or address is skipped with
// the reason.
func (s *Service) Outreach(ctx context.Context, req OutreachRequest) (OutreachReport, error) {
	var rep OutreachReport
	if strings.TrimSpace(req.Actor) == "" {
		return rep, fmt.Errorf("outreach: the staff member must be named: %w", ErrInput)
	}
	if len(req.ProfileIDs) == 0 {
		return rep, fmt.Errorf("outreach: no profile selected: %w", ErrInput)
	}
	cp, ok := s.live.Set().Lookup(req.PolicyID)
	if !ok {
		return rep, fmt.Errorf("policy %s is not published: %w", req.PolicyID, ErrNotFound)
	}
	if req.Purpose == "" {
		req.Purpose = "政策找人：" + cp.Policy.Title
	}
	var item doorstep.Item
	switch req.Channel {
	case ChannelDoorstep:
		if s.doorstep == nil {
			return rep, fmt.Errorf("outreach: no door-to-door service: %w", ErrInput)
		}
		if req.ItemID == "" {
			req.ItemID = cp.Policy.Item
		}
		var err error
		if item, err = s.doorstep.CatalogueItem(ctx, req.ItemID); err != nil {
			return rep, fmt.Errorf("outreach for %s: item %q: %w", req.PolicyID, req.ItemID, err)
		}
	case ChannelNotify:
	default:
		return rep, fmt.Errorf("outreach: channel %q (doorstep or notify): %w", req.Channel, ErrInput)
	}
	list, err := s.prospects(ctx, ` WHERE r.policy_id = ? AND r.profile_id IN (?`+strings.Repeat(",?", len(req.ProfileIDs)-1)+`)`,
		append([]any{req.PolicyID}, anySlice(req.ProfileIDs)...)...)
	if err != nil {
		return rep, err
	}
	found := map[string]Prospect{}
	for _, p := range list {
		found[p.ProfileID] = p
	}
	now := store.T(s.now())
	for _, id := range req.ProfileIDs {
		p, ok := found[id]
		switch {
		case !ok:
			rep.Skipped = append(rep.Skipped, Skip{id, "不在该政策的符合名单上"})
			continue
		case len(p.Served) > 0:
			rep.Skipped = append(rep.Skipped, Skip{id, "已服务：" + strings.Join(p.Served, "；")})
			continue
		}
		ref := ""
		if req.Channel == ChannelDoorstep {
			if p.Phone == "" || p.Address == "" {
				rep.Skipped = append(rep.Skipped, Skip{id, "人口库/法人库中没有联系电话或地址"})
				continue
			}
			c, err := s.reg.Reveal(ctx, id, req.Actor, req.Role, req.Purpose)
			if err != nil {
				return rep, err
			}
			kind := doorstep.Resident
			if p.Kind == policy.Enterprise {
				kind = doorstep.Enterprise
			}
			// The request carries the masked name of a person (the
			// specialist opens the full one in the registry, on the
			// record); phone and address in full, sealed by doorstep.
			r, err := s.doorstep.Submit(ctx, doorstep.NewRequest{Kind: kind, Applicant: p.Name, Phone: c.Phone,
				Street: p.Street, Address: c.Address, ItemID: item.ID, Channel: "policy", Actor: req.Actor,
				Notes: fmt.Sprintf("政策找人：%s（%s），档案编号 %s；姓名请在人口库/法人库查看", cp.Policy.Title, cp.Policy.ID, id)})
			if err != nil {
				if de, ok := refusal.As(err); ok {
					rep.Skipped = append(rep.Skipped, Skip{id, de.UserMessage()})
					continue
				}
				return rep, err
			}
			ref = r.Number
			rep.Requests = append(rep.Requests, r.Number)
		} else {
			rep.Notified++
		}
		if _, err := s.db.Exec(ctx, `INSERT INTO eligibility_outreach (policy_id, profile_id, channel, ref, actor, at) VALUES (?, ?, ?, ?, ?, ?)`,
			req.PolicyID, id, req.Channel, ref, req.Actor, now); err != nil {
			return rep, fmt.Errorf("record outreach of %s: %w", id, err)
		}
	}
	return rep, nil
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
