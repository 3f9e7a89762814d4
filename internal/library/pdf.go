package library

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// The PDF reader uses github.com/ledongthuc/pdf (BSD-3, rsc.io/pdf's
// successor) for the file structure, fonts and ToUnicode maps, and walks
// the text operators itself: the library's own Content() appends a stray
// glyph after every TJ array and its plain-text mode breaks lines at every
// font change, and Chinese PDFs change font between Han and Latin in
// almost every line. The measurement behind the choice is in the README.

// pdfLine is one visual line of a page.
type pdfLine struct {
	text string
	x    float64 // where it starts
	size float64 // font size
}

// pdfBlocks reads a text PDF into paragraphs. Pages that show no text but
// draw an image are reported as needing OCR; their content is missing.
func pdfBlocks(data []byte) (blocks []Block, needsOCR []int, err error) {
	defer func() {
		if p := recover(); p != nil {
			blocks, needsOCR, err = nil, nil, fmt.Errorf("unreadable PDF: %v", p)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, fmt.Errorf("unreadable PDF: %w", err)
	}
	var lines []pdfLine
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		pl := pageLines(p)
		if len(pl) == 0 {
			if pageHasImage(p) {
				needsOCR = append(needsOCR, i)
			}
			continue
		}
		lines = append(lines, pl...)
	}
	return joinLines(lines), needsOCR, nil
}

// pageHasImage reports whether a page's resources hold an image XObject
// (directly or inside a form).
func pageHasImage(p pdf.Page) bool {
	xo := p.Resources().Key("XObject")
	for _, k := range xo.Keys() {
		v := xo.Key(k)
		switch v.Key("Subtype").Name() {
		case "Image":
			return true
		case "Form":
			inner := v.Key("Resources").Key("XObject")
			for _, k2 := range inner.Keys() {
				if inner.Key(k2).Key("Subtype").Name() == "Image" {
					return true
				}
			}
		}
	}
	return false
}

// mat is a PDF transformation matrix [a b c d e f].
type mat [6]float64

var identity = mat{1, 0, 0, 1, 0, 0}

func (m mat) mul(n mat) mat {
	return mat{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// pageLines interprets a page's content stream and groups the text it
// shows into lines by baseline, in the order the stream shows them.
func pageLines(p pdf.Page) []pdfLine {
	contents := p.V.Key("Contents")
	if contents.Kind() == pdf.Null {
		return nil
	}
	fonts := map[string]*pdf.Font{}
	var (
		ctm       = identity
		stack     []mat
		tm, tlm   = identity, identity
		leading   float64
		size      float64
		enc       pdf.TextEncoding
		lines     []pdfLine
		cur       strings.Builder
		curY      = math.NaN()
		curX      float64
		curSize   float64
		lastShown bool
	)
	flush := func() {
		if t := strings.TrimRight(cur.String(), " "); strings.TrimSpace(t) != "" {
			lines = append(lines, pdfLine{text: t, x: curX, size: curSize})
		}
		cur.Reset()
		lastShown = false
	}
	show := func(raw string) {
		if enc == nil {
			return
		}
		s := enc.Decode(raw)
		if s == "" {
			return
		}
		dev := tm.mul(ctm)
		y, x := dev[5], dev[4]
		h := math.Max(math.Abs(size*dev[3]), 1)
		if math.IsNaN(curY) || math.Abs(y-curY) > 0.4*h {
			flush()
			curY, curX, curSize = y, x, h
		}
		cur.WriteString(s)
		lastShown = true
		// Advance roughly, so that two shows on one line without a
		// positioning operator in between still read as one line.
		tm = mat{1, 0, 0, 1, float64(utf8.RuneCountInString(s)) * size * 0.5, 0}.mul(tm)
	}
	args := func(stk *pdf.Stack) []pdf.Value {
		n := stk.Len()
		out := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			out[i] = stk.Pop()
		}
		return out
	}
	num := func(v []pdf.Value, n int) ([]float64, bool) {
		if len(v) < n {
			return nil, false
		}
		out := make([]float64, n)
		for i := range n {
			out[i] = v[len(v)-n+i].Float64()
		}
		return out, true
	}
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		a := args(stk)
		switch op {
		case "q":
			stack = append(stack, ctm)
		case "Q":
			if n := len(stack); n > 0 {
				ctm, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if v, ok := num(a, 6); ok {
				ctm = mat{v[0], v[1], v[2], v[3], v[4], v[5]}.mul(ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "ET":
		case "Tf":
			if len(a) == 2 {
				name := a[0].Name()
				f := fonts[name]
				if f == nil {
					ff := p.Font(name)
					f = &ff
					fonts[name] = f
				}
				enc = f.Encoder()
				size = a[1].Float64()
			}
		case "TL":
			if v, ok := num(a, 1); ok {
				leading = v[0]
			}
		case "Td", "TD":
			if v, ok := num(a, 2); ok {
				if op == "TD" {
					leading = -v[1]
				}
				tlm = mat{1, 0, 0, 1, v[0], v[1]}.mul(tlm)
				tm = tlm
			}
		case "Tm":
			if v, ok := num(a, 6); ok {
				tm = mat{v[0], v[1], v[2], v[3], v[4], v[5]}
				tlm = tm
			}
		case "T*":
			tlm = mat{1, 0, 0, 1, 0, -leading}.mul(tlm)
			tm = tlm
		case "'", "\"":
			tlm = mat{1, 0, 0, 1, 0, -leading}.mul(tlm)
			tm = tlm
			if len(a) > 0 {
				show(a[len(a)-1].RawString())
			}
		case "Tj":
			if len(a) == 1 {
				show(a[0].RawString())
			}
		case "TJ":
			if len(a) == 1 {
				arr := a[0]
				for i := 0; i < arr.Len(); i++ {
					if x := arr.Index(i); x.Kind() == pdf.String {
						show(x.RawString())
					} else if lastShown && x.Float64() < -300 {
						cur.WriteByte(' ') // a word gap written as a kern
					}
				}
			}
		}
	})
	flush()
	return lines
}

// joinLines rebuilds paragraphs from visual lines: a line joins the one
// before unless it opens an article, a division, an item or a heading
// mark, starts indented, or the line before stopped short of the margin
// after a sentence end.
func joinLines(lines []pdfLine) []Block {
	if len(lines) == 0 {
		return nil
	}
	full := 0.0 // the widest line, in character widths
	left := math.Inf(1)
	for _, l := range lines {
		full = math.Max(full, textWidth(l.text))
		left = math.Min(left, l.x)
	}
	var out []Block
	var cur strings.Builder
	prevFull, prevEnd := false, true
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, Block{Text: t})
		}
		cur.Reset()
	}
	for _, l := range lines {
		t := strings.TrimSpace(l.text)
		indented := l.x-left > 0.8*l.size
		opens := reArticle.MatchString(t) || reDivision.MatchString(t) || reItem.MatchString(t) ||
			strings.HasPrefix(t, "#") || strings.HasPrefix(t, "<!--")
		if cur.Len() == 0 || opens || indented || !prevFull && prevEnd {
			flush()
		} else if last, _ := utf8.DecodeLastRuneInString(cur.String()); last < utf8.RuneSelf && unicode.IsLetter(last) {
			if first, _ := utf8.DecodeRuneInString(t); first < utf8.RuneSelf && unicode.IsLetter(first) {
				cur.WriteByte(' ') // a Latin word wrapped at a space
			}
		}
		cur.WriteString(t)
		prevFull = textWidth(t) >= 0.9*full
		last, _ := utf8.DecodeLastRuneInString(t)
		prevEnd = strings.ContainsRune("。：；！？”」）)", last) || !prevFull
	}
	flush()
	return out
}

// textWidth measures a line in character widths: Han and full-width
// characters count one, others half.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w++
		} else {
			w += 0.5
		}
	}
	return w
}
