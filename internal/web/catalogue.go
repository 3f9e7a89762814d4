package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/kb"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

type themeCount struct {
	Name  string
	Count int
}

type itemsData struct {
	Items     []kb.Item
	Themes    []themeCount
	Theme     string
	Audience  string
	Query     string
	Audiences []string
	Total     int
}

const catalogueDown = "暂时无法读取办事指南，请稍后再试。"

// A catalogue item that is not published (or never was).
var (
	errItemGone  = refusal.Missing("web", "item_gone", "没有找到这个事项，它可能已下线。")
	errNoAPIItem = refusal.Missing("web", "no_api_item", "事项不存在")
)

func (s *Server) itemsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := itemsData{Theme: q.Get("theme"), Audience: q.Get("audience"), Query: strings.TrimSpace(q.Get("q")),
		Audiences: []string{"个人", "法人"}}
	all, err := s.cfg.KB.PublishedItems(r.Context())
	if err != nil {
		return unavailable(catalogueDown, err)
	}
	d.Total = len(all)
	counts := map[string]int{}
	for _, it := range all {
		counts[it.Theme]++
	}
	for _, t := range kb.Themes {
		if counts[t] > 0 {
			d.Themes = append(d.Themes, themeCount{t, counts[t]})
		}
	}
	keep := func(it kb.Item) bool {
		return (d.Theme == "" || it.Theme == d.Theme) && (d.Audience == "" || slices.Contains(it.Audience, d.Audience))
	}
	switch {
	case d.Query != "" && s.cfg.Search != nil:
		byID := map[string]kb.Item{}
		for _, it := range all {
			byID[it.ID] = it
		}
		for _, h := range s.cfg.Search.Search(r.Context(), d.Query, 30).Hits {
			if it, ok := byID[h.ID]; ok && keep(it) {
				d.Items = append(d.Items, it)
			}
		}
	default:
		for _, it := range all {
			if keep(it) && (d.Query == "" || matchesName(it, d.Query)) {
				d.Items = append(d.Items, it)
			}
		}
	}
	p := s.page(r, "办事指南", d)
	s.render(w, r, http.StatusOK, "items.html", p)
	return nil
}

func matchesName(it kb.Item, q string) bool {
	if strings.Contains(it.Name, q) || strings.Contains(it.Summary, q) {
		return true
	}
	for _, a := range it.Aliases {
		if strings.Contains(a, q) {
			return true
		}
	}
	return false
}

type itemData struct {
	Item     kb.Item
	Halls    []kb.Hall
	Bookable map[string]bool // halls taking appointments for the item here
	Doorstep bool            // the door-to-door service takes requests for it
	Video    bool            // 视频导办 is offered for it
}

func (s *Server) publishedItem(r *http.Request) (kb.Record, error) {
	rec, err := s.cfg.KB.Item(r.Context(), r.PathValue("id"))
	if err == nil && rec.Status != kb.Published {
		err = kb.ErrNotFound
	}
	rec.Item = rec.Item.Public() // residents' pages and API never carry internal notes
	return rec, err
}

func (s *Server) itemPage(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.publishedItem(r)
	if errors.Is(err, kb.ErrNotFound) {
		return errItemGone
	}
	if err != nil {
		return unavailable(catalogueDown, err)
	}
	d := itemData{Item: rec.Item}
	for _, id := range rec.Item.Offline.Halls {
		h, err := s.cfg.KB.Hall(r.Context(), id)
		if err == nil {
			d.Halls = append(d.Halls, h)
		}
	}
	if s.cfg.Booking != nil {
		if ids, err := s.cfg.Booking.HallsFor(r.Context(), rec.Item.ID); err == nil {
			d.Bookable = map[string]bool{}
			for _, id := range ids {
				d.Bookable[id] = true
			}
		}
	}
	if s.cfg.Doorstep != nil {
		_, err := s.cfg.Doorstep.CatalogueItem(r.Context(), rec.Item.ID)
		d.Doorstep = err == nil
	}
	d.Video = s.videoAllowed(rec.Item.ID)
	p := s.page(r, rec.Item.Name, d)
	p.Scripts = []string{"/static/common.js"}
	s.render(w, r, http.StatusOK, "item.html", p)
	return nil
}

func (s *Server) apiItem(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.publishedItem(r)
	if errors.Is(err, kb.ErrNotFound) {
		return errNoAPIItem
	}
	if err != nil {
		return unavailable(serviceBusy, err)
	}
	writeJSON(w, http.StatusOK, rec.Item)
	return nil
}
