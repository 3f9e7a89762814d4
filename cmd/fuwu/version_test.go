package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"debug/buildinfo"
	"runtime/debug"
)

func TestChecksumSM3AndCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// GB/T 32905-2016 example 1: SM3("abc").
	if err := os.WriteFile(filepath.Join(dir, "abc.txt"), []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "checksum", filepath.Join(dir, "abc.txt"))
	if code != 0 || !strings.HasPrefix(out, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0  ") {
		t.Fatalf("sm3: %d %q %q", code, out, errs)
	}
	code, out, _ = runCmd(t, "checksum", "--algo", "sha256", filepath.Join(dir, "abc.txt"))
	if code != 0 || !strings.HasPrefix(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  ") {
		t.Fatalf("sha256: %q", out)
	}
	sums := filepath.Join(dir, "SM3SUMS")
	os.WriteFile(sums, []byte("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0  abc.txt\n"), 0o644)
	if code, out, errs = runCmd(t, "checksum", "--check", sums); code != 0 || !strings.Contains(out, "abc.txt: OK") {
		t.Fatalf("check: %d %q %q", code, out, errs)
	}
	os.WriteFile(filepath.Join(dir, "abc.txt"), []byte("abd"), 0o644)
	if code, out, errs = runCmd(t, "checksum", "--check", sums); code != 1 || !strings.Contains(out, "校验失败") || !strings.Contains(errs, "1 of 1 files") {
		t.Fatalf("changed file passed: %d %q %q", code, out, errs)
	}
}

// Not parallel: it sets the version variables the build stamps.
func TestVersionStamped(t *testing.T) {
	old := [3]string{version, commit, buildDate}
	version, commit, buildDate = "v1.2.3", "abc123", "2026-12-01T00:00:00Z"
	defer func() { version, commit, buildDate = old[0], old[1], old[2] }()
	code, out, _ := runCmd(t, "version")
	if code != 0 || !strings.Contains(out, "fuwu v1.2.3") || !strings.Contains(out, "commit     abc123") || !strings.Contains(out, "built      2026-12-01T00:00:00Z") || !strings.Contains(out, "go         go1.") {
		t.Fatalf("version: %q", out)
	}
	code, out, _ = runCmd(t, "version", "--json")
	var f buildFacts
	if code != 0 || json.Unmarshal([]byte(out), &f) != nil || f.Version != "v1.2.3" || f.Platform == "" {
		t.Fatalf("version --json: %q", out)
	}
}

func TestSBOM(t *testing.T) {
	t.Parallel()
	bi := &buildinfo.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/fuwu-gov/fuwu", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "github.com/emmansun/gmsm", Version: "v0.34.1", Sum: "h1:7eMyHjB0AeoSZ+sB3FZE9gZOJBZFbtY0tmWJdVFkfc0="},
			{Path: "example.com/old", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.0.1"}},
		},
		Settings: []debug.BuildSetting{{Key: "-ldflags", Value: "-s -w -X main.version=v9.9.9 -X main.commit=x"}, {Key: "GOARCH", Value: "loong64"}, {Key: "GOOS", Value: "linux"}},
	}
	var a, b strings.Builder
	if err := writeSBOM(&a, bi); err != nil {
		t.Fatal(err)
	}
	writeSBOM(&b, bi)
	if a.String() != b.String() {
		t.Error("SBOM not deterministic")
	}
	var doc struct {
		BOMFormat, SpecVersion, SerialNumber string
		Metadata                             struct {
			Component  struct{ Name, Version, PURL string }
			Properties []struct{ Name, Value string }
		}
		Components []struct {
			Type, Name, Version, PURL string
			Hashes                    []struct{ Alg, Content string }
		}
	}
	if err := json.Unmarshal([]byte(a.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.BOMFormat != "CycloneDX" || doc.SpecVersion != "1.5" || !strings.HasPrefix(doc.SerialNumber, "urn:uuid:") || len(doc.SerialNumber) != 45 {
		t.Errorf("header: %+v", doc)
	}
	if doc.Metadata.Component.Version != "v9.9.9" || doc.Metadata.Component.PURL != "pkg:golang/github.com/fuwu-gov/fuwu@v9.9.9" {
		t.Errorf("main component: %+v", doc.Metadata.Component)
	}
	if len(doc.Components) != 2 || doc.Components[0].PURL != "pkg:golang/github.com/emmansun/gmsm@v0.34.1" ||
		len(doc.Components[0].Hashes) != 1 || doc.Components[0].Hashes[0].Content != "ede3321e307401ea1267eb01dc5644f6064e2416456ed634b665897551647dcd" {
		t.Errorf("gmsm component: %+v", doc.Components)
	}
	if doc.Components[1].Name != "example.com/fork" || doc.Components[1].Version != "v1.0.1" || len(doc.Components[1].Hashes) != 0 {
		t.Errorf("replaced module: %+v", doc.Components[1])
	}
	found := false
	for _, p := range doc.Metadata.Properties {
		found = found || (p.Name == "GOARCH" && p.Value == "loong64")
	}
	if !found {
		t.Errorf("properties: %+v", doc.Metadata.Properties)
	}
}
