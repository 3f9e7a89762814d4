//go:build ignore

// gendev makes testdata/csc_dev_kb.jsonl, the development set on which the
// speller's threshold is chosen: sentences from the shared knowledge-base
// fixture (made-up service guides), half of them given one or two
// homophone errors (a character replaced by another with the same toneless
// reading that also occurs in the fixture). Deterministic.
//
//	go run gendev.go -kb /work/shared/kb/items.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"log"
	"math/rand/v2"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

func main() {
	kb := flag.String("kb", "data/kb/items.jsonl", "items.jsonl (the knowledge fixture)")
	out := flag.String("out", "testdata/csc_dev_kb.jsonl", "output")
	flag.Parse()
	f, err := os.Open(*kb)
	if err != nil {
		log.Fatal(err)
	}
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var it map[string]any
		if json.Unmarshal(sc.Bytes(), &it) != nil {
			continue
		}
		collect(it, &texts)
	}
	split := regexp.MustCompile(`[^。！？；]+[。！？；]?`)
	seen := map[string]bool{}
	var sents []string
	for _, t := range texts {
		for _, s := range split.FindAllString(t, -1) {
			s = strings.TrimSpace(s)
			n := utf8.RuneCountInString(s)
			if n < 8 || n > 60 || seen[s] || strings.Contains(s, "http") || hanCount(s) < 6 {
				continue
			}
			seen[s] = true
			sents = append(sents, s)
		}
	}
	sort.Strings(sents)
	byRead := map[string][]rune{}
	have := map[rune]bool{}
	for _, s := range sents {
		for _, r := range s {
			if unicode.Is(unicode.Han, r) && !have[r] {
				have[r] = true
				p := pinyin.SinglePinyin(r, pinyin.Args{Style: pinyin.Normal})
				if len(p) > 0 {
					byRead[p[0]] = append(byRead[p[0]], r)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(2015, 9704))
	w, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, s := range sents {
		src := []rune(s)
		if rng.IntN(2) == 0 {
			for k, n := 0, 1+rng.IntN(2); k < n; k++ {
				for try := 0; try < 20; try++ {
					i := rng.IntN(len(src))
					if !unicode.Is(unicode.Han, src[i]) || src[i] != []rune(s)[i] {
						continue
					}
					p := pinyin.SinglePinyin(src[i], pinyin.Args{Style: pinyin.Normal})
					if len(p) == 0 {
						continue
					}
					alts := byRead[p[0]]
					if len(alts) < 2 {
						continue
					}
					c := alts[rng.IntN(len(alts))]
					if c == src[i] {
						continue
					}
					src[i] = c
					break
				}
			}
		}
		enc.Encode(map[string]string{"source": string(src), "target": s})
	}
	w.Close()
	log.Printf("%d sentences", len(sents))
}

func collect(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) >= 8 {
			*out = append(*out, x)
		}
	case []any:
		for _, e := range x {
			collect(e, out)
		}
	case map[string]any:
		for k, e := range x {
			if k == "url" || k == "id" || k == "contact" {
				continue
			}
			collect(e, out)
		}
	}
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}
