//go:build ignore

// gendict derives data/words.tsv.gz from the simplified-Chinese dictionary
// of github.com/go-ego/gse (Apache-2.0), data/dict/zh/s_1.txt: every entry
// made only of Han characters, 1 to 8 of them, as "word<TAB>freq<TAB>pos".
//
//	go run gendict.go -src $(go env GOMODCACHE)/github.com/go-ego/gse@v0.80.3/data/dict/zh/s_1.txt
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

func main() {
	src := flag.String("src", "", "gse data/dict/zh/s_1.txt")
	out := flag.String("out", "data/words.tsv.gz", "output")
	flag.Parse()
	in, err := os.Open(*src)
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	sc := bufio.NewScanner(in)
	seen := map[string]bool{}
	n := 0
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 2 {
			continue
		}
		word := fs[0]
		if l := utf8.RuneCountInString(word); l < 1 || l > 8 || seen[word] {
			continue
		}
		han := true
		for _, r := range word {
			if !unicode.Is(unicode.Han, r) {
				han = false
				break
			}
		}
		if !han {
			continue
		}
		pos := ""
		if len(fs) > 2 {
			pos = fs[2]
		}
		seen[word] = true
		fmt.Fprintf(w, "%s\t%s\t%s\n", word, fs[1], pos)
		n++
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	w.Flush()
	zw.Close()
	f.Close()
	log.Printf("%d words", n)
}
