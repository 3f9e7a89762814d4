package main

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// policyChat is the chat's eligibility dialogue (assistant.Benefits) over
// the live policy set: it reads what the resident said with the field
// schema and checks it like the self-check page. Nothing is stored; the
// facts travel sealed in the dialogue state.
type policyChat struct {
	live *policy.Live
	keys *privacy.Keys
	now  func() policy.Day
}

var _ assistant.Benefits = (*policyChat)(nil)

// genericBigrams are pairs of characters that many policy titles share:
// they count for half in Find, and never alone.
var genericBigrams = map[string]bool{"补贴": true, "津贴": true, "补助": true, "政策": true, "救助": true, "资助": true,
	"奖励": true, "业补": true, "人员": true, "企业": true, "老人": true}

func bigrams(s string) map[string]bool {
	rs := []rune(s)
	out := map[string]bool{}
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

// InForce implements assistant.Benefits.
func (c *policyChat) InForce(target string) bool {
	t, err := policy.ParseTarget(target)
	return err == nil && len(c.live.Questions(t, c.now())) > 0
}

// Find implements assistant.Benefits: the in-force policies whose titles
// share the most distinctive pairs of characters with the text.
func (c *policyChat) Find(text string) []assistant.BenefitPolicy {
	said := bigrams(text)
	asOf := c.now()
	type scored struct {
		p     assistant.BenefitPolicy
		score float64
	}
	var best []scored
	for _, cp := range c.live.Set().Policies {
		if !cp.InForce(asOf) {
			continue
		}
		score, distinct := 0.0, false
		for b := range bigrams(cp.Policy.Title) {
			switch {
			case !said[b]:
			case genericBigrams[b]:
				score += 0.5
			default:
				score++
				distinct = true
			}
		}
		if distinct && score >= 1.5 {
			best = append(best, scored{assistant.BenefitPolicy{ID: cp.Policy.ID, Title: cp.Policy.Title, Target: string(cp.Policy.Target), Item: cp.Policy.Item}, score})
		}
	}
	sort.SliceStable(best, func(i, j int) bool { return best[i].score > best[j].score })
	var out []assistant.BenefitPolicy
	for _, s := range best {
		if s.score < best[0].score {
			break
		}
		out = append(out, s.p)
	}
	return out
}

// negated is a yes/no fact said the other way: 不独居, 没有低保, 非深户.
var negated = regexp.MustCompile(`(不|没|没有|非|未)$`)

// Facts implements assistant.Benefits: a yes/no field whose label the
// message says ("独居", "退役军人", "特困人员") is a yes, unless negated,
// or unless it is part of a policy's name the message says ("能申请独居
// 老人紧急呼叫设备吗" asks whether, it does not say so).
func (c *policyChat) Facts(target, text string) map[string]string {
	out := map[string]string{}
	t, err := policy.ParseTarget(target)
	if err != nil {
		return out
	}
	for _, f := range c.live.Schema().Fields(t) {
		if f.Type != policy.TypeBool || len([]rune(f.Label)) < 2 || c.inTitle(text, f.Label) {
			continue
		}
		if i := strings.Index(text, f.Label); i >= 0 {
			if negated.MatchString(text[:i]) {
				out[f.Key] = "否"
			} else {
				out[f.Key] = "是"
			}
		}
	}
	return out
}

// inTitle reports whether label occurs in text as part of a policy title:
// with up to two of the title's characters on either side of it.
func (c *policyChat) inTitle(text, label string) bool {
	for _, cp := range c.live.Set().Policies {
		title := []rune(cp.Policy.Title)
		i := strings.Index(cp.Policy.Title, label)
		if i < 0 {
			continue
		}
		at := len([]rune(cp.Policy.Title[:i]))
		from, to := max(0, at-2), min(len(title), at+len([]rune(label))+2)
		if (from < at || to > at+len([]rune(label))) && strings.Contains(text, string(title[from:to])) {
			return true
		}
	}
	return false
}

// ageAnswer is an age said for a birth date: 85, 85岁, 85周岁.
var ageAnswer = regexp.MustCompile(`^(\d{1,3})\s*(?:周岁|岁)?$`)

// birthField is the target's birth date: the first date field whose label
// says 出生.
func birthField(s policy.Schema, t policy.Target) string {
	for _, f := range s.Fields(t) {
		if f.Type == policy.TypeDate && strings.Contains(f.Label, "出生") {
			return f.Key
		}
	}
	return ""
}

// Check implements assistant.Benefits.
func (c *policyChat) Check(_ context.Context, target string, facts map[string]string, ids []string) (assistant.BenefitCheck, error) {
	t, err := policy.ParseTarget(target)
	if err != nil {
		return assistant.BenefitCheck{}, err
	}
	asOf := c.now()
	schema := c.live.Schema()
	birth := birthField(schema, t)
	out := assistant.BenefitCheck{AsOf: asOf.Chinese(), Problems: map[string]string{}}
	answers := map[string]any{}
	for k, v := range facts {
		key := k
		if m := ageAnswer.FindStringSubmatch(strings.TrimSpace(v)); m != nil && birth != "" && (k == assistant.FactAge || k == birth) {
			age, _ := strconv.Atoi(m[1])
			if age > 130 {
				out.Problems[k] = "年龄似乎不对。"
				continue
			}
			v, key = policy.BirthDayForAge(age, asOf).String(), birth
		} else if k == assistant.FactAge {
			continue
		}
		val, err := schema.Parse(t, key, v)
		if err != nil {
			out.Problems[k] = "没有读懂这个回答。"
			continue
		}
		if val == nil {
			continue
		}
		answers[key] = val
		if s := fmt.Sprint(val); len([]rune(s)) >= 3 {
			out.Values = append(out.Values, s)
		}
	}
	res, err := c.live.Check(t, answers, asOf, ids...)
	if err != nil {
		return out, err
	}
	labels := schema.Labeler(t)
	conv := func(list []policy.Checked) []assistant.BenefitResult {
		var rs []assistant.BenefitResult
		for _, ch := range list {
			p := ch.Policy
			r := assistant.BenefitResult{PolicyID: p.ID, Title: p.Title, Issuer: p.Issuer, DocNo: p.DocNo, ItemID: p.Item,
				Summary: ch.Explanation.Summary, Auto: p.Mode == policy.Auto}
			if ch.Match.Amount != nil {
				r.Amount = policy.AmountText(*ch.Match.Amount, p.Benefit)
			}
			if ch.Match.ExcludedBy != "" {
				r.ExcludedBy = ch.Match.ExcludedBy
				if ex, ok := c.live.Set().Lookup(ch.Match.ExcludedBy); ok {
					r.ExcludedBy = ex.Policy.Title
				}
			}
			for i, cr := range ch.Match.Conditions {
				bc := assistant.BenefitCondition{Label: cr.Label, Result: string(cr.Result)}
				if i < len(p.Conditions) {
					bc.Clause = p.Conditions[i].Clause
				}
				r.Conditions = append(r.Conditions, bc)
			}
			for _, f := range ch.Explanation.Missing {
				r.Needs = append(r.Needs, labels(f))
			}
			rs = append(rs, r)
		}
		return rs
	}
	out.Eligible, out.Possible, out.Ineligible = conv(res.Eligible), conv(res.Possible), conv(res.Ineligible)
	for _, q := range res.Ask {
		out.Ask = append(out.Ask, assistant.BenefitQuestion{Key: q.Key, Text: q.Ask(), Type: string(q.Type), Unit: q.Unit,
			Options: q.Options, Birth: q.Key == birth})
	}
	return out, nil
}

// Seal implements assistant.Benefits.
func (c *policyChat) Seal(plain string) (string, error) { return c.keys.Seal(plain) }

// Open implements assistant.Benefits.
func (c *policyChat) Open(sealed string) (string, error) { return c.keys.Open(sealed) }
