package main

import (
	"context"
	"flag"
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

Flags shared by every subcommand (each subcommand's own: fuwu doorstep SUBCOMMAND -h):`

func runDoorstep(ctx context.Context, args []string, std stdio) error {
	return runServiceSubs(ctx, "doorstep", doorstepUsage, doorstepSubs, args, std)
}

// doorstepSubs are doorstep's subcommands; the audited ones change
// something (or open sealed data).
var doorstepSubs = map[string]serviceSub{
	"sync":           {doorstepSync, true},
	"catalogue":      {doorstepCatalogue, false},
	"item-add":       {doorstepItemAdd, true},
	"item-off":       {doorstepItemActive, true},
	"item-on":        {doorstepItemActive, true},
	"specialists":    {doorstepSpecialists, false},
	"specialist-add": {doorstepSpecialistAdd, true},
	"submit":         {doorstepSubmit, true},
	"list":           {doorstepList, false},
	"show":           {doorstepShow, false},
	"accept":         {doorstepNoted, true},
	"visit":          {doorstepNoted, true},
	"reject":         {doorstepWithReason, true},
	"cancel":         {doorstepWithReason, true},
	"dispatch":       {doorstepDispatch, true},
	"assign":         {doorstepAssign, true},
	"complete":       {doorstepComplete, true},
	"suggest":        {doorstepSuggest, false},
	"reveal":         {doorstepReveal, true},
	"overdue":        {doorstepOverdue, true},
	"stats":          {doorstepStats, false},
	"export":         {doorstepExport, true},
}

// doorstepOpen opens the store and returns the door-to-door service.
func doorstepOpen(ctx context.Context, c *serviceCmd) (*doorstep.Service, error) {
	r, err := c.open(ctx)
	if err != nil {
		return nil, err
	}
	return r.doorstep, nil
}

// requestID is the request a subcommand's first argument names: its id,
// or the number residents see.
func requestID(ctx context.Context, s *doorstep.Service, arg string) (int64, error) {
	n, err := strconv.ParseInt(arg, 10, 64)
	if err == nil {
		return n, nil
	}
	q, err := s.GetByNumber(ctx, arg)
	if err != nil {
		return 0, explain(err)
	}
	return q.ID, nil
}

// doorstepRequest parses a subcommand that acts on one request (its id
// first, then more positional arguments), opens the store and finds the
// request's id.
func doorstepRequest(ctx context.Context, c *serviceCmd, fs *flag.FlagSet, args []string, min int, argsUsage string) (*doorstep.Service, int64, error) {
	pos, err := c.parse(fs, args, min, argsUsage)
	if err != nil {
		return nil, 0, err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return nil, 0, err
	}
	n, err := requestID(ctx, s, pos[0])
	return s, n, err
}

func showRequest(c *serviceCmd, q doorstep.Request) error {
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

// step shows the request a step left, or explains why it was refused.
func step(c *serviceCmd, q doorstep.Request, err error) error {
	if err != nil {
		return explain(err)
	}
	return showRequest(c, q)
}

func doorstepSync(ctx context.Context, c *serviceCmd, args []string) error {
	if _, err := c.parse(c.flags(), args, 0, ""); err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
	rep, err := s.SyncCatalogue(ctx, c.actor)
	if err != nil {
		return err
	}
	return c.print(rep, func(w io.Writer) {
		fmt.Fprintf(w, "added\t%d\nupdated\t%d\ndeactivated\t%d\n", rep.Added, rep.Updated, rep.Deactivated)
	})
}

func doorstepCatalogue(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	all := fs.Bool("all", false, "include inactive items")
	if _, err := c.parse(fs, args, 0, "[--all]"); err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
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
}

func doorstepItemAdd(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	name := fs.String("name", "", "item name (a new item)")
	theme := fs.String("theme", "", "theme (a new item)")
	pos, err := c.parse(fs, args, 0, "[ID] [--name N --theme T]")
	if err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
	it := doorstep.Item{Name: *name, Theme: *theme}
	if len(pos) > 0 {
		it.ID = pos[0]
	}
	it, err = s.AddItem(ctx, it, c.actor)
	if err != nil {
		return explain(err)
	}
	return c.print(it, func(w io.Writer) { fmt.Fprintf(w, "%s\t%s\t%s\n", it.ID, it.Name, it.Theme) })
}

// doorstepItemActive is item-on and item-off.
func doorstepItemActive(ctx context.Context, c *serviceCmd, args []string) error {
	pos, err := c.parse(c.flags(), args, 1, "ID")
	if err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
	return explain(s.SetItemActive(ctx, pos[0], c.sub == "item-on", c.actor))
}

func doorstepSpecialists(ctx context.Context, c *serviceCmd, args []string) error {
	if _, err := c.parse(c.flags(), args, 0, ""); err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
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
}

func doorstepSpecialistAdd(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	streets := fs.String("streets", "", "streets covered, comma-separated")
	themes := fs.String("themes", "", "themes handled, comma-separated")
	phone := fs.String("phone", "", "mobile number")
	org := fs.String("org", "", "unit")
	maxLoad := fs.Int("max", 0, "most open requests at once, 0 = no limit")
	pos, err := c.parse(fs, args, 1, "NAME --streets … --themes … [--phone M] [--org O] [--max N]")
	if err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
	sp, err := s.AddSpecialist(ctx, doorstep.Specialist{Name: strings.Join(pos, " "), Org: *org, Phone: *phone,
		Streets: splitList(*streets), Themes: splitList(*themes), MaxLoad: *maxLoad})
	if err != nil {
		return explain(err)
	}
	return c.print(sp, func(w io.Writer) { fmt.Fprintf(w, "specialist %d added\n", sp.ID) })
}

func doorstepSubmit(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	name := fs.String("name", "", "applicant: a person's or an enterprise's name")
	phone := fs.String("phone", "", "mobile number")
	kind := fs.String("kind", "个人", "个人 or 企业")
	contact := fs.String("contact", "", "contact person of an enterprise")
	address := fs.String("address", "", "address to visit")
	street := fs.String("street", "", "street (default: read from the address)")
	preferred := fs.String("preferred", "", "preferred time")
	notes := fs.String("notes", "", "notes")
	pos, err := c.parse(fs, args, 1, "ITEM --name N --phone M --address A [--kind 企业 --contact C] [--street S] [--preferred P] [--notes T]")
	if err != nil {
		return err
	}
	k, err := doorstep.ParseKind(*kind)
	if err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
	q, err := s.Submit(ctx, doorstep.NewRequest{Kind: k, Applicant: *name, Contact: *contact, Phone: *phone, Street: *street,
		Address: *address, ItemID: pos[0], Preferred: *preferred, Notes: *notes, Channel: "staff", Actor: c.actor})
	return step(c, q, err)
}

func doorstepList(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	status := fs.String("status", "", "only requests in this status")
	open := fs.Bool("open", false, "only requests not yet closed")
	overdue := fs.Bool("overdue", false, "only overdue requests")
	street := fs.String("street", "", "only this street")
	theme := fs.String("theme", "", "only this theme")
	specialist := fs.Int64("specialist", 0, "only this specialist's requests")
	if _, err := c.parse(fs, args, 0, "[--status S] [--open] [--overdue] [--street S] [--theme T] [--specialist ID]"); err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
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
}

func doorstepShow(ctx context.Context, c *serviceCmd, args []string) error {
	s, n, err := doorstepRequest(ctx, c, c.flags(), args, 1, "ID")
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
	if err := showRequest(c, q); err != nil {
		return err
	}
	return c.print(hist, func(w io.Writer) {
		fmt.Fprintln(w)
		for _, e := range hist {
			fmt.Fprintf(w, "%s\t%s → %s\t%s\t%s\n", e.At.In(c.sf.location()).Format("2006-01-02 15:04:05"), e.From.Label(), e.To.Label(), e.Actor, e.Note)
		}
	})
}

// doorstepNoted is accept and visit: a step with an optional note.
func doorstepNoted(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	note := fs.String("note", "", "note recorded with the step")
	s, n, err := doorstepRequest(ctx, c, fs, args, 1, "ID [--note T]")
	if err != nil {
		return err
	}
	if c.sub == "visit" {
		q, err := s.Visit(ctx, n, c.actor, *note)
		return step(c, q, err)
	}
	q, err := s.Accept(ctx, n, c.actor, *note)
	return step(c, q, err)
}

// doorstepWithReason is reject and cancel: a step that needs a reason.
func doorstepWithReason(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	reason := fs.String("reason", "", "reason")
	s, n, err := doorstepRequest(ctx, c, fs, args, 1, "ID --reason R")
	if err != nil {
		return err
	}
	if c.sub == "cancel" {
		q, err := s.Cancel(ctx, n, c.actor, *reason)
		return step(c, q, err)
	}
	q, err := s.Reject(ctx, n, c.actor, *reason)
	return step(c, q, err)
}

func doorstepDispatch(ctx context.Context, c *serviceCmd, args []string) error {
	s, n, err := doorstepRequest(ctx, c, c.flags(), args, 1, "ID")
	if err != nil {
		return err
	}
	q, err := s.Dispatch(ctx, n, c.actor)
	return step(c, q, err)
}

func doorstepAssign(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	note := fs.String("note", "", "note recorded with the step")
	s, n, err := doorstepRequest(ctx, c, fs, args, 2, "ID SPECIALIST [--note T]")
	if err != nil {
		return err
	}
	sp, err := strconv.ParseInt(c.pos[1], 10, 64)
	if err != nil {
		return fmt.Errorf("specialist id %q: %w", c.pos[1], err)
	}
	q, err := s.Assign(ctx, n, sp, c.actor, *note)
	return step(c, q, err)
}

func doorstepComplete(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	amount := fs.String("amount", "", "amount paid out in yuan")
	note := fs.String("note", "", "note recorded with the step")
	s, n, err := doorstepRequest(ctx, c, fs, args, 1, "ID [--amount YUAN] [--note T]")
	if err != nil {
		return err
	}
	fen, err := doorstep.ParseYuan(*amount)
	if err != nil {
		return explain(err)
	}
	q, err := s.Complete(ctx, n, c.actor, doorstep.Outcome{AmountFen: fen, Note: *note})
	return step(c, q, err)
}

func doorstepSuggest(ctx context.Context, c *serviceCmd, args []string) error {
	s, n, err := doorstepRequest(ctx, c, c.flags(), args, 1, "ID")
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
}

func doorstepReveal(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	purpose := fs.String("purpose", "", "why the full contact is needed (recorded)")
	if _, err := c.parse(fs, args, 1, "ID --purpose WHY"); err != nil {
		return err
	}
	if strings.TrimSpace(*purpose) == "" {
		return &exitError{code: 2, msg: "reveal needs --purpose (it is recorded)"}
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
	n, err := requestID(ctx, s, c.pos[0])
	if err != nil {
		return err
	}
	ct, err := s.Reveal(ctx, n, c.actor, *purpose)
	if err != nil {
		return explain(err)
	}
	return c.print(ct, func(w io.Writer) { fmt.Fprintf(w, "电话\t%s\n地址\t%s\n", ct.Phone, ct.Address) })
}

func doorstepOverdue(ctx context.Context, c *serviceCmd, args []string) error {
	if _, err := c.parse(c.flags(), args, 0, ""); err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
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
}

func doorstepStats(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	from, to := dayRangeFlags(fs)
	if _, err := c.parse(fs, args, 0, "[--from DAY] [--to DAY]"); err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
		return err
	}
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
}

func doorstepExport(ctx context.Context, c *serviceCmd, args []string) error {
	fs := c.flags()
	from, to := dayRangeFlags(fs)
	pos, err := c.parse(fs, args, 1, "FILE.xlsx [--from DAY] [--to DAY]")
	if err != nil {
		return err
	}
	s, err := doorstepOpen(ctx, c)
	if err != nil {
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
