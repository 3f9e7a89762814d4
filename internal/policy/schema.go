package policy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/store"
)

// Field is one field of a profile as staff and residents read it: its
// label, its type and unit, the question a self-check asks for it.
// Personal fields (a name, an ID number) are never asked or matched on;
// the registry seals them.
type Field struct {
	Key      string    `json:"key"`
	Label    string    `json:"label"`
	Type     FieldType `json:"type"`
	Unit     string    `json:"unit,omitempty"`
	Options  []string  `json:"options,omitempty"`  // the choices of a choice field
	Question string    `json:"question,omitempty"` // how a self-check asks: 您的出生日期是？
	Help     string    `json:"help,omitempty"`
}

// Ask is the question for the field (its label when none was written).
func (f Field) Ask() string {
	if f.Question != "" {
		return f.Question
	}
	return f.Label
}

// Schema is the field schema of both targets, in display order.
type Schema struct {
	Person     []Field `json:"person"`
	Enterprise []Field `json:"enterprise"`
}

// Fields are the target's fields.
func (s Schema) Fields(t Target) []Field {
	if t == Enterprise {
		return s.Enterprise
	}
	return s.Person
}

// Field returns the target's field with key.
func (s Schema) Field(t Target, key string) (Field, bool) {
	for _, f := range s.Fields(t) {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Types maps the target's field keys to their types, for Compile.
func (s Schema) Types(t Target) map[string]FieldType {
	out := map[string]FieldType{}
	for _, f := range s.Fields(t) {
		out[f.Key] = f.Type
	}
	return out
}

// Labeler names the target's fields by their labels.
func (s Schema) Labeler(t Target) Labeler {
	return func(key string) string {
		if f, ok := s.Field(t, key); ok {
			return f.Label
		}
		return key
	}
}

// Validate checks keys, types and options.
func (s Schema) Validate() error {
	for _, t := range Targets {
		seen := map[string]bool{}
		for i, f := range s.Fields(t) {
			switch {
			case !validKey(f.Key):
				return fmt.Errorf("%s field %d: key %q must be letters, digits and _ (not starting with a digit or __)", t, i+1, f.Key)
			case seen[f.Key]:
				return fmt.Errorf("%s field %s: listed twice", t, f.Key)
			case strings.TrimSpace(f.Label) == "":
				return fmt.Errorf("%s field %s: no label", t, f.Key)
			}
			switch f.Type {
			case TypeText, TypeNumber, TypeBool, TypeDate, TypeList:
			case TypeChoice:
				if len(f.Options) == 0 {
					return fmt.Errorf("%s field %s: a choice needs options", t, f.Key)
				}
			default:
				return fmt.Errorf("%s field %s: type %q (text, number, bool, date, choice, list)", t, f.Key, f.Type)
			}
			seen[f.Key] = true
		}
	}
	return nil
}

func validKey(k string) bool { return k != "id" && k != "kind" && ValidFieldKey(k) }

// ValidFieldKey reports whether k can name a field: letters, digits and
// _, not starting with a digit, not starting with __ (reserved).
func ValidFieldKey(k string) bool {
	if k == "" || strings.HasPrefix(k, "__") {
		return false
	}
	for i, r := range k {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// ReadSchema reads a schema as JSON ({"person":[…],"enterprise":[…]}).
func ReadSchema(r io.Reader) (Schema, error) {
	var s Schema
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("field schema: %s", jsonProblem(err))
	}
	return s, s.Validate()
}

// Parse reads a value typed into a form (or said in the chat) for field
// key of target t: numbers with 万 or commas, 是/否, dates as 1950-3-2 or
// 1950年3月2日. An empty text is unknown (nil, no error).
func (s Schema) Parse(t Target, key, text string) (any, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	f, ok := s.Field(t, key)
	if !ok {
		return text, nil
	}
	return f.Parse(text)
}

// Parse reads text as a value of the field.
func (f Field) Parse(text string) (any, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	switch f.Type {
	case TypeNumber:
		n, err := ParseNumber(text)
		if err != nil {
			return nil, fmt.Errorf("%s：请填写数字（%w）", f.Label, err)
		}
		return n, nil
	case TypeBool:
		b, err := ParseBool(text)
		if err != nil {
			return nil, fmt.Errorf("%s：请选择“是”或“否”", f.Label)
		}
		return b, nil
	case TypeDate:
		d, err := ParseLooseDay(text)
		if err != nil {
			return nil, fmt.Errorf("%s：请填写日期，如 1950-03-02", f.Label)
		}
		return d.String(), nil
	case TypeChoice:
		for _, o := range f.Options {
			if o == text {
				return o, nil
			}
		}
		return nil, fmt.Errorf("%s：请从 %s 中选择", f.Label, strings.Join(f.Options, "、"))
	case TypeList:
		var out []any
		for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' }) {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	}
	return text, nil
}

// ParseNumber reads 12000, 1,200.5, 1.2万, 3亿, 35人, 5000元.
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(strings.NewReplacer(",", "", "，", "", " ", "").Replace(s))
	mult := 1.0
	for {
		switch {
		case strings.HasSuffix(s, "万元"), strings.HasSuffix(s, "万"):
			s, mult = strings.TrimSuffix(strings.TrimSuffix(s, "元"), "万"), mult*1e4
			continue
		case strings.HasSuffix(s, "亿元"), strings.HasSuffix(s, "亿"):
			s, mult = strings.TrimSuffix(strings.TrimSuffix(s, "元"), "亿"), mult*1e8
			continue
		}
		break
	}
	s = strings.TrimRightFunc(s, func(r rune) bool { return r > 0x7f }) // 元, 人, 岁, 平方米 …
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f * mult, nil
}

// ParseBool reads 是/否, 有/无, true/false, yes/no, 1/0, Y/N.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "是", "有", "true", "yes", "y", "1", "√", "对":
		return true, nil
	case "否", "无", "false", "no", "n", "0", "×", "不是", "没有":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no", s)
}

// ParseLooseDay reads dates as staff and residents write them:
// 1950-03-02, 1950-3-2, 1950/3/2, 1950.3.2, 19500302, 1950年3月2日.
func ParseLooseDay(s string) (Day, error) {
	s = strings.TrimSpace(s)
	if d, err := ParseDay(s); err == nil {
		return d, nil
	}
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		return ParseDay(s[:4] + "-" + s[4:6] + "-" + s[6:])
	}
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "号", "", "/", "-", ".", "-").Replace(s)
	parts := strings.Split(strings.Trim(s, "-"), "-")
	if len(parts) != 3 {
		return Day{}, fmt.Errorf("%q is not a date", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return Day{}, fmt.Errorf("%q is not a date", s)
		}
		n[i] = v
	}
	return ParseDay(fmt.Sprintf("%04d-%02d-%02d", n[0], n[1], n[2]))
}

// Schema reads the field schema from the store.
func (l *Library) Schema(ctx context.Context) (Schema, error) {
	rows, err := l.db.Query(ctx, `SELECT target, data FROM policy_fields ORDER BY target, position, key`)
	if err != nil {
		return Schema{}, fmt.Errorf("field schema: %w", err)
	}
	defer rows.Close()
	var s Schema
	for rows.Next() {
		var t Target
		var data string
		if err := rows.Scan(&t, &data); err != nil {
			return s, err
		}
		var f Field
		if err := json.Unmarshal([]byte(data), &f); err != nil {
			return s, fmt.Errorf("decode field: %w", err)
		}
		if t == Enterprise {
			s.Enterprise = append(s.Enterprise, f)
		} else {
			s.Person = append(s.Person, f)
		}
	}
	return s, rows.Err()
}

// ErrFieldInUse: a field that a policy in force (or on its way) reads
// cannot change type or be deleted.
var ErrFieldInUse = errors.New("a policy reads this field")

// SetSchema replaces the field schema (both targets) and announces the
// change. Staff edit it field by field with PutField.
func (l *Library) SetSchema(ctx context.Context, s Schema, actor string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	now := l.stamp()
	err := l.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM policy_fields`); err != nil {
			return err
		}
		for _, t := range Targets {
			for i, f := range s.Fields(t) {
				b, _ := json.Marshal(f)
				if _, err := tx.Exec(ctx, `INSERT INTO policy_fields (target, key, position, data, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)`,
					t, f.Key, i+1, string(b), now, actor); err != nil {
					return fmt.Errorf("field %s: %w", f.Key, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_ = l.db.Publish(ctx, Topic, "fields")
	return nil
}

// PutField adds a field to the target's schema or changes one. Changing
// the type of a field that a stored policy reads is refused when that
// policy would no longer compile.
func (l *Library) PutField(ctx context.Context, t Target, f Field, actor string) error {
	s, err := l.Schema(ctx)
	if err != nil {
		return err
	}
	fields := append([]Field(nil), s.Fields(t)...)
	pos := len(fields) + 1
	replaced := false
	for i := range fields {
		if fields[i].Key == f.Key {
			fields[i], pos, replaced = f, i+1, true
		}
	}
	if !replaced {
		fields = append(fields, f)
	}
	next := s
	if t == Enterprise {
		next.Enterprise = fields
	} else {
		next.Person = fields
	}
	if err := next.Validate(); err != nil {
		return err
	}
	if err := l.checkAll(ctx, next, t); err != nil {
		return err
	}
	b, _ := json.Marshal(f)
	if _, err := l.db.Exec(ctx, `INSERT INTO policy_fields (target, key, position, data, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (target, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		t, f.Key, pos, string(b), l.stamp(), actor); err != nil {
		return fmt.Errorf("field %s: %w", f.Key, err)
	}
	_ = l.db.Publish(ctx, Topic, "fields")
	return nil
}

// DeleteField removes a field from the target's schema; the policies
// that read it keep working (the field is then typed by nothing).
func (l *Library) DeleteField(ctx context.Context, t Target, key, actor string) error {
	res, err := l.db.Exec(ctx, `DELETE FROM policy_fields WHERE target = ? AND key = ?`, t, key)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("field %s: %w", key, ErrNotFound)
	}
	_ = l.db.Publish(ctx, Topic, "fields")
	return nil
}

// checkAll compiles every stored policy of target t against schema s.
func (l *Library) checkAll(ctx context.Context, s Schema, t Target) error {
	recs, err := l.List(ctx, Filter{Target: t})
	if err != nil {
		return err
	}
	var ps []Policy
	for _, r := range recs {
		if r.State != Withdrawn {
			ps = append(ps, r.Policy)
		}
	}
	if _, err := Compile(ps, CompileOptions{Types: s.Types(t)}); err != nil {
		return fmt.Errorf("%w: %v", ErrFieldInUse, err)
	}
	return nil
}
