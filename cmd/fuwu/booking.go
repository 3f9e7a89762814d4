package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/booking"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"github.com/fuwu-gov/fuwu/internal/store"
)

func init() {
	register(&command{
		name:    "booking",
		summary: "appointments: hall hours, windows, calendar, slots, bookings, day lists, statistics",
		run:     runBooking,
	})
}

// serviceCmd is what the booking and doorstep subcommands share.
type serviceCmd struct {
	sf     storeFlags
	actor  string
	asJSON bool
	out    io.Writer
	db     *store.DB
}

func (c *serviceCmd) bind(fs *flag.FlagSet) {
	c.sf.bind(fs)
	user := env("USER")
	if user == "" {
		user = "cli"
	}
	fs.StringVar(&c.actor, "actor", "cli:"+user, "who is acting (recorded with every change)")
	fs.BoolVar(&c.asJSON, "json", false, "print JSON")
}

func (c *serviceCmd) open(ctx context.Context) (*services, func(), error) {
	db, err := c.sf.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	r, err := openServices(ctx, db, kb.NewStore(db), c.sf.data, c.sf.location(), false)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	c.db = db
	return r, func() { db.Close() }, nil
}

// record writes a staff change made from the command line to the audit
// log (the web records its own, with the role and the address).
func (c *serviceCmd) record(ctx context.Context, action string, pos []string) error {
	target := strings.Join(pos, " ")
	if r := []rune(target); len(r) > 100 {
		target = string(r[:100])
	}
	_, err := audit.New(c.db).WithClock(now, c.sf.location()).WithSuite(auditSuite(c.sf)).Record(ctx, audit.Entry{Actor: c.actor, Role: "cli", Action: action, Target: target})
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// print writes v as JSON, or calls human.
func (c *serviceCmd) print(v any, human func(w io.Writer)) error {
	if c.asJSON {
		enc := json.NewEncoder(c.out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(c.out, 0, 4, 2, ' ', 0)
	human(tw)
	return tw.Flush()
}

// explain puts the resident-facing message in front of a refusal (once).
func explain(err error) error {
	if r, ok := refusal.As(err); ok && !strings.Contains(err.Error(), r.UserMessage()) {
		return fmt.Errorf("%s (%w)", r.UserMessage(), err)
	}
	return err
}

// need checks the number of positional arguments.
func need(pos []string, n int, usage string) error {
	if len(pos) < n {
		return &exitError{code: 2, msg: "usage: " + usage}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
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

Flags:`

func runBooking(ctx context.Context, args []string, std stdio) error {
	if done, err := serviceHelp("booking", bookingUsage, args, std); done {
		return err
	}
	sub := args[0]
	fs := newFlags("booking "+sub, std.err)
	c := serviceCmd{out: std.out}
	c.bind(fs)
	slot := fs.Int("slot", 0, "slot length in minutes (hours)")
	capacity := fs.Int("capacity", 0, "bookings per slot (window-add, window-set)")
	items := fs.String("items", "", "item ids served, comma-separated (window-add, window-set)")
	active := fs.Bool("active", true, "window takes bookings (window-set)")
	from := fs.String("from", "", "first day YYYY-MM-DD")
	to := fs.String("to", "", "last day YYYY-MM-DD")
	hall := fs.String("hall", "", "hall id (stats)")
	window := fs.Int64("window", 0, "window id (list)")
	name := fs.String("name", "", "resident's name (book)")
	mobile := fs.String("mobile", "", "resident's mobile number (book)")
	idn := fs.String("id", "", "resident's ID number, optional (book)")
	reason := fs.String("reason", "", "why (cancel)")
	purpose := fs.String("purpose", "", "why the full contact is needed (reveal)")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), bookingUsage); fs.PrintDefaults() }
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if err := onlyFor(fs, sub, map[string][]string{
		"slot": {"hours"}, "capacity": {"window-add", "window-set"}, "items": {"window-add", "window-set"},
		"active": {"window-set"}, "from": {"calendar", "stats"}, "to": {"calendar", "stats"}, "hall": {"stats"},
		"window": {"list"}, "name": {"book"}, "mobile": {"book"}, "id": {"book"}, "reason": {"cancel"}, "purpose": {"reveal"},
	}); err != nil {
		return err
	}
	r, closeDB, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	s := r.booking
	showBooking := func(b booking.Booking) error {
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
	err = func() error {
		switch sub {
		case "seed":
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
		case "hours":
			if err := need(pos, 1, "fuwu booking hours HALL [TEXT] [--slot MIN]"); err != nil {
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
		case "windows":
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
		case "window-add":
			if err := need(pos, 2, "fuwu booking window-add HALL NAME [--capacity N] [--items ID,ID]"); err != nil {
				return err
			}
			win, err := s.AddWindow(ctx, booking.Window{HallID: pos[0], Name: strings.Join(pos[1:], " "), Capacity: *capacity, Items: splitList(*items)}, c.actor)
			if err != nil {
				return explain(err)
			}
			return c.print(win, func(w io.Writer) { fmt.Fprintf(w, "window %d added\n", win.ID) })
		case "window-set":
			if err := need(pos, 3, "fuwu booking window-set ID HALL NAME [--capacity N] [--items ID,ID] [--active=false]"); err != nil {
				return err
			}
			var id int64
			if _, err := fmt.Sscan(pos[0], &id); err != nil {
				return fmt.Errorf("window id %q: %w", pos[0], err)
			}
			win := booking.Window{ID: id, HallID: pos[1], Name: strings.Join(pos[2:], " "), Capacity: *capacity, Items: splitList(*items), Active: *active}
			if err := s.UpdateWindow(ctx, win, c.actor); err != nil {
				return explain(err)
			}
			return c.print(win, func(w io.Writer) { fmt.Fprintf(w, "window %d updated\n", id) })
		case "calendar":
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
		case "calendar-set", "calendar-import":
			var days []booking.CalendarDay
			var errs []error
			if sub == "calendar-set" {
				if err := need(pos, 2, "fuwu booking calendar-set DAY KIND [NAME] [WEEKDAY]"); err != nil {
					return err
				}
				days, errs = booking.ParseCalendar(strings.NewReader(strings.Join(pos, " ")))
			} else {
				if err := need(pos, 1, "fuwu booking calendar-import FILE"); err != nil {
					return err
				}
				f, err := os.Open(pos[0])
				if err != nil {
					return err
				}
				days, errs = booking.ParseCalendar(f)
				f.Close()
			}
			for _, e := range errs {
				fmt.Fprintf(std.err, "%s: %v\n", sub, e)
			}
			if err := s.SetCalendarDays(ctx, days); err != nil {
				return explain(err)
			}
			fmt.Fprintf(c.out, "%d days set\n", len(days))
			if len(errs) > 0 {
				if err := c.record(ctx, "booking."+sub, pos); err != nil {
					return err
				}
				return &exitError{code: 1, msg: fmt.Sprintf("%d lines skipped", len(errs))}
			}
			return nil
		case "calendar-delete":
			if err := need(pos, 1, "fuwu booking calendar-delete DAY"); err != nil {
				return err
			}
			return explain(s.DeleteCalendarDay(ctx, pos[0]))
		case "days":
			if err := need(pos, 2, "fuwu booking days HALL ITEM"); err != nil {
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
		case "slots":
			if err := need(pos, 3, "fuwu booking slots HALL ITEM DAY"); err != nil {
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
		case "book":
			if err := need(pos, 4, "fuwu booking book HALL ITEM DAY TIME --name NAME --mobile MOBILE [--id IDNUMBER]"); err != nil {
				return err
			}
			b, err := s.Book(ctx, booking.Request{HallID: pos[0], ItemID: pos[1], Day: pos[2], Start: pos[3], Name: *name, Mobile: *mobile,
				IDNumber: *idn, Channel: "staff", Actor: c.actor})
			if err != nil {
				return explain(err)
			}
			return showBooking(b)
		case "lookup", "cancel", "checkin", "noshow":
			if err := need(pos, 1, "fuwu booking "+sub+" CODE"); err != nil {
				return err
			}
			var b booking.Booking
			switch sub {
			case "lookup":
				b, err = s.Lookup(ctx, pos[0])
			case "cancel":
				b, err = s.Cancel(ctx, pos[0], c.actor, *reason)
			case "checkin":
				b, err = s.CheckIn(ctx, pos[0], c.actor)
			case "noshow":
				b, err = s.MarkNoShow(ctx, pos[0], c.actor)
			}
			if err != nil {
				return explain(err)
			}
			return showBooking(b)
		case "sweep":
			n, err := s.SweepNoShows(ctx)
			if err != nil {
				return err
			}
			return c.print(map[string]int{"no_show": n}, func(w io.Writer) { fmt.Fprintf(w, "%d bookings marked no-show\n", n) })
		case "reschedule":
			if err := need(pos, 3, "fuwu booking reschedule CODE DAY TIME"); err != nil {
				return err
			}
			b, err := s.Reschedule(ctx, pos[0], pos[1], pos[2], c.actor)
			if err != nil {
				return explain(err)
			}
			return showBooking(b)
		case "history":
			if err := need(pos, 1, "fuwu booking history CODE"); err != nil {
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
		case "reveal":
			if err := need(pos, 1, "fuwu booking reveal CODE --purpose WHY"); err != nil {
				return err
			}
			if strings.TrimSpace(*purpose) == "" {
				return &exitError{code: 2, msg: "reveal needs --purpose (it is recorded)"}
			}
			ct, err := s.Reveal(ctx, pos[0], c.actor, *purpose)
			if err != nil {
				return explain(err)
			}
			return c.print(ct, func(w io.Writer) {
				fmt.Fprintf(w, "姓名\t%s\n手机\t%s\n证件号\t%s\n", ct.Name, ct.Mobile, ct.IDNumber)
			})
		case "list":
			if err := need(pos, 2, "fuwu booking list HALL DAY [--window ID]"); err != nil {
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
		case "stats":
			f, t := *from, *to
			if f == "" {
				f = now().In(c.sf.location()).AddDate(0, 0, -30).Format(booking.DayLayout)
			}
			if t == "" {
				t = now().In(c.sf.location()).AddDate(0, 0, 14).Format(booking.DayLayout)
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
		fs.Usage()
		return &exitError{code: 2, msg: "unknown subcommand " + sub}
	}()
	if err == nil && bookingChanges[sub] {
		err = c.record(ctx, "booking."+sub, pos)
	}
	return err
}

// bookingChanges are the subcommands that change something (or open
// sealed data): each is written to the audit log.
var bookingChanges = map[string]bool{"seed": true, "window-add": true, "window-set": true, "calendar-set": true,
	"calendar-import": true, "calendar-delete": true, "book": true, "cancel": true, "reschedule": true, "checkin": true,
	"noshow": true, "reveal": true, "sweep": true}
