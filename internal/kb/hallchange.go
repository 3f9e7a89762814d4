package kb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Hall details (address, phone, hours, appointment link) are facts the
// assistant gives residents, as much as an item's are: a changed phone
// number sends people somewhere. So a change to a live hall follows the
// items' review → publish flow: ProposeHall keeps the edited copy aside,
// the live hall keeps answering, and a reviewer publishes or discards it.
// A new hall is created at once: no published item routes to it until an
// item revision naming it is itself reviewed.

// ErrChanged refuses to publish a hall change that was replaced after it
// was read (someone saved a newer one meanwhile).
var ErrChanged = refusal.New("kb", "hall_changed", "修改已被他人更新，请查看最新内容后再发布。")

// HallChange is a live hall's pending change.
type HallChange struct {
	Hall        Hall       // the proposed details
	SubmittedBy string     `json:"submitted_by"`
	SubmittedAt store.Time `json:"submitted_at"`
}

// ProposeHall records h as the pending change of the live hall h.ID,
// replacing an earlier pending change.
func (s *Store) ProposeHall(ctx context.Context, h Hall, actor string) error {
	if err := h.Validate(); err != nil {
		return fmt.Errorf("hall %q: %w", h.ID, err)
	}
	if _, err := s.Hall(ctx, h.ID); err != nil {
		return err
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO kb_hall_changes (hall_id, data, submitted_by, submitted_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (hall_id) DO UPDATE SET data = excluded.data, submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at`,
		h.ID, string(b), actor, store.Now()); err != nil {
		return fmt.Errorf("propose hall %s: %w", h.ID, err)
	}
	return nil
}

// HallChange returns a hall's pending change, or ErrNotFound.
func (s *Store) HallChange(ctx context.Context, id string) (HallChange, error) {
	var c HallChange
	var data string
	err := s.db.QueryRow(ctx, `SELECT data, submitted_by, submitted_at FROM kb_hall_changes WHERE hall_id = ?`, id).
		Scan(&data, &c.SubmittedBy, &c.SubmittedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return HallChange{}, fmt.Errorf("hall change %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return HallChange{}, fmt.Errorf("hall change %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(data), &c.Hall); err != nil {
		return HallChange{}, fmt.Errorf("decode hall change %s: %w", id, err)
	}
	return c, nil
}

// PendingHalls lists the ids of halls with a pending change.
func (s *Store) PendingHalls(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.Query(ctx, `SELECT hall_id FROM kb_hall_changes`)
	if err != nil {
		return nil, fmt.Errorf("pending halls: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// PublishHallChange makes a hall's pending change live, on every replica.
func (s *Store) PublishHallChange(ctx context.Context, id string) (Hall, error) {
	c, err := s.HallChange(ctx, id)
	if err != nil {
		return Hall{}, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		b, err := json.Marshal(c.Hall)
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM kb_hall_changes WHERE hall_id = ? AND submitted_at = ?`, id, c.SubmittedAt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("hall change %s: %w", id, ErrChanged)
		}
		_, err = tx.Exec(ctx, `UPDATE kb_halls SET name = ?, data = ?, updated_at = ? WHERE id = ?`, c.Hall.Name, string(b), store.Now(), id)
		return err
	})
	if err != nil {
		return Hall{}, fmt.Errorf("publish hall %s: %w", id, err)
	}
	s.announce(ctx, "hall", id)
	return c.Hall, nil
}

// DiscardHallChange drops a hall's pending change.
func (s *Store) DiscardHallChange(ctx context.Context, id string) error {
	res, err := s.db.Exec(ctx, `DELETE FROM kb_hall_changes WHERE hall_id = ?`, id)
	if err != nil {
		return fmt.Errorf("discard hall change %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("hall change %s: %w", id, ErrNotFound)
	}
	return nil
}
