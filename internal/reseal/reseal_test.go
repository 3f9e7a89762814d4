package reseal

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
	"github.com/fuwu-gov/fuwu/internal/doorstep"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/registry"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/video"
)

func mustSeal(t *testing.T, k *privacy.Keys, v string) string {
	t.Helper()
	s, err := k.Seal(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Data sealed with AES under a standard key, the ring rotated to gm: a
// dry run counts and changes nothing, a run in small batches moves every
// value (plain columns and the dialogue state's JSON) to the SM4 key with
// the same plain text, a value no key opens is reported and left, and a
// second run has nothing to do.
// recordingChunk is the start of a WebM file: binary, not text.
const recordingChunk = "\x1a\x45\xdf\xa3\x00\xff"

func TestResealEveryTable(t *testing.T) {
	t.Parallel()
	sets := []store.Migrations{booking.Migrations, doorstep.Migrations, registry.Migrations, assistant.Migrations, video.Migrations}
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		old, err := privacy.NewKeys([]byte("0123456789abcdef0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		stranger, _ := privacy.NewKeys([]byte("ffffffffffffffffffffffffffffffff"))
		now := "2026-12-01T01:00:00Z"
		mobiles := []string{"13812345678", "13912345678", "13712345678"}
		for i, m := range mobiles {
			idSealed := ""
			if i == 0 {
				idSealed = mustSeal(t, old, "44030419900101123X")
			}
			if _, err := db.Exec(ctx, `INSERT INTO booking_bookings (code, hall_id, window_id, item_id, day, slot_start, slot_end, name,
				mobile_masked, mobile_sealed, mobile_fp, id_sealed, status, created_at, updated_at)
				VALUES (?, 'H1', 1, 'FT-001', '2026-12-02', '09:00', '09:30', '张三', '138****5678', ?, ?, ?, 'booked', ?, ?)`,
				"B"+m, mustSeal(t, old, m), old.Fingerprint(privacy.Mobile, m), idSealed, now, now); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Exec(ctx, `INSERT INTO doorstep_specialists (name, phone_sealed, created_at, updated_at) VALUES ('李四', ?, ?, ?), ('王五', ?, ?, ?)`,
			mustSeal(t, old, "13600000000"), now, now, mustSeal(t, stranger, "13500000000"), now, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO doorstep_requests (kind, applicant, phone_masked, phone_sealed, phone_fp, address_sealed, item_id, item_name, status, created_at, updated_at)
			VALUES ('resident', '赵六', '136****0001', ?, 'fp', ?, 'D-1', '上门办', 'new', ?, ?)`,
			mustSeal(t, old, "13600000001"), mustSeal(t, old, "深圳市福田区福华三路88号"), now, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO registry_profiles (id, kind, key_fp, name_sealed, idno_sealed, phone_sealed, address_sealed, row_hash, created_at, updated_at)
			VALUES ('P1', 'person', 'k1', ?, ?, ?, '', 'h', ?, ?)`,
			mustSeal(t, old, "钱七"), mustSeal(t, old, "110105194912310021"), mustSeal(t, old, "13800000002"), now, now); err != nil {
			t.Fatal(err)
		}
		state, _ := json.Marshal(map[string]any{"booking": map[string]string{"mobile_sealed": mustSeal(t, old, "13800000003"), "mobile_masked": "138****0003"}})
		if _, err := db.Exec(ctx, `INSERT INTO assistant_state (conversation_id, state, updated_at) VALUES ('c-1', ?, ?)`, string(state), now); err != nil {
			t.Fatal(err)
		}

		// A chunk of a call's recording: binary, sealed the same way.
		if _, err := db.Exec(ctx, `INSERT INTO video_recordings (session_id, part, seq, mime, size, data_sealed, created_at, expires_at)
			VALUES ('s1', 1, 0, 'video/webm', 6, ?, ?, ?)`, mustSeal(t, old, recordingChunk), now, now); err != nil {
			t.Fatal(err)
		}

		gm, err := old.Rotate(cryptosuite.GM)
		if err != nil {
			t.Fatal(err)
		}
		dry, err := Run(ctx, db, gm, Options{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := total(dry, func(r Report) int { return r.Resealed }); got != 8 {
			t.Fatalf("dry run would reseal %d rows, want 8: %+v", got, dry)
		}
		var still string
		if err := db.QueryRow(ctx, `SELECT mobile_sealed FROM booking_bookings WHERE code = 'B13812345678'`).Scan(&still); err != nil || !strings.HasPrefix(still, "v1:") {
			t.Fatalf("dry run wrote: %q %v", still, err)
		}

		var progress []string
		reps, err := Run(ctx, db, gm, Options{BatchSize: 2, Progress: func(table string, done, total int) {
			progress = append(progress, table)
			if done > total {
				t.Errorf("%s: %d of %d", table, done, total)
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		if got := total(reps, func(r Report) int { return r.Resealed }); got != 8 {
			t.Fatalf("resealed %d rows, want 8: %+v", got, reps)
		}
		for _, r := range reps {
			want := 0
			if r.Table == "doorstep_specialists" {
				want = 1
			}
			if r.Unreadable != want || (want == 1 && !strings.Contains(r.FirstBad, "id")) {
				t.Errorf("%s: unreadable %d (%q), want %d", r.Table, r.Unreadable, r.FirstBad, want)
			}
		}
		if !slices.Contains(progress, "registry_profiles") || len(progress) < len(Tables)+1 {
			t.Errorf("progress calls: %v", progress)
		}

		// Every value opens under the new ring to what it was, sealed with SM4 key 1.
		check := func(q, want string, args ...any) {
			t.Helper()
			var s string
			if err := db.QueryRow(ctx, q, args...).Scan(&s); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(s, "v2:1:") {
				t.Errorf("%s: %q not under the new key", q, s)
			}
			if got, err := gm.Open(s); err != nil || got != want {
				t.Errorf("%s: opens to %q %v, want %q", q, got, err, want)
			}
		}
		for _, m := range mobiles {
			check(`SELECT mobile_sealed FROM booking_bookings WHERE code = ?`, m, "B"+m)
		}
		check(`SELECT id_sealed FROM booking_bookings WHERE code = 'B13812345678'`, "44030419900101123X")
		check(`SELECT phone_sealed FROM doorstep_specialists WHERE name = '李四'`, "13600000000")
		check(`SELECT address_sealed FROM doorstep_requests`, "深圳市福田区福华三路88号")
		check(`SELECT name_sealed FROM registry_profiles`, "钱七")
		check(`SELECT data_sealed FROM video_recordings`, recordingChunk)
		check(`SELECT idno_sealed FROM registry_profiles`, "110105194912310021")
		var empty string
		if err := db.QueryRow(ctx, `SELECT id_sealed FROM booking_bookings WHERE code = 'B13912345678'`).Scan(&empty); err != nil || empty != "" {
			t.Errorf("empty sealed value became %q %v", empty, err)
		}
		var st string
		if err := db.QueryRow(ctx, `SELECT state FROM assistant_state`).Scan(&st); err != nil {
			t.Fatal(err)
		}
		var parsed struct {
			Booking struct {
				MobileSealed string `json:"mobile_sealed"`
				MobileMasked string `json:"mobile_masked"`
			} `json:"booking"`
		}
		if err := json.Unmarshal([]byte(st), &parsed); err != nil {
			t.Fatalf("state no longer JSON: %v: %s", err, st)
		}
		if got, err := gm.Open(parsed.Booking.MobileSealed); err != nil || got != "13800000003" || !gm.Current(parsed.Booking.MobileSealed) {
			t.Errorf("state's mobile: %q %v", got, err)
		}
		// Nothing left to do.
		again, err := Run(ctx, db, gm, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := total(again, func(r Report) int { return r.Resealed }); got != 0 {
			t.Errorf("second run resealed %d", got)
		}
	})
}

func total(reps []Report, f func(Report) int) int {
	n := 0
	for _, r := range reps {
		n += f(r)
	}
	return n
}

// Every column named *_sealed in any migration is in Tables, so a new
// sealed column cannot be forgotten by reseal.
func TestTablesCoverMigrations(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../*/migrations/*.sql")
	if err != nil || len(files) < 10 {
		t.Fatalf("migrations: %v %v", files, err)
	}
	known := map[string]bool{}
	for _, tb := range Tables {
		for _, c := range tb.Cols {
			known[tb.Name+"."+c] = true
		}
	}
	create := regexp.MustCompile(`(?is)CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*?)\n\);`)
	alter := regexp.MustCompile(`(?i)ALTER TABLE (\w+) ADD COLUMN (?:IF NOT EXISTS )?(\w+_sealed)\b`)
	col := regexp.MustCompile(`(?m)^\s*(\w+_sealed)\s`)
	found := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range create.FindAllStringSubmatch(string(b), -1) {
			for _, c := range col.FindAllStringSubmatch(m[2], -1) {
				found++
				if !known[m[1]+"."+c[1]] {
					t.Errorf("%s: %s.%s is sealed but reseal does not know it", f, m[1], c[1])
				}
			}
		}
		for _, m := range alter.FindAllStringSubmatch(string(b), -1) {
			found++
			if !known[m[1]+"."+m[2]] {
				t.Errorf("%s: %s.%s is sealed but reseal does not know it", f, m[1], m[2])
			}
		}
	}
	if found < 9 {
		t.Errorf("found only %d sealed columns: the scan is broken", found)
	}
}
