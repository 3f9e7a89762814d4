// Package policy holds benefit policies (惠民惠企政策) whose conditions a
// machine can evaluate, and matches them against registry profiles: for
// each condition pass, fail or unknown, for each policy eligible, possible
// or ineligible with the amount, which of several policies that may not be
// combined applies, and what would change the result.
//
// The exchange format (policies.jsonl, profiles.jsonl) and the output of
// "fuwu policy match" are fixed by ../shared/policy/README.md. Conditions
// are expressions in the syntax of github.com/expr-lang/expr, compiled once
// per policy set and run for every profile; the date helpers take the
// as-of day of the match, never the clock.
//
// The package also keeps the policy library in the store (draft → review
// → published, like service items), the field schema that says how staff
// and residents read each field, and the live set of published policies
// that self-checks and the chat evaluate.
package policy

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Target is the kind of profile a policy applies to.
type Target string

const (
	Person     Target = "person"
	Enterprise Target = "enterprise"
)

// Targets lists both kinds in display order.
var Targets = []Target{Person, Enterprise}

// ParseTarget accepts the English names and 个人/居民/企业/法人.
func ParseTarget(s string) (Target, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "person", "个人", "居民", "自然人":
		return Person, nil
	case "enterprise", "企业", "法人", "单位":
		return Enterprise, nil
	}
	return "", fmt.Errorf("kind %q: want person or enterprise", s)
}

// Label is the kind as staff read it.
func (t Target) Label() string {
	if t == Enterprise {
		return "企业"
	}
	return "个人"
}

// Mode says how a matched beneficiary gets the benefit.
type Mode string

const (
	// Auto is 免申即享: granted without an application once staff approve
	// the computed list.
	Auto Mode = "auto"
	// Apply: the beneficiary must apply (through Policy.Item).
	Apply Mode = "apply"
)

// Label is the mode as staff and residents read it.
func (m Mode) Label() string {
	if m == Auto {
		return "免申即享"
	}
	return "依申请"
}

// Condition is one requirement of a policy; all must hold.
type Condition struct {
	Label  string `json:"label"`            // what a person reads: 年满80周岁
	Expr   string `json:"expr"`             // expr-lang expression over the profile's fields
	Clause string `json:"clause,omitempty"` // where the document says so: 第三条
}

// Benefit is what a policy gives: Expr evaluates to yuan, Unit says per
// what (元/月, 元/人, 元).
type Benefit struct {
	Label string `json:"label,omitempty"`
	Expr  string `json:"expr"`
	Unit  string `json:"unit,omitempty"`
}

// Policy is one policy in the exchange format. Keys the format does not
// name survive a round trip in Extra.
type Policy struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	Issuer     string      `json:"issuer,omitempty"`
	DocNo      string      `json:"doc_no,omitempty"` // 文号 as printed: 福民〔2024〕3号
	Target     Target      `json:"target"`
	Mode       Mode        `json:"mode"`
	Item       string      `json:"item,omitempty"` // service item to apply through (FT-…)
	Effective  string      `json:"effective,omitempty"`
	Expires    string      `json:"expires,omitempty"`
	Conditions []Condition `json:"conditions"`
	Benefit    *Benefit    `json:"benefit,omitempty"`
	Exclusive  string      `json:"exclusive,omitempty"` // group of policies not combined (不与…叠加享受)

	Extra map[string]json.RawMessage `json:"-"`
}

var policyKeys = map[string]bool{"id": true, "title": true, "issuer": true, "doc_no": true, "target": true, "mode": true,
	"item": true, "effective": true, "expires": true, "conditions": true, "benefit": true, "exclusive": true}

type policyJSON Policy

// UnmarshalJSON decodes a policy, keeping unknown keys in Extra.
func (p *Policy) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var v policyJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = Policy(v)
	for k, val := range raw {
		if !policyKeys[k] {
			if p.Extra == nil {
				p.Extra = map[string]json.RawMessage{}
			}
			p.Extra[k] = val
		}
	}
	return nil
}

// MarshalJSON encodes a policy with its unknown keys.
func (p Policy) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(policyJSON(p))
	if err != nil || len(p.Extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range p.Extra {
		if _, known := m[k]; !known {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// Validate checks everything about a policy except its expressions (see
// Compile): identity, target, mode, dates. It fills the defaults: mode
// apply, a condition's label from its expression.
func (p *Policy) Validate() error {
	var problems []string
	p.ID = strings.TrimSpace(p.ID)
	switch {
	case p.ID == "":
		problems = append(problems, "id is empty")
	case strings.ContainsAny(p.ID, " \t\r\n/?#,:"):
		problems = append(problems, fmt.Sprintf("id %q contains spaces or the characters / ? # , :", p.ID))
	case len(p.ID) > 64:
		problems = append(problems, "id is longer than 64 characters")
	}
	if strings.TrimSpace(p.Title) == "" {
		problems = append(problems, "title is empty")
	}
	switch p.Target {
	case Person, Enterprise:
	case "":
		problems = append(problems, "target is missing (person or enterprise)")
	default:
		problems = append(problems, fmt.Sprintf("target %q: want person or enterprise", p.Target))
	}
	switch p.Mode {
	case Auto, Apply:
	case "":
		p.Mode = Apply
	default:
		problems = append(problems, fmt.Sprintf("mode %q: want auto or apply", p.Mode))
	}
	var eff, exp Day
	var err error
	if p.Effective != "" {
		if eff, err = ParseDay(p.Effective); err != nil {
			problems = append(problems, "effective: "+err.Error())
		}
	}
	if p.Expires != "" {
		if exp, err = ParseDay(p.Expires); err != nil {
			problems = append(problems, "expires: "+err.Error())
		}
	}
	if !eff.IsZero() && !exp.IsZero() && exp.Before(eff) {
		problems = append(problems, fmt.Sprintf("expires %s is before effective %s", p.Expires, p.Effective))
	}
	for i := range p.Conditions {
		c := &p.Conditions[i]
		if strings.TrimSpace(c.Expr) == "" {
			problems = append(problems, fmt.Sprintf("condition %d has no expr", i+1))
		}
		if strings.TrimSpace(c.Label) == "" {
			c.Label = c.Expr
		}
	}
	if p.Benefit != nil && strings.TrimSpace(p.Benefit.Expr) == "" {
		problems = append(problems, "benefit has no expr")
	}
	if len(problems) > 0 {
		return fmt.Errorf("policy %s: %s", orUnnamed(p.ID), strings.Join(problems, "; "))
	}
	return nil
}

func orUnnamed(id string) string {
	if id == "" {
		return "(no id)"
	}
	return id
}

// Window is the days a policy is in force; a zero end is open.
func (p *Policy) Window() (from, to Day) {
	from, _ = ParseDay(p.Effective)
	to, _ = ParseDay(p.Expires)
	return from, to
}

// InForce reports whether the policy applies on day asOf (its effective
// and expiry days included).
func (p *Policy) InForce(asOf Day) bool {
	from, to := p.Window()
	return inWindow(from, to, asOf)
}

func inWindow(from, to, asOf Day) bool {
	return (from.IsZero() || !asOf.Before(from)) && (to.IsZero() || !to.Before(asOf))
}

// Profile is one person or enterprise: its id, its kind and every field
// the conditions may read. A field that is absent, or nil, is unknown.
type Profile struct {
	ID     string
	Kind   Target
	Fields map[string]any // every key of the profile, id and kind included
}

// Known reports whether the profile has a value for field.
func (p *Profile) Known(field string) bool { return p.Fields[field] != nil }
