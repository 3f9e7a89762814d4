package citymon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Message is what a device or a gateway sends, over MQTT or HTTP, as JSON:
// one object or an array of them. Either the readings of one instant,
//
//	{"device":"FT-AQ-01","time":"2026-03-01T10:00:00+08:00","values":{"PM2.5":35,"PM10":60},"units":{"PM2.5":"µg/m³"}}
//
// or a list of readings, each with its own time (a logger's back-log):
//
//	{"device":"FT-AQ-01","readings":[{"param":"PM2.5","time":"…","value":35}]}
//
// A time is RFC 3339, or "ts" in Unix seconds. Over MQTT the device may
// be left out of the payload: the topic's last level names it.
type Message struct {
	Device   string              `json:"device"`
	Time     string              `json:"time,omitempty"`
	TS       int64               `json:"ts,omitempty"`
	Values   map[string]*float64 `json:"values,omitempty"`
	Units    map[string]string   `json:"units,omitempty"`
	Readings []MessageReading    `json:"readings,omitempty"`
}

// MessageReading is one reading of a Message's list.
type MessageReading struct {
	Param string   `json:"param"`
	Time  string   `json:"time,omitempty"`
	TS    int64    `json:"ts,omitempty"`
	Value *float64 `json:"value"`
	Unit  string   `json:"unit,omitempty"`
}

// maxPayload bounds one message or HTTP body.
const maxPayload = 8 << 20

// ParseMessages reads a payload of one Message or an array of them.
// Readings it cannot read (no time, no value, malformed JSON) come back
// as Rejected, to be quarantined with the payload; it never fails.
func ParseMessages(payload []byte, defaultDevice string) ([]Reading, []Rejected) {
	var msgs []Message
	trim := bytes.TrimSpace(payload)
	var err error
	switch {
	case len(trim) > maxPayload:
		err = fmt.Errorf("payload of %d bytes exceeds %d", len(trim), maxPayload)
	case len(trim) > 0 && trim[0] == '[':
		err = json.Unmarshal(trim, &msgs)
	default:
		var m Message
		err = json.Unmarshal(trim, &m)
		msgs = []Message{m}
	}
	if err != nil {
		return nil, []Rejected{{Reading: Reading{Device: defaultDevice}, Reason: ReasonMalformed, Detail: err.Error(), Raw: clip(string(trim))}}
	}
	var out []Reading
	var bad []Rejected
	for _, m := range msgs {
		dev := strings.TrimSpace(m.Device)
		if dev == "" {
			dev = defaultDevice
		}
		reject := func(r Reading, why string) {
			raw, _ := json.Marshal(m)
			bad = append(bad, Rejected{Reading: r, Reason: ReasonMalformed, Detail: why, Raw: clip(string(raw))})
		}
		if dev == "" {
			reject(Reading{}, "no device")
			continue
		}
		if len(m.Values) > 0 {
			at, err := parseWhen(m.Time, m.TS)
			for p, v := range m.Values {
				r := Reading{Device: dev, Param: p, Time: at, Unit: m.Units[p]}
				switch {
				case err != nil:
					reject(r, err.Error())
				case v == nil:
					reject(r, "value of "+p+" is null")
				default:
					r.Value = *v
					out = append(out, r)
				}
			}
		}
		for _, mr := range m.Readings {
			r := Reading{Device: dev, Param: mr.Param, Unit: mr.Unit}
			at, err := parseWhen(firstNonEmpty(mr.Time, m.Time), firstNonZero(mr.TS, m.TS))
			switch {
			case mr.Param == "":
				reject(r, "a reading without param")
			case err != nil:
				reject(r, err.Error())
			case mr.Value == nil:
				reject(r, "value of "+mr.Param+" is null")
			default:
				r.Time, r.Value = at, *mr.Value
				out = append(out, r)
			}
		}
		if len(m.Values) == 0 && len(m.Readings) == 0 {
			reject(Reading{Device: dev}, "no values and no readings")
		}
	}
	return out, bad
}

func parseWhen(s string, ts int64) (time.Time, error) {
	if s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("time %q: want RFC 3339 with a zone", s)
		}
		if t.Year() < 1970 {
			return time.Time{}, fmt.Errorf("time %q: before 1970", s)
		}
		return t.Truncate(time.Second), nil
	}
	if ts > 0 {
		return time.Unix(ts, 0), nil
	}
	return time.Time{}, fmt.Errorf("no time")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func firstNonZero(a, b int64) int64 {
	if a != 0 {
		return a
	}
	return b
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000]
	}
	return s
}

// EncodeReadings is a Message payload listing rs (all of one device), as
// simulators and tests publish them.
func EncodeReadings(device string, rs []Reading) []byte {
	var b bytes.Buffer
	b.WriteString(`{"device":`)
	dev, _ := json.Marshal(device)
	b.Write(dev)
	b.WriteString(`,"readings":[`)
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		p, _ := json.Marshal(r.Param)
		b.WriteString(`{"param":`)
		b.Write(p)
		b.WriteString(`,"ts":`)
		b.WriteString(strconv.FormatInt(r.Time.Unix(), 10))
		b.WriteString(`,"value":`)
		b.WriteString(strconv.FormatFloat(r.Value, 'g', -1, 64))
		if r.Unit != "" {
			u, _ := json.Marshal(r.Unit)
			b.WriteString(`,"unit":`)
			b.Write(u)
		}
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	return b.Bytes()
}
