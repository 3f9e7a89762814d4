// Package reseal moves every sealed personal value in the database to the
// keyring's newest key ("fuwu key reseal"), after a key rotation or a move
// to the gm suite. It is the one list of where sealed values live; a test
// checks the migrations for sealed columns it does not know.
//
// Each batch of rows is rewritten in one transaction, and a row is only
// rewritten if it still holds what was read (a server writing at the same
// time is never overwritten), so the command can be stopped at any point
// and run again: values already under the newest key are skipped.
package reseal

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
)

// Table is a table holding sealed values.
type Table struct {
	Name string
	Key  string   // primary key column, for keyset paging
	Cols []string // columns holding one sealed value each (or "")
	// JSONCols hold JSON text whose "…_sealed" string fields are sealed
	// values (the assistant's dialogue state keeps a mobile number so).
	JSONCols []string
	// Batch, if set, caps the rows a transaction for tables of large
	// values (recordings' chunks are up to video.MaxChunk each).
	Batch int
}

// Tables is every place a sealed value is stored.
var Tables = []Table{
	{Name: "booking_bookings", Key: "id", Cols: []string{"mobile_sealed", "id_sealed"}},
	{Name: "doorstep_specialists", Key: "id", Cols: []string{"phone_sealed"}},
	{Name: "doorstep_requests", Key: "id", Cols: []string{"phone_sealed", "address_sealed"}},
	{Name: "registry_profiles", Key: "id", Cols: []string{"name_sealed", "idno_sealed", "phone_sealed", "address_sealed"}},
	{Name: "assistant_state", Key: "conversation_id", JSONCols: []string{"state"}},
	{Name: "video_recordings", Key: "id", Cols: []string{"data_sealed"}, Batch: 8},
}

// Report is what one table's pass did.
type Report struct {
	Table      string
	Rows       int // rows read
	Resealed   int // rows rewritten (or, dry, to be rewritten)
	Skipped    int // rows changed by someone else meanwhile (run again)
	Unreadable int // rows with a value no key of the ring opens
	FirstBad   string
}

// Options tune a run.
type Options struct {
	BatchSize int  // rows a transaction; default 500
	DryRun    bool // count, write nothing
	// Progress, if set, is called after each batch.
	Progress func(table string, done, total int)
}

// Run reseals every table with keys' newest key. A value no key opens is
// counted in its table's report and left as it is; the rest goes on.
func Run(ctx context.Context, db *store.DB, keys *privacy.Keys, opt Options) ([]Report, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 500
	}
	var out []Report
	for _, t := range Tables {
		r, err := runTable(ctx, db, keys, t, opt)
		if err != nil {
			return out, fmt.Errorf("reseal %s: %w", t.Name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// sealedJSON finds sealed string fields in JSON text. Sealed values are
// base64url after their prefix, so they never hold a quote or backslash.
var sealedJSON = regexp.MustCompile(`("[a-z_]*_sealed"\s*:\s*")(v[12]:[A-Za-z0-9_:-]+)(")`)

func runTable(ctx context.Context, db *store.DB, keys *privacy.Keys, t Table, opt Options) (Report, error) {
	rep := Report{Table: t.Name}
	if t.Batch > 0 && t.Batch < opt.BatchSize {
		opt.BatchSize = t.Batch
	}
	var total int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM `+t.Name).Scan(&total); err != nil {
		return rep, err
	}
	cols := append(append([]string(nil), t.Cols...), t.JSONCols...)
	var after any
	for {
		q := `SELECT ` + t.Key + `, ` + strings.Join(cols, ", ") + ` FROM ` + t.Name
		args := []any{}
		if after != nil {
			q += ` WHERE ` + t.Key + ` > ?`
			args = append(args, after)
		}
		q += ` ORDER BY ` + t.Key + ` LIMIT ?`
		args = append(args, opt.BatchSize)
		type row struct {
			key      any
			old, new []string
		}
		var batch []row
		rows, err := db.Query(ctx, q, args...)
		if err != nil {
			return rep, err
		}
		n := 0
		for rows.Next() {
			n++
			vals := make([]string, len(cols))
			dst := []any{new(any)}
			for i := range vals {
				dst = append(dst, &vals[i])
			}
			if err := rows.Scan(dst...); err != nil {
				rows.Close()
				return rep, err
			}
			key := *(dst[0].(*any))
			if b, ok := key.([]byte); ok { // some drivers give TEXT as bytes
				key = string(b)
			}
			after = key
			nv, changed, err := resealRow(keys, vals, len(t.Cols))
			if err != nil {
				rep.Unreadable++
				if rep.FirstBad == "" {
					rep.FirstBad = fmt.Sprintf("%s %v: %v", t.Key, key, err)
				}
				continue
			}
			if changed {
				batch = append(batch, row{key: key, old: vals, new: nv})
			}
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return rep, err
		}
		rows.Close()
		rep.Rows += n
		if len(batch) > 0 && opt.DryRun {
			rep.Resealed += len(batch)
		} else if len(batch) > 0 {
			set := make([]string, len(cols))
			same := make([]string, len(cols))
			for i, c := range cols {
				set[i], same[i] = c+` = ?`, c+` = ?`
			}
			upd := `UPDATE ` + t.Name + ` SET ` + strings.Join(set, ", ") + ` WHERE ` + t.Key + ` = ? AND ` + strings.Join(same, " AND ")
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for _, r := range batch {
					a := make([]any, 0, 2*len(cols)+1)
					for _, v := range r.new {
						a = append(a, v)
					}
					a = append(a, r.key)
					for _, v := range r.old {
						a = append(a, v)
					}
					res, err := tx.Exec(ctx, upd, a...)
					if err != nil {
						return err
					}
					if k, _ := res.RowsAffected(); k == 1 {
						rep.Resealed++
					} else {
						rep.Skipped++
					}
				}
				return nil
			})
			if err != nil {
				return rep, err
			}
		}
		if opt.Progress != nil {
			opt.Progress(t.Name, rep.Rows, total)
		}
		if n < opt.BatchSize {
			return rep, nil
		}
	}
}

// resealRow reseals one row's values: the first plain ones are sealed
// values, the rest JSON text.
func resealRow(keys *privacy.Keys, vals []string, plain int) ([]string, bool, error) {
	out := make([]string, len(vals))
	changed := false
	for i, v := range vals {
		if i < plain {
			nv, c, err := keys.Reseal(v)
			if err != nil {
				return nil, false, err
			}
			out[i], changed = nv, changed || c
			continue
		}
		var ferr error
		out[i] = sealedJSON.ReplaceAllStringFunc(v, func(m string) string {
			p := sealedJSON.FindStringSubmatch(m)
			nv, c, err := keys.Reseal(p[2])
			if err != nil {
				ferr = err
				return m
			}
			changed = changed || c
			return p[1] + nv + p[3]
		})
		if ferr != nil {
			return nil, false, ferr
		}
	}
	return out, changed, nil
}
