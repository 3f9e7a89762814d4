package assistant_test

import (
	"context"
	"slices"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
)

// TestEnglishMessages checks, on made-up messages, a kind probes-tide
// showed: a message written in English. Its everyday words (my, by, we,
// set) are English, not pinyin initials of a lexicon word (满月, 备孕); its
// function words count as nothing, so the item is told by the content
// words; two words said as one (id card, provident fund) are that word;
// and an aspect cue in Latin letters (app) is not read inside a longer
// word (reapply, happy).
func TestEnglishMessages(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"my husband is a shenzhen hukou holder, we got married last year, how do I move my hukou to join him", assistant.Answered, "FT-007"},
		{"lost my id card yesterday, where can I reapply", assistant.Answered, "FT-005"},
		{"how to withdraw my provident fund after I retire", assistant.Answered, "FT-084"},
		{"my mother is a senior, can she get a senior card", assistant.Answered, "FT-038"},
	})
	checkAspects(t, []aspectCase{
		{"身份证丢了", "reapply要多久能拿到", assistant.TimeLimit},
	})
}

// TestOtherCityGoingBack checks, on made-up messages, the scope kind
// probes-tide showed: every prefecture-level city is another place, not
// only the big ones; asking whether to go back there to do it (回清远办)
// or naming the service as that place's (清远那边的公租房) is that place's
// service; moving insurance back (转回) or retiring there still asks after
// Shenzhen's own.
func TestOtherCityGoingBack(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"我爸户口在清远 他想申请清远那边的公租房 是在你们这里办还是回清远办", assistant.OutOfScope, ""},
		{"我妈在衡阳 她的低保要回衡阳去申请吗", assistant.OutOfScope, ""},
		{"茂名的居住证怎么续签", assistant.OutOfScope, ""},
		{"我要把社保转回湖南 怎么办", assistant.Answered, "FT-013"},
		{"退休了要回湖南养老 养老金怎么领", assistant.Answered, "FT-014"},
	})
}

// TestPeopleAndCantoneseHomes checks, on made-up messages, two kinds
// probes-tide showed: a person named in a request (老板叫我, 我老婆的) is
// not what an everyday licence is for, so a licence question with a
// person in it is asked back or answered, not declined; and the
// Cantonese words for homes (屋, 公屋, 居屋, 业权) are the catalogue's
// housing words.
func TestPeopleAndCantoneseHomes(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"执照那块 经理让我来问问", assistant.Clarify, ""},
		{"政府嘅屋点样申请", assistant.Clarify, ""},
		{"想申请公屋 要咩条件", assistant.Answered, "FT-075"},
		{"业权同政府共有嘅房点买", assistant.Answered, "FT-077"},
	})
}

// TestPhraseInPartsChoices checks, on made-up messages, a kind
// probes-tide showed: a word of the question that a synonym said in
// parts covers (外地 of 医保…去外地 → 异地就医) is not a word of its own
// for an unrelated item that holds it (户口迁出登记), which then is
// neither chosen nor offered among the choices.
func TestPhraseInPartsChoices(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, msg := range []string{"医保去外地还能用吗", "我的医保到了外地能不能用"} {
		r, err := as.Ask(context.Background(), assistant.Request{Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != assistant.Clarify || !slices.Equal(r.Candidates, []string{"FT-019", "FT-020"}) {
			t.Errorf("%q → %s %v, want clarify [FT-019 FT-020]", msg, r.Status, r.Candidates)
		}
	}
}

// TestAnotherDistrictSameCity checks, on made-up messages, that another
// district of the city named with a service of a department serving the
// whole city (the housing fund, social and medical insurance) is still
// answered, since Futian's halls take it, while another district's own
// services (its 低保, its residence permits) are declined.
func TestAnotherDistrictSameCity(t *testing.T) {
	t.Parallel()
	checkDecisions(t, []decisionCase{
		{"看中一套龙华的二手房 剩下的想用公积金贷款 要满足啥条件", assistant.Answered, "FT-087"},
		{"我在龙岗交的社保 能在福田打印缴费证明吗", assistant.Answered, "FT-017"},
		{"龙华区的低保怎么申请", assistant.OutOfScope, ""},
		{"南山的居住证怎么续签", assistant.OutOfScope, ""},
	})
}
