package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/booking"
)

func init() {
	register(&command{
		name:    "booking",
		summary: "appointments: hall hours, windows, calendar, slots, bookings, day lists, statistics",
		run:     runBooking,
	})
}

const bookingUsage = `Usage: fuwu booking SUBCOMMAND [args] [flags]

Set-up (staff):
  seed                               give halls without hours/windows the catalogue's hours and a general window
  hours HALL [TEXT] [--slot MIN]     show a hall's weekly hours, or set them ("周一至周五 9:00-12:00，14:00-18:00")
  windows [HALL]                     list windows with their items
  window-add HALL NAME [--capacity N] [--items ID,ID]
  window-set ID HALL NAME [--capacity N] [--items ID,ID] [--active=false]
  calendar [--from DAY] [--to DAY]   list holidays and make-up working days
  calendar-set DAY KIND [NAME] [WEEKDAY]   KIND: holiday/休 or workday/班 (WEEKDAY: whose hours apply, default 周一)
  calendar-import FILE               lines "DAY KIND [NAME] [WEEKDAY]"; bad lines reported by number
  calendar-delete DAY
Residents' side:
  days HALL ITEM                     open days within the horizon with free places
  slots HALL ITEM DAY                a day's slots with free places
  book HALL ITEM DAY TIME --name NAME --mobile MOBILE [--id IDNUMBER]
  lookup CODE | cancel CODE [--reason R] | reschedule CODE DAY TIME
Staff:
  list HALL DAY [--window ID]        the day list
  checkin CODE | noshow CODE | history CODE
  sweep                              mark earlier days' unchecked bookings as no-shows
  reveal CODE --purpose WHY          the full mobile and ID number (recorded)
  stats [--from DAY] [--to DAY] [--hall HALL]

Environment: FUWU_BOOKING_HORIZON days ahead residents may book (default 14);
FUWU_SECRET_KEY base64 32-byte key sealing residents' numbers (default: secret.key
in the data folder, created on first use).

Flags shared by every subcommand (each subcommand's own: fuwu booking SUBCOMMAND -h):`

func runBooking(ctx context.Context, args []string, std stdio) error {
	return runServiceSubs(ctx, "booking", bookingUsage, bookingSubs, args, std)
}

// bookingSubs are booking's subcommands; the audited ones change
// something (or open sealed data).
var bookingSubs = map[string]serviceSub{
	"seed":            {bookingSeed, true},
	"hours":           {bookingHours, false}, // records itself when it sets hours
	"windows":         {bookingWindows, false},
	"window-add":      {bookingWindowAdd, true},
	"window-set":      {bookingWindowSet, true},
	"calendar":        {bookingCalendar, false},
	"calendar-set":    {bookingCalendarSet, true},
	"calendar-import": {bookingCalendarImport, true},
	"calendar-delete": {bookingCalendarDelete, true},
	"days":            {bookingDays, false},
	"slots":           {bookingSlots, false},
	"book":            {bookingBook, true},
	"lookup":          {bookingStep, false},
	"cancel":          {bookingCancel, true},
	"checkin":         {bookingStep, true},
	"noshow":          {bookingStep, true},
	"reschedule":      {bookingReschedule, true},
	"history":         {bookingHistory, false},
	"sweep":           {bookingSweep, true},
	"reveal":          {bookingReveal, true},
	"list":            {bookingList, false},
	"stats":           {bookingStats, false},
}

// bookingOpen opens the store and returns the booking service.
func bookingOpen(ctx context.Context, c *serviceCmd) (*booking.Service, error) {
	r, err := c.open(ctx)
	if err != nil {
		return nil, err
	}
	return r.booking, nil
}

func bookingSeed(ctx context.Context, c *serviceCmd, args []string) error {
	if _, err := c.parse(c.flags(), args, 0, ""); err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	rep, err := s.Seed(ctx, c.actor)
	if err != nil {
		return err
	}
	return c.print(rep, func(w io.Writer) {
		fmt.Fprintf(w, "schedules set\t%d\nwindows added\t%d\n", rep.Schedules, rep.Windows)
		for _, n := range rep.Notes {
			fmt.Fprintln(w, "note\t"+n)
		}
	})
}

func bookingHours(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	slot := fs.Int("slot", 0, "slot length in minutes")
	pos, err := c.parse(fs, args, 1, "HALL [TEXT] [--slot MIN]")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	if len(pos) > 1 || *slot > 0 {
		var sched booking.Schedule
		var notes []string
		if len(pos) > 1 {
			if sched, notes, err = booking.ParseHours(strings.Join(pos[1:], " ")); err != nil {
				return fmt.Errorf("hours: %w", err)
			}
		} else {
			cur, err := s.HallSchedule(ctx, pos[0])
			if err != nil {
				return explain(err)
			}
			sched = cur.Schedule
		}
		if *slot > 0 {
			sched.SlotMinutes = *slot
		}
		if err := s.SetSchedule(ctx, pos[0], sched, booking.SourceStaff, notes, c.actor); err != nil {
			return explain(err)
		}
		if err := c.record(ctx, "booking.hours", pos); err != nil {
			return err
		}
	}
	hs, err := s.HallSchedule(ctx, pos[0])
	if err != nil {
		return explain(err)
	}
	return c.print(hs, func(w io.Writer) {
		fmt.Fprintf(w, "%s\t%s\t(%d 分钟一个时段，%s，%s %s)\n", hs.HallID, hs.Text, hs.Schedule.SlotMinutes, hs.Source, hs.UpdatedBy, hs.UpdatedAt.In(c.sf.location()).Format("2006-01-02 15:04"))
		for _, n := range hs.Notes {
			fmt.Fprintln(w, "note\t"+n)
		}
	})
}

func bookingWindows(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 0, "[HALL]")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	h := ""
	if len(pos) > 0 {
		h = pos[0]
	}
	ws, err := s.Windows(ctx, h)
	if err != nil {
		return err
	}
	return c.print(ws, func(w io.Writer) {
		for _, x := range ws {
			state := "active"
			if !x.Active {
				state = "inactive"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%d/slot\t%s\t%s\n", x.ID, x.HallID, x.Name, x.Capacity, state, strings.Join(x.Items, ","))
		}
	})
}

// windowFlags are the flags window-add and window-set share.
func windowFlags(fs *flag.FlagSet) (capacity *int, items *string) {
	return fs.Int("capacity", 0, "bookings per slot"), fs.String("items", "", "item ids served, comma-separated")
}

func bookingWindowAdd(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	capacity, items := windowFlags(fs)
	pos, err := c.parse(fs, args, 2, "HALL NAME [--capacity N] [--items ID,ID]")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	win, err := s.AddWindow(ctx, booking.Window{HallID: pos[0], Name: strings.Join(pos[1:], " "), Capacity: *capacity, Items: splitList(*items)}, c.actor)
	if err != nil {
		return explain(err)
	}
	return c.print(win, func(w io.Writer) { fmt.Fprintf(w, "window %d added\n", win.ID) })
}

func bookingWindowSet(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	capacity, items := windowFlags(fs)
	active := fs.Bool("active", true, "window takes bookings")
	pos, err := c.parse(fs, args, 3, "ID HALL NAME [--capacity N] [--items ID,ID] [--active=false]")
	if err != nil {
		return err
	}
	var id int64
	if _, err := fmt.Sscan(pos[0], &id); err != nil {
		return fmt.Errorf("window id %q: %w", pos[0], err)
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	win := booking.Window{ID: id, HallID: pos[1], Name: strings.Join(pos[2:], " "), Capacity: *capacity, Items: splitList(*items), Active: *active}
	if err := s.UpdateWindow(ctx, win, c.actor); err != nil {
		return explain(err)
	}
	return c.print(win, func(w io.Writer) { fmt.Fprintf(w, "window %d updated\n", id) })
}

// dayRangeFlags are --from and --to.
func dayRangeFlags(fs *flag.FlagSet) (from, to *string) {
	return fs.String("from", "", "first day YYYY-MM-DD"), fs.String("to", "", "last day YYYY-MM-DD")
}

func bookingCalendar(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	from, to := dayRangeFlags(fs)
	if _, err := c.parse(fs, args, 0, "[--from DAY] [--to DAY]"); err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	days, err := s.CalendarDays(ctx, *from, *to)
	if err != nil {
		return err
	}
	return c.print(days, func(w io.Writer) {
		for _, d := range days {
			fmt.Fprintf(w, "%s\t%s\t%s", d.Day, d.Kind.Label(), d.Name)
			if d.Kind == booking.Workday {
				fmt.Fprintf(w, "\t按%s作息", []string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[d.AsWeekday])
			}
			fmt.Fprintln(w)
		}
	})
}

func bookingCalendarSet(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 2, "DAY KIND [NAME] [WEEKDAY]")
	if err != nil {
		return err
	}
	days, errs := booking.ParseCalendar(strings.NewReader(strings.Join(pos, " ")))
	return setCalendar(ctx, c, days, errs)
}

func bookingCalendarImport(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 1, "FILE")
	if err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	days, errs := booking.ParseCalendar(f)
	f.Close()
	return setCalendar(ctx, c, days, errs)
}

// setCalendar stores the days read by calendar-set or calendar-import,
// after reporting the lines that could not be read (exit status 1).
func setCalendar(ctx context.Context, c *serviceCmd, days []booking.CalendarDay, errs []error) error {
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	for _, e := range errs {
		fmt.Fprintf(c.errOut, "%s: %v\n", c.sub, e)
	}
	if err := s.SetCalendarDays(ctx, days); err != nil {
		return explain(err)
	}
	fmt.Fprintf(c.out, "%d days set\n", len(days))
	if len(errs) > 0 {
		if err := c.record(ctx, "booking."+c.sub, c.pos); err != nil {
			return err
		}
		return &exitError{code: 1, msg: fmt.Sprintf("%d lines skipped", len(errs))}
	}
	return nil
}

func bookingCalendarDelete(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 1, "DAY")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	return explain(s.DeleteCalendarDay(ctx, pos[0]))
}

func bookingDays(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 2, "HALL ITEM")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	days, err := s.Days(ctx, pos[0], pos[1])
	if err != nil {
		return explain(err)
	}
	return c.print(days, func(w io.Writer) {
		for _, d := range days {
			fmt.Fprintf(w, "%s\t%s\t%d slots\t%d free\t%s\n", d.Day, d.Weekday, d.Slots, d.Free, d.Holiday)
		}
	})
}

func bookingSlots(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 3, "HALL ITEM DAY")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	slots, err := s.Slots(ctx, pos[0], pos[1], pos[2])
	if err != nil {
		return explain(err)
	}
	return c.print(slots, func(w io.Writer) {
		for _, x := range slots {
			fmt.Fprintf(w, "%s-%s\t%d/%d booked\t%d free\n", x.Start, x.End, x.Booked, x.Capacity, x.Free)
		}
	})
}

func bookingBook(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	name := fs.String("name", "", "resident's name")
	mobile := fs.String("mobile", "", "resident's mobile number")
	idn := fs.String("id", "", "resident's ID number, optional")
	pos, err := c.parse(fs, args, 4, "HALL ITEM DAY TIME --name NAME --mobile MOBILE [--id IDNUMBER]")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	b, err := s.Book(ctx, booking.Request{HallID: pos[0], ItemID: pos[1], Day: pos[2], Start: pos[3], Name: *name, Mobile: *mobile,
		IDNumber: *idn, Channel: "staff", Actor: c.actor})
	if err != nil {
		return explain(err)
	}
	return showBooking(c, b)
}

// bookingStep is lookup, checkin and noshow: a code, and the booking after.
func bookingStep(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 1, "CODE")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	var b booking.Booking
	switch c.sub {
	case "lookup":
		b, err = s.Lookup(ctx, pos[0])
	case "checkin":
		b, err = s.CheckIn(ctx, pos[0], c.actor)
	case "noshow":
		b, err = s.MarkNoShow(ctx, pos[0], c.actor)
	default:
		return fmt.Errorf("booking step %q", c.sub) // a programming error: bookingSubs names it
	}
	if err != nil {
		return explain(err)
	}
	return showBooking(c, b)
}

func bookingCancel(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	reason := fs.String("reason", "", "why")
	pos, err := c.parse(fs, args, 1, "CODE [--reason R]")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	b, err := s.Cancel(ctx, pos[0], c.actor, *reason)
	if err != nil {
		return explain(err)
	}
	return showBooking(c, b)
}

func bookingReschedule(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 3, "CODE DAY TIME")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	b, err := s.Reschedule(ctx, pos[0], pos[1], pos[2], c.actor)
	if err != nil {
		return explain(err)
	}
	return showBooking(c, b)
}

func showBooking(c *serviceCmd, b booking.Booking) error {
	return c.print(b, func(w io.Writer) {
		fmt.Fprintf(w, "预约码\t%s\n状态\t%s\n事项\t%s %s\n大厅\t%s（%s）\n时间\t%s %s-%s\n姓名\t%s\n手机\t%s\n", b.Code, b.Status.Label(),
			b.ItemID, b.ItemName, b.HallID, b.WindowName, b.Day, b.Start, b.End, b.Name, b.Mobile)
		if b.IDNumber != "" {
			fmt.Fprintf(w, "证件号\t%s\n", b.IDNumber)
		}
		if b.Reason != "" {
			fmt.Fprintf(w, "原因\t%s\n", b.Reason)
		}
	})
}

func bookingHistory(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 1, "CODE")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	evs, err := s.History(ctx, pos[0])
	if err != nil {
		return err
	}
	return c.print(evs, func(w io.Writer) {
		for _, e := range evs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.At.In(c.sf.location()).Format("2006-01-02 15:04:05"), e.Action, e.Actor, e.Note)
		}
	})
}

func bookingSweep(ctx context.Context, c *serviceCmd, args []string) error {
	if _, err := c.parse(c.flags(), args, 0, ""); err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	n, err := s.SweepNoShows(ctx)
	if err != nil {
		return err
	}
	return c.print(map[string]int{"no_show": n}, func(w io.Writer) { fmt.Fprintf(w, "%d bookings marked no-show\n", n) })
}

func bookingReveal(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	purpose := fs.String("purpose", "", "why the full contact is needed (recorded)")
	pos, err := c.parse(fs, args, 1, "CODE --purpose WHY")
	if err != nil {
		return err
	}
	if strings.TrimSpace(*purpose) == "" {
		return &exitError{code: 2, msg: "reveal needs --purpose (it is recorded)"}
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	ct, err := s.Reveal(ctx, pos[0], c.actor, *purpose)
	if err != nil {
		return explain(err)
	}
	return c.print(ct, func(w io.Writer) {
		fmt.Fprintf(w, "姓名\t%s\n手机\t%s\n证件号\t%s\n", ct.Name, ct.Mobile, ct.IDNumber)
	})
}

func bookingList(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	window := fs.Int64("window", 0, "only this window's bookings")
	pos, err := c.parse(fs, args, 2, "HALL DAY [--window ID]")
	if err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	list, err := s.DayList(ctx, pos[0], pos[1], *window)
	if err != nil {
		return err
	}
	return c.print(list, func(w io.Writer) {
		for _, b := range list {
			fmt.Fprintf(w, "%s-%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.Start, b.End, b.WindowName, b.Code, b.Status.Label(), b.Name, b.Mobile, b.ItemName)
		}
	})
}

func bookingStats(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	from, to := dayRangeFlags(fs)
	hall := fs.String("hall", "", "only this hall")
	if _, err := c.parse(fs, args, 0, "[--from DAY] [--to DAY] [--hall HALL]"); err != nil {
		return err
	}
	s, err := bookingOpen(ctx, c)
	if err != nil {
		return err
	}
	f, t := *from, *to
	if f == "" {
		f = c.sf.now()().In(c.sf.location()).AddDate(0, 0, -30).Format(booking.DayLayout)
	}
	if t == "" {
		t = c.sf.now()().In(c.sf.location()).AddDate(0, 0, 14).Format(booking.DayLayout)
	}
	st, err := s.Stats(ctx, f, t, *hall)
	if err != nil {
		return err
	}
	return c.print(st, func(w io.Writer) {
		row := func(c booking.Count) {
			fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%.0f%%\n", c.Label, c.Total, c.Booked, c.CheckedIn, c.NoShow, c.Cancelled, 100*c.NoShowRate())
		}
		fmt.Fprintf(w, "%s 至 %s\t预约\t待办\t签到\t未到\t取消\t爽约率\n", st.From, st.To)
		row(st.All)
		for _, g := range [][]booking.Count{st.ByHall, st.ByItem, st.ByChannel} {
			fmt.Fprintln(w)
			for _, x := range g {
				row(x)
			}
		}
	})
}
