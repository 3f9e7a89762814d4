package booking

import (
	"context"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// The demo catalogue becomes bookable: every hall's hours are read, the
// conditional Saturday hours are left to staff, and each hall with
// appointment items gets a window.
func TestSeedDemoCatalogue(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs := kb.NewStore(db)
		if _, err := kbs.ImportFS(ctx, data.KB(), "demo", kb.ImportOptions{Upsert: kb.UpsertOptions{Status: kb.Published}}); err != nil {
			t.Fatal(err)
		}
		clk := clock.NewManual(bj("2026-11-30 08:00"))
		s := New(db, kbs, testKeys(t), Config{Now: clk.Now})
		rep, err := s.Seed(ctx, "seed")
		if err != nil {
			t.Fatal(err)
		}
		halls, _ := kbs.Halls(ctx)
		if rep.Schedules != len(halls) || rep.Windows == 0 {
			t.Errorf("seed = %+v for %d halls", rep, len(halls))
		}
		notes := strings.Join(rep.Notes, "\n")
		if !strings.Contains(notes, "部分事项") || !strings.Contains(notes, "征期") {
			t.Errorf("notes = %s", notes)
		}
		hs, err := s.HallSchedule(ctx, "HALL-07")
		if err != nil || hs.Text != "周一至周五 09:00-12:00，13:30-17:30" || hs.Source != SourceParsed {
			t.Errorf("HALL-07 schedule = %+v, %v", hs, err)
		}
		hs, _ = s.HallSchedule(ctx, "HALL-03")
		if hs.Text != "周一至周五 09:00-12:00，14:00-18:00；周六 09:00-17:00" {
			t.Errorf("HALL-03 schedule = %q", hs.Text)
		}
		// Seeding again changes nothing.
		again, err := s.Seed(ctx, "seed")
		if err != nil || again.Schedules != 0 || again.Windows != 0 {
			t.Errorf("second seed = %+v, %v", again, err)
		}
		// An appointment item can be booked at one of its halls.
		items, _ := kbs.PublishedItems(ctx)
		var it kb.Item
		for _, x := range items {
			if x.Offline.Appointment && len(x.Offline.Halls) > 0 {
				it = x
				break
			}
		}
		bookable, err := s.HallsFor(ctx, it.ID)
		if err != nil || strings.Join(bookable, ",") != strings.Join(it.Offline.Halls, ",") {
			t.Errorf("halls for %s = %v, %v; want %v", it.ID, bookable, err, it.Offline.Halls)
		}
		if none, _ := s.HallsFor(ctx, "nope"); len(none) != 0 {
			t.Errorf("halls for an unknown item = %v", none)
		}
		days, err := s.Days(ctx, it.Offline.Halls[0], it.ID)
		if err != nil || len(days) < 9 {
			t.Fatalf("days for %s at %s = %v, %v", it.ID, it.Offline.Halls[0], days, err)
		}
		slots, err := s.Slots(ctx, it.Offline.Halls[0], it.ID, days[0].Day)
		if err != nil || len(slots) == 0 {
			t.Fatalf("slots = %v, %v", slots, err)
		}
		b, err := s.Book(ctx, Request{HallID: it.Offline.Halls[0], ItemID: it.ID, Day: days[0].Day, Start: slots[0].Start, Name: "王五", Mobile: "13700000000"})
		if err != nil || b.ItemName != it.Name {
			t.Errorf("book = %+v, %v", b, err)
		}
	})
}
