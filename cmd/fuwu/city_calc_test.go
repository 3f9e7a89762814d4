package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func fixedDay(y int, m time.Month, d int) func() time.Time {
	return func() time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
}

// The calculators' JSON is a contract: exactly these bytes.
func TestCityAQIJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		today func() time.Time
		args  []string
		want  string
		note  string // a fragment expected on stderr
	}{
		{"the issue's shape", fixedDay(2025, 6, 1), []string{"PM2.5=80", "PM10=100", "--json"},
			`{"aqi":107,"category":"轻度污染","level":"三级","primary":["PM2.5"],"iaqi":{"PM10":75,"PM2.5":107}}`, "未经核实"},
		{"AQI ≤ 50: primary empty", fixedDay(2025, 6, 1), []string{"--json", "PM2.5=35"},
			`{"aqi":50,"category":"优","level":"一级","primary":[],"iaqi":{"PM2.5":50}}`, ""},
		{"the default standard follows today: 2026 from 1 March 2026", fixedDay(2026, 3, 1), []string{"PM2.5=75", "--json"},
			`{"aqi":114,"category":"轻度污染","level":"三级","primary":["PM2.5"],"iaqi":{"PM2.5":114}}`, ""},
		{"the day before, 2012", fixedDay(2026, 2, 28), []string{"PM2.5=75", "--json"},
			`{"aqi":100,"category":"良","level":"二级","primary":["PM2.5"],"iaqi":{"PM2.5":100}}`, ""},
		{"--standard overrides today", fixedDay(2026, 6, 1), []string{"--standard", "2012", "PM2.5=75", "--json"},
			`{"aqi":100,"category":"良","level":"二级","primary":["PM2.5"],"iaqi":{"PM2.5":100}}`, ""},
		{"--date picks the edition of the data's date", fixedDay(2027, 1, 1), []string{"--date", "2026-02-01", "PM10=150", "--json"},
			`{"aqi":100,"category":"良","level":"二级","primary":["PM10"],"iaqi":{"PM10":100}}`, ""},
		{"O3 8-hour above 800 reports the 1-hour IAQI", fixedDay(2025, 6, 1), []string{"O3_8h=850", "O3=900", "--json"},
			`{"aqi":350,"category":"严重污染","level":"六级","primary":["O3"],"iaqi":{"O3":350}}`, "高于 800"},
		{"hourly", fixedDay(2025, 6, 1), []string{"--hourly", "SO2=500", "NO2=250", "CO=5.3", "--json"},
			`{"aqi":105,"category":"轻度污染","level":"三级","primary":["NO2"],"iaqi":{"CO":53,"NO2":105,"SO2":100}}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			if err := runCityAQI(tc.args, stdio{out: &out, err: &errb}, tc.today); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(out.String()); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if tc.note != "" && !strings.Contains(errb.String(), tc.note) {
				t.Errorf("stderr lacks %q: %s", tc.note, errb.String())
			}
		})
	}
}

func TestCityWaterJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"pH=7.2", "DO=6.5", "CODMn=3.5", "COD=14", "BOD5=2.5", "NH3-N=0.8", "TP=0.08", "--json"}, `{"class":"III","decisive":["NH3-N"]}`},
		{[]string{"pH=7", "TN=1.2", "NH3-N=0.4", "--json"}, `{"class":"II","decisive":["NH3-N"]}`},
		{[]string{"--lake", "pH=7", "TN=1.2", "NH3-N=0.4", "--json"}, `{"class":"IV","decisive":["TN"]}`},
		{[]string{"pH=5", "--json"}, `{"class":"劣V","decisive":["pH"]}`},
	} {
		var out, errb bytes.Buffer
		if err := runCityWater(tc.args, stdio{out: &out, err: &errb}); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(out.String()); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.args, got, tc.want)
		}
	}
}

func TestCityCalcBadInput(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"PM2.5"}, {"PM2.5=abc"}, {"PM1=3"}, {"PM2.5=3", "pm25=4"}, {}, {"--standard", "2019", "PM2.5=3"}, {"PM2.5=-3"}} {
		var out, errb bytes.Buffer
		err := runCityAQI(args, stdio{out: &out, err: &errb}, fixedDay(2025, 1, 1))
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 || out.Len() != 0 {
			t.Errorf("aqi %v: err %v, stdout %q", args, err, out.String())
		}
	}
	for _, args := range [][]string{{"Hg=1"}, {"pH=x"}, {}} {
		var out, errb bytes.Buffer
		err := runCityWater(args, stdio{out: &out, err: &errb})
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("water %v: err %v", args, err)
		}
	}
}
