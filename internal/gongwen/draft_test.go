package gongwen

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func sampleForm(t Type) Form {
	recipients := []string{"区直各单位", "各街道办事处"}
	if t == Request {
		recipients = []string{"深圳市福田区人民政府"} // one superior
	}
	return Form{Type: t, Issuer: "深圳市福田区政务服务和数据管理局", DocNumber: "福政数〔2024〕12号", Signer: "王明",
		Recipients: recipients, Subject: "做好2024年政务服务“好差评”工作",
		Points:      []string{"各单位要在9月30日前完成自查", "区政数局将组织抽查，结果纳入年度考核"},
		Attachments: []Attachment{{Name: "自查情况表", Body: []string{"单位名称、自查结果。"}}},
		Date:        time.Date(2024, 9, 19, 0, 0, 0, 0, time.UTC), Contact: "李华，0755-83988110",
		CC: []string{"区委办公室", "区政府办公室"}, PrintedBy: "深圳市福田区政务服务和数据管理局办公室",
		ReplyTo: "关于申请增设自助终端的请示"}
}

// Every type drafted from its template is complete and passes the checker
// with no finding, as text and as .docx.
func TestDraftTemplatesAreClean(t *testing.T) {
	t.Parallel()
	for _, ty := range Types {
		res, err := Draft(context.Background(), sampleForm(ty), nil)
		if err != nil {
			t.Fatalf("%s: %v", ty, err)
		}
		d := res.Document
		if res.ModelUsed || d.AIGenerated {
			t.Errorf("%s: template draft marked as model-written", ty)
		}
		if m := d.Missing(); len(m) > 0 {
			t.Errorf("%s: missing %v", ty, m)
		}
		if !strings.HasSuffix(d.Title, ty.TitleWord()) {
			t.Errorf("%s: title %q", ty, d.Title)
		}
		var txt bytes.Buffer
		if err := WriteText(&txt, d); err != nil {
			t.Fatal(err)
		}
		src, _ := ReadText(txt.Bytes())
		if fs := Check(src); len(fs) > 0 {
			t.Errorf("%s: findings on a template draft:\n%s\n%+v", ty, txt.String(), fs)
		}
		if !strings.Contains(txt.String(), "各单位要在9月30日前完成自查。") {
			t.Errorf("%s: key point missing:\n%s", ty, txt.String())
		}
		var docx bytes.Buffer
		if err := WriteDOCX(&docx, d); err != nil {
			t.Fatal(err)
		}
		dsrc, err := ReadDOCX(docx.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if fs := Check(dsrc); len(fs) > 0 {
			t.Errorf("%s: findings on the .docx draft: %+v", ty, fs)
		}
		if !strings.Contains(strings.Join(dsrc.Paragraphs, "\n"), d.Title) {
			t.Errorf("%s: .docx lost the title", ty)
		}
		var md bytes.Buffer
		_ = WriteMarkdown(&md, d)
		if !strings.Contains(md.String(), "# "+d.Title) {
			t.Errorf("%s: markdown has no title", ty)
		}
	}
}

func TestRequirements(t *testing.T) {
	t.Parallel()
	if Requirement(Request, Signer) != Required || Requirement(Circular, Signer) != NotUsed {
		t.Error("签发人 is required for 请示 only among these")
	}
	if Requirement(Announcement, Recipients) != NotUsed || Requirement(Reply, Recipients) != Required {
		t.Error("主送机关 requirement wrong")
	}
	if Requirement(Minutes, Seal) != NotUsed || Requirement(Letter, Seal) != Required {
		t.Error("印章 requirement wrong")
	}
	if Requirement(Request, Remark) != Required {
		t.Error("请示 must name its contact in the 附注")
	}
	if len(Types) != 15 {
		t.Errorf("%d types", len(Types))
	}
	for _, ty := range Types {
		got, err := ParseType(ty.English())
		if err != nil || got != ty {
			t.Errorf("ParseType(%q) = %q, %v", ty.English(), got, err)
		}
	}
	if _, err := ParseType("便条"); err == nil {
		t.Error("unknown type accepted")
	}
	f := sampleForm(Request)
	f.Contact = ""
	if _, err := Draft(context.Background(), f, nil); err == nil || !strings.Contains(err.Error(), "联系人") {
		t.Errorf("a 请示 without contact: %v", err)
	}
}

type fakeModel struct {
	reply  string
	err    error
	system string
	user   string
}

func (m *fakeModel) Complete(ctx context.Context, system, user string) (string, error) {
	m.system, m.user = system, user
	return m.reply, m.err
}

func TestDraftWithModel(t *testing.T) {
	t.Parallel()
	good := "为推动政务服务“好差评”工作落到实处，现将有关事项通知如下：\n一、各单位要在9月30日前完成自查，逐项对照整改。\n二、区政数局将组织抽查，结果纳入年度考核。\n特此通知。"
	cases := []struct {
		name      string
		model     *fakeModel
		used      bool
		fallback  string
		bodyMatch string
	}{
		{"faithful", &fakeModel{reply: good}, true, "", "逐项对照整改"},
		{"invented number", &fakeModel{reply: good + "\n全区共投入资金3000万元。"}, false, "3000", "区政数局将组织抽查"},
		{"invented count", &fakeModel{reply: "一、抽查覆盖十二个街道。"}, false, "十二个", ""},
		{"invented organisation", &fakeModel{reply: "一、由区财政局负责保障经费。"}, false, "区财政局", ""},
		{"invented person", &fakeModel{reply: "一、由张伟同志牵头。"}, false, "张伟同志", ""},
		{"invented document", &fakeModel{reply: "一、依据《深圳市政务服务条例》开展。"}, false, "《深圳市政务服务条例》", ""},
		{"model down", &fakeModel{err: errors.New("connection refused")}, false, "connection refused", ""},
		{"empty", &fakeModel{reply: "\n  \n"}, false, "空正文", ""},
	}
	for _, c := range cases {
		f := sampleForm(Circular)
		f.Points = append(f.Points, "联系人李华，电话13812345678")
		res, err := Draft(context.Background(), f, c.model)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		d := res.Document
		if res.ModelUsed != c.used || d.AIGenerated != c.used {
			t.Errorf("%s: used=%v ai=%v, want %v (fallback %q)", c.name, res.ModelUsed, d.AIGenerated, c.used, res.Fallback)
		}
		if c.fallback != "" && !strings.Contains(res.Fallback, c.fallback) {
			t.Errorf("%s: fallback %q, want it to name %q", c.name, res.Fallback, c.fallback)
		}
		body := strings.Join(d.Body, "\n")
		if c.bodyMatch != "" && !strings.Contains(body, c.bodyMatch) {
			t.Errorf("%s: body %q lacks %q", c.name, body, c.bodyMatch)
		}
		if strings.Contains(c.model.user, "13812345678") || !strings.Contains(c.model.user, "138****5678") {
			t.Errorf("%s: phone not masked in the prompt: %q", c.name, c.model.user)
		}
		if !strings.Contains(c.model.system, "不得新增") {
			t.Errorf("%s: system prompt lacks the no-invention rule", c.name)
		}
		var txt, md, docx bytes.Buffer
		_ = WriteText(&txt, d)
		_ = WriteMarkdown(&md, d)
		_ = WriteDOCX(&docx, d)
		dsrc, _ := ReadDOCX(docx.Bytes())
		for name, s := range map[string]string{"text": txt.String(), "markdown": md.String(), "docx": strings.Join(dsrc.Paragraphs, "\n")} {
			if strings.Contains(s, AILabel) != c.used {
				t.Errorf("%s: %s export AI label present=%v, want %v", c.name, name, !c.used, c.used)
			}
		}
	}
}

func TestUnsupportedFacts(t *testing.T) {
	t.Parallel()
	src := "区政数局\n各单位要在9月30日前完成自查\n抽查三个街道"
	for text, want := range map[string]int{
		"请各单位于9月30日前完成。":   0,
		"抽查3个街道。":          0, // 三 in the source
		"抽查三个街道，福田区政数局负责。": 0,
		"抽查5个街道。":          1,
		"由区发改局负责。":         1,
		"有关部门要配合。":         0,
		"建立一个机制。":          0,
	} {
		if got := unsupportedFacts(text, src); len(got) != want {
			t.Errorf("%s: %v", text, got)
		}
	}
	if v := hanValue("三千五百万"); v != 35000000 {
		t.Errorf("hanValue = %d", v)
	}
}

func TestMaskPersonal(t *testing.T) {
	t.Parallel()
	in := "身份证440304199001011234，手机13812345678，电话0755-83988110，卡号6222021234567890123"
	out := MaskPersonal(in)
	for _, secret := range []string{"440304199001011234", "13812345678", "83988110", "6222021234567890123"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q left in %q", secret, out)
		}
	}
}

// The seed letter, parsed and laid out again, is still clean and keeps its
// elements.
func TestParseSeed(t *testing.T) {
	t.Parallel()
	d := Parse(readSource(t, "testdata/check/clean_seed_letter.txt"))
	if d.Type != Letter || !strings.HasPrefix(d.Title, "关于对区政协六届四次会议委员提案第2024252号") ||
		d.Issuer != "深圳市福田区政务服务和数据管理局" || d.Date != "2024年9月19日" ||
		len(d.Recipients) != 1 || d.Recipients[0] != "尊敬的汪伟等委员" {
		t.Fatalf("parsed %q %q %q %q %q", d.Type, d.Title, d.Issuer, d.Date, d.Recipients)
	}
	var txt bytes.Buffer
	_ = WriteText(&txt, d)
	src, _ := ReadText(txt.Bytes())
	if fs := Check(src); len(fs) > 0 {
		t.Errorf("laid-out seed has findings: %+v", fs)
	}
	heads := 0
	for _, p := range d.Body {
		if h, ok := parseHeading(p); ok && h.level == 1 {
			heads++
		}
	}
	if heads != 4 {
		t.Errorf("%d level-1 headings, want 4", heads)
	}
}

// A 请示 goes to one superior: the drafter refuses a second.
func TestDraftRequestOneRecipient(t *testing.T) {
	t.Parallel()
	f := sampleForm(Request)
	f.Recipients = []string{"深圳市福田区人民政府", "深圳市政务服务和数据管理局"}
	if _, err := Draft(context.Background(), f, nil); err == nil || !strings.Contains(err.Error(), "只主送一个上级机关") {
		t.Errorf("two recipients: %v", err)
	}
}
