package registry

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/policy"
)

// The fields a column can fill besides the attributes conditions read.
const (
	FieldID        = "id"        // the source's own number for the profile; the key when mapped
	FieldName      = "name"      // a person's name (sealed) or an enterprise's
	FieldIDNumber  = "id_number" // 公民身份号码, GB 11643 (persons; the key when no id)
	FieldUSCC      = "uscc"      // 统一社会信用代码, GB 32100 (enterprises; the key when no id)
	FieldPhone     = "phone"     // sealed
	FieldAddress   = "address"   // sealed
	FieldStreet    = "street"
	FieldCommunity = "community"
)

// specialHeaders are the usual Chinese headers of the special fields.
var specialHeaders = map[string][]string{
	FieldID:        {"编号", "人员编号", "企业编号", "档案编号", "profile_id"},
	FieldName:      {"姓名", "名称", "企业名称", "单位名称", "市场主体名称"},
	FieldIDNumber:  {"身份证号", "身份证号码", "公民身份号码", "证件号码", "居民身份证号"},
	FieldUSCC:      {"统一社会信用代码", "信用代码", "社会信用代码"},
	FieldPhone:     {"联系电话", "电话", "手机", "手机号", "手机号码", "联系方式"},
	FieldAddress:   {"地址", "住址", "居住地址", "现住址", "经营地址", "注册地址", "住所"},
	FieldStreet:    {"街道", "所属街道"},
	FieldCommunity: {"社区", "所属社区"},
}

func isSpecial(f string) bool { _, ok := specialHeaders[f]; return ok }

// Column maps one column of a file (a CSV or sheet header, or a JSONL
// key) to a field. Type says how to read it (default: the schema's type
// for the field, else as written); Unit is the file's unit, converted to
// the schema's unit for the field (万元 in the file, 元 in the schema:
// multiplied by 10 000).
type Column struct {
	Column string           `json:"column"`
	Field  string           `json:"field"`
	Type   policy.FieldType `json:"type,omitempty"`
	Unit   string           `json:"unit,omitempty"`
}

// Mapping is how a file's columns become a profile.
type Mapping struct {
	Kind    policy.Target `json:"kind"`
	Columns []Column      `json:"columns"`
}

// ReadMapping reads a mapping as JSON:
//
//	{"kind":"person","columns":[{"column":"出生日期","field":"birth_date","type":"date"},
//	  {"column":"月收入（万元）","field":"income","type":"number","unit":"万元"}]}
func ReadMapping(r io.Reader) (Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("field mapping: %w", err)
	}
	if m.Kind != "" && m.Kind != policy.Person && m.Kind != policy.Enterprise {
		return m, fmt.Errorf("field mapping: kind %q: want person or enterprise", m.Kind)
	}
	for i, c := range m.Columns {
		if strings.TrimSpace(c.Column) == "" || strings.TrimSpace(c.Field) == "" {
			return m, fmt.Errorf("field mapping: column %d needs both column and field", i+1)
		}
		if !isSpecial(c.Field) && !policy.ValidFieldKey(c.Field) {
			return m, fmt.Errorf("field mapping: field %q must be letters, digits and _", c.Field)
		}
	}
	return m, nil
}

// normHeader compares headers without spaces, required-field stars and
// what is in brackets (出生日期（年月日） is 出生日期); the bracketed text
// comes back as a unit when it reads as one (月收入（元） → 元).
func normHeader(h string) (name, unit string) {
	h = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), "*"))
	h = strings.TrimPrefix(h, "\ufeff")
	for _, br := range [][2]string{{"（", "）"}, {"(", ")"}, {"[", "]"}} {
		if i := strings.Index(h, br[0]); i > 0 {
			if j := strings.Index(h[i:], br[1]); j > 0 {
				inner := h[i+len(br[0]) : i+j]
				if _, _, ok := splitUnit(inner); ok {
					unit = inner
				}
				h = h[:i] + h[i+j+len(br[1]):]
			}
		}
	}
	return strings.ToLower(strings.Join(strings.Fields(h), "")), unit
}

// AutoMapping maps the headers it recognises: the special fields by their
// usual Chinese names, the schema's fields by label or key. Headers it
// does not recognise are returned so the report can name them.
func AutoMapping(kind policy.Target, schema policy.Schema, header []string) (Mapping, []string) {
	m := Mapping{Kind: kind}
	var unknown []string
	used := map[string]bool{}
	for _, h := range header {
		name, unit := normHeader(h)
		if name == "" {
			continue
		}
		field := ""
		for f, aliases := range specialHeaders {
			if name == f || containsNorm(aliases, name) {
				field = f
			}
		}
		var typ policy.FieldType
		if field == "" {
			for _, f := range schema.Fields(kind) {
				if n, _ := normHeader(f.Label); n == name || strings.EqualFold(f.Key, name) {
					field, typ = f.Key, f.Type
					break
				}
			}
		}
		if field == "" && policy.ValidFieldKey(strings.TrimSpace(h)) && h == strings.ToLower(h) {
			field = strings.TrimSpace(h) // an English key: kept as a field of its own
		}
		if field == "" || used[field] {
			unknown = append(unknown, h)
			continue
		}
		used[field] = true
		m.Columns = append(m.Columns, Column{Column: h, Field: field, Type: typ, Unit: unit})
	}
	return m, unknown
}

func containsNorm(list []string, name string) bool {
	for _, a := range list {
		if n, _ := normHeader(a); n == name {
			return true
		}
	}
	return false
}

// unit prefixes and what they multiply by.
var unitPrefixes = []struct {
	p string
	f float64
}{{"亿", 1e8}, {"万", 1e4}, {"千", 1e3}, {"百", 1e2}}

var unitBases = map[string]bool{"": true, "元": true, "人": true, "个": true, "户": true, "岁": true, "年": true, "月": true,
	"天": true, "平方米": true, "㎡": true, "%": true, "％": true, "次": true, "件": true}

// splitUnit reads a unit as a multiplier and a base: 万元 is 10 000 元.
func splitUnit(u string) (float64, string, bool) {
	u = strings.TrimSpace(u)
	f := 1.0
	for _, p := range unitPrefixes {
		if strings.HasPrefix(u, p.p) {
			f, u = p.f, strings.TrimPrefix(u, p.p)
			break
		}
	}
	if !unitBases[u] {
		return 0, "", false
	}
	return f, u, true
}

// unitFactor is what a value in unit from is multiplied by to be in
// unit to.
func unitFactor(from, to string) (float64, error) {
	if from == to || from == "" {
		return 1, nil
	}
	ff, fb, ok1 := splitUnit(from)
	tf, tb, ok2 := splitUnit(to)
	if !ok1 {
		return 0, fmt.Errorf("unit %q is not one Fuwu converts (元, 万元, 人, 万人, 平方米 …)", from)
	}
	if !ok2 {
		tf, tb = 1, to
	}
	if fb != tb && fb != "" && tb != "" {
		return 0, fmt.Errorf("unit %q cannot be converted to %q", from, to)
	}
	return ff / tf, nil
}

// column is a resolved Column: where its value comes from and how it is
// read.
type column struct {
	Column
	index  int // in a header row; -1 for JSONL (by key)
	factor float64
}

// plan is a mapping resolved against a file's header and the schema.
type plan struct {
	kind    policy.Target
	columns []column
	hasID   bool
}

func newPlan(m Mapping, kind policy.Target, schema policy.Schema, header []string) (*plan, error) {
	if m.Kind != "" {
		kind = m.Kind
	}
	if kind != policy.Person && kind != policy.Enterprise {
		return nil, fmt.Errorf("the registry kind is not given (person or enterprise)")
	}
	p := &plan{kind: kind}
	idx := map[string]int{}
	for i, h := range header {
		name, _ := normHeader(h)
		if _, dup := idx[name]; !dup {
			idx[name] = i
		}
	}
	for _, c := range m.Columns {
		col := column{Column: c, index: -1, factor: 1}
		if header != nil {
			name, _ := normHeader(c.Column)
			i, ok := idx[name]
			if !ok {
				return nil, fmt.Errorf("the mapping's column %q is not in the file's header", c.Column)
			}
			col.index = i
		}
		if f, ok := schema.Field(kind, c.Field); ok {
			if col.Type == "" {
				col.Type = f.Type
			}
			if c.Unit != "" || f.Unit != "" {
				factor, err := unitFactor(c.Unit, f.Unit)
				if err != nil {
					return nil, fmt.Errorf("column %q → %s: %w", c.Column, c.Field, err)
				}
				col.factor = factor
			}
		} else if c.Unit != "" {
			factor, _, ok := splitUnit(c.Unit)
			if !ok {
				return nil, fmt.Errorf("column %q: unit %q is not one Fuwu converts", c.Column, c.Unit)
			}
			col.factor = factor
		}
		switch col.Type {
		case "", policy.TypeText, policy.TypeNumber, policy.TypeBool, policy.TypeDate, policy.TypeList, policy.TypeChoice:
		default:
			return nil, fmt.Errorf("column %q: type %q (text, number, bool, date, choice, list)", c.Column, col.Type)
		}
		if c.Field == FieldID {
			p.hasID = true
		}
		p.columns = append(p.columns, col)
	}
	key := FieldIDNumber
	if kind == policy.Enterprise {
		key = FieldUSCC
	}
	if !p.hasID && !p.maps(key) {
		return nil, fmt.Errorf("no column gives the key: map %s (or an id column)", key)
	}
	return p, nil
}

func (p *plan) maps(field string) bool {
	for _, c := range p.columns {
		if c.Field == field {
			return true
		}
	}
	return false
}

// convert reads one cell (a string from CSV or a sheet, any JSON value)
// as the column's type. nil means empty: the field stays unknown.
func (c *column) convert(v any) (any, error) {
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		v = s
	}
	if v == nil {
		return nil, nil
	}
	switch c.Type {
	case policy.TypeNumber:
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case string:
			n, err := policy.ParseNumber(x)
			if err != nil {
				return nil, fmt.Errorf("“%s”应为数字，实为 %q", c.Column.Column, x)
			}
			f = n
		default:
			return nil, fmt.Errorf("“%s”应为数字", c.Column.Column)
		}
		f *= c.factor
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("“%s”不是有限的数", c.Column.Column)
		}
		return f, nil
	case policy.TypeBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case float64:
			return x != 0, nil
		case string:
			b, err := policy.ParseBool(x)
			if err != nil {
				return nil, fmt.Errorf("“%s”应为是/否，实为 %q", c.Column.Column, x)
			}
			return b, nil
		}
		return nil, fmt.Errorf("“%s”应为是/否", c.Column.Column)
	case policy.TypeDate:
		switch x := v.(type) {
		case string:
			if serial, err := strconv.ParseFloat(x, 64); err == nil && !strings.ContainsAny(x, "-/年.") && serial < 100000 {
				return excelSerial(serial)
			}
			d, err := policy.ParseLooseDay(x)
			if err != nil {
				return nil, fmt.Errorf("“%s”不是日期：%q", c.Column.Column, x)
			}
			return d.String(), nil
		case float64:
			return excelSerial(x)
		}
		return nil, fmt.Errorf("“%s”不是日期", c.Column.Column)
	case policy.TypeList:
		switch x := v.(type) {
		case []any:
			return x, nil
		case string:
			var out []any
			for _, p := range strings.FieldsFunc(x, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' }) {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			return out, nil
		}
		return nil, fmt.Errorf("“%s”应为列表", c.Column.Column)
	case policy.TypeText, policy.TypeChoice:
		switch x := v.(type) {
		case string:
			return x, nil
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		case bool:
			return strconv.FormatBool(x), nil
		}
		return nil, fmt.Errorf("“%s”应为文字", c.Column.Column)
	}
	if f, ok := v.(float64); ok && c.factor != 1 {
		return f * c.factor, nil
	}
	return v, nil
}

// excelSerial reads an Excel date serial (a date cell read raw).
func excelSerial(n float64) (any, error) {
	if n < 1 || n >= 2958466 {
		return nil, fmt.Errorf("%v is not a date", n)
	}
	return policy.FromOrdinal(int(n) - 25569).String(), nil
}
