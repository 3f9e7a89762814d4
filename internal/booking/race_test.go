package booking

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// 100 residents press "book" on the same slot of capacity 3 at once:
// exactly 3 bookings, 97 clear refusals, nothing else.
func TestConcurrentBookingSameSlot(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		const n = 100
		var ok, full atomic.Int32
		errs := make(chan error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, err := f.svc.Book(ctx, req("2026-12-01", "10:00", i))
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ErrFull):
					full.Add(1)
				default:
					errs <- err
				}
			}(i)
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("unexpected error: %v", err)
		}
		if ok.Load() != 3 || full.Load() != 97 {
			t.Errorf("confirmed %d, refused full %d; want 3 and 97", ok.Load(), full.Load())
		}
		list, err := f.svc.DayList(ctx, "H1", "2026-12-01", 0)
		if err != nil || len(list) != 3 {
			t.Errorf("day list has %d bookings, %v", len(list), err)
		}
		assertConsistent(t, db)
	})
}

// The same person pressing "book" twenty times at once (a double-click,
// the chat and the web together) gets exactly one booking.
func TestConcurrentBookingSamePerson(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 50)
		const n = 20
		var ok, dup atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				// Different slots, same person and item and day.
				slot := []string{"09:00", "09:30", "10:00", "14:00"}[i%4]
				_, err := f.svc.Book(ctx, req("2026-12-01", slot, 7))
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ErrDuplicate):
					dup.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}(i)
		}
		close(start)
		wg.Wait()
		if ok.Load() != 1 || dup.Load() != n-1 {
			t.Errorf("confirmed %d, duplicates %d; want 1 and %d", ok.Load(), dup.Load(), n-1)
		}
		assertConsistent(t, db)
	})
}

// Reschedules race cancellations. 100 bookings spread over four morning
// slots try to move into one afternoon slot of capacity 3 while 100 other
// bookings in those same morning slots are cancelled: exactly 3 moves
// succeed, 97 are refused as full, every cancellation succeeds, and every
// slot's counter still equals the bookings that hold it. Then each of 30
// bookings is cancelled and rescheduled at the same moment: whichever
// wins, the booking ends cancelled and no place leaks.
func TestRescheduleRacesCancel(t *testing.T) {
	storetest.Each(t, sets(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		s := f.svc
		w := f.window
		w.Capacity = 100
		w.Active = true
		if err := s.UpdateWindow(ctx, w, "admin"); err != nil {
			t.Fatal(err)
		}
		morning := []string{"09:00", "09:30", "10:00", "10:30"}
		var movers, cancels []string
		for i := 0; i < 200; i++ {
			b, err := s.Book(ctx, req("2026-12-02", morning[i%4], i))
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				movers = append(movers, b.Code)
			} else {
				cancels = append(cancels, b.Code)
			}
		}
		// The target slot holds only 3 (as if staff had lowered it).
		if _, err := db.Exec(ctx, `INSERT INTO booking_slots (window_id, day, slot_start, capacity, booked) VALUES (?, '2026-12-02', '15:00', 3, 0)`, w.ID); err != nil {
			t.Fatal(err)
		}
		var moved, full, cancelled atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 100; i++ {
			wg.Add(2)
			go func(code string) {
				defer wg.Done()
				<-start
				_, err := s.Reschedule(ctx, code, "2026-12-02", "15:00", "")
				switch {
				case err == nil:
					moved.Add(1)
				case errors.Is(err, ErrFull):
					full.Add(1)
				default:
					t.Errorf("reschedule: unexpected error: %v", err)
				}
			}(movers[i])
			go func(code string) {
				defer wg.Done()
				<-start
				if _, err := s.Cancel(ctx, code, "", "race"); err != nil {
					t.Errorf("cancel: unexpected error: %v", err)
					return
				}
				cancelled.Add(1)
			}(cancels[i])
		}
		close(start)
		wg.Wait()
		if moved.Load() != 3 || full.Load() != 97 || cancelled.Load() != 100 {
			t.Errorf("moved %d, full %d, cancelled %d; want 3, 97, 100", moved.Load(), full.Load(), cancelled.Load())
		}
		target, _ := s.Slots(ctx, "H1", "T-1", "2026-12-02")
		for _, sl := range target {
			if sl.Start == "15:00" && (sl.Booked != 3 || sl.Free != 0) {
				t.Errorf("target slot = %+v", sl)
			}
		}
		assertConsistent(t, db)

		// The same booking cancelled and rescheduled at once.
		var rescheduled, notActive atomic.Int32
		start2 := make(chan struct{})
		for i := 3; i < 33; i++ { // movers that stayed in the morning
			code := movers[i]
			if b, _ := s.Lookup(ctx, code); b.Start == "15:00" {
				continue
			}
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start2
				_, err := s.Reschedule(ctx, code, "2026-12-03", "16:00", "")
				switch {
				case err == nil:
					rescheduled.Add(1)
				case errors.Is(err, ErrNotActive):
					notActive.Add(1)
				default:
					t.Errorf("reschedule: unexpected error: %v", err)
				}
			}()
			go func() {
				defer wg.Done()
				<-start2
				if _, err := s.Cancel(ctx, code, "", "race"); err != nil {
					t.Errorf("cancel %s: unexpected error: %v", code, err)
				}
			}()
		}
		close(start2)
		wg.Wait()
		t.Logf("same-booking races: reschedule first %d, cancel first %d", rescheduled.Load(), notActive.Load())
		if rescheduled.Load()+notActive.Load() == 0 {
			t.Error("no race ran")
		}
		slots, _ := s.Slots(ctx, "H1", "T-1", "2026-12-03")
		for _, sl := range slots {
			if sl.Booked != 0 {
				t.Errorf("a cancelled booking still holds %s %s (%d)", sl.Day, sl.Start, sl.Booked)
			}
		}
		assertConsistent(t, db)
	})
}

// BenchmarkBook measures bookings per second on each engine: serially
// (one resident after another) and from parallel goroutines, each booking
// a fresh person into a roomy slot.
func BenchmarkBook(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		for _, parallel := range []bool{false, true} {
			name := string(d) + "/serial"
			if parallel {
				name = string(d) + "/parallel"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				db := storetest.Open(b, d, sets()...)
				f := newFixture(b, db, 1000)
				// Every slot of the horizon, 1000 places each.
				var slots []SlotInfo
				days, err := f.svc.Days(ctx, "H1", "T-1")
				if err != nil {
					b.Fatal(err)
				}
				for _, d := range days {
					ss, err := f.svc.Slots(ctx, "H1", "T-1", d.Day)
					if err != nil {
						b.Fatal(err)
					}
					slots = append(slots, ss...)
				}
				var seq atomic.Int64
				book := func() {
					i := int(seq.Add(1))
					sl := slots[i%len(slots)]
					if _, err := f.svc.Book(ctx, req(sl.Day, sl.Start, i)); err != nil {
						b.Error(err)
					}
				}
				b.ResetTimer()
				if parallel {
					b.SetParallelism(4)
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							book()
						}
					})
				} else {
					for i := 0; i < b.N; i++ {
						book()
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
			})
		}
	}
}

// BenchmarkAvailability measures what the chat and the booking page ask
// most: the open days of the horizon, then one day's slots, with 2000
// bookings already made.
func BenchmarkAvailability(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d, sets()...)
			f := newFixture(b, db, 1000)
			days, err := f.svc.Days(ctx, "H1", "T-1")
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < 2000; i++ {
				day := days[i%len(days)]
				slots, _ := f.svc.Slots(ctx, "H1", "T-1", day.Day)
				if _, err := f.svc.Book(ctx, req(day.Day, slots[i%len(slots)].Start, i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ds, err := f.svc.Days(ctx, "H1", "T-1")
				if err != nil || len(ds) == 0 {
					b.Fatal(ds, err)
				}
				if _, err := f.svc.Slots(ctx, "H1", "T-1", ds[i%len(ds)].Day); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
