package gongwen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"
)

// CSCPair is one line of a Chinese spelling-check test set: the sentence
// as written and as it should be, of the same length.
type CSCPair struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// CSCProblem is a test-set line that could not be used.
type CSCProblem struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// ReadCSC reads a JSONL test set. Bad lines (not JSON, lengths differing)
// are returned as problems with their line numbers; the rest is used.
func ReadCSC(r io.Reader) ([]CSCPair, []CSCProblem, error) {
	var pairs []CSCPair
	var probs []CSCProblem
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var p CSCPair
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			probs = append(probs, CSCProblem{n, "not a JSON object: " + err.Error()})
			continue
		}
		if p.Source == "" {
			probs = append(probs, CSCProblem{n, `no "source"`})
			continue
		}
		if utf8.RuneCountInString(p.Source) != utf8.RuneCountInString(p.Target) {
			probs = append(probs, CSCProblem{n, fmt.Sprintf("source has %d characters, target %d",
				utf8.RuneCountInString(p.Source), utf8.RuneCountInString(p.Target))})
			continue
		}
		pairs = append(pairs, p)
	}
	if err := sc.Err(); err != nil {
		return pairs, probs, err
	}
	return pairs, probs, nil
}

// PRF is precision, recall and F1.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	TP        int     `json:"tp"`
}

func prf(tp, predicted, gold int) PRF {
	var p, r, f float64
	if predicted > 0 {
		p = float64(tp) / float64(predicted)
	}
	if gold > 0 {
		r = float64(tp) / float64(gold)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{p, r, f, tp}
}

// CSCScore is the sentence-level evaluation of a spelling checker, the
// standard SIGHAN way: a sentence counts as detected only when the set of
// changed positions equals the gold set, as corrected only when the whole
// output equals the target; precision is over sentences the checker
// changed (false alarms on correct sentences count against it), recall
// over sentences that have errors.
type CSCScore struct {
	Sentences      int `json:"sentences"`
	WithErrors     int `json:"with_errors"`
	Changed        int `json:"changed"`         // sentences the checker changed
	FalseAlarms    int `json:"false_alarms"`    // correct sentences changed
	CorrectCorrect int `json:"correct_correct"` // whole output right, any sentence
	// FalsePositiveRate is false alarms over correct sentences.
	FalsePositiveRate float64 `json:"false_positive_rate"`
	// Accuracy is the share of sentences whose output equals the target.
	Accuracy   float64 `json:"accuracy"`
	Detection  PRF     `json:"detection"`
	Correction PRF     `json:"correction"`
}

// ScoreCSC scores predictions (one per pair, same length as the source;
// a prediction of another length counts as changed everywhere it differs
// up to the shorter length and never as correct).
func ScoreCSC(pairs []CSCPair, predictions []string) CSCScore {
	var sc CSCScore
	var detTP, corTP, correctSentences int
	for i, p := range pairs {
		src, tgt := []rune(p.Source), []rune(p.Target)
		pred := []rune(predictions[i])
		gold := diffPositions(src, tgt)
		got := diffPositions(src, pred)
		sc.Sentences++
		if len(gold) > 0 {
			sc.WithErrors++
		} else {
			correctSentences++
		}
		if len(got) > 0 || len(pred) != len(src) {
			sc.Changed++
			if len(gold) == 0 {
				sc.FalseAlarms++
			}
		}
		exact := string(pred) == p.Target
		if exact {
			sc.CorrectCorrect++
		}
		if len(gold) > 0 && len(pred) == len(src) && equalInts(gold, got) {
			detTP++
			if exact {
				corTP++
			}
		}
	}
	sc.Detection = prf(detTP, sc.Changed, sc.WithErrors)
	sc.Correction = prf(corTP, sc.Changed, sc.WithErrors)
	if correctSentences > 0 {
		sc.FalsePositiveRate = float64(sc.FalseAlarms) / float64(correctSentences)
	}
	if sc.Sentences > 0 {
		sc.Accuracy = float64(sc.CorrectCorrect) / float64(sc.Sentences)
	}
	return sc
}

func diffPositions(a, b []rune) []int {
	var out []int
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			out = append(out, i)
		}
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// EvalCSC runs the speller over every source sentence, on every processor,
// and scores it.
func EvalCSC(s *Speller, pairs []CSCPair) (CSCScore, []string) {
	preds := make([]string, len(pairs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				preds[i], _ = s.Correct(pairs[i].Source)
			}
		}()
	}
	for i := range pairs {
		next <- i
	}
	close(next)
	wg.Wait()
	return ScoreCSC(pairs, preds), preds
}
