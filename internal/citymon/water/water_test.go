package water

import (
	"errors"
	"slices"
	"testing"
)

type in = map[string]float64

// Every rule of the standards note's GB 3838 part, with the limits' edges.
func TestClassify(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		v        in
		lake     bool
		class    Class
		decisive []string
		main     []string
	}{
		{"the issue's example: NH3-N decides III", in{PH: 7.2, DO: 6.5, CODMn: 3.5, COD: 14, BOD5: 2.5, NH3N: 0.8, TP: 0.08}, false, III, []string{NH3N}, nil},
		{"pH within 6–9 is class I", in{PH: 6}, false, I, []string{PH}, nil},
		{"pH 9 is within", in{PH: 9}, false, I, []string{PH}, nil},
		{"pH outside 6–9 fails every class", in{PH: 5.9, NH3N: 0.1}, false, WorseV, []string{PH}, nil},
		{"pH 9.1", in{PH: 9.1}, false, WorseV, []string{PH}, nil},
		{"DO 7.5 is I", in{DO: 7.5}, false, I, []string{DO}, nil},
		{"DO 7.4 is II", in{DO: 7.4}, false, II, []string{DO}, nil},
		{"DO 5 is III", in{DO: 5}, false, III, []string{DO}, nil},
		{"DO 2 is V", in{DO: 2}, false, V, []string{DO}, nil},
		{"DO below 2 is 劣V", in{DO: 1.9}, false, WorseV, []string{DO}, []string{"溶解氧(0.62)"}},
		{"COD 15 is I (I and II share 15)", in{COD: 15}, false, I, []string{COD}, nil},
		{"COD 15.1 is III", in{COD: 15.1}, false, III, []string{COD}, nil},
		{"BOD5 3 is I", in{BOD5: 3}, false, I, []string{BOD5}, nil},
		{"NH3-N 0.15 is I", in{NH3N: 0.15}, false, I, []string{NH3N}, nil},
		{"NH3-N 0.5 is II", in{NH3N: 0.5}, false, II, []string{NH3N}, nil},
		{"NH3-N 1.0 is III", in{NH3N: 1.0}, false, III, []string{NH3N}, nil},
		{"NH3-N 1.5 is IV", in{NH3N: 1.5}, false, IV, []string{NH3N}, []string{"氨氮(0.5)"}},
		{"NH3-N 2.0 is V", in{NH3N: 2.0}, false, V, []string{NH3N}, []string{"氨氮(1)"}},
		{"NH3-N 2.1 is 劣V", in{NH3N: 2.1}, false, WorseV, []string{NH3N}, []string{"氨氮(1.1)"}},
		{"the note's example: 高锰酸盐指数(1.2)", in{CODMn: 13.2, NH3N: 0.5}, false, V, []string{CODMn}, []string{"高锰酸盐指数(1.2)"}},
		{"CODMn above 15 is 劣V", in{CODMn: 15.5}, false, WorseV, []string{CODMn}, nil},
		{"TP 0.2 in a river is III", in{TP: 0.2}, false, III, []string{TP}, nil},
		{"TP 0.2 in a lake is V", in{TP: 0.2}, true, V, []string{TP}, []string{"总磷(3)"}},
		{"TP 0.21 in a lake is 劣V", in{TP: 0.21}, true, WorseV, []string{TP}, nil},
		{"TP 0.025 in a lake is II", in{TP: 0.025}, true, II, []string{TP}, nil},
		{"TN is left out of a river", in{TN: 5, NH3N: 0.4}, false, II, []string{NH3N}, nil},
		{"TN counts for a lake", in{TN: 1.2, NH3N: 0.4}, true, IV, []string{TN}, []string{"总氮(0.2)"}},
		{"a tie names every deciding item, in table order", in{BOD5: 5, COD: 25, NH3N: 0.1}, false, IV, []string{COD, BOD5}, []string{"化学需氧量(0.25)", "五日生化需氧量(0.25)"}},
		{"three main pollutants at most, worst first", in{CODMn: 12, COD: 35, BOD5: 8, NH3N: 1.9, TP: 0.45}, false, WorseV, []string{TP}, []string{"总磷(1.25)", "高锰酸盐指数(1)", "五日生化需氧量(1)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := Classify(tc.v, tc.lake)
			if err != nil {
				t.Fatal(err)
			}
			if r.Class != tc.class {
				t.Errorf("class %s, want %s (items %+v)", r.Class, tc.class, r.Items)
			}
			if !slices.Equal(r.Decisive, tc.decisive) {
				t.Errorf("decisive %v, want %v", r.Decisive, tc.decisive)
			}
			if tc.main != nil && !slices.Equal(r.Main, tc.main) {
				t.Errorf("main %v, want %v", r.Main, tc.main)
			}
		})
	}
}

func TestClassifyErrors(t *testing.T) {
	t.Parallel()
	for _, v := range []in{{}, {"Hg": 0.1}, {NH3N: -1}, {PH: 15}} {
		if _, err := Classify(v, false); !errors.Is(err, ErrInput) {
			t.Errorf("Classify(%v): %v, want ErrInput", v, err)
		}
	}
	if _, err := Classify(in{TN: 1}, false); !errors.Is(err, ErrInput) {
		t.Error("only TN for a river: nothing to classify, want an error")
	}
}

func TestClassText(t *testing.T) {
	t.Parallel()
	for c := I; c <= WorseV; c++ {
		b, _ := c.MarshalText()
		var back Class
		if err := back.UnmarshalText(b); err != nil || back != c {
			t.Errorf("%s round trip: %v %v", c, back, err)
		}
	}
	if WorseV.String() != "劣V" || WorseV.Grade() != "重度污染" || III.Grade() != "良好" || II.Grade() != "优" {
		t.Error("names or grades wrong")
	}
}
