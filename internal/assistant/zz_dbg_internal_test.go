package assistant

import "testing"

func TestZZCues(t *testing.T) {
	as, err := New(Config{Index: debugIndex(t), Halls: noHalls{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"去桂林旅游急性肠胃炎住了三天院 当时没直接结算 回深圳能报吗 要带哪些票据"} {
		for _, h := range as.scope.match(q) {
			t.Logf("%+v story=%v", h, as.scopes.storyCue(h))
		}
		t.Logf("clauses %q", clauses(q))
	}
}
