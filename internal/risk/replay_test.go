package risk

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestBackTestCounts(t *testing.T) {
	t.Parallel()
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	tls := []Timeline{
		{Area: "A", Changes: []Change{{Time: at(0), Level: None}, {Time: at(10), Level: Yellow}, {Time: at(20), Level: Orange}}},
		{Area: "B", Changes: []Change{{Time: at(0), Level: None}, {Time: at(50), Level: Red}}},
		{Area: "C", Changes: []Change{{Time: at(0), Level: None}}},
		{Area: "D", Changes: []Change{{Time: at(5), Level: Orange}}},
	}
	incs := []Incident{{Time: at(40), Area: "A"}, {Time: at(45), Area: "A"}, {Time: at(30), Area: "B"}, {Time: at(60), Area: "C"}}
	cases := []struct {
		alert                       Level
		hits, late, misses, falseAl int
		lead                        float64
	}{
		{Orange, 1, 1, 2, 1, 20},
		{Yellow, 1, 1, 2, 1, 30},
		{Red, 0, 1, 3, 0, 0},
	}
	for _, tc := range cases {
		sc := BackTest(tls, incs, tc.alert)
		if sc.Incidents != 3 || sc.Hits != tc.hits || sc.Late != tc.late || sc.Misses != tc.misses || sc.FalseAlarms != tc.falseAl || sc.MeanLead != tc.lead {
			t.Errorf("alert %s: %+v", tc.alert, sc)
		}
	}
}

func TestReadEventsReportsBadLines(t *testing.T) {
	t.Parallel()
	in := "time,device,param,value\n" +
		"2026-06-10 14:05,RG1,rain,3.5\n" +
		"2026-06-10 14:10,RG1,rain,abc\n" + // line 3
		"yesterday,RG1,rain,1\n" + // line 4
		"2026-06-10 14:10,RG1,snow,1\n" + // line 5
		"\n" + // a blank line the reader skips
		"2026-06-10 14:20,RG1,rain,-1\n" + // line 7
		"2026-06-10T14:15:00+08:00,WL1,level,0.1\n"
	evs, probs, err := ReadEvents(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || len(probs) != 4 || probs[0].Line != 3 || probs[1].Line != 4 || probs[2].Line != 5 || probs[3].Line != 7 {
		t.Fatalf("events %v problems %v", evs, probs)
	}
	if _, _, err := ReadEvents(strings.NewReader("when,what\n")); err == nil {
		t.Error("a file without the columns was read")
	}
}

// The synthetic storm round-trips through its files, and replaying it
// finds every incident it generated with warning ahead of most.
func TestSyntheticStormReplay(t *testing.T) {
	t.Parallel()
	cs, _ := DemoAreas()
	evs, incs := SyntheticStorm(ExampleShenzhen, cs)
	var eb, ib bytes.Buffer
	if err := WriteEvents(&eb, evs); err != nil {
		t.Fatal(err)
	}
	if err := WriteIncidents(&ib, incs); err != nil {
		t.Fatal(err)
	}
	evs2, p1, err1 := ReadEvents(&eb)
	incs2, p2, err2 := ReadIncidents(&ib)
	if err1 != nil || err2 != nil || len(p1)+len(p2) != 0 || len(evs2) != len(evs) || len(incs2) != len(incs) {
		t.Fatalf("round trip: %v %v %v %v", err1, err2, p1, p2)
	}
	if len(incs) == 0 || len(incs) == len(cs) {
		t.Fatalf("%d incidents of %d communities: the demo should flood some, not all", len(incs), len(cs))
	}
	m := DefaultModel()
	tls, minutes := m.Replay(cs, evs2)
	if minutes < 250 {
		t.Errorf("replayed %d minutes", minutes)
	}
	sc := BackTest(tls, incs2, Orange)
	golden(t, "synthetic-backtest.golden.json", sc)
	if sc.Hits == 0 || sc.MeanLead <= 0 {
		t.Errorf("back-test %+v", sc)
	}
}
