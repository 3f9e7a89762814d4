package policy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Problem is a line of an input file that could not be used, with why.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"`
	ID      string `json:"id,omitempty"` // the policy or profile, when its id could be read
	Message string `json:"message"`
}

func (p Problem) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += " "
		}
		s += "line " + strconv.Itoa(p.Line)
	}
	if s != "" {
		s += ": "
	}
	return s + p.Message
}

// MaxLine is the longest JSONL line read (a profile or a policy is a few
// hundred bytes; a longer line is reported, not held in memory).
const MaxLine = 1 << 20

// EachLine calls fn with every non-blank line of r (a JSONL file) and
// its number; fn must not keep the slice. A line longer than MaxLine is
// reported through bad and skipped, so that one runaway line neither
// stops the file nor fills the memory.
func EachLine(r io.Reader, fn func(n int, line []byte), bad func(n int, msg string)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	n := 0
	var long []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 || err == nil {
			if !tooLong {
				if len(long)+len(chunk) > MaxLine {
					tooLong, long = true, long[:0]
				} else {
					long = append(long, chunk...)
				}
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(long) > 0 || tooLong || err == nil {
			n++
			if tooLong {
				bad(n, fmt.Sprintf("line longer than %d KiB; skipped", MaxLine>>10))
			} else {
				line := bytes.TrimSpace(long)
				if n == 1 {
					line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
				}
				if len(line) > 0 {
					fn(n, line)
				}
			}
			long, tooLong = long[:0], false
		}
		if err == io.EOF {
			return nil
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// jsonProblem turns a decoding error into words naming the key at fault.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON (%s, at byte %d)", se.Error(), se.Offset)
	case errors.As(err, &te):
		key := te.Field
		if key == "" {
			return fmt.Sprintf("a JSON %s where an object was expected", te.Value)
		}
		return fmt.Sprintf("key %q: a JSON %s where %s was expected", key, te.Value, goTypeWords(te.Type.String()))
	}
	return err.Error()
}

func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "string" || strings.HasSuffix(t, ".Target") || strings.HasSuffix(t, ".Mode"):
		return "a string"
	case strings.HasPrefix(t, "policy.") || strings.HasPrefix(t, "*policy."):
		return "an object"
	}
	return t
}

// ReadPolicies reads policies.jsonl: one policy a line. Lines that are not
// a valid policy (bad JSON, missing id, bad target or dates, a repeated
// id) are returned as problems; the others are returned with their line
// numbers. Expressions are not compiled here (see Compile).
func ReadPolicies(r io.Reader, file string) (ps []Policy, lines []int, problems []Problem, err error) {
	seen := map[string]int{}
	err = EachLine(r, func(n int, line []byte) {
		var p Policy
		if line[0] != '{' {
			problems = append(problems, Problem{file, n, "", "not a JSON object (one policy a line)"})
			return
		}
		if err := json.Unmarshal(line, &p); err != nil {
			problems = append(problems, Problem{file, n, idOf(line), jsonProblem(err)})
			return
		}
		if err := p.Validate(); err != nil {
			problems = append(problems, Problem{file, n, p.ID, err.Error()})
			return
		}
		if first, dup := seen[p.ID]; dup {
			problems = append(problems, Problem{file, n, p.ID, fmt.Sprintf("policy %s: id repeated (first on line %d)", p.ID, first)})
			return
		}
		seen[p.ID] = n
		ps = append(ps, p)
		lines = append(lines, n)
	}, func(n int, msg string) { problems = append(problems, Problem{file, n, "", msg}) })
	if err != nil {
		return ps, lines, problems, fmt.Errorf("read %s: %w", file, err)
	}
	return ps, lines, problems, nil
}

// idOf digs the "id" out of a line that did not decode, for the report.
func idOf(line []byte) string {
	var v struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(line, &v) == nil {
		if s, ok := v.ID.(string); ok {
			return s
		}
	}
	return ""
}

// DecodeFields decodes a JSON object of field values the way profiles
// are read: numbers become float64 (as JSON has them), nested objects and
// lists are kept.
func DecodeFields(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, errors.New(jsonProblem(err))
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value on the line")
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object (one profile a line)")
	}
	return normalizeJSON(m).(map[string]any), nil
}

// ParseProfile decodes one profiles.jsonl line (see DecodeFields) and
// checks its id and kind.
func ParseProfile(line []byte) (Profile, error) {
	fields, err := DecodeFields(line)
	if err != nil {
		return Profile{}, err
	}
	p := Profile{Fields: fields}
	switch id := fields["id"].(type) {
	case string:
		p.ID = strings.TrimSpace(id)
	case nil:
	default:
		return p, fmt.Errorf("id must be a string, not %s", describe(id))
	}
	if p.ID == "" {
		return p, errors.New("id is missing")
	}
	switch k := fields["kind"].(type) {
	case string:
		switch Target(k) {
		case Person, Enterprise:
			p.Kind = Target(k)
		default:
			return p, fmt.Errorf("profile %s: kind %q: want person or enterprise", p.ID, k)
		}
	case nil:
		return p, fmt.Errorf("profile %s: kind is missing (person or enterprise)", p.ID)
	default:
		return p, fmt.Errorf("profile %s: kind must be \"person\" or \"enterprise\", not %s", p.ID, describe(k))
	}
	return p, nil
}

// normalizeJSON turns json.Number into float64 throughout.
func normalizeJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeJSON(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalizeJSON(e)
		}
		return x
	}
	return v
}

// ReadProfiles reads profiles.jsonl, calling fn for every good profile in
// file order; bad lines (bad JSON, no id, a kind other than person or
// enterprise, a repeated id) come back as problems and are skipped.
func ReadProfiles(r io.Reader, file string, fn func(line int, p Profile)) (problems []Problem, err error) {
	seen := map[string]int{}
	err = EachLine(r, func(n int, line []byte) {
		p, err := ParseProfile(line)
		if err != nil {
			problems = append(problems, Problem{file, n, p.ID, err.Error()})
			return
		}
		if first, dup := seen[p.ID]; dup {
			problems = append(problems, Problem{file, n, p.ID, fmt.Sprintf("profile %s: id repeated (first on line %d)", p.ID, first)})
			return
		}
		seen[p.ID] = n
		fn(n, p)
	}, func(n int, msg string) { problems = append(problems, Problem{file, n, "", msg}) })
	if err != nil {
		return problems, fmt.Errorf("read %s: %w", file, err)
	}
	return problems, nil
}

// WritePolicies writes policies as JSONL, one a line.
func WritePolicies(w io.Writer, ps []Policy) error {
	bw := bufio.NewWriter(w)
	for i := range ps {
		b, err := json.Marshal(ps[i])
		if err != nil {
			return fmt.Errorf("policy %s: %w", ps[i].ID, err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// describe names a JSON value's kind with the value, for messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q (text)", truncate(x, 40))
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64) + " (a number)"
	case int:
		return strconv.Itoa(x) + " (a number)"
	case bool:
		return strconv.FormatBool(x) + " (true/false)"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%v (%T)", v, v)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
