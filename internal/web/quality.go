package web

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// dayRange reads from/to (YYYY-MM-DD) from the query, defaulting to the
// last days days in the display zone.
func (s *Server) dayRange(r *http.Request, days int) (from, to string) {
	now := s.now()
	from, to = r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if _, err := time.Parse(time.DateOnly, to); err != nil {
		to = now.Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, from); err != nil {
		t, _ := time.Parse(time.DateOnly, to)
		from = t.AddDate(0, 0, -(days - 1)).Format(time.DateOnly)
	}
	return from, to
}

var turnStatusLabels = map[string]string{"answered": "已解答", "clarify": "追问澄清", "out_of_scope": "超出范围",
	"handoff": "转人工", convo.ReasonBadFeedback: "差评", convo.ReasonLowConfidence: "把握不大"}

func init() {
	funcs["turnStatus"] = func(s string) string {
		if l, ok := turnStatusLabels[s]; ok {
			return l
		}
		return s
	}
	funcs["score"] = func(s convo.Score) string { return s.Label() }
	funcs["handoffState"] = func(s convo.HandoffState) string {
		switch s {
		case convo.HandoffOpen:
			return "待处理"
		case convo.HandoffClaimed:
			return "处理中"
		case convo.HandoffClosed:
			return "已关闭"
		}
		return string(s)
	}
	funcs["pct"] = func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
	funcs["avg"] = func(f float64) string { return fmt.Sprintf("%.2f", f) }
	funcs["query"] = func(kv ...string) template.URL {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] != "" {
				q.Set(kv[i], kv[i+1])
			}
		}
		return template.URL(q.Encode())
	}
}

type convListData struct {
	List     []convo.Summary
	Total    int
	Filter   convo.Filter
	Statuses []string
	Offset   int
	Prev     int
	Next     int
	HasPrev  bool
	HasNext  bool
}

const pageSize = 50

func (s *Server) conversationsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := convo.Filter{Status: q.Get("status"), BadFeedback: q.Get("bad") == "1", FromDay: q.Get("from"), ToDay: q.Get("to"),
		ItemID: strings.TrimSpace(q.Get("item")), Text: strings.TrimSpace(q.Get("q"))}
	off, _ := strconv.Atoi(q.Get("offset"))
	off = max(off, 0)
	list, total, err := s.cfg.Convo.Conversations(r.Context(), f, convo.Page{Limit: pageSize, Offset: off})
	p := s.consolePage(r, "conversations", "对话记录", nil)
	if err != nil {
		p.Error = "查询失败：" + s.problem(r, err)
	}
	p.Data = convListData{List: list, Total: total, Filter: f, Statuses: []string{"answered", "clarify", "out_of_scope", "handoff"},
		Offset: off, Prev: max(off-pageSize, 0), Next: off + pageSize, HasPrev: off > 0, HasNext: off+pageSize < total}
	s.render(w, r, http.StatusOK, "conversations.html", p)
	return nil
}

type convData struct {
	ID       string
	Conv     convo.Conversation
	Turns    []convo.Turn
	Handoffs []convo.Handoff
}

func (s *Server) conversationPage(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	c, turns, err := s.cfg.Convo.Conversation(r.Context(), id)
	if errors.Is(err, convo.ErrNotFound) {
		return errNoConversation
	}
	if err != nil {
		return unavailable(convoDown, err)
	}
	hs, _, err := s.cfg.Convo.Handoffs(r.Context(), convo.HandoffFilter{ConversationID: id}, convo.Page{Limit: 20})
	if err != nil {
		return unavailable(convoDown, err)
	}
	// Reading what a resident typed is recorded: who read which transcript.
	s.audit(r, nil, "convo.read", "conversation:"+id, nil)
	s.render(w, r, http.StatusOK, "conversation.html", s.consolePage(r, "conversations", "对话 "+id, convData{id, c, turns, hs}))
	return nil
}

type unansweredData struct {
	From, To string
	Groups   []convo.QuestionGroup
	Reasons  []string
	// For turning a group into knowledge (those who may edit it).
	Items   []kb.Record
	Pending []kb.Synonym // learned synonyms waiting for review
	Learned []kb.Synonym // published ones
	// Decline and ask lessons: waiting for review, and live.
	ScopePending, ScopeLearned []kb.ScopeLesson
	Kinds                      []kb.LessonKind
	// Proposals are the questions proposed for each group's lesson: the
	// gist of its wording (search.Index.Gist), which the reviewer edits
	// and confirms; "" where there is none.
	Proposals []string
	// Stopped are, for those who may edit the sensitive-word lexicon and
	// by group, what stopped a group's wording there (nil where nothing
	// did): a reviewer who judges it a false positive allows the proposed
	// phrase with one action, since no item lesson reaches a stopped turn.
	Stopped []*stoppedBy
}

// stoppedBy is the lexicon entry (or rule) that stopped a wording and the
// phrase proposed to allow.
type stoppedBy struct {
	Word, Category, Phrase string
}

// SensitiveProposer reads a wording as the chat does and says what in the
// lexicon stops it, and the phrase to allow if that is a false positive
// (*assistant.Assistant).
type SensitiveProposer interface {
	SensitiveProposal(text string) (assistant.SensitiveWord, string, bool)
}

// gister proposes a lesson's question from a resident's wording
// (*search.Index).
type gister interface {
	Gist(text, item string, rivals []string) string
}

// talkTrimmer is a wording without its talk (*search.Index).
type talkTrimmer interface {
	TrimTalk(text string) string
}

// placeNamer reports a wording naming another place as where its service
// is (*assistant.Assistant).
type placeNamer interface {
	NamesOtherPlace(text string) bool
}

func (s *Server) unansweredPage(w http.ResponseWriter, r *http.Request) error {
	from, to := s.dayRange(r, 30)
	groups, err := s.cfg.Convo.Unanswered(r.Context(), from, to, 0)
	p := s.consolePage(r, "unanswered", "未解决的问题", nil)
	if err != nil {
		p.Error = "查询失败：" + s.problem(r, err)
	}
	d := unansweredData{From: from, To: to, Groups: groups,
		Reasons: []string{"out_of_scope", "clarify", "handoff", convo.ReasonBadFeedback, convo.ReasonLowConfidence},
		Kinds:   []kb.LessonKind{kb.LearnFAQ, kb.LearnAlias, kb.LearnSynonym, kb.LearnDecline, kb.LearnAsk}}
	if s.cfg.Stops != nil && s.cfg.Lexicon != nil && currentUser(r).Can(auth.EditLexicon) {
		for _, g := range groups {
			var st *stoppedBy
			if w, phrase, ok := s.cfg.Stops.SensitiveProposal(g.Question); ok {
				st = &stoppedBy{Word: w.Word, Category: categoryLabel(w.Category), Phrase: phrase}
			}
			d.Stopped = append(d.Stopped, st)
		}
	}
	if currentUser(r).Can(auth.EditKnowledge) {
		if d.Items, err = s.cfg.KB.Items(r.Context(), kb.Filter{Status: kb.Published}); err != nil {
			return unavailable(kbDown, err)
		}
		if g, ok := s.cfg.Search.(gister); ok {
			pn, _ := s.cfg.Stops.(placeNamer)
			tt, _ := s.cfg.Search.(talkTrimmer)
			for _, q := range groups {
				// A wording declined as another place's is proposed whole,
				// talk aside: taught as an item's question, the place must
				// stay in it, or the lesson would answer the other place's
				// own questions.
				if pn != nil && tt != nil && q.Reasons["out_of_scope"] > 0 && pn.NamesOtherPlace(q.Question) {
					d.Proposals = append(d.Proposals, tt.TrimTalk(q.Question))
					continue
				}
				d.Proposals = append(d.Proposals, g.Gist(q.Question, q.ItemID, nil))
			}
		}
		syns, err := s.cfg.KB.Synonyms(r.Context(), "")
		if err != nil {
			return unavailable(kbDown, err)
		}
		for _, y := range syns {
			switch y.Status {
			case kb.Review:
				d.Pending = append(d.Pending, y)
			case kb.Published:
				d.Learned = append(d.Learned, y)
			}
		}
		scopes, err := s.cfg.KB.ScopeLessons(r.Context(), "")
		if err != nil {
			return unavailable(kbDown, err)
		}
		for _, y := range scopes {
			switch y.Status {
			case kb.Review:
				d.ScopePending = append(d.ScopePending, y)
			case kb.Published:
				d.ScopeLearned = append(d.ScopeLearned, y)
			}
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "unanswered.html", p)
	return nil
}

type feedbackData struct {
	From, To string
	Days     []convo.DayStats
	Sum      convo.DayStats
	Chart    template.HTML
	Top      []convo.ItemCount
	Names    map[string]string
	Labels   []string
}

func (s *Server) feedbackPage(w http.ResponseWriter, r *http.Request) error {
	from, to := s.dayRange(r, 30)
	p := s.consolePage(r, "feedback", "好差评统计", nil)
	days, err := s.cfg.Convo.FeedbackStats(r.Context(), from, to)
	if err != nil {
		p.Error = "日期范围无效：" + err.Error()
		from, to = s.dayRange(&http.Request{URL: &url.URL{}}, 30)
		days, _ = s.cfg.Convo.FeedbackStats(r.Context(), from, to)
	}
	top, err := s.cfg.Convo.TopItems(r.Context(), from, to, 15)
	if err != nil {
		p.Error = "查询失败：" + s.problem(r, err)
	}
	names := map[string]string{}
	for _, t := range top {
		if rec, err := s.cfg.KB.Item(r.Context(), t.ItemID); err == nil {
			names[t.ItemID] = rec.Item.Name
		}
	}
	p.Data = feedbackData{From: from, To: to, Days: days, Sum: convo.Sum(days), Chart: feedbackChart(days), Top: top,
		Names: names, Labels: scoreLabels()}
	s.render(w, r, http.StatusOK, "feedback.html", p)
	return nil
}

// scoreLabels are the scale's labels indexed by score (index 0 unused).
func scoreLabels() []string {
	out := make([]string, convo.VerySatisfied+1)
	for _, sc := range convo.Scores {
		out[sc] = sc.Label()
	}
	return out
}

// scoreColours are the bar colours by score (1 red … 5 green).
var scoreColours = [6]string{"", "#b4232a", "#e07a1f", "#c9b037", "#6aa84f", "#1c7c3a"}

// feedbackChart draws ratings per day as stacked bars (by score) with the
// share of 基本满意 or better as a line, as inline SVG (no script).
func feedbackChart(days []convo.DayStats) template.HTML {
	const w, h, left, right, top, bottom = 900.0, 260.0, 40.0, 44.0, 16.0, 36.0
	n := len(days)
	if n == 0 {
		return ""
	}
	maxTotal := 1
	for _, d := range days {
		maxTotal = max(maxTotal, d.Total)
	}
	// A round scale: 1, 2, 5, 10, 20, 50 …
	scale := 1.0
	for _, m := range []float64{1, 2, 5} {
		for e := 1.0; ; e *= 10 {
			if m*e >= float64(maxTotal) {
				if scale == 1 || m*e < scale {
					scale = m * e
				}
				break
			}
		}
	}
	plotW, plotH := w-left-right, h-top-bottom
	slot := plotW / float64(n)
	barW := math.Max(2, slot*0.7)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="每日好差评数量与满意率" xmlns="http://www.w3.org/2000/svg">`, w, h)
	// Grid lines at whole numbers of ratings.
	div := 1
	for _, d := range []int{5, 4, 2} {
		if int(scale)%d == 0 {
			div = d
			break
		}
	}
	for i := 0; i <= div; i++ {
		y := top + plotH*float64(i)/float64(div)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d9dee6" stroke-width="1"/>`, left, y, w-right, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end" fill="#5b6573">%g</text>`, left-4, y+4, scale*float64(div-i)/float64(div))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="#0b5cab">%.0f%%</text>`, w-right+4, y+4, 100*float64(div-i)/float64(div))
	}
	var line []string
	labelEvery := max(1, n/10)
	for i, d := range days {
		x := left + slot*float64(i) + (slot-barW)/2
		y := top + plotH
		for sc := 1; sc <= 5; sc++ {
			if d.Counts[sc] == 0 {
				continue
			}
			hgt := plotH * float64(d.Counts[sc]) / scale
			y -= hgt
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s：%d</title></rect>`,
				x, y, barW, hgt, scoreColours[sc], d.Day, convo.Score(sc).Label(), d.Counts[sc])
		}
		if d.Total > 0 {
			line = append(line, fmt.Sprintf("%.1f,%.1f", x+barW/2, top+plotH*(1-d.Satisfied())))
		}
		if i%labelEvery == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#5b6573">%s</text>`,
				x+barW/2, h-bottom+16, d.Day[5:])
		}
	}
	if len(line) > 1 {
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#0b5cab" stroke-width="2"/>`, strings.Join(line, " "))
	}
	for _, pt := range line {
		xy := strings.Split(pt, ",")
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="#0b5cab"/>`, xy[0], xy[1])
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#5b6573"/>`, left, top+plotH, w-right, top+plotH)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from numbers and fixed labels only
}

// The console's refusals for conversations and handoff tickets.
var (
	errNoConversation = refusal.Missing("web", "no_conversation", "对话不存在。")
	errNoHandoff      = refusal.Missing("web", "no_handoff", "工单不存在。")
	errHandoffState   = refusal.New("web", "handoff_state", "工单当前状态不允许此操作（可能已被他人认领或已关闭）。")
	errHandoffEmpty   = refusal.New("web", "handoff_empty", "请填写回复内容。")
	errNoStep         = refusal.Missing("web", "no_step", "未知操作。")
)

const convoDown = "暂时无法读取对话记录。"
