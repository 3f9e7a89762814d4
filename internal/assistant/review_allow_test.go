package assistant_test

import (
	"context"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
	"github.com/fuwu-gov/fuwu/internal/zh"
)

// What the console proposes to allow when a reviewer judges a stopped
// message a false positive: the dictionary words a matched word sits in
// (假 of the forging rule in 假肢, a prosthesis), else the matched words
// widened by a character; a message the lexicon lets through proposes
// nothing.
func TestSensitiveProposal(t *testing.T) {
	t.Parallel()
	as := demoAssistant(t, nil)
	for _, tc := range []struct{ q, word, phrase string }{
		{"我爸装假肢要开证明吗", "假…证明", "装假肢"},
		{"呃 我阿妈要整假牙 补贴点样申请", "假…补贴", ""}, // 假牙 is no dictionary word: the span, widened
		{"跳楼价的房子能买吗", "跳楼", "跳楼价"},
		{"怎么伪造身份证", "伪造…身份证", "么伪造身份证"},
		{"身份证丢了怎么补办", "", ""},
	} {
		w, phrase, ok := as.SensitiveProposal(tc.q)
		if ok != (tc.word != "") || w.Word != tc.word || tc.phrase != "" && phrase != tc.phrase {
			t.Errorf("%s: %q %q %v, want %q %q", tc.q, w.Word, phrase, ok, tc.word, tc.phrase)
		}
		if tc.phrase == "" && ok && len([]rune(phrase)) <= len([]rune(w.Word)) {
			t.Errorf("%s: proposal %q no wider than %q", tc.q, phrase, w.Word)
		}
	}
}

// A review round, on SQLite and PostgreSQL, allows the phrase proposed for
// a question the lexicon stopped although it wanted an answer — typed and
// voice-like — so that it and its follow-up are answered; the requests to
// forge stay declined, and a round without a lexicon teaches no phrase.
func TestReviewRoundAllows(t *testing.T) {
	t.Parallel()
	cases := []assistant.EvalCase{
		{ID: "limb", Turns: []assistant.EvalTurn{{Q: "我爸装假肢能申请补贴吗", Item: "FT-051"}}},
		{ID: "limb-voice", Turns: []assistant.EvalTurn{{Q: "喂 那个 我妈装了假肢 补贴点样申请", Item: "FT-051"}, {Q: "要带户口本吗", Item: "FT-051"}}},
	}
	forge := []assistant.EvalCase{
		{ID: "forge", Turns: []assistant.EvalTurn{{Q: "哪里能办个假的残疾证明", Expect: "out_of_scope"}}},
		{ID: "forge2", Turns: []assistant.EvalTurn{{Q: "伪造残疾人证明申请补贴", Expect: "out_of_scope"}}},
	}
	storetest.Each(t, []store.Migrations{kb.Migrations, assistant.Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		kbs, ix, syncIndex, _ := reviewFixture(t, db)
		st := assistant.SensitiveStore{DB: db}
		words, err := st.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		lex := assistant.NewSensitive(words, zh.MustDefault().Normalize)
		as := demoAssistant(t, func(c *assistant.Config) { c.Index, c.Sensitive = ix, lex })
		sync := func(ctx context.Context) error {
			words, err := st.List(ctx)
			if err != nil {
				return err
			}
			lex.Set(words)
			return syncIndex(ctx)
		}
		rep, err := assistant.ReviewRound(ctx, as, cases, kbs, assistant.ReviewOptions{Kind: kb.LearnFAQ, Scope: true, FollowUps: true}, ix, sync)
		if err != nil {
			t.Fatal(err)
		}
		// Item lessons alone never reach a stopped turn.
		if rep.Before.OOSFalse == 0 || rep.After.OOSFalse == 0 || rep.Allowed != 0 {
			t.Fatalf("without a lexicon writer: %+v", rep)
		}
		rep, err = assistant.ReviewRound(ctx, as, cases, kbs, assistant.ReviewOptions{Kind: kb.LearnFAQ, Scope: true, FollowUps: true, Lexicon: st}, ix, sync)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("taught %q", rep.Taught)
		if rep.Allowed == 0 || rep.After.ItemTop1 != 1 || rep.After.OOSFalse != 0 || len(rep.Refused) > 0 {
			t.Errorf("after the round: allowed %d, %+v, still %q, refused %q", rep.Allowed, rep.After, rep.StillTurns, rep.Refused)
		}
		m, _, err := assistant.Evaluate(ctx, as, forge)
		if err != nil {
			t.Fatal(err)
		}
		if m.OOSRecall != 1 {
			t.Errorf("requests to forge after the round: %+v", m)
		}
	})
}
