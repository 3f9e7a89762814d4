package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Text from residents and staff is checked once, at the edge, before any
// handler sees it: a control character (U+0000 above all, which
// PostgreSQL refuses to store) or bytes that are not UTF-8 in a query
// parameter, a form field or a JSON string are refused with one clear
// message, so no handler can forget the check and no write fails deep in
// the database. Tab, line feed and carriage return are text. Uploaded
// files are not text inputs here; their importers read them.

const controlMessage = "提交的内容中含有无法识别的控制字符（例如 U+0000），无法保存。请删除这些不可见字符后重新提交。"

// badText reports whether the request carries text that may not be
// stored: in the query always, in the body (form or JSON) when withBody.
func badText(r *http.Request, withBody bool) bool {
	for _, vs := range r.URL.Query() {
		if badValues(vs) {
			return true
		}
	}
	if !withBody {
		return false
	}
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	switch {
	case strings.HasPrefix(ct, "application/json"):
		return badJSON(r)
	case strings.HasPrefix(ct, "multipart/form-data"):
		if r.ParseMultipartForm(32<<20) != nil || r.MultipartForm == nil {
			return false // the handler reports the broken body
		}
		for _, vs := range r.MultipartForm.Value {
			if badValues(vs) {
				return true
			}
		}
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		if r.ParseForm() != nil {
			return false
		}
		for _, vs := range r.PostForm {
			if badValues(vs) {
				return true
			}
		}
	}
	return false
}

func badValues(vs []string) bool {
	for _, v := range vs {
		if badString(v) {
			return true
		}
	}
	return false
}

// badString reports control characters (C0 but tab, LF, CR; DEL; C1) or
// invalid UTF-8.
func badString(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f {
			return true
		}
	}
	return false
}

// badJSON reads the body, looks at every string in it (keys too), and
// puts the body back for the handler. A body that is not JSON is the
// handler's to refuse.
func badJSON(r *http.Request) bool {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		// Too large or cut: the handler meets the same error after what was read.
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{err}))
		return false
	}
	r.Body = &readBody{Reader: bytes.NewReader(b), b: b}
	if !mayHoldBadString(b) {
		return false
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return false
	}
	return badJSONValue(v)
}

// mayHoldBadString reports whether a JSON body could decode to a string
// badString refuses, sparing the decoding of every chat turn's body.
// Decoded, a JSON string holds only what its bytes hold unless it has an
// escape (\u0000…); a raw C0 control character in it is not JSON, which
// the handler refuses; DEL is the byte 0x7F, and C1 characters U+0080 to
// U+009F are encoded C2 80 to C2 9F; invalid UTF-8 decodes to U+FFFD.
func mayHoldBadString(b []byte) bool {
	return bytes.IndexByte(b, '\\') >= 0 || bytes.IndexByte(b, 0x7f) >= 0 || bytes.IndexByte(b, 0xc2) >= 0
}

func badJSONValue(v any) bool {
	switch x := v.(type) {
	case string:
		return badString(x)
	case []any:
		for _, e := range x {
			if badJSONValue(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if badString(k) || badJSONValue(e) {
				return true
			}
		}
	}
	return false
}

// readBody is a request body badJSON has read whole: handlers that
// decode JSON take the bytes (decodeJSONBody) rather than read them again.
type readBody struct {
	*bytes.Reader
	b []byte
}

func (*readBody) Close() error { return nil }

// decodeJSONBody decodes the first JSON value of r's body into v, as
// json.NewDecoder(r.Body).Decode(v) does. A body badJSON has read whole
// and holding that one value is decoded from its bytes, without the
// decoder's buffer.
func decodeJSONBody(r *http.Request, v any) error {
	if rb, ok := r.Body.(*readBody); ok && rb.Len() == len(rb.b) {
		if json.Unmarshal(rb.b, v) == nil {
			rb.Reset(nil)
			return nil
		}
		// Trailing data, or broken: the decoder's outcome, from the start.
	}
	return json.NewDecoder(r.Body).Decode(v)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
