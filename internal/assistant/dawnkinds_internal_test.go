package assistant

import "testing"

// TestAspectAskedLast checks, on made-up messages (plain, voice,
// Cantonese), the aspect kinds of spoken follow-ups: the question at the
// end beats a cue said in the story or a question form before it; a
// document named first, then whether to hand it in, is materials;
// whether they would refuse the resident, or whether both must go, is
// conditions; "或者哪里" after a place is the location.
func TestAspectAskedLast(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind, msg string
		want      Aspect
	}{
		{"story cue, question last", "朋友说这个是免费的 我老家户口的也能办吗", Conditions},
		{"story cue, question last, voice", "呃 听人讲 那个网上就能弄 嗯 但是要带些什么", Materials},
		{"story cue, question last, Cantonese", "佢话唔使钱嘅 我喺边度办", Location},
		{"question form, then the steps", "我这种情况能不能去申请 具体怎么操作", Process},
		{"a cue asked about in its own clause", "手机上可以弄吗 电子版的算不算", Online},
		{"a lone cue, then the question", "预约 要不要", Appointment},
		{"document first, hand it in", "社保的缴费记录要不要交", Materials},
		{"document first, bring it, voice", "嗯 那个 结婚证 也要带吗", Materials},
		{"document first, Cantonese", "户口簿使唔使交", Materials},
		{"would they refuse", "我有高血压 会不会不收", Conditions},
		{"would they refuse, voice", "呃 我老公 是外地户口 嗯 会不会被拒", Conditions},
		{"would they refuse, Cantonese", "佢有糖尿病 会唔会唔收", Conditions},
		{"both must go", "两公婆要一起去吗", Conditions},
		{"where else", "去社保局还是哪里", Location},
		{"where else, voice", "呃 是去街道 还是别的地方", Location},
		{"fee not refusal, Cantonese", "部机收唔收钱", Fee},
	} {
		if got := as.detectAspect(as.talk.rewrite(as.a.Normalize(c.msg))); got != c.want {
			t.Errorf("%s: %q → aspect %q, want %q", c.kind, c.msg, got, c.want)
		}
	}
}

// TestAspectWishThenWhatToDo checks, on made-up messages (plain, voice,
// Cantonese), that "怎么办" after a wish naming what is to be done asks for
// the steps, while after a mishap it still asks what to do.
func TestAspectWishThenWhatToDo(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		msg  string
		want Aspect
	}{
		{"想把公积金拿出来付首付 怎么办", Process},
		{"呃 我 想 给我妈 办个长者卡 嗯 怎么办", Process},
		{"想将户口迁返乡下 点搞", Process},
		{"身份证丢了怎么办", ""},
	} {
		if got := as.detectAspect(as.talk.rewrite(as.a.Normalize(c.msg))); got != c.want {
			t.Errorf("%q → aspect %q, want %q", c.msg, got, c.want)
		}
	}
}

// TestAspectWaitingList checks, on made-up messages (plain, voice,
// Cantonese), that joining a waiting list is the steps, while queueing at
// the hall is still the appointment.
func TestAspectWaitingList(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		msg  string
		want Aspect
	}{
		{"公租房怎么报名排队", Process},
		{"呃 我爸 想住敬老院 嗯 要怎么申请排队", Process},
		{"敬老院点样报名排队", Process},
		{"去大厅要排队吗", Appointment},
	} {
		if got := as.detectAspect(as.talk.rewrite(as.a.Normalize(c.msg))); got != c.want {
			t.Errorf("%q → aspect %q, want %q", c.msg, got, c.want)
		}
	}
}
