//go:build ignore

// genlm derives data/lm.bin.gz, the word bigram language model of the
// speller, from the simplified-Chinese word trigram model that ships with
// libime (fcitx), data/lm_sc.arpa-20220810.tar.xz in its source package
// (Debian source package "libime", 1.0.16; LGPL-2.1-or-later, Copyright
// 2015-2022 CSSlayer; see data/LICENSE.libime-lm).
//
//	apt-get source --download-only libime   # needs a deb-src line
//	tar xJf libime_1.0.16.orig.tar.xz libime-1.0.16/data/lm_sc.arpa-20220810.tar.xz
//	tar xJf libime-1.0.16/data/lm_sc.arpa-20220810.tar.xz   # lm_sc.arpa
//	go run genlm.go -arpa lm_sc.arpa
//
// Kept: every unigram made of Han characters only (log10 probability and
// back-off weight) and every bigram of two such words whose probability
// exceeds its back-off estimate by at least -min (log10), quantised to
// 1/1000. Trigrams are dropped. Format (then gzip): "FWLM1", uvarint word
// count, per word uvarint byte length + UTF-8 + two zigzag varints (logp,
// backoff ×1000); uvarint bigram count, then per bigram, sorted by (w1, w2),
// uvarint w1 delta, uvarint w2 (delta when w1 repeats), zigzag varint logp.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

func main() {
	arpa := flag.String("arpa", "lm_sc.arpa", "libime lm_sc.arpa")
	out := flag.String("out", "data/lm.bin.gz", "output")
	minGain := flag.Float64("min", 0.2, "keep bigrams at least this much (log10) above their back-off estimate")
	flag.Parse()
	f, err := os.Open(*arpa)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	type uni struct{ p, bo float64 }
	ids := map[string]int{}
	var words []string
	var unis []uni
	type bi struct {
		a, b int
		p    float64
	}
	var bis []bi
	section := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var seen, dropped int
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == `\1-grams:`:
			section = 1
			continue
		case line == `\2-grams:`:
			section = 2
			continue
		case line == `\3-grams:`:
			section = 3
		}
		if section == 3 {
			break
		}
		fs := strings.Split(line, "\t")
		if section == 0 || len(fs) < 2 {
			continue
		}
		p, err := strconv.ParseFloat(fs[0], 64)
		if err != nil {
			continue
		}
		bo := 0.0
		if len(fs) > 2 {
			bo, _ = strconv.ParseFloat(fs[2], 64)
		}
		switch section {
		case 1:
			if !han(fs[1]) {
				continue
			}
			ids[fs[1]] = len(words)
			words = append(words, fs[1])
			unis = append(unis, uni{p, bo})
		case 2:
			ws := strings.Split(fs[1], " ")
			if len(ws) != 2 {
				continue
			}
			a, ok1 := ids[ws[0]]
			b, ok2 := ids[ws[1]]
			if !ok1 || !ok2 {
				continue
			}
			seen++
			if p-(unis[a].bo+unis[b].p) < *minGain {
				dropped++
				continue
			}
			bis = append(bis, bi{a, b, p})
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	sort.Slice(bis, func(i, j int) bool {
		if bis[i].a != bis[j].a {
			return bis[i].a < bis[j].a
		}
		return bis[i].b < bis[j].b
	})
	o, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(o, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	var buf [binary.MaxVarintLen64]byte
	uv := func(x uint64) { w.Write(buf[:binary.PutUvarint(buf[:], x)]) }
	sv := func(x float64) { w.Write(buf[:binary.PutVarint(buf[:], int64(math.Round(x*1000)))]) }
	w.WriteString("FWLM1")
	uv(uint64(len(words)))
	for i, s := range words {
		uv(uint64(len(s)))
		w.WriteString(s)
		sv(unis[i].p)
		sv(unis[i].bo)
	}
	uv(uint64(len(bis)))
	prevA, prevB := 0, 0
	for _, b := range bis {
		uv(uint64(b.a - prevA))
		if b.a == prevA {
			uv(uint64(b.b - prevB))
		} else {
			uv(uint64(b.b))
		}
		sv(b.p)
		prevA, prevB = b.a, b.b
	}
	w.Flush()
	zw.Close()
	o.Close()
	fmt.Printf("%d words, %d of %d Han bigrams kept (%d below -min)\n", len(words), len(bis), seen, dropped)
}

func han(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}
