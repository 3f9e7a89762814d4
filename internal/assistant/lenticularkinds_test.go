package assistant_test

import (
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// Kinds of the twenty-seventh round, chosen on the learning sets, each
// tested on sentences of our own.

// TestPinyinSpelledASyllableAtATime checks, on made-up follow-ups, that
// what a resident asks typed in pinyin a syllable at a time (fu qian, na
// ge chuang kou, bu zhou) is read as the cue it spells, so the aspect is
// answered; and that English words are still read as English.
func TestPinyinSpelledASyllableAtATime(t *testing.T) {
	t.Parallel()
	first := "去年办的公积金买房贷款 打算早点结清"
	checkAspects(t, []aspectCase{
		{first, "dei fu qian bu", assistant.Fee},
		{first, "qu na ge chuang kou di jiao", assistant.Location},
		{first, "bu zhou shi shen me", assistant.Process},
		// Guard: English.
		{first, "how much does it cost", assistant.Fee},
	})
}

// TestShorthandChosenByTheWordsBeside checks, on made-up messages, that
// pinyin initials the lexicon reads as one word (hk as 户口) are read as
// the catalogue's word the message's other words keep company with (hk
// as 还款 beside 公积金 and 贷款); and that with nothing beside it to
// choose otherwise, the lexicon's word stays.
func TestShorthandChosenByTheWordsBeside(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"上个月靠gjj贷款买了房 dk今年想提前hk掉 钱攒够了", assistant.Answered, "FT-120"},
		// Guards: the lexicon's word.
		{"hk迁到福田要带什么", assistant.Clarify, ""},
		{"单位给我交的sb中间停了俩月 补缴要带什么", assistant.Answered, "FT-095"},
	})
}

// TestAskingWhatOneMayApplyFor checks, on made-up messages, that asking
// what there is to apply for (有哪些能申请的, 可以申请些啥) after a life
// event asks which of the event's items is meant, as asking what help
// there is already did; and that the conditions of a named item asked in
// the same words are still answered.
func TestAskingWhatOneMayApplyFor(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我爸八十五了 政府有哪些能申请的", assistant.Clarify, ""},
		{"宝宝上周出生 有哪些能申请的", assistant.Clarify, ""},
		{"厂里把我辞了 可以申请些啥", assistant.Clarify, ""},
		// Guard: a named item's conditions.
		{"居住证可以申请的条件是什么", assistant.Answered, "FT-002"},
	})
}

// TestFirstTimeInEverydayWords checks, on made-up messages, that "the
// first time" said as 第一回 or 头一回 asks for an item's first issue, as
// 第一次 does, though the story speaks of an assessment that also renews
// one; and that a renewal asked for is still the renewal.
func TestFirstTimeInEverydayWords(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"姑妈中风后说话不清 准备评残 第一回申请残疾证 去哪递材料", assistant.Answered, "FT-048"},
		// Guard: a renewal.
		{"残疾人证到期了 换领要带什么", assistant.Answered, "FT-049"},
	})
}
