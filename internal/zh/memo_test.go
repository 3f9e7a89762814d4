package zh

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

func TestCutMemo(t *testing.T) {
	t.Parallel()
	var c cutMemo
	n := 0
	do := func(ws ...string) func() []string {
		return func() []string { n++; return ws }
	}
	for _, tc := range []struct {
		name  string
		mode  cutMode
		run   string
		want  []string
		calls int // segmenter calls so far
	}{
		{"first cut", cutDict, "社保卡丢了", []string{"社保卡", "丢", "了"}, 1},
		{"same run again", cutDict, "社保卡丢了", []string{"社保卡", "丢", "了"}, 1},
		{"other mode is its own entry", cutSearch, "社保卡丢了", []string{"社保", "社保卡", "丢", "了"}, 2},
		{"long run not kept", cutDict, string(make([]byte, memoRun+1)), []string{"x"}, 3},
		{"long run cut again", cutDict, string(make([]byte, memoRun+1)), []string{"x"}, 4},
	} {
		got := c.cut(tc.mode, tc.run, do(tc.want...))
		if !reflect.DeepEqual(got, tc.want) || n != tc.calls {
			t.Errorf("%s: got %q after %d cuts, want %q after %d", tc.name, got, n, tc.want, tc.calls)
		}
	}
	if calls, hits := c.calls.Load(), c.hits.Load(); calls != 5 || hits != 1 {
		t.Errorf("stats: %d calls, %d hits; want 5, 1", calls, hits)
	}
}

func TestCutMemoBounded(t *testing.T) {
	t.Parallel()
	var c cutMemo
	for i := 0; i < 3*memoSize; i++ {
		run := fmt.Sprint("词", i)
		c.cut(cutHMM, run, func() []string { return []string{run} })
	}
	if len(c.m) != memoSize {
		t.Fatalf("memo holds %d runs, want %d", len(c.m), memoSize)
	}
	// The oldest went first: the last memoSize runs are the ones kept.
	for i := 2 * memoSize; i < 3*memoSize; i++ {
		if _, ok := c.m[memoKey{cutHMM, fmt.Sprint("词", i)}]; !ok {
			t.Fatalf("run %d evicted, want kept", i)
		}
	}
}

// The analyser's answers are the same whether the memo has the runs or
// not, also with turns analysing at once (run with -race).
func TestMemoSameAnswers(t *testing.T) {
	t.Parallel()
	a := MustDefault()
	texts := []string{"老公是深户,宝宝刚出生一个礼拜,孩子户口咋落", "社保卡丢了咋补", "想领失业金 app上能办吗", "我爸满80了高龄津贴怎么申请"}
	type answer struct{ seg, words, terms []string }
	fresh := func(s string) answer {
		b := *a // the same analyser without the memo
		b.memo = nil
		return answer{b.Segment(s), b.Words(s), b.TermsNormalized(s)}
	}
	want := make([]answer, len(texts))
	for i, s := range texts {
		want[i] = fresh(s)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 20; r++ {
				for i, s := range texts {
					if got := (answer{a.Segment(s), a.Words(s), a.TermsNormalized(s)}); !reflect.DeepEqual(got, want[i]) {
						t.Errorf("%q: memo gives %q, fresh %q", s, got, want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}
