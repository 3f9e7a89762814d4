package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/doorstep"
)

func init() {
	register(&command{
		name:    "doorstep",
		summary: "door-to-door service: catalogue, specialists, requests, dispatch, statistics, Excel export",
		run:     runDoorstep,
	})
}

const doorstepUsage = `Usage: fuwu doorstep SUBCOMMAND [args] [flags]

Catalogue and specialists:
  sync                               bring in the knowledge base's doorstep items
  catalogue [--all]                  items by theme
  item-add [ID] [--name N --theme T] a knowledge-base item by id, or a new one by name and theme
  item-off ID | item-on ID
  specialists                        with streets, themes and current load
  specialist-add NAME --streets 园岭,南园 --themes 养老服务,… [--phone M] [--org O] [--max N]
Requests:
  submit ITEM --name N --phone M --address A [--kind 企业 --contact C] [--street S] [--preferred P] [--notes T]
  list [--status S] [--open] [--overdue] [--street S] [--theme T] [--specialist ID]
  show ID                            the request and every step with who and when
  accept ID | visit ID               [--note T]
  reject ID --reason R | cancel ID --reason R
  suggest ID                         ranked specialists: street, theme, load
  dispatch ID                        assign to the best suggestion
  assign ID SPECIALIST [--note T]    assign (or reassign) by hand
  complete ID [--amount YUAN] [--note T]
  reveal ID --purpose WHY            the full phone and address (recorded)
  overdue                            flag requests past their time limit
Figures:
  stats [--from DAY] [--to DAY]
  export FILE.xlsx [--from DAY] [--to DAY]

Flags:`

func runDoorstep(ctx context.Context, args []string, std stdio) error {
	if done, err := serviceHelp("doorstep", doorstepUsage, args, std); done {
		return err
	}
	sub := args[0]
	fs := newFlags("doorstep "+sub, std.err)
	c := serviceCmd{out: std.out}
	c.bind(fs)
	all := fs.Bool("all", false, "include inactive items (catalogue)")
	name := fs.String("name", "", "item name (item-add) or applicant: a person's or an enterprise's name (submit)")
	theme := fs.String("theme", "", "theme (item-add, list)")
	streets := fs.String("streets", "", "streets covered, comma-separated (specialist-add)")
	themes := fs.String("themes", "", "themes handled, comma-separated (specialist-add)")
	phone := fs.String("phone", "", "mobile number (submit, specialist-add)")
	org := fs.String("org", "", "unit (specialist-add)")
	maxLoad := fs.Int("max", 0, "most open requests at once, 0 = no limit (specialist-add)")
	kind := fs.String("kind", "个人", "个人 or 企业 (submit)")
	contact := fs.String("contact", "", "contact person of an enterprise (submit)")
	address := fs.String("address", "", "address to visit (submit)")
	street := fs.String("street", "", "street (submit: default read from the address; list)")
	preferred := fs.String("preferred", "", "preferred time (submit)")
	notes := fs.String("notes", "", "notes (submit)")
	status := fs.String("status", "", "status (list)")
	open := fs.Bool("open", false, "only requests not yet closed (list)")
	overdue := fs.Bool("overdue", false, "only overdue requests (list)")
	specialist := fs.Int64("specialist", 0, "specialist id (list)")
	note := fs.String("note", "", "note recorded with the step")
	reason := fs.String("reason", "", "reason (reject, cancel)")
	amount := fs.String("amount", "", "amount paid out in yuan (complete)")
	purpose := fs.String("purpose", "", "why the full contact is needed (reveal)")
	from := fs.String("from", "", "first day YYYY-MM-DD (stats, export)")
	to := fs.String("to", "", "last day YYYY-MM-DD (stats, export)")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), doorstepUsage); fs.PrintDefaults() }
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if err := onlyFor(fs, sub, map[string][]string{
		"all": {"catalogue"}, "name": {"item-add", "submit"}, "theme": {"item-add", "list"},
		"streets": {"specialist-add"}, "themes": {"specialist-add"}, "phone": {"submit", "specialist-add"},
		"org": {"specialist-add"}, "max": {"specialist-add"}, "kind": {"submit"}, "contact": {"submit"},
		"address": {"submit"}, "street": {"submit", "list"}, "preferred": {"submit"}, "notes": {"submit"},
		"status": {"list"}, "open": {"list"}, "overdue": {"list"}, "specialist": {"list"},
		"note": {"accept", "visit", "assign", "complete"}, "reason": {"reject", "cancel"}, "amount": {"complete"},
		"purpose": {"reveal"}, "from": {"stats", "export"}, "to": {"stats", "export"},
	}); err != nil {
		return err
	}
	r, closeDB, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	s := r.doorstep
	id := func() (int64, error) {
		if len(pos) < 1 {
			return 0, &exitError{code: 2, msg: "usage: fuwu doorstep " + sub + " ID"}
		}
		n, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			// Accept the number residents see, too.
			q, err := s.GetByNumber(ctx, pos[0])
			if err != nil {
				return 0, explain(err)
			}
			return q.ID, nil
		}
		return n, nil
	}
	showRequest := func(q doorstep.Request) error {
		return c.print(q, func(w io.Writer) {
			fmt.Fprintf(w, "编号\t%s (id %d)\n状态\t%s\n申请人\t%s %s %s\n电话\t%s\n地址\t%s街道 %s\n事项\t%s %s（%s）\n", q.Number, q.ID, q.Status.Label(),
				q.Kind.Label(), q.Applicant, q.Contact, q.Phone, q.Street, q.Address, q.ItemID, q.ItemName, q.Theme)
			if q.Preferred != "" {
				fmt.Fprintf(w, "期望时间\t%s\n", q.Preferred)
			}
			if q.Notes != "" {
				fmt.Fprintf(w, "备注\t%s\n", q.Notes)
			}
			if q.SpecialistName != "" {
				fmt.Fprintf(w, "服务专员\t%s\n", q.SpecialistName)
			}
			if q.Reason != "" {
				fmt.Fprintf(w, "原因\t%s\n", q.Reason)
			}
			if q.Status == doorstep.Completed {
				fmt.Fprintf(w, "结果\t%s（发放 %s 元）\n", q.Outcome, doorstep.Yuan(q.AmountFen))
			}
			if q.Overdue {
				fmt.Fprintf(w, "超时\t应于 %s 前处理\n", q.DueAt.In(c.sf.location()).Format("2006-01-02 15:04"))
			}
		})
	}
	step := func(q doorstep.Request, err error) error {
		if err != nil {
			return explain(err)
		}
		return showRequest(q)
	}
	err = func() error {
		switch sub {
		case "sync":
			rep, err := s.SyncCatalogue(ctx, c.actor)
			if err != nil {
				return err
			}
			return c.print(rep, func(w io.Writer) {
				fmt.Fprintf(w, "added\t%d\nupdated\t%d\ndeactivated\t%d\n", rep.Added, rep.Updated, rep.Deactivated)
			})
		case "catalogue":
			groups, err := s.Catalogue(ctx, *all)
			if err != nil {
				return err
			}
			return c.print(groups, func(w io.Writer) {
				for _, g := range groups {
					fmt.Fprintf(w, "%s（%d）\n", g.Theme, len(g.Items))
					for _, it := range g.Items {
						mark := ""
						if !it.Active {
							mark = "（已下架）"
						}
						fmt.Fprintf(w, "  %s\t%s%s\t%s\n", it.ID, it.Name, mark, it.Source)
					}
				}
			})
		case "item-add":
			it := doorstep.Item{Name: *name, Theme: *theme}
			if len(pos) > 0 {
				it.ID = pos[0]
			}
			it, err := s.AddItem(ctx, it, c.actor)
			if err != nil {
				return explain(err)
			}
			return c.print(it, func(w io.Writer) { fmt.Fprintf(w, "%s\t%s\t%s\n", it.ID, it.Name, it.Theme) })
		case "item-off", "item-on":
			if err := need(pos, 1, "fuwu doorstep "+sub+" ID"); err != nil {
				return err
			}
			return explain(s.SetItemActive(ctx, pos[0], sub == "item-on", c.actor))
		case "specialists":
			sps, err := s.Specialists(ctx)
			if err != nil {
				return err
			}
			return c.print(sps, func(w io.Writer) {
				for _, sp := range sps {
					state := ""
					if !sp.Active {
						state = "（停用）"
					}
					fmt.Fprintf(w, "%d\t%s%s\t%s\t%s\t%s\t在办 %d/%d\n", sp.ID, sp.Name, state, sp.Phone, strings.Join(sp.Streets, "、"),
						strings.Join(sp.Themes, "、"), sp.Load, sp.MaxLoad)
				}
			})
		case "specialist-add":
			if err := need(pos, 1, "fuwu doorstep specialist-add NAME --streets … --themes …"); err != nil {
				return err
			}
			sp, err := s.AddSpecialist(ctx, doorstep.Specialist{Name: strings.Join(pos, " "), Org: *org, Phone: *phone,
				Streets: splitList(*streets), Themes: splitList(*themes), MaxLoad: *maxLoad})
			if err != nil {
				return explain(err)
			}
			return c.print(sp, func(w io.Writer) { fmt.Fprintf(w, "specialist %d added\n", sp.ID) })
		case "submit":
			if err := need(pos, 1, "fuwu doorstep submit ITEM --name N --phone M --address A"); err != nil {
				return err
			}
			k, err := doorstep.ParseKind(*kind)
			if err != nil {
				return err
			}
			return step(s.Submit(ctx, doorstep.NewRequest{Kind: k, Applicant: *name, Contact: *contact, Phone: *phone, Street: *street,
				Address: *address, ItemID: pos[0], Preferred: *preferred, Notes: *notes, Channel: "staff", Actor: c.actor}))
		case "list":
			list, err := s.List(ctx, doorstep.Filter{Status: doorstep.Status(*status), Open: *open, OverdueOnly: *overdue,
				Street: *street, Theme: *theme, SpecialistID: *specialist})
			if err != nil {
				return err
			}
			return c.print(list, func(w io.Writer) {
				for _, q := range list {
					flag := ""
					if q.Overdue {
						flag = "超时"
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", q.ID, q.Number, q.Status.Label(), flag, q.Applicant, q.Street, q.ItemName,
						q.SpecialistName, q.CreatedAt.In(c.sf.location()).Format("2006-01-02 15:04"))
				}
			})
		case "show":
			n, err := id()
			if err != nil {
				return err
			}
			q, err := s.Get(ctx, n)
			if err != nil {
				return explain(err)
			}
			hist, err := s.History(ctx, n)
			if err != nil {
				return err
			}
			if c.asJSON {
				return c.print(map[string]any{"request": q, "history": hist}, nil)
			}
			if err := showRequest(q); err != nil {
				return err
			}
			return c.print(hist, func(w io.Writer) {
				fmt.Fprintln(w)
				for _, e := range hist {
					fmt.Fprintf(w, "%s\t%s → %s\t%s\t%s\n", e.At.In(c.sf.location()).Format("2006-01-02 15:04:05"), e.From.Label(), e.To.Label(), e.Actor, e.Note)
				}
			})
		case "accept", "visit", "reject", "cancel", "dispatch", "complete":
			n, err := id()
			if err != nil {
				return err
			}
			switch sub {
			case "accept":
				return step(s.Accept(ctx, n, c.actor, *note))
			case "visit":
				return step(s.Visit(ctx, n, c.actor, *note))
			case "reject":
				return step(s.Reject(ctx, n, c.actor, *reason))
			case "cancel":
				return step(s.Cancel(ctx, n, c.actor, *reason))
			case "dispatch":
				return step(s.Dispatch(ctx, n, c.actor))
			}
			fen, err := doorstep.ParseYuan(*amount)
			if err != nil {
				return explain(err)
			}
			return step(s.Complete(ctx, n, c.actor, doorstep.Outcome{AmountFen: fen, Note: *note}))
		case "assign":
			if err := need(pos, 2, "fuwu doorstep assign ID SPECIALIST"); err != nil {
				return err
			}
			n, err := id()
			if err != nil {
				return err
			}
			sp, err := strconv.ParseInt(pos[1], 10, 64)
			if err != nil {
				return fmt.Errorf("specialist id %q: %w", pos[1], err)
			}
			return step(s.Assign(ctx, n, sp, c.actor, *note))
		case "suggest":
			n, err := id()
			if err != nil {
				return err
			}
			cands, err := s.Suggest(ctx, n)
			if err != nil {
				return explain(err)
			}
			return c.print(cands, func(w io.Writer) {
				if len(cands) == 0 {
					fmt.Fprintln(w, "没有负责该街道或该主题的服务专员")
				}
				for i, cd := range cands {
					best := ""
					if i == 0 && cd.Best() {
						best = "推荐"
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", cd.Specialist.ID, cd.Specialist.Name, best, cd.Reason)
				}
			})
		case "reveal":
			n, err := id()
			if err != nil {
				return err
			}
			if strings.TrimSpace(*purpose) == "" {
				return &exitError{code: 2, msg: "reveal needs --purpose (it is recorded)"}
			}
			ct, err := s.Reveal(ctx, n, c.actor, *purpose)
			if err != nil {
				return explain(err)
			}
			return c.print(ct, func(w io.Writer) { fmt.Fprintf(w, "电话\t%s\n地址\t%s\n", ct.Phone, ct.Address) })
		case "overdue":
			flagged, err := s.FlagOverdue(ctx)
			if err != nil {
				return err
			}
			return c.print(flagged, func(w io.Writer) {
				fmt.Fprintf(w, "%d newly overdue\n", len(flagged))
				for _, q := range flagged {
					fmt.Fprintf(w, "%d\t%s\t%s\t应于 %s 前处理\n", q.ID, q.Number, q.Status.Label(), q.DueAt.In(c.sf.location()).Format("2006-01-02 15:04"))
				}
			})
		case "stats":
			st, err := s.Stats(ctx, *from, *to)
			if err != nil {
				return explain(err)
			}
			return c.print(st, func(w io.Writer) {
				fmt.Fprintln(w, "\t申请\t在办\t超时\t办结\t居民\t企业\t不予受理\t取消\t发放金额（元）")
				row := func(r doorstep.Row) {
					fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", r.Key, r.Requests, r.Open, r.Overdue, r.Completed, r.Residents,
						r.Enterprises, r.Rejected, r.Cancelled, doorstep.Yuan(r.AmountFen))
				}
				row(st.All)
				for _, g := range [][]doorstep.Row{st.ByTheme, st.ByStreet, st.ByMonth} {
					fmt.Fprintln(w)
					for _, r := range g {
						row(r)
					}
				}
			})
		case "export":
			if err := need(pos, 1, "fuwu doorstep export FILE.xlsx [--from DAY] [--to DAY]"); err != nil {
				return err
			}
			tmp := pos[0] + ".tmp"
			f, err := os.Create(tmp)
			if err != nil {
				return err
			}
			if err := s.ExportExcel(ctx, f, *from, *to); err != nil {
				f.Close()
				os.Remove(tmp)
				return explain(err)
			}
			if err := f.Close(); err != nil {
				os.Remove(tmp)
				return err
			}
			if err := os.Rename(tmp, pos[0]); err != nil {
				return err
			}
			fmt.Fprintf(c.out, "wrote %s\n", pos[0])
			return nil
		}
		fs.Usage()
		return &exitError{code: 2, msg: "unknown subcommand " + sub}
	}()
	if err == nil && doorstepChanges[sub] {
		err = c.record(ctx, "doorstep."+sub, pos)
	}
	return err
}

// doorstepChanges are the subcommands written to the audit log.
var doorstepChanges = map[string]bool{"sync": true, "item-add": true, "item-off": true, "item-on": true,
	"specialist-add": true, "submit": true, "accept": true, "visit": true, "reject": true, "cancel": true,
	"dispatch": true, "assign": true, "complete": true, "reveal": true, "overdue": true, "export": true}

// serviceHelp prints a service command's usage when args ask for it (or are
// empty, which is a usage error) and reports whether it did.
func serviceHelp(name, usage string, args []string, std stdio) (bool, error) {
	if len(args) > 0 && args[0] != "-h" && args[0] != "--help" && args[0] != "help" {
		return false, nil
	}
	fmt.Fprintln(std.err, usage)
	fs := newFlags(name, std.err)
	var c serviceCmd
	c.bind(fs)
	fs.PrintDefaults()
	if len(args) == 0 {
		return true, &exitError{code: 2}
	}
	return true, nil
}
