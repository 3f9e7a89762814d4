package web

// The console's home page (工作台).

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

type statusCount struct {
	Status kb.Status
	Count  int
}

type dashData struct {
	Quality  bool // the conversation record is available
	Week     convo.DayStats
	Chart    template.HTML
	Queue    int
	Gaps     []convo.QuestionGroup
	GapCount int
	Counts   []statusCount
	Review   []kb.Record
	Revised  []kb.Record // published items whose revision waits for review
	Answers  []answerCount
	Feedback []answerCount
	Total    uint64
}

type answerCount struct {
	Label string
	Count uint64
}

var statusLabels = map[assistant.Status]string{assistant.Answered: "已解答", assistant.Clarify: "追问澄清",
	assistant.OutOfScope: "超出范围", assistant.Handoff: "转人工"}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	counts, err := s.cfg.KB.Count(ctx)
	if err != nil {
		return unavailable(kbDown, err)
	}
	var d dashData
	for _, st := range []kb.Status{kb.Published, kb.Review, kb.Draft, kb.Withdrawn} {
		d.Counts = append(d.Counts, statusCount{st, counts[st]})
	}
	d.Review, err = s.cfg.KB.Items(ctx, kb.Filter{Status: kb.Review})
	if err != nil {
		return unavailable(kbDown, err)
	}
	pending, err := s.cfg.KB.Items(ctx, kb.Filter{Pending: true})
	if err != nil {
		return unavailable(kbDown, err)
	}
	for _, rec := range pending {
		if rec.Pending == kb.Review {
			d.Revised = append(d.Revised, rec)
		}
	}
	ans := s.metrics.AnswerCounts()
	for _, st := range []assistant.Status{assistant.Answered, assistant.Clarify, assistant.OutOfScope, assistant.Handoff} {
		d.Answers = append(d.Answers, answerCount{statusLabels[st], ans[st]})
		d.Total += ans[st]
	}
	for i := 5; i >= 1; i-- {
		d.Feedback = append(d.Feedback, answerCount{convo.Score(i).Label(), s.metrics.feedback[i].Load()})
	}
	if s.cfg.Convo != nil {
		d.Quality = true
		from, to := s.dayRange(&http.Request{URL: &url.URL{}}, 14)
		if days, err := s.cfg.Convo.FeedbackStats(ctx, from, to); err == nil {
			d.Week = convo.Sum(days)
			if d.Week.Total > 0 {
				d.Chart = feedbackChart(days)
			}
		}
		if _, n, err := s.cfg.Convo.Queue(ctx, convo.Page{Limit: 1}); err == nil {
			d.Queue = n
		}
		if gaps, err := s.cfg.Convo.Unanswered(ctx, from, to, 0); err == nil {
			d.Gaps, d.GapCount = gaps[:min(len(gaps), 5)], len(gaps)
		}
	}
	p := s.consolePage(r, "home", "工作台", d)
	s.render(w, r, http.StatusOK, "admin.html", p)
	return nil
}
