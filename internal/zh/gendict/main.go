// Command gendict writes the segmentation dictionary Fuwu embeds: the
// simplified-Chinese dictionary that ships with github.com/go-ego/gse
// (derived from jieba's, MIT/Apache-2.0), keeping words seen at least
// -min times. The full dictionary takes ~2 s and ~130 MB to load; the
// trimmed one a fifth of that, and rare words are covered by the search
// index's character n-gram channel and Fuwu's own lexicon.
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
	src := filepath.Join(strings.TrimSpace(string(dir)), "data", "dict", "zh", "s_1.txt")
	in, err := os.Open(src)
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
		if err != nil || n < minFreq {
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
