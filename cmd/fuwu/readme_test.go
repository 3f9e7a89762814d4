package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeMapsTheTree: the README's "Where things are" names every
// package under internal/ and every command.
func TestReadmeMapsTheTree(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "### Where things are")
	section, _, _ = strings.Cut(section, "\n### ")
	dirs, err := os.ReadDir("../../internal")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && !strings.Contains(section, "internal/"+d.Name()+" ") {
			t.Errorf("README's map does not name internal/%s", d.Name())
		}
	}
	first, _, _ := strings.Cut(section[strings.Index(section, "cmd/fuwu/"):], "\n")
	for name := range commands {
		if !strings.Contains(first, " "+name+",") && !strings.Contains(first, " "+name+";") && !strings.HasSuffix(first, " "+name) {
			t.Errorf("README's map does not list the command %s", name)
		}
	}
}
