package doorstep

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// Specialist is a door-to-door service specialist (服务专员).
type Specialist struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Org     string   `json:"org,omitempty"`   // unit they belong to
	Phone   string   `json:"phone,omitempty"` // given unmasked on add/update; read back masked
	Streets []string `json:"streets"`         // without the 街道 suffix
	Themes  []string `json:"themes"`
	MaxLoad int      `json:"max_load"` // open requests at once; 0 = no limit
	Active  bool     `json:"active"`
	Load    int      `json:"load"` // requests assigned or visited, not yet completed
}

func (s *Service) checkSpecialist(sp *Specialist) (masked, sealed string, err error) {
	sp.Name = strings.TrimSpace(sp.Name)
	if sp.Name == "" {
		return "", "", fmt.Errorf("specialist: %w", ErrInvalidName)
	}
	if sp.MaxLoad < 0 {
		return "", "", fmt.Errorf("specialist %s: negative max load: %w", sp.Name, ErrInvalidInput)
	}
	var streets []string
	for _, st := range sp.Streets {
		k := StreetKey(st)
		if k == "" || slices.Contains(streets, k) {
			continue
		}
		if !s.knownStreet(k) {
			return "", "", fmt.Errorf("specialist %s: street %q: %w", sp.Name, st, ErrUnknownStreet)
		}
		streets = append(streets, k)
	}
	var themes []string
	for _, th := range sp.Themes {
		if th = strings.TrimSpace(th); th != "" && !slices.Contains(themes, th) {
			themes = append(themes, th)
		}
	}
	if len(streets) == 0 || len(themes) == 0 {
		return "", "", fmt.Errorf("specialist %s needs at least one street and one theme: %w", sp.Name, ErrInvalidInput)
	}
	sp.Streets, sp.Themes = streets, themes
	if strings.TrimSpace(sp.Phone) != "" {
		m, ok := privacy.NormalizeMobile(sp.Phone)
		if !ok {
			return "", "", fmt.Errorf("specialist %s: %w", sp.Name, ErrInvalidPhone)
		}
		if sealed, err = s.keys.Seal(m); err != nil {
			return "", "", err
		}
		masked = privacy.MaskMobile(m)
	}
	return masked, sealed, nil
}

// AddSpecialist registers a specialist.
func (s *Service) AddSpecialist(ctx context.Context, sp Specialist) (Specialist, error) {
	masked, sealed, err := s.checkSpecialist(&sp)
	if err != nil {
		return Specialist{}, err
	}
	streets, _ := json.Marshal(sp.Streets)
	themes, _ := json.Marshal(sp.Themes)
	now := s.now()
	err = s.db.QueryRow(ctx, `INSERT INTO doorstep_specialists (name, org, phone_masked, phone_sealed, streets, themes, max_load, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, sp.Name, sp.Org, masked, sealed, string(streets), string(themes), sp.MaxLoad, now, now).Scan(&sp.ID)
	if err != nil {
		return Specialist{}, fmt.Errorf("add specialist: %w", err)
	}
	sp.Phone, sp.Active = masked, true
	return sp, nil
}

// UpdateSpecialist changes a specialist; an empty Phone keeps the old one.
func (s *Service) UpdateSpecialist(ctx context.Context, sp Specialist) error {
	masked, sealed, err := s.checkSpecialist(&sp)
	if err != nil {
		return err
	}
	streets, _ := json.Marshal(sp.Streets)
	themes, _ := json.Marshal(sp.Themes)
	q := `UPDATE doorstep_specialists SET name = ?, org = ?, streets = ?, themes = ?, max_load = ?, active = ?, updated_at = ?`
	args := []any{sp.Name, sp.Org, string(streets), string(themes), sp.MaxLoad, boolInt(sp.Active), s.now()}
	if sealed != "" {
		q += `, phone_masked = ?, phone_sealed = ?`
		args = append(args, masked, sealed)
	}
	res, err := s.db.Exec(ctx, q+` WHERE id = ?`, append(args, sp.ID)...)
	if err != nil {
		return fmt.Errorf("update specialist %d: %w", sp.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("specialist %d: %w", sp.ID, ErrUnknownSpecialist)
	}
	return nil
}

// Specialists lists every specialist with their current load.
func (s *Service) Specialists(ctx context.Context) ([]Specialist, error) {
	rows, err := s.db.Query(ctx, `SELECT sp.id, sp.name, sp.org, sp.phone_masked, sp.streets, sp.themes, sp.max_load, sp.active,
		(SELECT COUNT(*) FROM doorstep_requests r WHERE r.specialist_id = sp.id AND r.status IN ('assigned', 'visited'))
		FROM doorstep_specialists sp ORDER BY sp.id`)
	if err != nil {
		return nil, fmt.Errorf("specialists: %w", err)
	}
	defer rows.Close()
	var out []Specialist
	for rows.Next() {
		var sp Specialist
		var streets, themes string
		var active int
		if err := rows.Scan(&sp.ID, &sp.Name, &sp.Org, &sp.Phone, &streets, &themes, &sp.MaxLoad, &active, &sp.Load); err != nil {
			return nil, err
		}
		sp.Active = active == 1
		if err := json.Unmarshal([]byte(streets), &sp.Streets); err != nil {
			return nil, fmt.Errorf("specialist %d streets: %w", sp.ID, err)
		}
		if err := json.Unmarshal([]byte(themes), &sp.Themes); err != nil {
			return nil, fmt.Errorf("specialist %d themes: %w", sp.ID, err)
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// Specialist returns one specialist with their load.
func (s *Service) Specialist(ctx context.Context, id int64) (Specialist, error) {
	all, err := s.Specialists(ctx)
	if err != nil {
		return Specialist{}, err
	}
	for _, sp := range all {
		if sp.ID == id {
			return sp, nil
		}
	}
	return Specialist{}, ErrUnknownSpecialist
}

// Candidate is a specialist considered for a request, with why.
type Candidate struct {
	Specialist  Specialist `json:"specialist"`
	StreetMatch bool       `json:"street_match"`
	ThemeMatch  bool       `json:"theme_match"`
	Full        bool       `json:"full"` // at their maximum load
	Reason      string     `json:"reason"`
}

// Best reports whether the candidate may be dispatched without a
// person's judgement: right street, right theme, room for more.
func (c Candidate) Best() bool { return c.StreetMatch && c.ThemeMatch && !c.Full }

// Rank orders the active specialists for a request in a street and a
// theme: both matching first, then street only, then theme only (those
// matching neither are left out); within each, those with room before
// those at their maximum, then the least current load, then the lowest id
// (the longest-serving) to keep the rule deterministic. An empty street
// matches nobody's streets (the request's street is unknown).
func Rank(specialists []Specialist, street, theme string) []Candidate {
	street = StreetKey(street)
	var out []Candidate
	for _, sp := range specialists {
		if !sp.Active {
			continue
		}
		c := Candidate{Specialist: sp,
			StreetMatch: street != "" && slices.Contains(sp.Streets, street),
			ThemeMatch:  theme != "" && slices.Contains(sp.Themes, theme),
			Full:        sp.MaxLoad > 0 && sp.Load >= sp.MaxLoad}
		if !c.StreetMatch && !c.ThemeMatch {
			continue
		}
		var why []string
		if c.StreetMatch {
			why = append(why, "负责"+street+"街道")
		} else {
			why = append(why, "不负责该街道")
		}
		if c.ThemeMatch {
			why = append(why, "擅长"+theme)
		} else {
			why = append(why, "不负责“"+theme+"”主题")
		}
		why = append(why, fmt.Sprintf("当前在办 %d 件", sp.Load))
		if c.Full {
			why = append(why, "已满负荷")
		}
		c.Reason = strings.Join(why, "，")
		out = append(out, c)
	}
	tier := func(c Candidate) int {
		switch {
		case c.StreetMatch && c.ThemeMatch:
			return 0
		case c.StreetMatch:
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if tier(a) != tier(b) {
			return tier(a) < tier(b)
		}
		if a.Full != b.Full {
			return !a.Full
		}
		if a.Specialist.Load != b.Specialist.Load {
			return a.Specialist.Load < b.Specialist.Load
		}
		return a.Specialist.ID < b.Specialist.ID
	})
	return out
}

// Suggest ranks the specialists for a request (see Rank).
func (s *Service) Suggest(ctx context.Context, id int64) ([]Candidate, error) {
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	sps, err := s.Specialists(ctx)
	if err != nil {
		return nil, err
	}
	return Rank(sps, r.Street, r.Theme), nil
}

// Dispatch assigns an accepted request to the best suggestion, or fails
// with ErrNoSpecialist when no specialist fits street, theme and load (a
// person then picks one with Assign).
func (s *Service) Dispatch(ctx context.Context, id int64, actor string) (Request, error) {
	cands, err := s.Suggest(ctx, id)
	if err != nil {
		return Request{}, err
	}
	if len(cands) == 0 || !cands[0].Best() {
		return Request{}, ErrNoSpecialist
	}
	return s.Assign(ctx, id, cands[0].Specialist.ID, actor, "按推荐派单："+cands[0].Reason)
}

// Assign gives an accepted request to a specialist, or hands an assigned
// one to another (staff overriding the suggestion, or reassigning). The
// event notes whether the choice differs from the suggestion.
func (s *Service) Assign(ctx context.Context, id, specialistID int64, actor, note string) (Request, error) {
	sp, err := s.Specialist(ctx, specialistID)
	if err != nil {
		return Request{}, err
	}
	if !sp.Active {
		return Request{}, ErrUnknownSpecialist
	}
	if !strings.HasPrefix(note, "按推荐派单") {
		if cands, err := s.Suggest(ctx, id); err == nil && len(cands) > 0 && cands[0].Best() && cands[0].Specialist.ID != specialistID {
			note = strings.TrimSpace(fmt.Sprintf("人工指派（推荐为%s）%s", cands[0].Specialist.Name, note))
		}
	}
	note = strings.TrimSpace(fmt.Sprintf("派给%s。%s", sp.Name, note))
	return s.move(ctx, id, Assigned, actor, note, func(r *Request) { r.SpecialistID = specialistID })
}

// Contact is a request's personal data in full, for the specialist going
// to the door.
type Contact struct {
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// Reveal opens a request's phone number and address and records who did
// it and why (an event with the status unchanged).
func (s *Service) Reveal(ctx context.Context, id int64, actor, purpose string) (Contact, error) {
	if actor == "" {
		return Contact{}, fmt.Errorf("reveal: the staff member must be named: %w", ErrInvalidInput)
	}
	var c Contact
	var phone, addr, status string
	err := s.db.QueryRow(ctx, `SELECT phone_sealed, address_sealed, status FROM doorstep_requests WHERE id = ?`, id).Scan(&phone, &addr, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, ErrNotFound
	}
	if err != nil {
		return Contact{}, fmt.Errorf("reveal: %w", err)
	}
	if c.Phone, err = s.keys.Open(phone); err != nil {
		return Contact{}, err
	}
	if c.Address, err = s.keys.Open(addr); err != nil {
		return Contact{}, err
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO doorstep_events (request_id, from_status, to_status, actor, note, at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, status, status, actor, "查看联系方式："+purpose, s.now()); err != nil {
		return Contact{}, err
	}
	return c, nil
}
