package main

import (
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// Stamped by "make release" (-ldflags -X); a plain "go build" leaves
// these, and version falls back to what the Go toolchain recorded.
var (
	version   = ""
	commit    = ""
	buildDate = ""
)

func init() {
	register(&command{
		name:    "version",
		summary: "print the version, commit, build date and Go version; --sbom FILE writes a CycloneDX SBOM of a binary",
		run:     runVersion,
	})
}

// buildFacts is what "fuwu version" prints.
type buildFacts struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	BuildDate string `json:"build_date"`
	Go        string `json:"go"`
	Platform  string `json:"platform"`
}

func currentBuild() buildFacts {
	f := buildFacts{Version: version, Commit: commit, BuildDate: buildDate, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if f.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			f.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && f.Commit == "":
				f.Commit = s.Value
			case s.Key == "vcs.time" && f.BuildDate == "":
				f.BuildDate = s.Value
			}
		}
	}
	for _, p := range []*string{&f.Version, &f.Commit, &f.BuildDate} {
		if *p == "" {
			*p = "unknown"
		}
	}
	if f.Version == "unknown" {
		f.Version = "dev"
	}
	return f
}

func runVersion(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("version", std.err)
	asJSON := fs.Bool("json", false, "print as JSON")
	sbom := fs.String("sbom", "", "write a CycloneDX 1.5 SBOM of the Go binary at this path (any architecture) to standard output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	if *sbom != "" {
		bi, err := buildinfo.ReadFile(*sbom)
		if err != nil {
			return fmt.Errorf("read build information of %s: %w", *sbom, err)
		}
		return writeSBOM(std.out, bi)
	}
	f := currentBuild()
	if *asJSON {
		enc := json.NewEncoder(std.out)
		enc.SetIndent("", "  ")
		return enc.Encode(f)
	}
	fmt.Fprintf(std.out, "fuwu %s\ncommit     %s\nbuilt      %s\ngo         %s\nplatform   %s\n", f.Version, f.Commit, f.BuildDate, f.Go, f.Platform)
	return nil
}

// writeSBOM writes a CycloneDX 1.5 JSON bill of materials listing every
// module linked into the binary bi describes, with the checksum go.sum
// holds for it. The serial number is derived from the contents, so the
// same binary gives the same document.
func writeSBOM(w io.Writer, bi *buildinfo.BuildInfo) error {
	type hash struct {
		Alg     string `json:"alg"`
		Content string `json:"content"`
	}
	type component struct {
		Type    string `json:"type"`
		BOMRef  string `json:"bom-ref"`
		Name    string `json:"name"`
		Version string `json:"version"`
		PURL    string `json:"purl"`
		Hashes  []hash `json:"hashes,omitempty"`
	}
	type property struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	purl := func(path, v string) string { return "pkg:golang/" + path + "@" + v }
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	mainVersion := bi.Main.Version
	if v := ldflagValue(settings["-ldflags"], "main.version"); v != "" {
		mainVersion = v
	}
	if mainVersion == "" || mainVersion == "(devel)" {
		mainVersion = "dev"
	}
	var comps []component
	digest := sha256.New()
	fmt.Fprintf(digest, "%s@%s\n", bi.Main.Path, mainVersion)
	for _, d := range bi.Deps {
		m := d
		if d.Replace != nil {
			m = d.Replace
		}
		c := component{Type: "library", BOMRef: purl(m.Path, m.Version), Name: m.Path, Version: m.Version, PURL: purl(m.Path, m.Version)}
		// go.sum's "h1:" is base64 SHA-256 (of the module's file tree);
		// CycloneDX wants hex.
		if b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(m.Sum, "h1:")); err == nil && strings.HasPrefix(m.Sum, "h1:") && len(b) == sha256.Size {
			c.Hashes = []hash{{Alg: "SHA-256", Content: hex.EncodeToString(b)}}
		}
		comps = append(comps, c)
		fmt.Fprintf(digest, "%s@%s %s\n", m.Path, m.Version, m.Sum)
	}
	sum := digest.Sum(nil)
	sum[6] = sum[6]&0x0f | 0x50 // a name-based UUID layout (version 5 bits)
	sum[8] = sum[8]&0x3f | 0x80
	serial := fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	props := []property{{"go", bi.GoVersion}}
	for _, k := range []string{"GOOS", "GOARCH", "CGO_ENABLED"} {
		if v, ok := settings[k]; ok {
			props = append(props, property{k, v})
		}
	}
	doc := map[string]any{
		"bomFormat":    "CycloneDX",
		"specVersion":  "1.5",
		"serialNumber": serial,
		"version":      1,
		"metadata": map[string]any{
			"component":  component{Type: "application", BOMRef: purl(bi.Main.Path, mainVersion), Name: bi.Main.Path, Version: mainVersion, PURL: purl(bi.Main.Path, mainVersion)},
			"tools":      map[string]any{"components": []map[string]string{{"type": "application", "name": "fuwu version --sbom"}}},
			"properties": props,
		},
		"components": comps,
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// ldflagValue finds -X name=value in a recorded -ldflags setting.
func ldflagValue(ldflags, name string) string {
	f := strings.Fields(ldflags)
	for i, a := range f {
		v := ""
		switch {
		case a == "-X" && i+1 < len(f):
			v = f[i+1]
		case strings.HasPrefix(a, "-X="):
			v = strings.TrimPrefix(a, "-X=")
		}
		if k, val, ok := strings.Cut(v, "="); ok && k == name {
			return val
		}
	}
	return ""
}
