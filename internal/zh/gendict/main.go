// Command gendict writes the segmentation dictionary Fuwu embeds: the
// simplified-Chinese dictionary that ships with github.com/go-ego/gse
// (derived from jieba's, MIT/Apache-2.0), keeping words seen at least
// -min times. The full dictionary takes ~2 s and ~130 MB to load; the
// trimmed one a fifth of that, and rare words are covered by the search
// index's character n-gram channel and Fuwu's own lexicon.
//
// gse's simplified dictionary lists thousands of everyday single
// characters (进, 回, 出, 领, 报, 家 …) only with a token frequency (2–15,
// tag zg), so that trimming drops them and the segmenter glues them to
// the next word (迁进深圳 became 迁/进深/圳, 回天津 回天/津). The
// traditional dictionary beside it has their real counts (進 25,668);
// a single character takes the larger of its own and its traditional
// form's, folded with OpenCC's table (internal/zh/dict/TSCharacters.txt).
//
//	go run ./internal/zh/gendict -min 20
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	minFreq := flag.Int("min", 20, "minimum frequency to keep a word")
	out := flag.String("out", "internal/zh/dict/base.txt.gz", "output file")
	flag.Parse()
	if err := run(*minFreq, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gendict:", err)
		os.Exit(1)
	}
}

func run(minFreq int, out string) error {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		return fmt.Errorf("locate gse: %w", err)
	}
	zhDir := filepath.Join(strings.TrimSpace(string(dir)), "data", "dict", "zh")
	single, err := traditionalSingles(filepath.Join(zhDir, "t_1.txt"), filepath.Join("internal", "zh", "dict", "TSCharacters.txt"))
	if err != nil {
		return err
	}
	in, err := os.Open(filepath.Join(zhDir, "s_1.txt"))
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	sc := bufio.NewScanner(in)
	kept := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil {
			continue
		}
		if t := single[fields[0]]; t > n {
			n = t
		}
		if n < minFreq {
			continue
		}
		fmt.Fprintf(w, "%s %d\n", fields[0], n)
		kept++
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Printf("kept %d words (freq >= %d) in %s\n", kept, minFreq, out)
	return f.Close()
}

// traditionalSingles reads the single characters of the traditional
// dictionary tdict with their frequencies, keyed by their simplified
// form (the OpenCC table ts); a character with several traditional forms
// keeps the largest.
func traditionalSingles(tdict, ts string) (map[string]int, error) {
	fold := map[string]string{}
	raw, err := os.ReadFile(ts)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && utf8.RuneCountInString(f[0]) == 1 && utf8.RuneCountInString(f[1]) == 1 {
			fold[f[0]] = f[1]
		}
	}
	in, err := os.Open(tdict)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || utf8.RuneCountInString(f[0]) != 1 {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		c := f[0]
		if s, ok := fold[c]; ok {
			c = s
		}
		out[c] = max(out[c], n)
	}
	return out, sc.Err()
}
