package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// formProbe has one field of every kind decodeForm fills.
type formProbe struct {
	Name    string   `form:"name,required"`
	Count   int      `form:"count"`
	ID      int64    `form:"id"`
	On      bool     `form:"on"`
	Streets []string `form:"streets"`
	Secret  string   `form:"secret,raw"`
	Score   convo.Score
	Skipped string `form:"-"`
}

func (p formProbe) Validate() error {
	if p.Count > 10 {
		return errTooMany
	}
	return nil
}

var errTooMany = refusal.Bad("web", "test_too_many", "太多了")

// decodeForm fills a struct from a form by its tags, trimmed and
// converted; what does not convert, is missing or fails Validate is a
// refusal that carries no text of the form.
func TestDecodeForm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		method string
		body   url.Values
		query  string
		want   formProbe
		err    error
	}{
		{name: "every kind", body: url.Values{"name": {" 张三 "}, "count": {"3"}, "id": {"9007199254740993"}, "on": {"on"},
			"streets": {"园岭", " ", "南园 "}, "secret": {" pass word "}, "Score": {"5"}, "Skipped": {"x"}},
			want: formProbe{Name: "张三", Count: 3, ID: 9007199254740993, On: true, Streets: []string{"园岭", "南园"}, Secret: " pass word "}},
		{name: "empty optional fields", body: url.Values{"name": {"李四"}, "count": {""}}, want: formProbe{Name: "李四"}},
		{name: "required missing", body: url.Values{"count": {"1"}}, err: errFormMissing},
		{name: "required blank", body: url.Values{"name": {"  "}}, err: errFormMissing},
		{name: "not a number", body: url.Values{"name": {"王五"}, "count": {"三"}}, err: errFormField},
		{name: "number too big", body: url.Values{"name": {"王五"}, "count": {"99999999999999999999"}}, err: errFormField},
		{name: "not yes or no", body: url.Values{"name": {"王五"}, "on": {"maybe"}}, err: errFormField},
		{name: "its own check", body: url.Values{"name": {"王五"}, "count": {"11"}}, err: errTooMany},
		{name: "a POST ignores the URL", body: url.Values{"name": {"王五"}}, query: "count=11", want: formProbe{Name: "王五"}},
		{name: "a GET reads the URL", method: "GET", query: "name=%E7%8E%8B&count=2", want: formProbe{Name: "王", Count: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			method := tc.method
			if method == "" {
				method = "POST"
			}
			r := httptest.NewRequest(method, "/x?"+tc.query, strings.NewReader(tc.body.Encode()))
			if method == "POST" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			var got formProbe
			err := decodeForm(r, &got)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				if st, msg := explain(err); st != http.StatusBadRequest || strings.ContainsAny(msg, "三9") {
					t.Errorf("answered %d %q", st, msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tc.want.Name || got.Count != tc.want.Count || got.ID != tc.want.ID || got.On != tc.want.On || got.Secret != tc.want.Secret ||
				strings.Join(got.Streets, "|") != strings.Join(tc.want.Streets, "|") || got.Score != 0 || got.Skipped != "" {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// One rating scale: the page's buttons, the labels shown back, the
// console's chart and the checks are convo's five levels, as stored.
func TestOneRatingScale(t *testing.T) {
	t.Parallel()
	if len(scoreOptions) != len(convo.Scores) {
		t.Fatalf("buttons %v, scale %v", scoreOptions, convo.Scores)
	}
	for i, o := range scoreOptions {
		if o.Score != convo.Scores[i] || o.Label != convo.Scores[i].Label() || o.Label == "" {
			t.Errorf("button %d = %+v, want %v %s", i, o, convo.Scores[i], convo.Scores[i].Label())
		}
		if got := scoreLabels()[o.Score]; got != o.Label {
			t.Errorf("chart label of %d = %q, want %q", o.Score, got, o.Label)
		}
		f := Feedback{ConversationID: "c", TurnID: 1, Score: o.Score}
		if err := f.Validate(); err != nil {
			t.Errorf("score %d refused: %v", o.Score, err)
		}
	}
	for _, bad := range []convo.Score{0, 6, -1} {
		if err := (Feedback{ConversationID: "c", TurnID: 1, Score: bad}).Validate(); !errors.Is(err, errBadScore) {
			t.Errorf("score %d: %v", bad, err)
		}
	}
	long := Feedback{ConversationID: "c", TurnID: 1, Score: convo.Satisfied, Comment: strings.Repeat("好", maxComment+1)}
	if err := long.Validate(); !errors.Is(err, errLongComment) || maxComment > convo.MaxComment {
		t.Errorf("comment of %d: %v (the store keeps %d)", maxComment+1, err, convo.MaxComment)
	}
}
