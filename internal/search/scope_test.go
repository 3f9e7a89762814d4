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
