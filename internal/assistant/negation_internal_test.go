package assistant

import (
	"slices"
	"testing"
)

// TestDenied checks which denials say the resident is not in a group an
// item's name is for, and that asking (是不是) or saying how things are
// (不是深户) denies no group.
func TestDenied(t *testing.T) {
	t.Parallel()
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}, Mask: func(s string) string { return s }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		msg  string
		want []string
	}{
		{"开了家奶茶店 想申请贷款贴息 我不是退役军人", []string{"退役军人"}},
		{"我唔系残疾人 开咗间士多", []string{"残疾人"}},
		{"是不是退役军人才能申请贴息", nil},
		{"我们不是深户 孩子能参保吗", nil},
		{"不是本人去 能代办吗", nil},
		{"我开了间修手机的铺子", nil},
	} {
		norm := as.a.Normalize(c.msg)
		got, blanked := as.denied(norm, as.cfg.Index.Analyse(norm))
		var words []string
		for w := range got {
			words = append(words, w)
		}
		slices.Sort(words)
		if !slices.Equal(words, c.want) {
			t.Errorf("%q: denied %v, want %v", c.msg, words, c.want)
		}
		if (len(got) == 0) != (blanked == norm) {
			t.Errorf("%q: blanked %q with %v denied", c.msg, blanked, words)
		}
	}
}
