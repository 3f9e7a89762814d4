package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// Lexicon is the assistant's governed sensitive-word lexicon
// (assistant.SensitiveStore): every Put and Delete is announced on
// assistant.SensitiveTopic, so every replica's assistant reloads it.
type Lexicon interface {
	List(ctx context.Context) ([]assistant.SensitiveWord, error)
	Put(ctx context.Context, w assistant.SensitiveWord, actor string) error
	Delete(ctx context.Context, word string) error
}

// The categories the shipped lexicon uses, in display order; staff may
// add others. self_harm also changes the assistant's handoff message.
var (
	sensitiveCategories = []string{"illegal", "self_harm", "abuse"}
	categoryLabels      = map[string]string{"illegal": "违法违规", "self_harm": "自伤风险", "abuse": "辱骂攻击"}
	sensitiveActions    = []assistant.SensitiveAction{assistant.ActionBlock, assistant.ActionHandoff, assistant.ActionFlag}
	actionLabels        = map[assistant.SensitiveAction]string{
		assistant.ActionBlock:   "拒答",
		assistant.ActionHandoff: "转人工并提供帮助",
		assistant.ActionFlag:    "正常回答，标记复核",
	}
)

func categoryLabel(c string) string {
	if l, ok := categoryLabels[c]; ok {
		return l + "（" + c + "）"
	}
	if c == "" {
		return "未分类"
	}
	return c
}

type lexiconGroup struct {
	Category string
	Label    string
	Words    []assistant.SensitiveWord
}

type lexiconData struct {
	Groups     []lexiconGroup
	Allow      []string
	Categories []string // known and in use, for the category choice
	Actions    []assistant.SensitiveAction
	Query      string
	Total      int
	Edit       assistant.SensitiveWord // the add form, refilled after an error
}

const lexiconDown = "暂时无法读取敏感词库。"

// errNoWord is a delete form naming no word.
var errNoWord = refusal.Bad("web", "no_word", "没有指定要删除的词语。")

func (s *Server) sensitivePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderLexicon(w, r, http.StatusOK, assistant.SensitiveWord{Category: "illegal", Action: assistant.ActionBlock}, "")
}

func (s *Server) renderLexicon(w http.ResponseWriter, r *http.Request, status int, edit assistant.SensitiveWord, problem string) error {
	words, err := s.cfg.Lexicon.List(r.Context())
	if err != nil {
		return unavailable(lexiconDown, err)
	}
	d := lexiconData{Actions: sensitiveActions, Query: strings.TrimSpace(r.URL.Query().Get("q")), Edit: edit}
	byCat := map[string]*lexiconGroup{}
	cats := append([]string(nil), sensitiveCategories...)
	for _, c := range sensitiveCategories {
		byCat[c] = &lexiconGroup{Category: c, Label: categoryLabel(c)}
	}
	for _, wd := range words {
		if wd.Allow {
			if d.Query == "" || strings.Contains(wd.Word, d.Query) {
				d.Allow = append(d.Allow, wd.Word)
			}
			continue
		}
		g := byCat[wd.Category]
		if g == nil {
			g = &lexiconGroup{Category: wd.Category, Label: categoryLabel(wd.Category)}
			byCat[wd.Category] = g
			cats = append(cats, wd.Category)
		}
		if d.Query == "" || strings.Contains(wd.Word, d.Query) {
			g.Words = append(g.Words, wd)
			d.Total++
		}
	}
	sort.Strings(cats[len(sensitiveCategories):])
	for _, c := range cats {
		d.Groups = append(d.Groups, *byCat[c])
	}
	d.Categories = cats
	p := s.consolePage(r, "sensitive", "敏感词库", d)
	if problem != "" {
		p.Error = problem
	}
	s.render(w, r, status, "sensitive.html", p)
	return nil
}

const (
	maxWordLen     = 40 // characters of a word or allow-list phrase
	maxCategoryLen = 20
)

// sensitivePut adds or changes a word (word, category, action) or an
// allow-list phrase (allow=1, word).
func (s *Server) sensitivePut(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	wd := assistant.SensitiveWord{
		Word:     strings.TrimSpace(r.FormValue("word")),
		Category: strings.TrimSpace(r.FormValue("category")),
		Action:   assistant.SensitiveAction(r.FormValue("action")),
		Allow:    r.FormValue("allow") == "1",
	}
	if c := strings.TrimSpace(r.FormValue("new_category")); c != "" {
		wd.Category = c
	}
	fail := func(msg string) error {
		return s.renderLexicon(w, r, http.StatusUnprocessableEntity, wd, "未保存："+msg)
	}
	switch n := utf8.RuneCountInString(wd.Word); {
	case n == 0:
		return fail("请填写词语。")
	case n > maxWordLen:
		return fail(fmt.Sprintf("词语不能超过 %d 个字。", maxWordLen))
	case strings.ContainsAny(wd.Word, " \t\r\n"):
		return fail("词语不能包含空格或换行；每次添加一个词。")
	}
	if wd.Allow {
		wd.Category, wd.Action = "", ""
	} else {
		if _, ok := actionLabels[wd.Action]; !ok {
			return fail("请选择处理方式（拒答、转人工或标记复核）。")
		}
		if wd.Category == "" {
			return fail("请选择或填写分类。")
		}
		if utf8.RuneCountInString(wd.Category) > maxCategoryLen || strings.ContainsAny(wd.Category, " \t\r\n") {
			return fail(fmt.Sprintf("分类名不能超过 %d 个字，也不能包含空格。", maxCategoryLen))
		}
	}
	var before *assistant.SensitiveWord
	if words, err := s.cfg.Lexicon.List(ctx); err == nil {
		for _, x := range words {
			if x.Word == wd.Word {
				before = &x
				break
			}
		}
	}
	if err := s.cfg.Lexicon.Put(ctx, wd, currentUser(r).Username); err != nil {
		slog.ErrorContext(ctx, "save sensitive word", "request_id", requestID(r), "err", err)
		return fail("保存失败，请稍后再试。")
	}
	details := map[string]any{"word": wd.Word, "category": wd.Category, "action": string(wd.Action), "allow": wd.Allow}
	done := "lexicon.added"
	if before != nil {
		done = "lexicon.updated"
		details["before"] = map[string]any{"category": before.Category, "action": string(before.Action), "allow": before.Allow}
	}
	s.audit(r, nil, "assistant.sensitive.put", "sensitive:"+wd.Word, details)
	if wd.Allow {
		done = strings.Replace(done, "lexicon.", "lexicon.allow_", 1)
	}
	s.back(w, r, "/admin/sensitive"+queryBack(r), done, wd.Word)
	return nil
}

func (s *Server) sensitiveDelete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	word := strings.TrimSpace(r.FormValue("word"))
	if word == "" {
		return errNoWord
	}
	var before *assistant.SensitiveWord
	words, err := s.cfg.Lexicon.List(ctx)
	if err != nil {
		return unavailable(lexiconDown, err)
	}
	for _, x := range words {
		if x.Word == word {
			before = &x
			break
		}
	}
	if before == nil {
		s.backError(w, r, "/admin/sensitive", "lexicon.missing", word)
		return nil
	}
	if err := s.cfg.Lexicon.Delete(ctx, word); err != nil {
		return unavailable("删除失败，请稍后再试。", err)
	}
	s.audit(r, nil, "assistant.sensitive.delete", "sensitive:"+word, map[string]any{"word": word,
		"category": before.Category, "action": string(before.Action), "allow": before.Allow})
	s.back(w, r, "/admin/sensitive"+queryBack(r), "lexicon.deleted", word)
	return nil
}

// queryBack keeps the page's search after a change.
func queryBack(r *http.Request) string {
	if q := strings.TrimSpace(r.FormValue("q")); q != "" {
		return "?q=" + url.QueryEscape(q)
	}
	return ""
}
