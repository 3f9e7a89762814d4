package library

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

const modelSystem = `你是法规制度问答助手。只能依据用户消息中给出的条文回答，不得使用条文以外的知识。
要求：
1. 用简体中文，三句以内，直接回答问题。
2. 每一句都要注明依据，格式为《法规全称》第X条或《法规全称》第X条第Y款，法规全称和条号必须与给出的条文一致。
3. 如需引用原文，用“”括起来，引号内必须与条文原文一字不差。
4. 给出的条文不能回答问题时，只回答：无法依据所给条文回答。`

// withModel asks the model for a short answer from the retrieved
// articles and keeps it only if it passes the checks; otherwise the
// quoting answer stands, with the reason.
func (l *Library) withModel(ctx context.Context, q Question, hits []Citation, quoted Answer) Answer {
	var user strings.Builder
	fmt.Fprintf(&user, "问题：%s\n", maskQuestion(q.Text))
	if q.Context != "" {
		fmt.Fprintf(&user, "（上一个问题：%s）\n", maskQuestion(q.Context))
	}
	user.WriteString("\n条文：\n")
	for _, h := range hits {
		fmt.Fprintf(&user, "《%s》（%s版本）%s\n", h.Law, h.Version, h.Article)
		for i, p := range strings.Split(articleBody(h), "\n") {
			fmt.Fprintf(&user, "  [第%s款或项] %s\n", Numeral(i+1), p)
		}
	}
	mctx, cancel := context.WithTimeout(ctx, l.opt.ModelTimeout)
	defer cancel()
	reply, err := l.opt.Model.Complete(mctx, modelSystem, user.String())
	if err != nil {
		quoted.Fallback = "model error: " + err.Error()
		return quoted
	}
	cited, err := verify(strings.TrimSpace(reply), hits)
	if err != nil {
		quoted.Fallback = err.Error()
		return quoted
	}
	note := versionNote(cited[0])
	return Answer{
		Status: Answered, Answer: strings.TrimSpace(reply) + "\n" + note, Citations: cited,
		Generator: "model", Model: l.opt.ModelName, AILabel: AILabel,
	}
}

var (
	reCite  = regexp.MustCompile(`《([^》]+)》\s*(第[零〇一二三四五六七八九十百千两0-9]+条(?:之[一二三四五六七八九十]+)?)(?:\s*第([零〇一二三四五六七八九十0-9]+)款)?`)
	reQuote = regexp.MustCompile(`[“「"]([^”」"]+)[”」"]`)
)

// verify checks a model's answer: it must cite, every citation must name
// an article among those retrieved (and a 款 that article has), every
// sentence must carry a citation, and every quotation must stand verbatim
// in a cited article. It returns the cited articles in order of first
// mention.
func verify(reply string, hits []Citation) ([]Citation, error) {
	if reply == "" {
		return nil, fmt.Errorf("model: empty answer")
	}
	if strings.Contains(reply, "无法依据所给条文回答") {
		return nil, fmt.Errorf("model: says the articles do not answer")
	}
	var cited []Citation
	seen := map[string]bool{}
	for _, m := range reCite.FindAllStringSubmatch(reply, -1) {
		law, art, para := m[1], m[2], m[3]
		h, ok := findHit(hits, law, art)
		if !ok {
			return nil, fmt.Errorf("model: cites 《%s》%s, which was not retrieved", law, art)
		}
		if para != "" {
			n, ok := ParseNumeral(para)
			if !ok || n < 1 || n > len(strings.Split(articleBody(h), "\n")) {
				return nil, fmt.Errorf("model: cites 《%s》%s第%s款, which that article does not have", law, art, para)
			}
		}
		if key := h.Law + h.Version + h.Article; !seen[key] {
			seen[key] = true
			cited = append(cited, h)
		}
	}
	if len(cited) == 0 {
		return nil, fmt.Errorf("model: the answer cites no article")
	}
	for _, s := range sentences(reply) {
		if !reCite.MatchString(s) {
			return nil, fmt.Errorf("model: a sentence without a citation: %q", s)
		}
	}
	for _, m := range reQuote.FindAllStringSubmatch(reply, -1) {
		quoteText := squeeze(m[1])
		if utf8Len(quoteText) < 4 {
			continue // a quoted term, not a quotation
		}
		found := false
		for _, c := range cited {
			if strings.Contains(squeeze(c.Text), quoteText) {
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("model: quotation not in the cited articles: %q", m[1])
		}
	}
	return cited, nil
}

// findHit matches a cited law (full title or the name people use) and
// article number against the retrieved articles.
func findHit(hits []Citation, law, art string) (Citation, bool) {
	no, ok := ParseArticleNo(art)
	if !ok {
		return Citation{}, false
	}
	law = workKey(law)
	for _, h := range hits {
		if hn, ok := ParseArticleNo(h.Article); !ok || hn != no {
			continue
		}
		full := workKey(h.Law)
		if law == full || law == strings.TrimPrefix(full, "中华人民共和国") {
			return h, true
		}
	}
	return Citation{}, false
}

// sentences splits an answer into its claims (at 。！？ and line ends),
// skipping fragments too short to claim anything.
func sentences(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("。！？!?\n", r) }) {
		if p := strings.TrimSpace(part); utf8Len(p) >= 6 {
			out = append(out, p)
		}
	}
	return out
}

// squeeze drops white space and punctuation differences for comparing a
// quotation with the article.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}
