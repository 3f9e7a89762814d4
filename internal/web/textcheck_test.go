package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"
)

// badJSON's shortcut (no decoding when no byte could decode to a refused
// character) answers as decoding every string does.
func TestBadJSONShortcut(t *testing.T) {
	for _, c := range []struct {
		name, body string
		bad        bool
	}{
		{"plain", `{"message":"社保卡丢了怎么补","conversation_id":"c1"}`, false},
		{"escaped tab and line feed", `{"message":"一\t二\n三\r"}`, false},
		{"escaped NUL", `{"message":"社保卡\u0000丢了"}`, true},
		{"escaped NUL in a key", `{"id\u0000":"x"}`, true},
		{"raw DEL", "{\"message\":\"a\x7fb\"}", true},
		{"escaped DEL", `{"message":"a\u007fb"}`, true},
		{"raw C1", "{\"message\":\"社保卡\u0085丢了\"}", true},
		{"escaped C1", `{"message":"社保卡\u0085丢了"}`, true},
		{"other C2 character", `{"message":"温度±2"}`, false},
		{"escaped quote", `{"message":"他说\"好\""}`, false},
		{"invalid UTF-8 (decodes to U+FFFD)", "{\"message\":\"a\xffb\"}", false},
		{"raw NUL (not JSON: the handler's)", "{\"message\":\"a\x00b\"}", false},
		{"not JSON", `message=1`, false},
		{"nested", `{"a":[{"b":"\u0001"}]}`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/chat", bytes.NewBufferString(c.body))
			if got := badJSON(r); got != c.bad {
				t.Errorf("badJSON = %v, want %v", got, c.bad)
			}
			// The body is there again for the handler.
			if b, _ := io.ReadAll(r.Body); string(b) != c.body {
				t.Errorf("body after the check: %q", b)
			}
			// And decoding every string agrees.
			var v any
			slow := json.Unmarshal([]byte(c.body), &v) == nil && badJSONValue(v)
			if slow != c.bad {
				t.Errorf("decoded check = %v, want %v", slow, c.bad)
			}
		})
	}
}
