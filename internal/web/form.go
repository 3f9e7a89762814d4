package web

// Typed form parsing: a form read into a struct by its `form` tags, the
// values converted and the struct's own checks run, every failure a
// refusal (never the raw value on the page).

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// What a form can be refused for before its own checks.
var (
	errFormField   = refusal.Bad("web", "bad_form_field", "表单中有无法识别的内容，请检查后重新提交。")
	errFormMissing = refusal.Bad("web", "missing_form_field", "请填写所有必填项后再提交。")
)

// validator is a decoded form (or JSON body) that checks itself.
type validator interface{ Validate() error }

// decodeForm reads r's form into the struct dst points to: the body of a
// POST, the query of a GET. A field tagged `form:"name"` takes the value
// of that name, spaces trimmed (`form:"name,raw"`: as typed, for a
// password); `form:"name,required"` refuses an empty one. Strings, integers and booleans ("1", "true", "on") are converted,
// a []string takes every non-empty value of the name; a value that does
// not convert is refused. Then, when dst has a Validate method, it has
// the last word. Errors are refusals (400, or what Validate says), naming
// the field in the log only.
func decodeForm(r *http.Request, dst any) error {
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("%w: %v", errBadForm, err)
	}
	vals := r.Form
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		vals = r.PostForm // never a value smuggled into the URL
	}
	v := reflect.ValueOf(dst).Elem()
	t := v.Type()
	for i := range t.NumField() {
		tag, ok := t.Field(i).Tag.Lookup("form")
		if !ok || tag == "-" {
			continue
		}
		name, optList, _ := strings.Cut(tag, ",")
		opts := strings.Split(optList, ",")
		required, raw := slices.Contains(opts, "required"), slices.Contains(opts, "raw")
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String {
			var list []string
			for _, s := range vals[name] {
				if s = strings.TrimSpace(s); s != "" {
					list = append(list, s)
				}
			}
			if len(list) == 0 && required {
				return fmt.Errorf("form field %q: %w", name, errFormMissing)
			}
			f.Set(reflect.ValueOf(list))
			continue
		}
		val := vals.Get(name)
		if !raw {
			val = strings.TrimSpace(val)
		}
		if strings.TrimSpace(val) == "" {
			if required {
				return fmt.Errorf("form field %q: %w", name, errFormMissing)
			}
			continue
		}
		if err := setField(v.Field(i), val); err != nil {
			return fmt.Errorf("form field %q: %w: %v", name, errFormField, err)
		}
	}
	if val, ok := dst.(validator); ok {
		return val.Validate()
	}
	return nil
}

// setField converts raw to f's kind.
func setField(f reflect.Value, raw string) error {
	switch f.Kind() {
	case reflect.String:
		f.SetString(raw)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, f.Type().Bits())
		if err != nil {
			return err
		}
		f.SetInt(n)
	case reflect.Bool:
		switch strings.ToLower(raw) {
		case "1", "true", "on", "yes":
			f.SetBool(true)
		case "0", "false", "off", "no":
			f.SetBool(false)
		default:
			return fmt.Errorf("not a yes or no: %q", raw)
		}
	default:
		// A programming error: the struct's author tagged a field this
		// decoder cannot fill.
		return fmt.Errorf("cannot decode a form value into %s", f.Type())
	}
	return nil
}
