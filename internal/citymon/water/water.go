// Package water classifies surface water by GB 3838-2002 with the
// single-factor method: each item gets the best class whose limit it
// meets, the water takes the worst of its items' classes, and an item
// failing class V makes it 劣V. The limits are those of
// /work/shared/notes/standards.md [verified there].
package water

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Class is a GB 3838 water-quality class, I (1) … 劣V (6).
type Class int

const (
	I Class = iota + 1
	II
	III
	IV
	V
	WorseV // 劣V
)

var classNames = [...]string{"", "I", "II", "III", "IV", "V", "劣V"}

func (c Class) String() string {
	if c < I || c > WorseV {
		return ""
	}
	return classNames[c]
}

// MarshalText writes the class as "I" … "劣V".
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "I" … "劣V" (also Ⅰ–Ⅴ and "V+").
func (c *Class) UnmarshalText(b []byte) error {
	v, err := ParseClass(string(b))
	*c = v
	return err
}

// ParseClass reads a class name.
func ParseClass(s string) (Class, error) {
	switch s {
	case "I", "Ⅰ", "1":
		return I, nil
	case "II", "Ⅱ", "2":
		return II, nil
	case "III", "Ⅲ", "3":
		return III, nil
	case "IV", "Ⅳ", "4":
		return IV, nil
	case "V", "Ⅴ", "5":
		return V, nil
	case "劣V", "劣Ⅴ", "V+", "6":
		return WorseV, nil
	}
	return 0, fmt.Errorf("water: unknown class %q (want I, II, III, IV, V or 劣V)", s)
}

// Grade is the class as assessments word it [one source]: I–II 优,
// III 良好, IV 轻度污染, V 中度污染, 劣V 重度污染.
func (c Class) Grade() string {
	switch c {
	case I, II:
		return "优"
	case III:
		return "良好"
	case IV:
		return "轻度污染"
	case V:
		return "中度污染"
	case WorseV:
		return "重度污染"
	}
	return ""
}

// Colour is the usual map colour of a class (劣V red, as the note says;
// the others are the customary blue-green-yellow-orange scale).
func (c Class) Colour() string {
	switch c {
	case I:
		return "#00b0f0"
	case II:
		return "#0070c0"
	case III:
		return "#00b050"
	case IV:
		return "#ffc000"
	case V:
		return "#ff7f00"
	case WorseV:
		return "#ff0000"
	}
	return "#999999"
}

// The items, as the command line names them. mg/L; pH unitless.
const (
	PH    = "pH"
	DO    = "DO"
	CODMn = "CODMn"
	COD   = "COD"
	BOD5  = "BOD5"
	NH3N  = "NH3-N"
	TP    = "TP"
	TN    = "TN"
)

// Items lists the items in table order, which is the order results use.
var Items = []string{PH, DO, CODMn, COD, BOD5, NH3N, TP, TN}

// Names are the items' Chinese names.
var Names = map[string]string{
	PH: "pH", DO: "溶解氧", CODMn: "高锰酸盐指数", COD: "化学需氧量", BOD5: "五日生化需氧量",
	NH3N: "氨氮", TP: "总磷", TN: "总氮",
}

// limits are the class I … V limits: upper limits, except DO (lower).
var limits = map[string][5]float64{
	DO:    {7.5, 6, 5, 3, 2},
	CODMn: {2, 4, 6, 10, 15},
	COD:   {15, 15, 20, 30, 40},
	BOD5:  {3, 3, 4, 6, 10},
	NH3N:  {0.15, 0.5, 1.0, 1.5, 2.0},
	TP:    {0.02, 0.1, 0.2, 0.3, 0.4},
	TN:    {0.2, 0.5, 1.0, 1.5, 2.0},
}

// tpLake is total phosphorus for lakes and reservoirs.
var tpLake = [5]float64{0.01, 0.025, 0.05, 0.1, 0.2}

// Limit is the class-c limit of item for a river (lake false) or a lake or
// reservoir; ok is false for pH (a range) and for 劣V.
func Limit(item string, c Class, lake bool) (float64, bool) {
	if c < I || c > V {
		return 0, false
	}
	l, ok := limits[item]
	if item == TP && lake {
		l, ok = tpLake, true
	}
	if !ok {
		return 0, false
	}
	return l[c-1], true
}

// ItemClass is one item's value and class.
type ItemClass struct {
	Item  string  `json:"item"`
	Value float64 `json:"value"`
	Class Class   `json:"class"`
	// Multiple is how many times the class III limit is exceeded
	// ((value − limit) / limit; for DO (limit − value) / limit), 0 when within.
	Multiple float64 `json:"multiple"`
}

// Result is the classification of one sample or one period's means. Its
// JSON (class, decisive) is the contract of `fuwu city water --json`.
type Result struct {
	Class    Class    `json:"class"`
	Decisive []string `json:"decisive"` // the items whose class is the water's class
	// Items are every item that counted, in table order.
	Items []ItemClass `json:"-"`
	// Main are the main pollutants of water worse than class III: the three
	// items most above their class III limit, as "高锰酸盐指数(1.2)" [one source].
	Main []string `json:"-"`
	// Ignored are items given but left out (TN of a river) with why.
	Ignored map[string]string `json:"-"`
}

// ErrInput is matched by every input error.
var ErrInput = errors.New("water: invalid input")

// Classify classifies the values in v (item → value). lake selects the
// lake-and-reservoir rules: TP's lake limits, and TN counts; for a river TN
// is left out (national assessment practice, 环办〔2011〕22号).
func Classify(v map[string]float64, lake bool) (Result, error) {
	r := Result{Decisive: []string{}, Ignored: map[string]string{}}
	for k, x := range v {
		if _, ok := limits[k]; !ok && k != PH {
			return Result{}, fmt.Errorf("%w: unknown item %q (want pH, DO, CODMn, COD, BOD5, NH3-N, TP, TN)", ErrInput, k)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return Result{}, fmt.Errorf("%w: %s=%v: a value is a number ≥ 0", ErrInput, k, x)
		}
		if k == PH && x > 14 {
			return Result{}, fmt.Errorf("%w: pH=%v is outside 0–14", ErrInput, x)
		}
	}
	for _, item := range Items {
		x, ok := v[item]
		if !ok {
			continue
		}
		if item == TN && !lake {
			r.Ignored[TN] = "河流断面评价不计总氮（仅湖泊、水库计入）"
			continue
		}
		ic := ItemClass{Item: item, Value: x, Class: classOf(item, x, lake)}
		if l, ok := Limit(item, III, lake); ok {
			if item == DO && x < l {
				ic.Multiple = round2((l - x) / l)
			} else if item != DO && x > l {
				ic.Multiple = round2((x - l) / l)
			}
		}
		r.Items = append(r.Items, ic)
		r.Class = max(r.Class, ic.Class)
	}
	if len(r.Items) == 0 {
		return Result{}, fmt.Errorf("%w: no item to classify (give e.g. NH3-N=0.8)", ErrInput)
	}
	for _, ic := range r.Items {
		if ic.Class == r.Class {
			r.Decisive = append(r.Decisive, ic.Item)
		}
	}
	if r.Class > III {
		worst := make([]ItemClass, 0, len(r.Items))
		for _, ic := range r.Items {
			if ic.Multiple > 0 {
				worst = append(worst, ic)
			}
		}
		sort.SliceStable(worst, func(i, j int) bool { return worst[i].Multiple > worst[j].Multiple })
		for i, ic := range worst {
			if i == 3 {
				break
			}
			r.Main = append(r.Main, Names[ic.Item]+"("+strconv.FormatFloat(ic.Multiple, 'f', -1, 64)+")")
		}
	}
	return r, nil
}

func classOf(item string, x float64, lake bool) Class {
	if item == PH {
		if x >= 6 && x <= 9 {
			return I
		}
		return WorseV
	}
	for c := I; c <= V; c++ {
		l, _ := Limit(item, c, lake)
		if item == DO {
			if x >= l {
				return c
			}
		} else if x <= l {
			return c
		}
	}
	return WorseV
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
