package search_test

import (
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/search"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// A scope lesson matches a message holding all the words of its phrase,
// in any order, talk aside; of several the one saying most wins; lessons
// not published, or of talk only, are never consulted.
func TestScopeLessons(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	ix := search.New(a, search.DefaultParams())
	ix.SetScopeLessons([]kb.ScopeLesson{
		{Kind: kb.LearnDecline, Phrase: "宠物店 洗澡", Status: kb.Published},
		{Kind: kb.LearnAsk, Phrase: "证件的事", Items: []string{"A-1", "A-2"}, Status: kb.Published},
		{Kind: kb.LearnDecline, Phrase: "证件的事 隔壁市", Status: kb.Published},
		{Kind: kb.LearnDecline, Phrase: "你好 请问", Status: kb.Published}, // talk only
		{Kind: kb.LearnDecline, Phrase: "办事", Status: kb.Review},       // not published
	})
	for _, c := range []struct {
		msg, kind, phrase string
		items             []string
	}{
		{"我想问问宠物店洗澡贵不贵", "decline", "宠物店 洗澡", nil},
		{"洗澡的话宠物店能上门吗", "decline", "宠物店 洗澡", nil},         // any order
		{"呃 就是那个 宠物店 洗个澡", "", "", nil},                   // a word missing (洗澡)
		{"证件的事找谁", "ask", "证件的事", []string{"A-1", "A-2"}}, // ask
		{"隔壁市证件的事找谁", "decline", "证件的事 隔壁市", nil},         // the lesson saying most
		{"你好请问在吗", "", "", nil},
		{"我要办事", "", "", nil},
	} {
		m, ok := ix.ScopeLesson(a.Normalize(c.msg))
		if string(m.Kind) != c.kind || ok != (c.kind != "") || m.Phrase != c.phrase || !slices.Equal(m.Items, c.items) {
			t.Errorf("%s: %+v %v, want %s %q %v", c.msg, m, ok, c.kind, c.phrase, c.items)
		}
	}
}

// TrimTalk keeps the residents' words and drops the talk around them.
func TestTrimTalk(t *testing.T) {
	t.Parallel()
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	for _, c := range []struct{ in, want string }{
		{"呃 你好 楼下宠物店给猫洗澡 要预约吗", "楼下宠物店给猫洗澡 要预约吗"},
		{"喂，请问，嗯", ""},
		{"驾校学车报名要带啥", "驾校学车报名要带啥"},
	} {
		if got := ix.TrimTalk(c.in); got != c.want {
			t.Errorf("TrimTalk(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A learned question is held by a message having each of its words, as
// a word or verbatim (the lesson was cut alone, the message in context);
// the current item's name aside for a follow-up; a one-word lesson never
// moves a conversation.
func TestLearnedHeld(t *testing.T) {
	t.Parallel()
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	ix.Replace([]kb.Item{
		{ID: "T-1", Name: "清税注销", FAQ: []kb.FAQ{{Q: "税务上的账要先清掉", A: "是", Entry: true}}},
		{ID: "T-2", Name: "企业简易注销登记", FAQ: []kb.FAQ{{Q: "企业简易注销登记 公告期间", A: "二十天", Entry: true}, {Q: "执照", A: "带", Entry: true}}},
		{ID: "T-3", Name: "营业执照补领"},
	})
	for _, c := range []struct {
		msg, cur  string
		switchTo  string
		stays     bool
		nameAside bool
	}{
		{"那税务上的账要先清掉吗", "T-2", "T-1", false, true},
		{"税务上的账 先不管", "T-2", "", false, true},
		{"那公告期间能撤回吗", "T-2", "", true, true},
		{"那公告期间能撤回吗", "T-2", "", false, false}, // the name's words are the lesson's too
		{"要带执照吗", "T-3", "", false, true},      // one word: no move
	} {
		q := ix.Analyse(c.msg)
		got, ok := ix.LearnedSwitch(q, c.cur)
		if got != c.switchTo || ok != (c.switchTo != "") {
			t.Errorf("LearnedSwitch(%q, %s) = %s %v, want %s", c.msg, c.cur, got, ok, c.switchTo)
		}
		if held := ix.LearnedFull(q, c.cur, c.nameAside); held != c.stays {
			t.Errorf("LearnedFull(%q, %s, %v) = %v", c.msg, c.cur, c.nameAside, held)
		}
	}
}

// LearnedNaming decides only by learned questions holding the word (a
// place a reviewer kept in a wording taught whole): a lesson without the
// place decides nothing, a message without all of the lesson's words
// neither.
func TestLearnedNaming(t *testing.T) {
	t.Parallel()
	ix := search.New(zh.MustDefault(), search.DefaultParams())
	ix.Replace([]kb.Item{
		{ID: "T-1", Name: "居住证签注", FAQ: []kb.FAQ{{Q: "人在东莞 居住证签注 网上弄", A: "可以", Entry: true}}},
		{ID: "T-2", Name: "居住证申领", FAQ: []kb.FAQ{{Q: "第一次 居住证 申领 网上", A: "可以", Entry: true}}},
	})
	for _, c := range []struct{ msg, place, want string }{
		{"现在人在东莞 居住证签注能网上弄吗", "东莞", "T-1"},
		{"东莞的居住证签注怎么办", "东莞", ""},       // the lesson's other words are not all said
		{"第一次在惠州申领居住证 网上能办吗", "惠州", ""}, // T-2's lesson names no place
		{"现在人在东莞 居住证签注能网上弄吗", "", ""},
	} {
		got, ok := ix.LearnedNaming(ix.Analyse(c.msg), c.place)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("LearnedNaming(%q, %q) = %s %v, want %q", c.msg, c.place, got, ok, c.want)
		}
	}
}
