package policy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// LoadPolicyFile reads and compiles a policies.jsonl file. Any bad line
// or any expression that does not compile is an error naming the line,
// the policy and the condition: nothing is matched with half a file.
func LoadPolicyFile(path string, opt CompileOptions) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return LoadPolicies(f, path, opt)
}

// LoadPolicies is LoadPolicyFile on a reader named file.
func LoadPolicies(r io.Reader, file string, opt CompileOptions) (*Set, error) {
	ps, lines, problems, err := ReadPolicies(r, file)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.String()
		}
		return nil, fmt.Errorf("%s", strings.Join(msgs, "\n"))
	}
	opt.Lines = lines
	set, err := Compile(ps, opt)
	if ce, ok := err.(CompileErrors); ok {
		msgs := make([]string, len(ce))
		for i, e := range ce {
			msgs[i] = file + " " + e.Error()
		}
		return nil, fmt.Errorf("%s", strings.Join(msgs, "\n"))
	}
	return set, err
}

// RunOptions say what RunMatch prints.
type RunOptions struct {
	AsOf    Day
	All     bool // ineligible matches too
	JSON    bool // the exchange format's {"results":[…]}
	Explain bool // each match with its explanation (what would change it)
	Labels  Labeler
}

// RunReport counts what RunMatch did and lists what went wrong: profile
// lines that could not be read, and conditions that could not be
// evaluated on a profile's values.
type RunReport struct {
	Profiles int       `json:"profiles"`
	Matches  int       `json:"matches"`
	Problems []Problem `json:"problems,omitempty"` // bad profile lines, skipped
	Errors   []Problem `json:"errors,omitempty"`   // evaluation errors, by profile line
}

// RunMatch matches every profile read from profiles (JSONL, named file)
// against set and writes the results to w: profiles in file order, the
// policies in set order within a profile. The profiles are streamed, so a
// file of any size needs memory for one profile at a time.
func RunMatch(w io.Writer, set *Set, profiles io.Reader, file string, opt RunOptions) (RunReport, error) {
	var rep RunReport
	bw := bufio.NewWriterSize(w, 64<<10)
	ev := NewEvaluator(set)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	first := true
	if opt.JSON {
		bw.WriteString(`{"results":[`)
	}
	var ms []Match
	var werr error
	problems, err := ReadProfiles(profiles, file, func(line int, p Profile) {
		rep.Profiles++
		ms = ev.MatchProfile(&p, opt.AsOf, opt.All, ms[:0])
		for i := range ms {
			m := &ms[i]
			rep.Matches++
			for _, e := range m.Errors() {
				rep.Errors = append(rep.Errors, Problem{File: file, Line: line, ID: p.ID,
					Message: fmt.Sprintf("profile %s policy %s %s", p.ID, m.Policy, e)})
			}
			var x *Explanation
			if opt.Explain {
				e := ev.Explain(set.Policies[m.Index], &p, opt.AsOf, opt.Labels)
				x = &e
			}
			if !opt.JSON {
				writeText(bw, set, m, x)
				continue
			}
			buf.Reset()
			if err := enc.Encode(explained{m, x}); err != nil && werr == nil {
				werr = err
			}
			if !first {
				bw.WriteByte(',')
			}
			first = false
			bw.WriteByte('\n')
			bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		}
	})
	rep.Problems = problems
	if opt.JSON {
		if !first {
			bw.WriteByte('\n')
		}
		bw.WriteString("]}\n")
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err == nil {
		err = werr
	}
	return rep, err
}

// explained is a match with its explanation inline, for --explain.
type explained struct {
	*Match
	Explanation *Explanation `json:"explanation,omitempty"`
}

func writeText(w *bufio.Writer, set *Set, m *Match, x *Explanation) {
	p := set.Policies[m.Index].Policy
	fmt.Fprintf(w, "%s\t%s %s\t%s", m.Profile, m.Policy, p.Title, m.Status.Label())
	if m.Amount != nil {
		fmt.Fprintf(w, "\t%s", AmountText(*m.Amount, p.Benefit))
	}
	if m.ExcludedBy != "" {
		fmt.Fprintf(w, "\t不与%s叠加（按%s享受）", m.ExcludedBy, m.ExcludedBy)
	} else if m.Chosen != nil {
		w.WriteString("\t互斥政策中选定")
	}
	w.WriteByte('\n')
	for _, c := range m.Conditions {
		fmt.Fprintf(w, "\t%s %s", c.Result.Label(), c.Label)
		if c.Error != "" {
			fmt.Fprintf(w, "（无法判断：%s）", c.Error)
		}
		w.WriteByte('\n')
	}
	if x != nil {
		fmt.Fprintf(w, "\t→ %s\n", x.Summary)
	}
}
