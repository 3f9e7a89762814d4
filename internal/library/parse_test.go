package library

import (
	"os"
	"strings"
	"testing"
)

func TestNumerals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		s string
		n int
	}{
		{"一", 1}, {"十", 10}, {"十五", 15}, {"二十", 20}, {"三十六", 36}, {"一百", 100},
		{"一百零五", 105}, {"一百一十三", 113}, {"一千二百六十", 1260}, {"两千", 2000},
		{"一千零一", 1001}, {"九千九百九十九", 9999}, {"30", 30},
	} {
		got, ok := ParseNumeral(c.s)
		if !ok || got != c.n {
			t.Errorf("ParseNumeral(%q) = %d, %v; want %d", c.s, got, ok, c.n)
		}
		if c.s != "30" && c.s != "两千" {
			if back := Numeral(c.n); back != c.s {
				t.Errorf("Numeral(%d) = %q, want %q", c.n, back, c.s)
			}
		}
	}
	for _, bad := range []string{"", "二三", "百", "千五", "条", "一x"} {
		if n, ok := ParseNumeral(bad); ok {
			t.Errorf("ParseNumeral(%q) = %d, accepted", bad, n)
		}
	}
	for _, c := range []struct {
		s    string
		want ArticleNo
	}{
		{"第三十条", ArticleNo{30, 0}}, {"第三十条之一", ArticleNo{30, 1}},
		{"第一千二百六十条", ArticleNo{1260, 0}}, {"第30条", ArticleNo{30, 0}}, {"四十二", ArticleNo{42, 0}},
	} {
		got, ok := ParseArticleNo(c.s)
		if !ok || got != c.want {
			t.Errorf("ParseArticleNo(%q) = %v, %v", c.s, got, ok)
		}
	}
	if s := (ArticleNo{30, 1}).String(); s != "第三十条之一" {
		t.Errorf("String = %q", s)
	}
}

// A law with everything the parser must tell apart: notes, 编/章/节,
// 款, 项, an inserted article, numbers in the thousands, and paragraphs
// that open with a cross-reference.
const sampleLaw = `# 中华人民共和国示例法

2020年5月28日 第十三届全国人民代表大会第三次会议通过

2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议修正

<!-- INFO END -->

## 第一编 总则

### 第一章 一般规定

第一条 为了示例，制定本法。

第二条 本法适用于下列情形：

（一）第一种情形；

（二）第二种情形。

依照本法第三十条的规定处理的，从其规定。

第三十条规定的期限，不包括节假日。

第二条之一 本条是后来插入的。

## 第二编 分则

### 第一章 其他

#### 第一节 细则

第一千二百五十九条 前条所称期间，按日计算。

第一千二百六十条 本法自2024年1月1日起施行。
`

func parseString(t *testing.T, name, text string) *Document {
	t.Helper()
	d, err := ReadFile(name, strings.NewReader(text), int64(len(text)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseLaw(t *testing.T) {
	t.Parallel()
	d := parseString(t, "示例法(2023-12-29).md", sampleLaw)
	if d.Title != "中华人民共和国示例法" || d.Kind != Law || d.ShortTitle() != "示例法" {
		t.Fatalf("title %q kind %q", d.Title, d.Kind)
	}
	if d.Version != "2023-12-29" || d.Promulgated != "2020-05-28" || d.Effective != "2024-01-01" {
		t.Errorf("dates: version %s promulgated %s effective %s", d.Version, d.Promulgated, d.Effective)
	}
	if d.Issuer != "全国人民代表大会常务委员会" {
		t.Errorf("issuer %q", d.Issuer)
	}
	var labels []string
	for _, a := range d.Articles {
		labels = append(labels, a.Label)
	}
	want := "第一条 第二条 第二条之一 第一千二百五十九条 第一千二百六十条"
	if got := strings.Join(labels, " "); got != want {
		t.Fatalf("articles %q, want %q", got, want)
	}
	a2, _ := d.Article("第二条")
	if len(a2.Paragraphs) != 3 {
		t.Fatalf("第二条 has %d 款, want 3 (the cross-references stay text): %+v", len(a2.Paragraphs), a2.Paragraphs)
	}
	if p, _ := a2.Paragraph(1); len(p.Items) != 2 || p.Items[1].Label != "（二）" || p.Items[1].Text != "第二种情形。" {
		t.Errorf("第二条第一款 items %+v", p.Items)
	}
	if p, _ := a2.Paragraph(3); p.Text != "第三十条规定的期限，不包括节假日。" {
		t.Errorf("第二条第三款 %q", p.Text)
	}
	if _, ok := a2.Paragraph(4); ok {
		t.Error("第四款 of a three-款 article")
	}
	last, _ := d.Article("第一千二百六十条")
	if got := strings.Join(last.Path, "/"); got != "第二编 分则/第一章 其他/第一节 细则" {
		t.Errorf("path %q", got)
	}
	if first, _ := d.Article("第一条"); strings.Join(first.Path, "/") != "第一编 总则/第一章 一般规定" {
		t.Errorf("第一条 path %v", first.Path)
	}
	if got := a2.Text(); !strings.HasPrefix(got, "第二条 本法适用于下列情形：\n（一）第一种情形；") {
		t.Errorf("Text %q", got)
	}
}

func TestParseSections(t *testing.T) {
	t.Parallel()
	text := "关于做好防汛工作的通知\n深福政〔2024〕12号\n一、总体要求\n各单位要落实值班制度。\n二、工作措施\n（一）加强巡查\n每日巡查一次。\n（二）及时上报\n发现险情立即上报。\n"
	d := parseString(t, "notice.txt", text)
	if d.Kind != Sections || d.DocNumber != "深福政〔2024〕12号" {
		t.Fatalf("kind %s docnum %q", d.Kind, d.DocNumber)
	}
	var got []string
	for _, a := range d.Articles {
		got = append(got, strings.Join(append(append([]string{}, a.Path...), a.Label), ">")+"="+a.Body())
	}
	want := []string{"一、总体要求=各单位要落实值班制度。", "二、工作措施>（一）加强巡查=每日巡查一次。", "二、工作措施>（二）及时上报=发现险情立即上报。"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sections\n got %q\nwant %q", got, want)
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, text string }{
		{"empty.md", "\n\n"},
		{"x.exe", "第一条 x"},
		{"bin.txt", "a\x00b"},
		{"broken.docx", "not a zip"},
		{"broken.pdf", "%PDF-1.4 garbage"},
	} {
		if _, err := ReadFile(c.name, strings.NewReader(c.text), int64(len(c.text))); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

// Every law of the shared folder parses into as many articles as it has
// lines starting an article, numbered without gaps.
func TestParseAllLaws(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(lawsDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 25 {
		t.Fatalf("%d laws", len(entries))
	}
	for _, e := range entries {
		data, err := os.ReadFile(lawsDir() + "/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		d := parseString(t, e.Name(), string(data))
		if d.Kind != Law || d.Version == "" || d.Effective == "" {
			t.Errorf("%s: kind %s version %q effective %q", e.Name(), d.Kind, d.Version, d.Effective)
		}
		for i, a := range d.Articles {
			if a.No != (ArticleNo{Main: i + 1}) {
				t.Errorf("%s: article %d is %s", e.Name(), i+1, a.Label)
				break
			}
		}
	}
}
