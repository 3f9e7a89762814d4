package citymon

import (
	"testing"
	"time"
)

func TestParseMessages(t *testing.T) {
	t.Parallel()
	rs, bad := ParseMessages([]byte(`[{"device":"A","time":"2026-03-01T10:00:00.7+08:00","values":{"PM2.5":35,"PM10":null},"units":{"PM2.5":"mg/m3"}},
		{"readings":[{"param":"CO","ts":1772330400,"value":0.5},{"param":"","ts":1,"value":1},{"param":"O3","value":3}]},
		{"device":"B"}]`), "T")
	if len(rs) != 2 || len(bad) != 4 {
		t.Fatalf("readings %+v, rejected %+v", rs, bad)
	}
	want := time.Date(2026, 3, 1, 10, 0, 0, 0, Zone)
	for _, r := range rs {
		switch r.Param {
		case "PM2.5":
			if r.Device != "A" || !r.Time.Equal(want) || r.Unit != "mg/m3" || r.Value != 35 {
				t.Errorf("PM2.5 %+v", r)
			}
		case "CO":
			if r.Device != "T" || r.Time.Unix() != 1772330400 {
				t.Errorf("CO %+v (the topic names the device)", r)
			}
		}
	}
	if _, bad := ParseMessages([]byte(`{"device":`), "X"); len(bad) != 1 || bad[0].Reason != ReasonMalformed || bad[0].Raw == "" {
		t.Errorf("malformed: %+v", bad)
	}
	// What EncodeReadings writes, ParseMessages reads back.
	in := []Reading{{Param: "PM2.5", Time: want, Value: 12.5, Unit: "µg/m³"}, {Param: "NO2", Time: want.Add(time.Minute), Value: 40}}
	rs, bad = ParseMessages(EncodeReadings("D1", in), "")
	if len(bad) != 0 || len(rs) != 2 || rs[0].Device != "D1" || rs[0].Unit != "µg/m³" || !rs[1].Time.Equal(in[1].Time) {
		t.Errorf("round trip %+v %+v", rs, bad)
	}
}

// Whatever arrives, ParseMessages neither panics nor loses track: every
// reading it returns has a device, a parameter and a time.
func FuzzParseMessages(f *testing.F) {
	f.Add([]byte(`{"device":"A","time":"2026-03-01T10:00:00+08:00","values":{"PM2.5":35}}`), "t")
	f.Add([]byte(`[{"readings":[{"param":"CO","ts":1772330400,"value":0.5}]}]`), "dev")
	f.Add([]byte(`{"device":"`), "")
	f.Add([]byte(`{"device":"A","time":"0001-01-01T00:00:00Z","values":{"PM2.5":1}}`), "")
	f.Fuzz(func(t *testing.T, payload []byte, topicDevice string) {
		rs, bad := ParseMessages(payload, topicDevice)
		for _, r := range rs {
			if r.Device == "" || r.Param == "" || r.Time.IsZero() {
				t.Fatalf("reading without device, parameter or time: %+v", r)
			}
		}
		for _, b := range bad {
			if b.Reason == "" {
				t.Fatalf("rejected without a reason: %+v", b)
			}
		}
	})
}
