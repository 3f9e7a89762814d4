package eligibility

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// BatchStatus is where a 免申即享 batch stands.
type BatchStatus string

const (
	BatchReview   BatchStatus = "review"   // computed, waiting for a reviewer
	BatchApproved BatchStatus = "approved" // frozen, with its totals
	BatchReturned BatchStatus = "returned" // sent back; a new batch may be computed
)

// Label is the status as staff read it.
func (s BatchStatus) Label() string {
	switch s {
	case BatchReview:
		return "待审核"
	case BatchApproved:
		return "已批准"
	case BatchReturned:
		return "已退回"
	}
	return string(s)
}

// Batch is a 免申即享 disbursement list for one policy and period.
type Batch struct {
	ID          int64       `json:"id"`
	PolicyID    string      `json:"policy"`
	Title       string      `json:"title"`
	Period      string      `json:"period"` // YYYY-MM
	Status      BatchStatus `json:"status"`
	AsOf        string      `json:"as_of"`
	People      int         `json:"people"`
	Enterprises int         `json:"enterprises"`
	AmountFen   int64       `json:"amount_fen"`
	Unit        string      `json:"unit"`
	CreatedBy   string      `json:"created_by"`
	CreatedAt   store.Time  `json:"created_at"`
	DecidedBy   string      `json:"decided_by,omitempty"`
	DecidedAt   store.Time  `json:"decided_at"`
	Note        string      `json:"note,omitempty"`
}

// Line is who gets how much and why.
type Line struct {
	ProfileID string                   `json:"profile"`
	Kind      policy.Target            `json:"kind"`
	Name      string                   `json:"name"` // masked for persons
	Street    string                   `json:"street"`
	Community string                   `json:"community"`
	AmountFen int64                    `json:"amount_fen"`
	Reasons   []policy.ConditionResult `json:"reasons"`
}

// BatchReport says who a new batch left out and why.
type BatchReport struct {
	Batch Batch `json:"batch"`
	// AlreadyListed are eligible profiles already in an approved or
	// pending batch of the policy for the period.
	AlreadyListed int `json:"already_listed"`
	// NoAmount are eligible profiles whose amount cannot be computed
	// (a field the benefit reads is missing): they need a look first.
	NoAmount int `json:"no_amount"`
	// Excluded are eligible profiles who get another policy of the
	// policy's exclusive group instead.
	Excluded int `json:"excluded"`
}

// CreateBatch computes the 免申即享 list of an auto policy for a period
// (YYYY-MM; "" is the current month) from the stored results: every
// profile eligible for it — not excluded by a policy it may not be
// combined with, with a computable amount, not already in a pending or
// approved batch of the policy for the period. The batch waits for a
// reviewer.
func (s *Service) CreateBatch(ctx context.Context, policyID, period, actor string) (BatchReport, error) {
	var rep BatchReport
	if strings.TrimSpace(actor) == "" {
		return rep, fmt.Errorf("create batch: who makes it must be named: %w", ErrInput)
	}
	today := s.Today()
	if period == "" {
		period = today.String()[:7]
	}
	if _, err := policy.ParseDay(period + "-01"); err != nil || len(period) != 7 {
		return rep, fmt.Errorf("period %q: want YYYY-MM: %w", period, ErrInput)
	}
	cp, ok := s.live.Set().Lookup(policyID)
	if !ok {
		return rep, fmt.Errorf("policy %s is not published: %w", policyID, ErrNotFound)
	}
	if cp.Policy.Mode != policy.Auto {
		return rep, fmt.Errorf("policy %s is not 免申即享 (mode %s): %w", policyID, cp.Policy.Mode, ErrInput)
	}
	if !cp.InForce(today) {
		return rep, fmt.Errorf("policy %s is not in force on %s: %w", policyID, today, ErrInput)
	}
	if _, err := s.Sync(ctx); err != nil {
		return rep, err
	}
	unit := ""
	if cp.Policy.Benefit != nil {
		unit = cp.Policy.Benefit.Unit
	}
	b := Batch{PolicyID: policyID, Title: cp.Policy.Title, Period: period, Status: BatchReview, AsOf: today.String(),
		Unit: unit, CreatedBy: actor, CreatedAt: store.T(s.now())}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rep = BatchReport{}
		b.People, b.Enterprises, b.AmountFen = 0, 0, 0
		listed := map[string]bool{}
		rows, err := tx.Query(ctx, `SELECT l.profile_id FROM eligibility_batch_lines l JOIN eligibility_batches b ON b.id = l.batch_id
			WHERE b.policy_id = ? AND b.period = ? AND b.status IN (?, ?)`, policyID, period, BatchReview, BatchApproved)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			listed[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT `+resultColumns+` FROM eligibility_results WHERE policy_id = ? AND status = ? ORDER BY profile_id`,
			policyID, policy.Eligible)
		if err != nil {
			return err
		}
		var lines []Line
		for rows.Next() {
			r, err := scanResult(rows)
			if err != nil {
				rows.Close()
				return err
			}
			switch {
			case r.Chosen != nil && !*r.Chosen:
				rep.Excluded++
			case listed[r.ProfileID]:
				rep.AlreadyListed++
			case r.AmountFen == nil:
				rep.NoAmount++
			default:
				lines = append(lines, Line{ProfileID: r.ProfileID, Kind: r.Kind, Street: r.Street, Community: r.Community,
					AmountFen: *r.AmountFen, Reasons: r.Conditions})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO eligibility_batches (policy_id, title, period, status, as_of, unit, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, policyID, b.Title, period, BatchReview, b.AsOf, unit, actor, b.CreatedAt).Scan(&b.ID); err != nil {
			return err
		}
		for _, l := range lines {
			var name string
			if err := tx.QueryRow(ctx, `SELECT name_masked FROM registry_profiles WHERE id = ?`, l.ProfileID).Scan(&name); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			reasons, _ := json.Marshal(l.Reasons)
			if _, err := tx.Exec(ctx, `INSERT INTO eligibility_batch_lines (batch_id, profile_id, kind, name, street, community, amount_fen, reasons)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, b.ID, l.ProfileID, l.Kind, name, l.Street, l.Community, l.AmountFen, string(reasons)); err != nil {
				return err
			}
			if l.Kind == policy.Enterprise {
				b.Enterprises++
			} else {
				b.People++
			}
			b.AmountFen += l.AmountFen
		}
		_, err = tx.Exec(ctx, `UPDATE eligibility_batches SET people = ?, enterprises = ?, amount_fen = ? WHERE id = ?`,
			b.People, b.Enterprises, b.AmountFen, b.ID)
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("create batch for %s: %w", policyID, err)
	}
	rep.Batch = b
	return rep, nil
}

// ApproveBatch approves a batch in review: it is frozen (the database
// refuses any later change to it or its lines) with its totals, and its
// profiles count as served for the policy. The approver must not be the
// maker.
func (s *Service) ApproveBatch(ctx context.Context, id int64, actor, note string) error {
	return s.decide(ctx, id, actor, note, BatchApproved)
}

// ReturnBatch sends a batch in review back with a reason; its profiles
// may be listed again in a new batch.
func (s *Service) ReturnBatch(ctx context.Context, id int64, actor, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("return batch %d: a reason is required: %w", id, ErrInput)
	}
	return s.decide(ctx, id, actor, reason, BatchReturned)
}

func (s *Service) decide(ctx context.Context, id int64, actor, note string, to BatchStatus) error {
	if strings.TrimSpace(actor) == "" {
		return fmt.Errorf("batch %d: the reviewer must be named: %w", id, ErrInput)
	}
	now := store.T(s.now())
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var st BatchStatus
		var maker, policyID string
		err := tx.QueryRow(ctx, `SELECT status, created_by, policy_id FROM eligibility_batches WHERE id = ?`, id).Scan(&st, &maker, &policyID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("batch %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if st != BatchReview {
			return fmt.Errorf("batch %d is %s: %w", id, st.Label(), ErrState)
		}
		if to == BatchApproved && maker == actor {
			return fmt.Errorf("batch %d: %w", id, ErrSameActor)
		}
		res, err := tx.Exec(ctx, `UPDATE eligibility_batches SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND status = ?`,
			to, actor, now, note, id, BatchReview)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("batch %d: %w", id, ErrState)
		}
		if to == BatchApproved {
			_, err = tx.Exec(ctx, `INSERT INTO eligibility_outreach (policy_id, profile_id, channel, ref, actor, at)
				SELECT ?, profile_id, 'batch', ?, ?, ? FROM eligibility_batch_lines WHERE batch_id = ?`,
				policyID, strconv.FormatInt(id, 10), actor, now, id)
		}
		return err
	})
}

// BatchFilter selects batches; zero fields match all.
type BatchFilter struct {
	PolicyID string
	Status   BatchStatus
	Period   string
}

const batchColumns = `id, policy_id, title, period, status, as_of, people, enterprises, amount_fen, unit, created_by, created_at,
	decided_by, decided_at, note`

func scanBatch(sc interface{ Scan(...any) error }) (Batch, error) {
	var b Batch
	err := sc.Scan(&b.ID, &b.PolicyID, &b.Title, &b.Period, &b.Status, &b.AsOf, &b.People, &b.Enterprises, &b.AmountFen, &b.Unit,
		&b.CreatedBy, &b.CreatedAt, &b.DecidedBy, &b.DecidedAt, &b.Note)
	return b, err
}

// Batches lists batches, newest first.
func (s *Service) Batches(ctx context.Context, f BatchFilter) ([]Batch, error) {
	q := `SELECT ` + batchColumns + ` FROM eligibility_batches WHERE 1=1`
	var args []any
	if f.PolicyID != "" {
		q, args = q+` AND policy_id = ?`, append(args, f.PolicyID)
	}
	if f.Status != "" {
		q, args = q+` AND status = ?`, append(args, f.Status)
	}
	if f.Period != "" {
		q, args = q+` AND period = ?`, append(args, f.Period)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("batches: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Batch returns a batch with its lines.
func (s *Service) Batch(ctx context.Context, id int64) (Batch, []Line, error) {
	b, err := scanBatch(s.db.QueryRow(ctx, `SELECT `+batchColumns+` FROM eligibility_batches WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return b, nil, fmt.Errorf("batch %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return b, nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT profile_id, kind, name, street, community, amount_fen, reasons FROM eligibility_batch_lines
		WHERE batch_id = ? ORDER BY street, community, profile_id`, id)
	if err != nil {
		return b, nil, err
	}
	defer rows.Close()
	var lines []Line
	for rows.Next() {
		var l Line
		var reasons string
		if err := rows.Scan(&l.ProfileID, &l.Kind, &l.Name, &l.Street, &l.Community, &l.AmountFen, &reasons); err != nil {
			return b, nil, err
		}
		if err := json.Unmarshal([]byte(reasons), &l.Reasons); err != nil {
			return b, nil, fmt.Errorf("batch %d line %s: %w", id, l.ProfileID, err)
		}
		lines = append(lines, l)
	}
	return b, lines, rows.Err()
}

// ExportBatch writes a batch as an .xlsx workbook: its totals and every
// line with the reasons (names masked).
func (s *Service) ExportBatch(ctx context.Context, w io.Writer, id int64) error {
	b, lines, err := s.Batch(ctx, id)
	if err != nil {
		return err
	}
	summary := [][]any{{"项目", "内容"}, {"政策", b.PolicyID + " " + b.Title}, {"期间", b.Period}, {"状态", b.Status.Label()},
		{"计算日期", b.AsOf}, {"个人", b.People}, {"企业", b.Enterprises}, {"金额（元）", float64(b.AmountFen) / 100}, {"单位", b.Unit},
		{"制单", b.CreatedBy + " " + b.CreatedAt.String()}, {"审核", b.DecidedBy + " " + b.DecidedAt.String()}, {"说明", b.Note}}
	detail := [][]any{{"编号", "类型", "姓名/名称", "街道", "社区", "金额（元）", "符合的条件"}}
	for _, l := range lines {
		var why []string
		for _, c := range l.Reasons {
			why = append(why, c.Label)
		}
		detail = append(detail, []any{l.ProfileID, l.Kind.Label(), l.Name, l.Street, l.Community, float64(l.AmountFen) / 100, strings.Join(why, "；")})
	}
	return writeWorkbook(w, []sheet{{"汇总", summary}, {"名单", detail}})
}

type sheet struct {
	name string
	rows [][]any
}

// writeWorkbook writes sheets of rows, the first row of each a header.
func writeWorkbook(w io.Writer, sheets []sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sh.name)
		if err != nil {
			return err
		}
		if len(sh.rows) > 0 {
			if err := sw.SetColWidth(1, len(sh.rows[0]), 16); err != nil {
				return err
			}
		}
		for r, row := range sh.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			opts := []excelize.RowOpts{}
			if r == 0 {
				opts = append(opts, excelize.RowOpts{StyleID: bold})
			}
			if err := sw.SetRow(cell, row, opts...); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}
