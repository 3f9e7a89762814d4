package gongwen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func readSource(t testing.TB, path string) *Source {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := ReadText(data)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func readExpect(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

func ruleTexts(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"\t"+f.Text)
	}
	sort.Strings(out)
	return out
}

// checkPositions verifies that every finding's Text stands in the input at
// exactly its paragraph and offset (and line and column for text).
func checkPositions(t *testing.T, src *Source, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		if f.Paragraph < 1 || f.Paragraph > len(src.Paragraphs) {
			t.Errorf("%+v: paragraph out of range", f)
			continue
		}
		rs := []rune(src.Paragraphs[f.Paragraph-1])
		n := len([]rune(f.Text))
		if f.Offset < 0 || f.Offset+n > len(rs) || string(rs[f.Offset:f.Offset+n]) != f.Text {
			t.Errorf("%+v: text not at its position", f)
		}
		if src.Text && (f.Line != f.Paragraph || f.Column != f.Offset+1) {
			t.Errorf("%+v: line/column wrong", f)
		}
		if !src.Text && (f.Line != 0 || f.Column != 0) {
			t.Errorf("%+v: .docx finding has line/column", f)
		}
		if f.Rule == "" || f.Message == "" || (f.Severity != Error && f.Severity != Warning && f.Severity != Info) {
			t.Errorf("%+v: incomplete finding", f)
		}
	}
}

func TestCheckGolden(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/check/*.txt")
	if len(files) < 3 {
		t.Fatalf("golden files missing: %v", files)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src := readSource(t, path)
			got := Check(src)
			checkPositions(t, src, got)
			var want []string
			if exp := strings.TrimSuffix(path, ".txt") + ".expect"; fileExists(exp) {
				want = readExpect(t, exp)
			} else if !strings.HasPrefix(filepath.Base(path), "clean_") {
				t.Fatalf("%s has neither an .expect file nor a clean_ name", path)
			}
			if g := ruleTexts(got); !equalStrings(g, want) {
				t.Errorf("findings differ\n got: %q\nwant: %q", g, want)
				for _, f := range got {
					t.Logf("%+v", f)
				}
			}
			// The same document as .docx, one paragraph a line. Text
			// wrapped by hard line breaks (the seed, from PDF) is not a
			// .docx anyone writes, so it is checked as text only.
			if strings.Contains(path, "seed") {
				return
			}
			dsrc, err := ReadDOCX(rawDOCX(t, src.Paragraphs))
			if err != nil {
				t.Fatal(err)
			}
			dgot := Check(dsrc)
			checkPositions(t, dsrc, dgot)
			if g := ruleTexts(dgot); !equalStrings(g, want) {
				t.Errorf(".docx findings differ\n got: %q\nwant: %q", g, want)
			}
		})
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rawDOCX wraps paragraphs into a minimal .docx, text split over several
// runs to exercise the reader.
func rawDOCX(t testing.TB, paras []string) []byte {
	t.Helper()
	var b bytes.Buffer
	var body strings.Builder
	for _, p := range paras {
		rs := []rune(p)
		half := len(rs) / 2
		body.WriteString(para(pPr{}, run(string(rs[:half]), FontBody, SizeBody, ""), run(string(rs[half:]), FontBody, SizeBody, "")))
	}
	d := &Document{Title: "x"}
	if err := writeDOCXParts(&b, d, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+body.String()+`</w:body></w:document>`); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		want []string // rule<TAB>text<TAB>suggestion
	}{
		{"　　会议于2024年2月30日召开。", []string{"number.date.invalid\t2024年2月30日\t"}},
		{"　　二0二四年工作要点已印发。", []string{"number.zero\t二0二四年\t二〇二四年"}},
		{"　　请按时参加,不得缺席。", []string{"punct.halfwidth\t,\t，"}},
		{"　　他说\"好\"。", []string{"punct.halfwidth\t\"\t“", "punct.halfwidth\t\"\t”"}},
		{"　　工作完成的很好。", []string{"wording.de\t的\t得"}},
		{"　　取得了积极的推动作用。", nil},
		{"　　认真研究研究这个问题。", nil},
		{"　　工作工作要抓紧。", []string{"wording.repeat\t工作工作\t工作"}},
		{"　　此事不了了之。", nil},
		{"　　截止目前已办结。", []string{"wording.confusable\t截止目前\t截至目前"}},
		{"　　农业部门要配合。", nil},
		{"　　农业部印发了文件。", []string{"wording.term\t农业部\t农业农村部"}},
		{"　　北京、上海、广州等三个城市。", []string{"punct.etc\t等\t"}},
		{"　　会议时间为8:30。", nil},
		{"　　增长1.5个百分点。", nil},
		{"　　依据深府办〔2024〕3号文件执行。", nil},
		{"　　依据深府办(2024)3号文件执行。", []string{"format.docnum.bracket\t(\t〔", "format.docnum.bracket\t)\t〕"}},
		{"　　这是“引号”和‘单引号’。", nil},
		{"　　这是“引号。", []string{"punct.unpaired\t“\t"}},
		{"　　这是引号”。", []string{"punct.unpaired\t”\t"}},
		{"　　真的吗？！", nil},
		{"　　电话0755-83988110。", nil},
	}
	for _, c := range cases {
		src, _ := ReadText([]byte(c.text))
		got := Check(src)
		checkPositions(t, src, got)
		var g []string
		for _, f := range got {
			g = append(g, f.Rule+"\t"+f.Text+"\t"+f.Suggestion)
		}
		if !equalStrings(g, c.want) {
			t.Errorf("%s\n got: %q\nwant: %q", c.text, g, c.want)
		}
	}
}

func TestFindingJSONShape(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Finding{Rule: "r"})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	keys := []string{}
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"column", "line", "message", "offset", "paragraph", "rule", "severity", "suggestion", "text"}
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
}

func TestReadTextGB18030(t *testing.T) {
	t.Parallel()
	// "关于" in GB18030, which is not valid UTF-8.
	src, err := ReadText([]byte{0xb9, 0xd8, 0xd3, 0xda, '\r', '\n', 'a'})
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Paragraphs) != 2 || src.Paragraphs[0] != "关于" {
		t.Errorf("got %q", src.Paragraphs)
	}
	if _, err := ReadFile("x.pdf", strings.NewReader("%PDF"), 4); err == nil {
		t.Error("a .pdf should be refused")
	}
	if _, err := ReadFile("x.docx", strings.NewReader("not a zip"), 9); err == nil {
		t.Error("a broken .docx should be refused")
	}
}

func BenchmarkCheckSeed(b *testing.B) {
	src := readSource(b, "testdata/check/clean_seed_letter.txt")
	Check(src) // load the lexicon outside the timing
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Check(src)
	}
}

func FuzzCheck(f *testing.F) {
	for _, p := range []string{"testdata/check/planted_notice.txt", "testdata/check/clean_request.txt"} {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Add([]byte("（一）、1、\"(“《〔24〕第0号"))
	// Load the speller's lexicon and model (seconds on a busy machine)
	// before the first input, in each worker, so that the first input is
	// not taken for a hang.
	DefaultSpeller()
	wordLists()
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := ReadText(data)
		if err != nil {
			return
		}
		fs := Check(src)
		checkPositions(t, src, fs)
	})
}

func FuzzReadDOCX(f *testing.F) {
	f.Add(rawDOCX(f, []string{"标题", "正文。"}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := ReadDOCX(data)
		if err != nil {
			return
		}
		Check(src)
	})
}

// What could not be checked is said: a snippet has no title, type or
// 成文日期, so its rules did not run and an empty list of findings is not
// an all-clear; a whole document is checked in full.
func TestUnchecked(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		path string
		want []string // prefixes
	}{
		{"testdata/check/planted_basics.txt", nil},
		{"testdata/check/clean_request.txt", nil},
		{"testdata/check/clean_seed_letter.txt", nil},
	} {
		if got := Unchecked(readSource(t, c.path)); len(got) != len(c.want) {
			t.Errorf("%s: unchecked %q", c.path, got)
		}
	}
	src, _ := ReadText([]byte("各单位要认真安排参训人员。\n"))
	got := Unchecked(src)
	if len(Check(src)) != 0 || len(got) != 3 || !strings.HasPrefix(got[0], "标题") || !strings.HasPrefix(got[1], "文种") || !strings.HasPrefix(got[2], "成文日期") {
		t.Errorf("snippet: findings %v, unchecked %q", Check(src), got)
	}
}

// A finding's message says what is wrong without repeating its text or
// suggestion, which are shown beside it.
func TestMessagesSayItOnce(t *testing.T) {
	t.Parallel()
	src := readSource(t, "testdata/check/planted_basics.txt")
	for _, f := range Check(src) {
		if strings.Contains(f.Message, "“"+f.Text+"”") && strings.Contains(f.Message, "“"+f.Suggestion+"”") && f.Suggestion != "" {
			t.Errorf("%s: message %q repeats text %q and suggestion %q", f.Rule, f.Message, f.Text, f.Suggestion)
		}
		if f.Rule == "wording.confusable" && f.Message != "错别字" {
			t.Errorf("confusable message %q", f.Message)
		}
	}
}
