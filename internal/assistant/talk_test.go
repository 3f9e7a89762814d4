package assistant

import (
	"context"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/zh"
)

func TestTalkRewrite(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	tk, err := loadTalk(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ kind, in, want string }{
		{"fillers and pauses", "呃 我想问一下 就是那个 居住证 怎么续", "居住证 怎么续"},
		{"interjections anywhere", "嗯嗯 社保卡丢了呀", "社保卡丢了"},
		{"an interjection's character inside a word stays", "喂 我妈要人喂饭", "我妈要人喂饭"},
		{"stutter, whole chunk", "能不能 能不能网上办", "能不能网上办"},
		{"stutter, function word", "我之前在 在长沙交的社保", "我之前 在长沙交的社保"},
		{"content words are not stutters", "社保 保险", "社保 保险"},
		{"a word begun again inside a longer one is no stutter", "孩子前几天出生 出生证已经拿了", "孩子前几天出生 出生证已经拿了"},
		{"self-correction", "那个结婚 不是 是离婚 离婚登记要预约吗", "离婚登记要预约吗"},
		{"self-correction opened by 我是说", "我要换身份证 不对 我是说补办户口本", "补办户口本"},
		{"self-correction said twice", "居住证续签 不对不对 是居住证明开具", "居住证明开具"},
		{"self-correction after 我", "出生证明 我说错了 是出生登记", "出生登记"},
		{"self-correction after 哦", "医保转移 哦不是 养老保险转移", "养老保险转移"},
		{"self-correction with the words in the same pause", "护照 搞错了 我的意思是港澳通行证", "港澳通行证"},
		{"a story before the corrected words stays", "我要搬回老家 户口迁出 不对 是社保转出", "我要搬回老家 社保转出"},
		{"a correction at the end of the words it corrects", "驾照不是 我是说居住证 怎么续", "居住证 怎么续"},
		{"a Cantonese correction", "驾照唔系 我系话居住证 点样续", "居住证 怎么续"},
		{"a Cantonese correction, said wrong", "营业执照 讲错咗 系食品经营许可证", "食品经营许可证"},
		{"a correction word going on with a question is none", "营业执照 搞错了怎么办", "营业执照 搞错了怎么办"},
		{"不对 inside a word is none", "大厅 不对外开放吗", "大厅 不对外开放吗"},
		{"cantonese particles and verbs", "出世纸几耐先攞到", "出生证明多久才领到"},
		{"cantonese work and housing words", "冇工开 想租屋", "没工作 想租房"},
		{"cantonese progressive and place", "阿爸攞紧养老金 喺网度交得唔得", "爸爸领着养老金 在网上交可不可以"},
		{"cantonese question words", "退休金使唔使佢本人去", "退休金要不要他本人去"},
		{"cantonese where", "喺边度办", "在哪里办"},
		{"cantonese 咁 opening a question is 那", "咁医保呢", "那医保呢"},
		{"cantonese 咁 before an adjective is 这么", "要等咁耐", "要等这么久"},
		{"generated pinyin initials", "gjj退休销户", "公积金退休销户"},
		{"generated spelled-out pinyin", "gongjijin怎么提", "公积金怎么提"},
		{"chat shorthand", "bb刚出生", "宝宝刚出生"},
		{"english words", "营业执照 lost 了 online 能补吗", "营业执照 丢了 网上 能补吗"},
		{"latin words kept", "个税app怎么填", "个税app怎么填"},
		{"english words are no pinyin initials", "my son by bus", "my 儿子 by bus"},
		{"a pair of english words said as one", "my id card at home", "my 身份证 at home"},
		{"an item's english name", "lost my id card", "居民身份证补领 my"},
		{"a pair of english words, the second alone", "visa card", "签证 卡"},
		{"closing a business, said in english", "close our shop", "注销 店铺"},
		{"a split word the lexicon knows", "街道能帮忙救个急吗", "街道能帮忙救急吗"},
		{"close to is not closing", "close to the metro", "close to the metro"},
		{"plain text unchanged", "身份证过期了换新的要多少钱", "身份证过期了换新的要多少钱"},
		{"question mark kept", "呃 要带什么?", "要带什么?"},
		// A spoken word whose characters are part of a written word there
		// is left alone; the same word standing alone is rewritten.
		{"written word around a spoken one", "返回所有记录", "返回所有记录"},
		{"written word after a spoken one", "我之前办过身份证", "我之前办过身份证"},
		{"written word before a spoken one", "大厅几点办公", "大厅几点办公"},
		{"written word over a spoken one", "找了一份工作", "找了一份工作"},
		{"spoken word standing alone", "佢返深圳之后点办", "他回深圳之后怎么办"},
	} {
		if got := tk.rewrite(a.Normalize(c.in)); got != c.want {
			t.Errorf("%s: rewrite(%q) = %q, want %q", c.kind, c.in, got, c.want)
		}
	}
}

// TestTalkShorthandGenerated checks that pinyin abbreviations come from
// the lexicon, not from a list: none of them is written in spoken.txt.
func TestTalkShorthandGenerated(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	tk, err := loadTalk(a)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := lexiconFS.ReadFile("lexicon/spoken.txt")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"sfz": "身份证", "gjj": "公积金", "sbk": "社保卡", "jzz": "居住证", "yyzz": "营业执照", "shebao": "社保"} {
		if got := tk.latin[key]; got != want {
			t.Errorf("shorthand %q = %q, want %q", key, got, want)
		}
		if strings.Contains(string(raw), key+">") {
			t.Errorf("shorthand %q is listed in spoken.txt; it should be generated", key)
		}
	}
}

// TestShorthandByCatalogue checks that a pinyin key several lexicon words
// share stands for the one the catalogue uses most, not the commonest in
// everyday Chinese, and that without a catalogue the commonest stays.
func TestShorthandByCatalogue(t *testing.T) {
	t.Parallel()
	a := zh.MustDefault()
	tk, err := loadTalk(a)
	if err != nil {
		t.Fatal(err)
	}
	alts := tk.alts["sb"]
	if len(alts) < 2 {
		t.Fatalf("sb has words %v, want several", alts)
	}
	plain := tk.rewrite("sb缴费证明")
	ix := debugIndex(t)
	tk.known = ix.DocFreq
	got := tk.rewrite("sb缴费证明")
	if got != "社保缴费证明" {
		t.Errorf("with the catalogue: %q, want 社保缴费证明 (words %v)", got, alts)
	}
	if plain != alts[0]+"缴费证明" {
		t.Errorf("without the catalogue: %q, want the commonest word %q", plain, alts[0])
	}
}

// TestOrdinalInsideSentence checks that 一个 counting things inside an
// answer to a clarifying question ("就我一个人…") is not read as "the
// first one", while the answer "第一个" or "一个" alone is.
func TestOrdinalInsideSentence(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	cands := []string{"FT-101", "FT-091"}
	for _, c := range []struct {
		msg  string
		want string
	}{
		{"第一个", "FT-101"},
		{"一个", "FT-101"},
		{"第二个", "FT-091"},
		{"就我一个人做", ""},
	} {
		got, _ := as.pickCandidate(context.Background(), as.a.Normalize(c.msg), cands, "")
		if got != c.want {
			t.Errorf("pickCandidate(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
}

// TestJoinSplitWords checks that a verb-object word the catalogue uses,
// said with a measure word or a particle inside it, is written whole, and
// that counting words and words of their own are left alone.
func TestJoinSplitWords(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{"去医院备个案", "去医院备案"},
		{"孩子要报个名", "孩子要报名"},
		{"我们去年离了婚", "我们去年离婚"},
		{"刚租了房子", "刚租了房子"},
		{"下个月满六岁", "下个月满六岁"},
		{"我想看下个体户注销", "我想看下个体户注销"},
		{"刚从湖南过来", "刚从湖南过来"},
		{"几个月能办好", "几个月能办好"},
		{"为了孩子上学", "为了孩子上学"},
	} {
		if got := as.talk.rewrite(as.a.Normalize(c.in)); got != c.want {
			t.Errorf("rewrite(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
