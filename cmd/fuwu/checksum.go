package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/cryptosuite"
)

func init() {
	register(&command{
		name:    "checksum",
		summary: "SM3 or SHA-256 checksums of files, or --check a sums file (as sha256sum prints)",
		run:     runChecksum,
	})
}

// runChecksum prints "<hex>  <name>" lines like sha256sum, so that a
// release's SM3SUMS can be checked on an intranet without GmSSL.
func runChecksum(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("checksum", std.err)
	algo := fs.String("algo", "sm3", "sm3 or sha256")
	check := fs.String("check", "", "a sums file to verify (names relative to its folder)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var suite cryptosuite.Suite
	switch *algo {
	case "sm3":
		suite = cryptosuite.GM
	case "sha256":
		suite = cryptosuite.Standard
	default:
		return fmt.Errorf("--algo %q: want sm3 or sha256", *algo)
	}
	if *check != "" {
		return checkSums(suite, *check, std)
	}
	if len(pos) == 0 {
		return fmt.Errorf("name the files to sum")
	}
	for _, p := range pos {
		sum, err := fileSum(suite, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.out, "%s  %s\n", sum, p)
	}
	return nil
}

func fileSum(suite cryptosuite.Suite, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := suite.NewHash()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func checkSums(suite cryptosuite.Suite, sumsPath string, std stdio) error {
	f, err := os.Open(sumsPath)
	if err != nil {
		return err
	}
	defer f.Close()
	dir := filepath.Dir(sumsPath)
	bad, n := 0, 0
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		want, name, ok := strings.Cut(strings.TrimSpace(sc.Text()), "  ")
		if !ok {
			if sc.Text() != "" {
				return fmt.Errorf("%s line %d: want \"<hex>  <file>\"", sumsPath, line)
			}
			continue
		}
		name = strings.TrimPrefix(name, "*")
		got, err := fileSum(suite, filepath.Join(dir, name))
		n++
		switch {
		case err != nil:
			bad++
			fmt.Fprintf(std.out, "%s: 无法读取 (%v)\n", name, err)
		case got != strings.ToLower(want):
			bad++
			fmt.Fprintf(std.out, "%s: 校验失败\n", name)
		default:
			fmt.Fprintf(std.out, "%s: OK\n", name)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if bad > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d files do not match %s", bad, n, sumsPath)}
	}
	return nil
}
