package library

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// EvalCase is one question of an evaluation set (../shared/library/dev.jsonl).
type EvalCase struct {
	ID      string `json:"id"`
	Q       string `json:"q"`
	Context string `json:"context,omitempty"`
	Law     string `json:"law,omitempty"`
	// File is the law's file; a date in its name, (2024-06-28), is the
	// version the answer must come from.
	File     string   `json:"file,omitempty"`
	Articles []string `json:"articles,omitempty"`
	Expect   string   `json:"expect"` // answer / not_found
}

// ReadCases reads JSONL cases; a bad line is an error naming its number.
func ReadCases(r io.Reader) ([]EvalCase, error) {
	var out []EvalCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var c EvalCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if c.Q == "" {
			return nil, fmt.Errorf("line %d: no question (q)", n)
		}
		if c.Expect != "answer" && c.Expect != "not_found" {
			return nil, fmt.Errorf("line %d: expect %q: want answer or not_found", n, c.Expect)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// EvalResult is the contract of `fuwu library eval --json`.
type EvalResult struct {
	ArticleTop1    float64 `json:"article_top1"`
	ArticleRecall3 float64 `json:"article_recall3"`
	NotFoundRecall float64 `json:"notfound_recall"`
	NotFoundFalse  float64 `json:"notfound_false"`
	Turns          int     `json:"turns"`
	// Misses lists the cases that were not a top-1 hit (or, for
	// not_found cases, were answered), for reading, not for scoring.
	Misses []EvalMiss `json:"misses,omitempty"`
}

// EvalMiss is one case the library got wrong.
type EvalMiss struct {
	ID   string `json:"id"`
	Q    string `json:"q"`
	Want string `json:"want"`
	Got  string `json:"got"`
}

// Hit reports whether a citation is one the case accepts: the right
// law, one of its articles and, when the case's file names a date, that
// version.
func (c EvalCase) Hit(cit Citation) bool {
	if workKey(cit.Law) != workKey(c.Law) || !slices.Contains(c.Articles, cit.Article) {
		return false
	}
	if m := reFileDate.FindStringSubmatch(c.File); m != nil {
		return cit.Version == m[1]+"-"+m[2]+"-"+m[3]
	}
	return true
}

// Asker answers one question (the library, or a baseline).
type Asker func(ctx context.Context, c EvalCase) (Answer, error)

// Evaluate runs every case through ask.
func Evaluate(ctx context.Context, cases []EvalCase, ask Asker) (EvalResult, error) {
	var r EvalResult
	answer, nf, top1, rec3, nfHit, nfFalse := 0, 0, 0, 0, 0, 0
	for _, c := range cases {
		a, err := ask(ctx, c)
		if err != nil {
			return r, fmt.Errorf("case %s: %w", c.ID, err)
		}
		got := string(a.Status)
		if len(a.Citations) > 0 {
			got = "《" + a.Citations[0].Law + "》" + a.Citations[0].Article + " " + a.Citations[0].Version
		}
		if c.Expect == "not_found" {
			nf++
			if a.Status == NotFound {
				nfHit++
			} else {
				r.Misses = append(r.Misses, EvalMiss{c.ID, c.Q, "not_found", got})
			}
			continue
		}
		answer++
		if a.Status == NotFound {
			nfFalse++
		}
		hit := false
		for i, cit := range a.Citations {
			if i >= 3 {
				break
			}
			if c.Hit(cit) {
				rec3++
				if i == 0 {
					top1++
					hit = true
				}
				break
			}
		}
		if !hit {
			want := c.Law + " " + strings.Join(c.Articles, "/")
			if a.Status == NotFound && len(a.Closest) > 0 {
				got = "not_found (closest 《" + a.Closest[0].Law + "》" + a.Closest[0].Article + ")"
			}
			r.Misses = append(r.Misses, EvalMiss{c.ID, c.Q, want, got})
		}
	}
	r.Turns = len(cases)
	if answer > 0 {
		r.ArticleTop1 = float64(top1) / float64(answer)
		r.ArticleRecall3 = float64(rec3) / float64(answer)
		r.NotFoundFalse = float64(nfFalse) / float64(answer)
	}
	if nf > 0 {
		r.NotFoundRecall = float64(nfHit) / float64(nf)
	}
	return r, nil
}

// AskCase is the library's Asker: every collection, the case's context.
func (l *Library) AskCase(ctx context.Context, c EvalCase) (Answer, error) {
	return l.Ask(ctx, Question{Text: c.Q, Context: c.Context, Viewer: Everyone, NoModel: true})
}
