package web

// The console's standalone FAQ entries (高频问答), optionally tied to an item.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/auth"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

type faqData struct {
	Entries []kb.Entry
	Edit    kb.Entry
	States  []kb.Status
	Items   []kb.Record
}

func (s *Server) faqPage(w http.ResponseWriter, r *http.Request) error {
	entries, err := s.cfg.KB.Entries(r.Context(), "")
	if err != nil {
		return unavailable("暂时无法读取问答。", err)
	}
	items, err := s.cfg.KB.Items(r.Context(), kb.Filter{})
	if err != nil {
		return unavailable(kbDown, err)
	}
	d := faqData{Entries: entries, States: allStates, Items: items, Edit: kb.Entry{Status: kb.Draft}}
	q := r.URL.Query()
	if id, err := strconv.ParseInt(q.Get("edit"), 10, 64); err == nil {
		for _, e := range entries {
			if e.ID == id {
				d.Edit = e
			}
		}
	} else {
		// "Make an FAQ from this" links arrive with the question filled in.
		d.Edit.Question, d.Edit.ItemID = q.Get("question"), q.Get("item")
	}
	p := s.consolePage(r, "faq", "高频问答", d)
	s.render(w, r, http.StatusOK, "faq.html", p)
	return nil
}

func (s *Server) faqSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	st, err := kb.ParseStatus(r.FormValue("status"))
	if err != nil {
		st = kb.Draft
	}
	if (st == kb.Published || st == kb.Withdrawn) && !u.Can(auth.Publish) {
		st = kb.Review
	}
	e := kb.Entry{ItemID: strings.TrimSpace(r.FormValue("item_id")), Question: strings.TrimSpace(r.FormValue("question")),
		Answer: strings.TrimSpace(r.FormValue("answer")), Status: st}
	if e.Question == "" || e.Answer == "" {
		s.backError(w, r, "/admin/faq", "faq.incomplete")
		return nil
	}
	if id, perr := strconv.ParseInt(r.FormValue("id"), 10, 64); perr == nil && id > 0 {
		e.ID = id
		err = s.cfg.KB.UpdateEntry(r.Context(), e)
	} else {
		e.ID, err = s.cfg.KB.AddEntry(r.Context(), e, u.Username)
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/faq", err)
	}
	s.audit(r, nil, "kb.faq.save", "faq:"+strconv.FormatInt(e.ID, 10), map[string]any{"status": string(st), "item": e.ItemID})
	s.back(w, r, "/admin/faq", "faq.saved", strconv.FormatInt(e.ID, 10), st.Label())
	return nil
}
