package web

// Staff expert mode (专家级政务助手): a clerk asks the same assistant
// residents use and gets, besides its answer, the full item it drew on —
// every condition, material, step and the legal basis, the policies that
// cite it, the FAQ and the internal notes reviewers attached — each part
// cited by item, version and field, so that staff who do not know a
// policy in detail answer like an expert.

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// expertItem is one item in full, as the clerk reads it.
type expertItem struct {
	Rec      kb.Record
	Policies []kb.Policy // policy documents citing the item
	Focus    string      // the field the question asked about (aspect)
	Cite     string      // how to cite it: id, name, version, date
}

type expertData struct {
	Question string
	ConvID   string
	Token    string
	Reply    *assistant.Reply
	Items    []expertItem
	Others   []kb.Record // further candidates, named only
}

func (s *Server) expertPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "expert.html", s.consolePage(r, "expert", "专家咨询", expertData{}))
	return nil
}

// expertAsk answers a clerk's question. The question is masked before it
// goes anywhere; the turn is recorded on the "staff" channel (and who
// asked, in the audit log).
func (s *Server) expertAsk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, _ := privacy.Mask(strings.TrimSpace(r.FormValue("q")))
	d := expertData{Question: q}
	p := s.consolePage(r, "expert", "专家咨询", nil)
	if q == "" {
		p.Error = "请输入要咨询的问题。"
		p.Data = d
		s.render(w, r, http.StatusUnprocessableEntity, "expert.html", p)
		return nil
	}
	// A follow-up continues the clerk's own consultation only: the
	// capability proves the id is one this server issued for it.
	req := assistant.Request{ConversationID: assistant.NewConversationID(), Message: q, Channel: "staff", NewConversation: true}
	if id, tok := r.FormValue("conversation_id"), r.FormValue("token"); id != "" && s.convs.valid(id, tok) {
		req.ConversationID = id
	}
	rep, err := s.turn(ctx, req, nil)
	if err != nil {
		_, msg := turnError(err)
		p.Error = msg
		p.Data = d
		s.render(w, r, http.StatusOK, "expert.html", p)
		return nil
	}
	d.Reply, d.ConvID, d.Token = &rep, rep.ConversationID, s.convs.token(rep.ConversationID)
	ids := make([]string, 0, len(rep.Citations)+len(rep.Candidates))
	for _, c := range rep.Citations {
		ids = append(ids, c.ID)
	}
	if len(ids) == 0 && rep.Status == assistant.Clarify {
		ids = append(ids, rep.Candidates...)
	}
	policies, err := s.cfg.KB.Policies(ctx)
	if err != nil {
		return unavailable(kbDown, err)
	}
	for i, id := range ids {
		rec, err := s.cfg.KB.Item(ctx, id)
		if errors.Is(err, kb.ErrNotFound) {
			continue
		}
		if err != nil {
			return unavailable(kbDown, err)
		}
		if i >= 3 {
			d.Others = append(d.Others, rec)
			continue
		}
		ei := expertItem{Rec: rec, Cite: citeItem(rec)}
		if i == 0 && rep.Status == assistant.Answered {
			ei.Focus = string(rep.Aspect)
		}
		for _, pol := range policies {
			if slices.Contains(pol.ItemIDs, id) {
				ei.Policies = append(ei.Policies, pol)
			}
		}
		d.Items = append(d.Items, ei)
	}
	s.audit(r, nil, "assistant.expert", "conversation:"+rep.ConversationID, map[string]any{"items": ids})
	p.Data = d
	s.render(w, r, http.StatusOK, "expert.html", p)
	return nil
}

// citeItem is how an answer cites an item: 事项编码《名称》第 N 版（更新日期）.
func citeItem(rec kb.Record) string {
	c := rec.Item.ID + "《" + rec.Item.Name + "》"
	if rec.Version > 0 {
		c += "第 " + strconv.Itoa(rec.Version) + " 版"
	}
	if rec.Item.Updated != "" {
		c += "（" + rec.Item.Updated + " 更新）"
	}
	return c
}
