package web

// Learning from use: on the page of unanswered questions a reviewer turns
// a group into an alias, a synonym or an FAQ entry with one action, or
// teaches the assistant to decline such questions (no district service)
// or to ask which of a few items they mean; the index follows at once
// when it is published (kb.Store.Learn).

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// unansweredBack is the page of unanswered questions over the same days.
func unansweredBack(r *http.Request) string {
	q := url.Values{}
	for _, k := range []string{"from", "to"} {
		if v := r.FormValue(k); v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return "/admin/unanswered"
	}
	return "/admin/unanswered?" + q.Encode()
}

func (s *Server) learnSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	l := kb.Lesson{Kind: kb.LessonKind(r.FormValue("kind")), ItemID: strings.TrimSpace(r.FormValue("item_id")),
		Phrase: r.FormValue("phrase"), Answer: r.FormValue("answer"), Terms: []string{r.FormValue("terms")},
		Items: []string{r.FormValue("items")}}
	back := unansweredBack(r)
	got, err := s.cfg.KB.Learn(r.Context(), l, u.Username, u.Can(auth.Publish))
	if errors.Is(err, kb.ErrNotFound) {
		err = errNoItem
	}
	if err != nil {
		return s.backRefused(w, r, back, err)
	}
	s.audit(r, nil, "kb.learn", got.Ref, map[string]any{"kind": string(got.Kind), "status": string(got.Status)})
	code := "learn.review"
	if got.Status == kb.Published {
		code = "learn.published"
	}
	s.back(w, r, back, code, got.Kind.Label())
	return nil
}

// synonymStep publishes or retires a learned synonym waiting for review.
func (s *Server) synonymStep(w http.ResponseWriter, r *http.Request) error {
	return s.reviewStep(w, r, s.cfg.KB.SetSynonymStatus, errNoSynonym, "kb.synonym", "synonym:", "synonym.status")
}

// scopeLessonStep publishes, or retires, a decline or ask lesson.
func (s *Server) scopeLessonStep(w http.ResponseWriter, r *http.Request) error {
	return s.reviewStep(w, r, s.cfg.KB.SetScopeLessonStatus, errNoScopeLesson, "kb.scope_lesson", "scope:", "scope.status")
}

// reviewStep moves the reviewed row the path names ({id}) as the form's
// "do" says (publish, withdraw) with set, audits it as action on
// target+id, and goes back to the unanswered page with message code.
func (s *Server) reviewStep(w http.ResponseWriter, r *http.Request, set func(ctx context.Context, id int64, to kb.Status, actor string) error, missing error, action, target, code string) error {
	u := currentUser(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return missing
	}
	var to kb.Status
	switch r.FormValue("do") {
	case "publish":
		to = kb.Published
	case "withdraw":
		to = kb.Withdrawn
	default:
		return errBadAction
	}
	if err := set(r.Context(), id, to, u.Username); err != nil {
		if errors.Is(err, kb.ErrNotFound) {
			return missing
		}
		return err
	}
	s.audit(r, nil, action, target+strconv.FormatInt(id, 10), map[string]any{"to": string(to)})
	s.back(w, r, unansweredBack(r), code, to.Label())
	return nil
}

// errNoScopeLesson: the step names a decline or ask lesson that is not there.
var errNoScopeLesson = refusal.Missing("web", "no_scope_lesson", "婉拒或追问规则不存在。")

// errNoSynonym: the step names a synonym that is not there.
var errNoSynonym = refusal.Missing("web", "no_synonym", "同义词不存在。")
