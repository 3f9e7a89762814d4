package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/eligibility"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// PolicyServices are the policy parts the web shows: the library (review and
// publish), the live set the self-check evaluates, and the stored results
// behind 政策找人, 免申即享 batches and their statistics.
type PolicyServices struct {
	Library *policy.Library
	Live    *policy.Live
	Results *eligibility.Service
}

// errCheckTarget: the self-check is for 个人 or 企业.
var errCheckTarget = refusal.Bad("policy", "check_target", "请选择“个人”或“企业”。")

// policyCheckData is the 政策计算器 page.
type policyCheckData struct {
	Targets   []policy.Target
	Target    policy.Target // "" until one is chosen
	Questions []checkQuestion
	Result    *checkOutcome
	AsOf      policy.Day
}

// checkQuestion is one field the page asks, with what was typed (shown
// back in this response only, never stored).
type checkQuestion struct {
	policy.Question
	Value   string
	Problem string
}

// Input is the HTML input type for the field.
func (q checkQuestion) Input() string {
	switch q.Type {
	case policy.TypeDate:
		return "date"
	case policy.TypeBool:
		return "bool"
	case policy.TypeChoice:
		return "choice"
	}
	return "text"
}

// checkOutcome is a self-check's result as the page shows it.
type checkOutcome struct {
	Eligible   []checkedPolicy
	Possible   []checkedPolicy
	Ineligible []checkedPolicy
	Answered   int
}

// checkedPolicy is one policy's verdict with what the page shows of it.
type checkedPolicy struct {
	policy.Checked
	Amount     string
	Excluded   string // the policy of its exclusive group that applies instead
	Conditions []checkedCondition
	Needs      []string // labels of the facts still missing
	Item       *itemData
}

type checkedCondition struct {
	Label, Clause string
	Result        policy.Result
}

func (s *Server) policyCheckPage(w http.ResponseWriter, r *http.Request) error {
	d := policyCheckData{Targets: policy.Targets, AsOf: policy.DayOf(s.now())}
	if t := r.URL.Query().Get("target"); t != "" {
		target, err := policy.ParseTarget(t)
		if err != nil {
			return errCheckTarget
		}
		d.Target = target
		for _, q := range s.cfg.Policy.Live.Questions(target, d.AsOf) {
			d.Questions = append(d.Questions, checkQuestion{Question: q})
		}
	}
	s.renderPolicyCheck(w, r, http.StatusOK, d)
	return nil
}

func (s *Server) renderPolicyCheck(w http.ResponseWriter, r *http.Request, status int, d policyCheckData) {
	p := s.page(r, "政策计算器", d)
	s.render(w, r, status, "policy_check.html", p)
}

// policyCheckSubmit evaluates the answers. Nothing typed is stored or
// logged: the answers live in this request and the page it returns.
func (s *Server) policyCheckSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm
	}
	target, err := policy.ParseTarget(r.PostForm.Get("target"))
	if err != nil {
		return errCheckTarget
	}
	live := s.cfg.Policy.Live
	schema := live.Schema()
	d := policyCheckData{Targets: policy.Targets, Target: target, AsOf: policy.DayOf(s.now())}
	answers := map[string]any{}
	bad := 0
	for _, q := range live.Questions(target, d.AsOf) {
		cq := checkQuestion{Question: q, Value: strings.TrimSpace(r.PostForm.Get("f_" + q.Key))}
		if cq.Value == "不清楚" {
			cq.Value = ""
		}
		v, err := schema.Parse(target, q.Key, cq.Value)
		switch {
		case err != nil:
			cq.Problem = checkProblem(q.Field)
			bad++
		case v != nil:
			answers[q.Key] = v
		}
		d.Questions = append(d.Questions, cq)
	}
	if bad > 0 {
		p := s.page(r, "政策计算器", d)
		p.Error = "有的回答没有看懂，请按提示改一下（不清楚的可以留空）。"
		s.render(w, r, http.StatusUnprocessableEntity, "policy_check.html", p)
		return nil
	}
	res, err := live.Check(target, answers, d.AsOf)
	if err != nil {
		return broken("暂时无法计算，请稍后再试，或拨打 12345 政务服务便民热线。", fmt.Errorf("policy self-check (%s): %w", target, err))
	}
	out := &checkOutcome{Answered: len(answers)}
	labels := schema.Labeler(target)
	for _, list := range []struct {
		in  []policy.Checked
		out *[]checkedPolicy
	}{{res.Eligible, &out.Eligible}, {res.Possible, &out.Possible}, {res.Ineligible, &out.Ineligible}} {
		for _, c := range list.in {
			*list.out = append(*list.out, s.checkedPolicy(r.Context(), c, labels))
		}
	}
	// The closest first: the possible policies that need the fewest facts.
	sort.SliceStable(out.Possible, func(i, j int) bool { return len(out.Possible[i].Needs) < len(out.Possible[j].Needs) })
	d.Result = out
	s.renderPolicyCheck(w, r, http.StatusOK, d)
	return nil
}

// checkProblem is how to answer a field the page could not read.
func checkProblem(f policy.Field) string {
	switch f.Type {
	case policy.TypeDate:
		return "请填写日期，如 1950-03-02。"
	case policy.TypeNumber:
		if f.Unit != "" {
			return "请填写数字（单位：" + f.Unit + "），如 3 或 1.2万。"
		}
		return "请填写数字，如 3 或 1.2万。"
	case policy.TypeBool:
		return "请选择“是”或“否”。"
	case policy.TypeChoice:
		return "请从选项中选择一项。"
	}
	return "请重新填写。"
}

// checkedPolicy dresses one verdict for the page: its amount, its
// conditions with their clauses, what is missing, and the item to apply
// through with its route.
func (s *Server) checkedPolicy(ctx context.Context, c policy.Checked, labels policy.Labeler) checkedPolicy {
	cp := checkedPolicy{Checked: c, Excluded: c.Match.ExcludedBy}
	if c.Match.Amount != nil {
		cp.Amount = policy.AmountText(*c.Match.Amount, c.Policy.Benefit)
	}
	for i, cr := range c.Match.Conditions {
		cc := checkedCondition{Label: cr.Label, Result: cr.Result}
		if i < len(c.Policy.Conditions) {
			cc.Clause = c.Policy.Conditions[i].Clause
		}
		cp.Conditions = append(cp.Conditions, cc)
	}
	for _, f := range c.Explanation.Missing {
		cp.Needs = append(cp.Needs, labels(f))
	}
	if c.Policy.Item != "" && c.Match.Status != policy.Ineligible {
		if d, err := s.itemRoute(ctx, c.Policy.Item); err == nil {
			cp.Item = d
		} else if !errors.Is(err, kb.ErrNotFound) {
			slog.WarnContext(ctx, "policy item route", "item", c.Policy.Item, "err", err)
		}
	}
	return cp
}

// itemRoute is what the item page shows of the way to apply: online link,
// halls with their hours and booking links, door-to-door service — the
// route the assistant gives with an answer.
func (s *Server) itemRoute(ctx context.Context, id string) (*itemData, error) {
	rec, err := s.cfg.KB.Item(ctx, id)
	if err == nil && rec.Status != kb.Published {
		err = kb.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	d := &itemData{Item: rec.Item.Public()}
	for _, hid := range rec.Item.Offline.Halls {
		if h, err := s.cfg.KB.Hall(ctx, hid); err == nil {
			d.Halls = append(d.Halls, h)
		}
	}
	if s.cfg.Booking != nil {
		if ids, err := s.cfg.Booking.HallsFor(ctx, id); err == nil {
			d.Bookable = map[string]bool{}
			for _, hid := range ids {
				d.Bookable[hid] = true
			}
		}
	}
	if s.cfg.Doorstep != nil {
		_, err := s.cfg.Doorstep.CatalogueItem(ctx, id)
		d.Doorstep = err == nil
	}
	return d, nil
}
