package gongwen

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func mm(twips int) float64 { return float64(twips) / 1440 * 25.4 }

func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no %s in .docx", name)
	return ""
}

// sectGeometry reads page size, margins and the grid's line pitch from a
// document.xml, whoever wrote it.
type sectGeometry struct {
	w, h, top, right, bottom, left, linePitch int
}

func readGeometry(t *testing.T, docXML string) sectGeometry {
	t.Helper()
	attr := func(elem, name string) int {
		re := regexp.MustCompile(`<w:` + elem + `\b[^>]*\bw:` + name + `="(-?\d+)"`)
		m := re.FindAllStringSubmatch(docXML, -1)
		if m == nil {
			t.Fatalf("no w:%s/@w:%s", elem, name)
		}
		n, _ := strconv.Atoi(m[len(m)-1][1])
		return n
	}
	return sectGeometry{attr("pgSz", "w"), attr("pgSz", "h"), attr("pgMar", "top"), attr("pgMar", "right"),
		attr("pgMar", "bottom"), attr("pgMar", "left"), attr("docGrid", "linePitch")}
}

// checkGB9704 checks geometry against GB/T 9704-2012 within 0.5 mm.
func checkGB9704(t *testing.T, who string, g sectGeometry) {
	t.Helper()
	near := func(what string, got float64, want float64) {
		if math.Abs(got-want) > 0.5 {
			t.Errorf("%s: %s = %.2f mm, want %.1f mm", who, what, got, want)
		}
	}
	near("page width", mm(g.w), 210)
	near("page height", mm(g.h), 297)
	near("天头 (top margin)", mm(g.top), 37)
	near("订口 (left margin)", mm(g.left), 28)
	near("版心 width", mm(g.w-g.left-g.right), 156)
	near("版心 height", mm(g.h-g.top-g.bottom), 225)
	near("22 lines", 22*mm(g.linePitch), 225)
}

func sampleDOCX(t *testing.T) (*Document, []byte) {
	t.Helper()
	f := sampleForm(Request)
	f.Attachments = append(f.Attachments, Attachment{Name: "经费测算表", Body: []string{"略。"}})
	res, err := Draft(context.Background(), f, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteDOCX(&b, res.Document); err != nil {
		t.Fatal(err)
	}
	return res.Document, b.Bytes()
}

func TestDOCXLayout(t *testing.T) {
	t.Parallel()
	d, data := sampleDOCX(t)
	doc := zipPart(t, data, "word/document.xml")
	if err := xml.Unmarshal([]byte(doc), new(struct{})); err != nil {
		t.Fatalf("document.xml is not well-formed: %v", err)
	}
	checkGB9704(t, "Fuwu", readGeometry(t, doc))
	// 28 characters of 3号 a line.
	if cs := readGeometry(t, doc); true {
		_ = cs
		re := regexp.MustCompile(`w:charSpace="(-?\d+)"`)
		n, _ := strconv.Atoi(re.FindStringSubmatch(doc)[1])
		pitch := 16 + float64(n)/4096 // pt
		if got := 28 * pitch / 72 * 25.4; math.Abs(got-156) > 0.5 {
			t.Errorf("28 characters take %.2f mm, want 156", got)
		}
	}
	for _, want := range []string{
		`w:eastAsia="` + FontBody + `"`, // body 仿宋_GB2312
		`<w:sz w:val="32"/>`,            // 3号
		`w:eastAsia="` + FontTitle + `"`,
		`<w:sz w:val="44"/>`,        // title 2号
		`<w:color w:val="FF0000"/>`, // red 发文机关标志
		`<w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/>`, // red separator
		`w:firstLineChars="200"`, // 首行缩进二字
		`w:line="579" w:lineRule="exact"`,
		`<w:pageBreakBefore/>`, // attachments start a new page
		`w:eastAsia="` + FontHei + `"`,
		esc(d.Title),
		"附件：1.自查情况表",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(zipPart(t, data, "word/settings.xml"), "<w:evenAndOddHeaders/>") {
		t.Error("odd and even pages need their own footers")
	}
	odd, even := zipPart(t, data, "word/footer1.xml"), zipPart(t, data, "word/footer2.xml")
	for name, f := range map[string]string{"odd": odd, "even": even} {
		if !strings.Contains(f, "— ") || !strings.Contains(f, "PAGE") || !strings.Contains(f, `<w:sz w:val="28"/>`) || !strings.Contains(f, FontSong) {
			t.Errorf("%s footer is not “— n —” in 4号宋体: %s", name, f)
		}
	}
	if !strings.Contains(odd, `<w:jc w:val="right"/>`) || !strings.Contains(even, `<w:jc w:val="left"/>`) {
		t.Error("page numbers must sit right on odd pages, left on even ones")
	}
}

// TestLibreOffice opens the .docx in LibreOffice, converts it to PDF (A4,
// more than one page) and back to .docx, and reads the geometry back from
// the XML LibreOffice wrote.
func TestLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("FUWU_REQUIRE_LIBREOFFICE") == "1" {
			t.Fatal("FUWU_REQUIRE_LIBREOFFICE=1 but soffice is not installed (apt-get install libreoffice-writer-nogui)")
		}
		t.Skip("soffice not installed")
	}
	_, data := sampleDOCX(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "draft.docx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	convert := func(filter, outDir string) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--headless", "--norestore", "--convert-to", filter, "--outdir", outDir, in)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", filter, err, out)
		}
	}
	convert("pdf", dir)
	pdf, err := os.ReadFile(filepath.Join(dir, "draft.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatal("not a PDF")
	}
	m := regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no MediaBox in the PDF")
	}
	w, _ := strconv.ParseFloat(string(m[1]), 64)
	h, _ := strconv.ParseFloat(string(m[2]), 64)
	if math.Abs(w/72*25.4-210) > 1 || math.Abs(h/72*25.4-297) > 1 {
		t.Errorf("PDF page %.1f × %.1f mm, want A4", w/72*25.4, h/72*25.4)
	}
	if c := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1); len(c) < 2 {
		t.Errorf("PDF has %d page(s); the attachments should start a new page", len(c))
	}
	back := filepath.Join(dir, "back")
	convert("docx:MS Word 2007 XML", back)
	lo, err := os.ReadFile(filepath.Join(back, "draft.docx"))
	if err != nil {
		t.Fatal(err)
	}
	doc := zipPart(t, lo, "word/document.xml")
	checkGB9704(t, "LibreOffice", readGeometry(t, doc))
	for _, want := range []string{FontBody, FontTitle, FontHei, `w:val="FF0000"`} {
		if !strings.Contains(doc, want) && !strings.Contains(zipPart(t, lo, "word/styles.xml"), want) {
			t.Errorf("LibreOffice's .docx lost %s", want)
		}
	}
}
