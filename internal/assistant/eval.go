package assistant

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"time"
)

// EvalCase is one dialogue of the evaluation format
// (data/eval/README.md): turns played in order in a fresh conversation.
type EvalCase struct {
	ID    string     `json:"id"`
	Turns []EvalTurn `json:"turns"`
}

// EvalTurn is one resident message and what it should get.
type EvalTurn struct {
	Q      string `json:"q"`
	Item   string `json:"item,omitempty"`
	Aspect Aspect `json:"aspect,omitempty"`
	Expect string `json:"expect,omitempty"` // answer (default with item), out_of_scope, clarify
}

func (t EvalTurn) expect() string {
	if t.Expect != "" {
		return t.Expect
	}
	if t.Item != "" {
		return "answer"
	}
	return ""
}

// ReadEvalCases reads one dialogue a line; a malformed line is an error
// naming it.
func ReadEvalCases(r io.Reader, name string) ([]EvalCase, error) {
	var out []EvalCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	n := 0
	for sc.Scan() {
		n++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var c EvalCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, n, err)
		}
		if len(c.Turns) == 0 {
			return nil, fmt.Errorf("%s line %d: dialogue without turns", name, n)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// Metrics are the evaluation figures, exactly the keys of the format.
type Metrics struct {
	ItemTop1      float64 `json:"item_top1"`
	ItemRecall5   float64 `json:"item_recall5"`
	AspectAcc     float64 `json:"aspect_acc"`
	OOSRecall     float64 `json:"oos_recall"`
	OOSFalse      float64 `json:"oos_false"`
	ClarifyRecall float64 `json:"clarify_recall"`
	P50ms         float64 `json:"p50_ms"`
	P99ms         float64 `json:"p99_ms"`
	Turns         int     `json:"turns"`
}

// EvalMiss is one turn that fell short, for reading what went wrong.
type EvalMiss struct {
	Case, Q, Want, Got string
	// Item is the expected item of a turn whose answer did not cite it
	// first ("" for other misses); Turn is the turn's place in its
	// dialogue (0 first).
	Item string
	Turn int
	// Rivals, for an item miss, are the items it was confused with: the
	// one cited and the candidates ranked above the expected item.
	Rivals []string
	// Cited and Candidates are what the reply cited first and ranked.
	Cited      string
	Candidates []string
	// Status is the reply's.
	Status Status
}

// Evaluate plays every dialogue through svc, each in a fresh
// conversation, and scores the replies.
func Evaluate(ctx context.Context, svc Service, cases []EvalCase) (Metrics, []EvalMiss, error) {
	var (
		m                              Metrics
		items, top1, rec5              int
		aspects, aspectOK              int
		oos, oosOK, answerable, falses int
		clar, clarOK                   int
		lat                            []time.Duration
		misses                         []EvalMiss
	)
	for _, c := range cases {
		conv := ""
		for ti, t := range c.Turns {
			start := time.Now()
			r, err := svc.Ask(ctx, Request{ConversationID: conv, Message: t.Q, Channel: "eval"})
			lat = append(lat, time.Since(start))
			if err != nil {
				return m, nil, fmt.Errorf("case %s: %q: %w", c.ID, t.Q, err)
			}
			conv = r.ConversationID
			m.Turns++
			first := ""
			if len(r.Citations) > 0 {
				first = r.Citations[0].ID
			}
			miss := func(want, got string) {
				misses = append(misses, EvalMiss{Case: c.ID, Q: t.Q, Want: want, Got: got, Turn: ti, Cited: first, Candidates: r.Candidates, Status: r.Status})
			}
			if t.Item != "" {
				items++
				if first == t.Item {
					top1++
				} else {
					miss("item "+t.Item, fmt.Sprintf("%s %s %v", r.Status, first, r.Candidates))
					misses[len(misses)-1].Item = t.Item
					misses[len(misses)-1].Rivals = rivals(first, r.Candidates, t.Item)
				}
				for i, id := range r.Candidates {
					if i < 5 && id == t.Item {
						rec5++
						break
					}
				}
			}
			if t.Aspect != "" {
				aspects++
				if r.Aspect == t.Aspect {
					aspectOK++
				} else {
					miss("aspect "+string(t.Aspect), string(r.Aspect))
				}
			}
			switch t.expect() {
			case "out_of_scope":
				oos++
				if r.Status == OutOfScope {
					oosOK++
				} else {
					miss("out_of_scope", fmt.Sprintf("%s %s", r.Status, first))
				}
			case "clarify":
				clar++
				if r.Status == Clarify {
					clarOK++
				} else {
					miss("clarify", fmt.Sprintf("%s %s", r.Status, first))
				}
			case "answer":
				answerable++
				if r.Status == OutOfScope || r.Status == Clarify {
					falses++
				}
			}
		}
	}
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return math.Round(float64(a)/float64(b)*10000) / 10000
	}
	m.ItemTop1, m.ItemRecall5 = ratio(top1, items), ratio(rec5, items)
	m.AspectAcc = ratio(aspectOK, aspects)
	m.OOSRecall, m.OOSFalse = ratio(oosOK, oos), ratio(falses, answerable)
	m.ClarifyRecall = ratio(clarOK, clar)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		ms := func(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/10) / 100 }
		m.P50ms = ms(lat[len(lat)/2])
		m.P99ms = ms(lat[min(len(lat)-1, len(lat)*99/100)])
	}
	return m, misses, nil
}

// rivals are the cited item and the candidates ranked above want.
func rivals(cited string, candidates []string, want string) []string {
	var out []string
	if cited != "" && cited != want {
		out = append(out, cited)
	}
	for _, id := range candidates {
		if id == want {
			break
		}
		if id != cited {
			out = append(out, id)
		}
	}
	return out
}

// CurvePoint is one threshold of the precision/coverage curve: answers
// decided on the message alone below Threshold would become questions.
type CurvePoint struct {
	Threshold float64 `json:"threshold"`
	// Coverage is the share of answerable turns answered (at or above the
	// threshold, or following the conversation).
	Coverage float64 `json:"coverage"`
	// Precision is the share of those answers citing the expected item;
	// an answer to a turn that expected a decline or a question is wrong.
	Precision float64 `json:"precision"`
}

// Calibrate plays the dialogues once and returns the precision/coverage
// curve of the answer confidence at each threshold.
func Calibrate(ctx context.Context, svc Service, cases []EvalCase, thresholds []float64) ([]CurvePoint, error) {
	type answer struct {
		conf    float64
		correct bool
	}
	var answers []answer
	answerable := 0
	for _, c := range cases {
		conv := ""
		for _, t := range c.Turns {
			r, err := svc.Ask(ctx, Request{ConversationID: conv, Message: t.Q, Channel: "eval"})
			if err != nil {
				return nil, fmt.Errorf("case %s: %q: %w", c.ID, t.Q, err)
			}
			conv = r.ConversationID
			if t.expect() == "answer" {
				answerable++
			}
			if r.Status != Answered {
				continue
			}
			conf := r.Confidence
			if conf == 0 {
				conf = 1 // follows the conversation: not gated by confidence
			}
			ok := t.Item != "" && len(r.Citations) > 0 && r.Citations[0].ID == t.Item
			answers = append(answers, answer{conf, ok})
		}
	}
	var out []CurvePoint
	for _, th := range thresholds {
		n, ok := 0, 0
		for _, a := range answers {
			if a.conf >= th {
				n++
				if a.correct {
					ok++
				}
			}
		}
		p := CurvePoint{Threshold: th}
		if answerable > 0 {
			p.Coverage = math.Round(float64(ok)/float64(answerable)*1000) / 1000
		}
		if n > 0 {
			p.Precision = math.Round(float64(ok)/float64(n)*1000) / 1000
		}
		out = append(out, p)
	}
	return out, nil
}
