package gongwen

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCheckWithModel(t *testing.T) {
	t.Parallel()
	src := &Source{Name: "t.txt", Text: true, Paragraphs: []string{
		"关于做好防汛工作的通知",
		"各单位要严格落实值班制度，联系人电话13812345678。",
		"请各单位认真贯切执行。",
	}}
	local := Check(src)
	reply := "好的，结果如下：\n```json\n[" +
		`{"paragraph":3,"text":"贯切","suggestion":"贯彻","reason":"同音误用"},` +
		`{"paragraph":2,"text":"不存在的词","suggestion":"别的","reason":"编造"},` +
		`{"paragraph":9,"text":"值班","suggestion":"值守","reason":"段号越界"},` +
		`{"paragraph":2,"text":"值班制度","suggestion":"值班值守与应急处置的全套制度体系","reason":"改写"}` +
		"]\n```"
	m := &fakeModel{reply: reply}
	got, err := CheckWithModel(context.Background(), src, m)
	if err != nil {
		t.Fatal(err)
	}
	var model []Finding
	for _, f := range got {
		if strings.HasPrefix(f.Rule, "model.") {
			model = append(model, f)
		}
	}
	want := Finding{Rule: ModelRule, Severity: Info, Message: modelMark + "同音误用", Text: "贯切",
		Suggestion: "贯彻", Paragraph: 3, Offset: 6, Line: 3, Column: 7}
	if len(model) != 1 || model[0] != want {
		t.Fatalf("model findings %+v, want only %+v", model, want)
	}
	if len(got) != len(local)+1 {
		t.Errorf("local findings lost: %d + 1 != %d", len(local), len(got))
	}
	if strings.Contains(m.user, "13812345678") || !strings.Contains(m.user, "[2] ") {
		t.Errorf("prompt not masked or not numbered: %q", m.user)
	}

	// A model that fails or talks nonsense degrades the check to the
	// local findings.
	for _, bad := range []*fakeModel{{err: errors.New("timeout")}, {reply: "我无法完成"}, {reply: "[{]"}} {
		got, err := CheckWithModel(context.Background(), src, bad)
		if err == nil || len(got) != len(local) {
			t.Errorf("reply %q err %v: %d findings, err %v", bad.reply, bad.err, len(got), err)
		}
	}
	// No model: the local check alone.
	if got, err := CheckWithModel(context.Background(), src, nil); err != nil || len(got) != len(local) {
		t.Errorf("nil model: %d findings, %v", len(got), err)
	}
}
