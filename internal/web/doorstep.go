package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/doorstep"
)

type doorstepPageData struct {
	Groups []doorstep.ThemeGroup
	// ForEnterprise marks the catalogue's items that serve enterprises
	// (法人 in the knowledge base's audience); the page promises service to
	// enterprises only when there is one.
	ForEnterprise map[string]bool
	Item          *doorstep.Item
	Streets       []string
	Done          *doorstep.Request
	Form          url.Values
}

func (s *Server) doorstepPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDoorstep(w, r, http.StatusOK, r.URL.Query().Get("item"), nil, nil, "")
}

func (s *Server) renderDoorstep(w http.ResponseWriter, r *http.Request, status int, itemID string, form url.Values, done *doorstep.Request, problem string) error {
	ctx := r.Context()
	d := doorstepPageData{Streets: doorstep.FutianStreets, Done: done, Form: form}
	if itemID != "" {
		it, err := s.cfg.Doorstep.CatalogueItem(ctx, itemID)
		if err != nil {
			return err
		}
		d.Item = &it
	} else {
		groups, err := s.cfg.Doorstep.Catalogue(ctx, false)
		if err != nil {
			return unavailable("读取上门服务目录失败", err)
		}
		d.Groups, d.ForEnterprise = groups, map[string]bool{}
		for _, g := range groups {
			for _, it := range g.Items {
				if rec, err := s.cfg.KB.Item(ctx, it.ID); err == nil && slices.Contains(rec.Item.Audience, "法人") {
					d.ForEnterprise[it.ID] = true
				}
			}
		}
	}
	p := s.page(r, "上门办", d)
	p.Error = problem
	s.render(w, r, status, "doorstep.html", p)
	return nil
}

// doorstepRequest is an application for door-to-door service as the
// page's form and the API send it: one struct, the form's names beside the
// JSON's.
type doorstepRequest struct {
	Kind      string `json:"kind" form:"kind"` // resident / enterprise (个人 / 企业); empty: resident
	Applicant string `json:"applicant" form:"applicant"`
	Contact   string `json:"contact" form:"contact"`
	Phone     string `json:"phone" form:"phone"`
	Street    string `json:"street" form:"street"`
	Address   string `json:"address" form:"address"`
	ItemID    string `json:"item_id" form:"item"`
	Preferred string `json:"preferred" form:"preferred"`
	Notes     string `json:"notes" form:"notes"`
}

// submitDoorstep is the one core of an application, from the page's form
// (channel web) or the API (api); the chat applies through the assistant,
// over the same service. A phone that does not match is told as not found.
func (s *Server) submitDoorstep(ctx context.Context, in doorstepRequest, channel string) (doorstep.Request, error) {
	kind, err := doorstep.ParseKind(in.Kind)
	if err != nil {
		return doorstep.Request{}, err
	}
	t := strings.TrimSpace
	req, err := s.cfg.Doorstep.Submit(ctx, doorstep.NewRequest{Kind: kind, Applicant: t(in.Applicant), Contact: t(in.Contact),
		Phone: t(in.Phone), Street: t(in.Street), Address: t(in.Address), ItemID: t(in.ItemID), Preferred: t(in.Preferred), Notes: t(in.Notes),
		Channel: channel})
	return req, hideNumber(err)
}

func (s *Server) doorstepSubmit(w http.ResponseWriter, r *http.Request) error {
	var in doorstepRequest
	err := decodeForm(r, &in)
	var req doorstep.Request
	if err == nil {
		req, err = s.submitDoorstep(r.Context(), in, "web")
	}
	if err != nil {
		if !isRefusal(err) {
			return err
		}
		form := url.Values{}
		for k, v := range r.PostForm {
			if k != "csrf" && k != "phone" {
				form[k] = v
			}
		}
		st, msg := explain(err)
		return s.renderDoorstep(w, r, st, in.ItemID, form, nil, "提交没有成功："+msg)
	}
	return s.renderDoorstep(w, r, http.StatusOK, in.ItemID, nil, &req, "")
}

type doorstepLookupData struct {
	Number  string
	Request *doorstep.Request
}

func (s *Server) doorstepLookupPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "doorstep_lookup.html", s.page(r, "上门办进度查询", doorstepLookupData{Number: r.URL.Query().Get("number")}))
	return nil
}

// doorstepLookup is a POST so that the phone number never sits in a URL
// (and so in no access log).
func (s *Server) doorstepLookup(w http.ResponseWriter, r *http.Request) error {
	d := doorstepLookupData{Number: strings.TrimSpace(r.PostFormValue("number"))}
	req, err := s.cfg.Doorstep.Lookup(r.Context(), d.Number, r.PostFormValue("phone"))
	p := s.page(r, "上门办进度查询", d)
	status := http.StatusOK
	if err != nil {
		if !isRefusal(err) {
			return err
		}
		status, p.Error = explain(err)
	} else {
		d.Request = &req
		p.Data = d
	}
	s.render(w, r, status, "doorstep_lookup.html", p)
	return nil
}

func (s *Server) doorstepCancel(w http.ResponseWriter, r *http.Request) error {
	d := doorstepLookupData{Number: strings.TrimSpace(r.PostFormValue("number"))}
	req, err := s.cfg.Doorstep.CancelByApplicant(r.Context(), d.Number, r.PostFormValue("phone"), strings.TrimSpace(r.PostFormValue("reason")))
	p := s.page(r, "上门办进度查询", d)
	status := http.StatusOK
	if err != nil {
		if !isRefusal(err) {
			return err
		}
		status, p.Error = explain(err)
		p.Error = "取消没有成功：" + p.Error
	} else {
		d.Request = &req
		p.Data, p.Flash = d, "申请已取消。"
	}
	s.render(w, r, status, "doorstep_lookup.html", p)
	return nil
}
