package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/eligibility"
)

// statChart is one chart of the statistics page, drawn on the server as
// SVG: the console loads nothing from elsewhere and needs no script.
type statChart struct {
	ID    string
	Title string
	SVG   template.HTML
}

// barChart draws rows as horizontal bars of their amounts, labelled with
// the row's name, the amount in yuan and the people and enterprises.
func barChart(rows []eligibility.StatRow) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	const (
		width  = 720
		labelW = 180
		valueW = 200
		rowH   = 26
		barH   = 16
	)
	var top int64
	for _, r := range rows {
		top = max(top, r.AmountFen)
	}
	height := rowH*len(rows) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars" viewBox="0 0 %d %d" width="%d" height="%d" role="img" xmlns="http://www.w3.org/2000/svg">`,
		width, height, width, height)
	for i, r := range rows {
		y := 4 + i*rowH
		w := 0
		if top > 0 {
			w = int(float64(width-labelW-valueW) * float64(r.AmountFen) / float64(top))
		}
		if r.AmountFen > 0 {
			w = max(w, 2)
		}
		label := r.Label
		if label == "" {
			label = r.Key
		}
		if rs := []rune(label); len(rs) > 12 {
			label = string(rs[:11]) + "…"
		}
		who := fmt.Sprintf("%d 人", r.People)
		if r.Enterprises > 0 {
			who += fmt.Sprintf(" · %d 家企业", r.Enterprises)
		}
		fmt.Fprintf(&b, `<g><title>%s：%s 元，%s</title>`, esc(r.Label), eligibility.Yuan(r.AmountFen), who)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="13" fill="#333">%s</text>`, labelW-8, y+barH-3, esc(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="2" fill="#c0392b"></rect>`, labelW, y, w, barH)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#333">%s 元 · %s</text></g>`, labelW+w+6, y+barH-3,
			eligibility.Yuan(r.AmountFen), who)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text in it is escaped
}

func esc(s string) string { return template.HTMLEscapeString(s) }
