package gongwen

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// ModelRule is the rule id of the model pass's findings; every rule of
// the model pass starts with "model." and its messages with modelMark, so
// that a reader always knows which suggestions a model made.
const (
	ModelRule = "model.typo"
	modelMark = "【模型建议】"
)

const modelCheckSystem = `你是党政机关公文的校对员。下面是一份公文的段落，每段前有[段号]。
找出其中的错别字和用错的词（同音字、形近字、搭配错误），不要改写句子，不要改标点、格式和数字。
只输出一个JSON数组，每项为 {"paragraph":段号,"text":"原文中出错的字或词，与原文一字不差","suggestion":"改正后的字或词","reason":"不超过20字的理由"}。
没有错误就输出 []。`

// modelBatch bounds the characters sent in one request.
const modelBatch = 3000

// CheckWithModel runs Check and then, when m is not nil, a model pass over
// the text: the model is asked for typos and misused words, and each
// answer is kept only if its text stands in the paragraph it names (the
// model's word is never trusted for a position) and no local finding
// already covers it. Personal numbers are masked before anything is sent.
// If the model fails, the local findings are returned with the error: the
// check degrades, it does not fail.
func CheckWithModel(ctx context.Context, src *Source, m Model) ([]Finding, error) {
	local := Check(src)
	if m == nil {
		return local, nil
	}
	extra, err := modelPass(ctx, src, m)
	if err != nil {
		return local, fmt.Errorf("model pass: %w", err)
	}
	type key struct{ para, off int }
	covered := map[key]bool{}
	for _, f := range local {
		for k := range utf8.RuneCountInString(f.Text) {
			covered[key{f.Paragraph, f.Offset + k}] = true
		}
	}
	out := local
	for _, f := range extra {
		if !covered[key{f.Paragraph, f.Offset}] {
			out = append(out, f)
			covered[key{f.Paragraph, f.Offset}] = true
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Paragraph != out[j].Paragraph {
			return out[i].Paragraph < out[j].Paragraph
		}
		return out[i].Offset < out[j].Offset
	})
	return out, nil
}

type modelSuggestion struct {
	Paragraph  int    `json:"paragraph"`
	Text       string `json:"text"`
	Suggestion string `json:"suggestion"`
	Reason     string `json:"reason"`
}

func modelPass(ctx context.Context, src *Source, m Model) ([]Finding, error) {
	var out []Finding
	var batch strings.Builder
	flush := func() error {
		if batch.Len() == 0 {
			return nil
		}
		reply, err := m.Complete(ctx, modelCheckSystem, batch.String())
		batch.Reset()
		if err != nil {
			return err
		}
		sugs, err := parseSuggestions(reply)
		if err != nil {
			return err
		}
		for _, s := range sugs {
			if f, ok := locateSuggestion(src, s); ok {
				out = append(out, f)
			}
		}
		return nil
	}
	for i, p := range src.Paragraphs {
		if strings.TrimSpace(p) == "" {
			continue
		}
		line := fmt.Sprintf("[%d] %s\n", i+1, MaskPersonal(p))
		if batch.Len() > 0 && utf8.RuneCountInString(batch.String())+utf8.RuneCountInString(line) > modelBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		batch.WriteString(line)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// parseSuggestions reads the JSON array of a reply, also when the model
// wrapped it in prose or a code fence.
func parseSuggestions(reply string) ([]modelSuggestion, error) {
	a, b := strings.Index(reply, "["), strings.LastIndex(reply, "]")
	if a < 0 || b < a {
		return nil, fmt.Errorf("reply has no JSON array: %.80q", reply)
	}
	var sugs []modelSuggestion
	if err := json.Unmarshal([]byte(reply[a:b+1]), &sugs); err != nil {
		return nil, fmt.Errorf("reply is not a list of suggestions: %w", err)
	}
	return sugs, nil
}

// locateSuggestion turns a suggestion into a finding if its text stands in
// the named paragraph and the fix is a correction, not a rewrite.
func locateSuggestion(src *Source, s modelSuggestion) (Finding, bool) {
	if s.Paragraph < 1 || s.Paragraph > len(src.Paragraphs) || s.Text == "" || s.Suggestion == "" ||
		s.Text == s.Suggestion || utf8.RuneCountInString(s.Suggestion) > 2*utf8.RuneCountInString(s.Text)+2 {
		return Finding{}, false
	}
	p := src.Paragraphs[s.Paragraph-1]
	at := strings.Index(p, s.Text)
	if at < 0 {
		return Finding{}, false
	}
	off := utf8.RuneCountInString(p[:at])
	msg := modelMark + "疑似错别字或用词不当"
	if r := strings.TrimSpace(s.Reason); r != "" {
		msg = modelMark + truncateRunes(r, 40)
	}
	f := Finding{Rule: ModelRule, Severity: Info, Message: msg, Text: s.Text, Suggestion: s.Suggestion,
		Paragraph: s.Paragraph, Offset: off}
	if src.Text {
		f.Line, f.Column = s.Paragraph, off+1
	}
	return f, true
}

func truncateRunes(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}
