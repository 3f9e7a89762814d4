package teaching

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
)

// Profile is the share of easy (difficulty 1–2), medium (3) and hard
// (4–5) questions a set should have; it need not sum to 1.
type Profile struct {
	Easy, Medium, Hard float64
}

// DefaultProfile is the usual 3:5:2 of a classroom exercise.
var DefaultProfile = Profile{0.3, 0.5, 0.2}

// SetSpec describes a practice set.
type SetSpec struct {
	Title  string
	Points []string       // knowledge points; empty: all
	Types  map[string]int // questions per type; empty: Total of any type
	Total  int            // used when Types is empty
	Profile
	// Exclude lists questions not to use (already done, already in a set).
	Exclude []string
	// Seed varies the choice between equally good questions.
	Seed string
}

// PracticeSet is a built set.
type PracticeSet struct {
	Title     string     `json:"title"`
	Questions []Question `json:"questions"`
	// Notes say where the bank could not meet the spec.
	Notes []string `json:"notes,omitempty"`
}

func band(d int) int {
	switch {
	case d <= 2:
		return 0
	case d == 3:
		return 1
	}
	return 2
}

var bandNames = [3]string{"容易", "中等", "较难"}

// BuildSet picks questions from the bank for a spec: for each type the
// count asked, split across difficulty bands by the profile (a band short
// of questions borrows from its neighbour, and says so), spreading the
// questions over the knowledge points asked. The same bank, spec and seed
// give the same set.
func (s *Store) BuildSet(ctx context.Context, spec SetSpec) (*PracticeSet, error) {
	bank, err := s.Questions(ctx)
	if err != nil {
		return nil, err
	}
	return buildSet(bank, spec)
}

func buildSet(bank []Question, spec SetSpec) (*PracticeSet, error) {
	if spec.Profile == (Profile{}) {
		spec.Profile = DefaultProfile
	}
	types := spec.Types
	if len(types) == 0 {
		if spec.Total <= 0 {
			return nil, fmt.Errorf("teaching: a set needs a number of questions")
		}
		types = map[string]int{"": spec.Total}
	}
	set := &PracticeSet{Title: spec.Title}
	if set.Title == "" {
		set.Title = "练习"
		if len(spec.Points) > 0 {
			set.Title = strings.Join(spec.Points, "、") + "练习"
		}
	}
	used := map[string]bool{}
	for _, id := range spec.Exclude {
		used[id] = true
	}
	wantPoint := map[string]bool{}
	for _, p := range spec.Points {
		wantPoint[p] = true
	}
	pointUse := map[string]int{}
	typeNames := make([]string, 0, len(types))
	for t := range types {
		typeNames = append(typeNames, t)
	}
	sort.Slice(typeNames, func(i, j int) bool { return typeRank(typeNames[i]) < typeRank(typeNames[j]) })
	for _, t := range typeNames {
		n := types[t]
		if n <= 0 {
			continue
		}
		var cands []Question
		for _, q := range bank {
			if used[q.ID] || t != "" && q.Type != normType(t) {
				continue
			}
			if len(wantPoint) > 0 && !slices.ContainsFunc(q.Points, func(p string) bool { return wantPoint[p] }) {
				continue
			}
			cands = append(cands, q)
		}
		targets := splitByProfile(n, spec.Profile)
		var byBand [3][]Question
		for _, q := range cands {
			byBand[band(q.Difficulty)] = append(byBand[band(q.Difficulty)], q)
		}
		label := t
		if label == "" {
			label = "题目"
		}
		for _, b := range []int{0, 1, 2} {
			for k := 0; k < targets[b]; k++ {
				q, from, ok := take(&byBand, b, pointUse, wantPoint, spec.Seed)
				if !ok {
					set.Notes = append(set.Notes, fmt.Sprintf("%s：%s题不足，少%d道", label, bandNames[b], targets[b]-k))
					break
				}
				if from != b {
					set.Notes = append(set.Notes, fmt.Sprintf("%s：%s题不足，用%s题代替1道", label, bandNames[b], bandNames[from]))
				}
				used[q.ID] = true
				for _, p := range q.Points {
					pointUse[p]++
				}
				set.Questions = append(set.Questions, q)
			}
		}
	}
	if len(set.Questions) == 0 {
		return set, fmt.Errorf("teaching: 题库中没有符合条件的题目")
	}
	sort.SliceStable(set.Questions, func(i, j int) bool {
		return typeRank(set.Questions[i].Type) < typeRank(set.Questions[j].Type)
	})
	return set, nil
}

func typeRank(t string) int {
	for i, x := range questionTypes {
		if normType(t) == x {
			return i
		}
	}
	return len(questionTypes)
}

// splitByProfile rounds n×shares to whole questions summing to n.
func splitByProfile(n int, p Profile) [3]int {
	sum := p.Easy + p.Medium + p.Hard
	if sum <= 0 {
		p, sum = DefaultProfile, 1
	}
	shares := [3]float64{p.Easy / sum, p.Medium / sum, p.Hard / sum}
	var out [3]int
	left := n
	for i := range out {
		out[i] = int(float64(n) * shares[i])
		left -= out[i]
	}
	// The remainder goes to the bands with the largest fractions.
	for left > 0 {
		best, bestFrac := 0, -1.0
		for i := range out {
			if f := float64(n)*shares[i] - float64(out[i]); f > bestFrac {
				best, bestFrac = i, f
			}
		}
		out[best]++
		left--
	}
	return out
}

// take removes and returns the best question of band b (or, when it is
// empty, of the nearest band): the one whose asked knowledge points have
// been used least so far, ties broken by a hash of the seed and id.
func take(byBand *[3][]Question, b int, pointUse map[string]int, want map[string]bool, seed string) (Question, int, bool) {
	order := []int{b, b - 1, b + 1, b - 2, b + 2}
	for _, bb := range order {
		if bb < 0 || bb > 2 || len(byBand[bb]) == 0 {
			continue
		}
		qs := byBand[bb]
		best := 0
		for i := 1; i < len(qs); i++ {
			if better(qs[i], qs[best], pointUse, want, seed) {
				best = i
			}
		}
		q := qs[best]
		byBand[bb] = append(qs[:best:best], qs[best+1:]...)
		return q, bb, true
	}
	return Question{}, 0, false
}

func better(a, b Question, use map[string]int, want map[string]bool, seed string) bool {
	ua, ub := minUse(a, use, want), minUse(b, use, want)
	if ua != ub {
		return ua < ub
	}
	return hash(seed+a.ID) < hash(seed+b.ID)
}

// minUse is how often the least-used asked point of q has been used.
func minUse(q Question, use map[string]int, want map[string]bool) int {
	m := -1
	for _, p := range q.Points {
		if len(want) > 0 && !want[p] {
			continue
		}
		if m < 0 || use[p] < m {
			m = use[p]
		}
	}
	return m
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
