package library

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxPartXML bounds an unzipped part of a .docx (a zip bomb stops here).
const maxPartXML = 64 << 20

const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// docxBlocks reads a .docx body. Unlike a plain text pass it keeps what
// Word's automatic numbering prints (第一条, 第二章, （一）) in front of each
// paragraph — in documents typed with a 第%1条 list style the article
// numbers are nowhere in the text — and heading levels from styles.
func docxBlocks(data []byte) ([]Block, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a .docx (zip) file: %w", err)
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	if parts["word/document.xml"] == nil {
		return nil, fmt.Errorf("%w: .docx has no word/document.xml", ErrFormat)
	}
	num := &numbering{abstract: map[string]map[int]*numLevel{}, nums: map[string]numInstance{}, counters: map[string][]int{}}
	if f := parts["word/numbering.xml"]; f != nil {
		if err := readPart(f, num.read); err != nil {
			return nil, err
		}
	}
	st := styles{}
	if f := parts["word/styles.xml"]; f != nil {
		if err := readPart(f, st.read); err != nil {
			return nil, err
		}
	}
	var blocks []Block
	err = readPart(parts["word/document.xml"], func(dec *xml.Decoder) error {
		var err error
		blocks, err = documentBlocks(dec, num, st)
		return err
	})
	return blocks, err
}

func readPart(f *zip.File, fn func(*xml.Decoder) error) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: maxPartXML + 1}
	dec := xml.NewDecoder(lr)
	dec.Strict = false
	if err := fn(dec); err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	if lr.N <= 0 {
		return fmt.Errorf("%s is over %d bytes", f.Name, maxPartXML)
	}
	return nil
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// numLevel is one level of a Word list definition.
type numLevel struct {
	start  int
	format string // decimal, chineseCounting, …
	text   string // 第%1条
	suffix string // tab, space, nothing
}

type numInstance struct {
	abstract string
	starts   map[int]int // lvlOverride/startOverride
}

// numbering is numbering.xml with the running counters of each list.
type numbering struct {
	abstract map[string]map[int]*numLevel
	nums     map[string]numInstance
	counters map[string][]int // numId → counter per level
}

func (n *numbering) read(dec *xml.Decoder) error {
	var (
		curAbs  string
		curLvl  *numLevel
		curNum  string
		overLvl = -1
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "abstractNum":
				curAbs = attr(t, "abstractNumId")
				n.abstract[curAbs] = map[int]*numLevel{}
			case "lvl":
				if curAbs != "" {
					ilvl, _ := strconv.Atoi(attr(t, "ilvl"))
					curLvl = &numLevel{start: 1, format: "decimal", suffix: "tab"}
					n.abstract[curAbs][ilvl] = curLvl
				} else if curNum != "" {
					curLvl = nil // a level override's own definition is rare; its start is read below
				}
			case "start":
				if curLvl != nil {
					curLvl.start, _ = strconv.Atoi(attr(t, "val"))
				}
			case "numFmt":
				if curLvl != nil {
					curLvl.format = attr(t, "val")
				}
			case "lvlText":
				if curLvl != nil {
					curLvl.text = attr(t, "val")
				}
			case "suff":
				if curLvl != nil {
					curLvl.suffix = attr(t, "val")
				}
			case "num":
				curNum = attr(t, "numId")
				n.nums[curNum] = numInstance{starts: map[int]int{}}
			case "abstractNumId":
				if curNum != "" {
					in := n.nums[curNum]
					in.abstract = attr(t, "val")
					n.nums[curNum] = in
				}
			case "lvlOverride":
				overLvl, _ = strconv.Atoi(attr(t, "ilvl"))
			case "startOverride":
				if curNum != "" && overLvl >= 0 {
					v, _ := strconv.Atoi(attr(t, "val"))
					n.nums[curNum].starts[overLvl] = v
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "abstractNum":
				curAbs = ""
			case "lvl":
				curLvl = nil
			case "num":
				curNum = ""
			case "lvlOverride":
				overLvl = -1
			}
		}
	}
}

// label advances list numId at level ilvl and returns what Word prints
// there, with the separator its suffix asks for.
func (n *numbering) label(numID string, ilvl int) string {
	in, ok := n.nums[numID]
	if !ok || numID == "0" {
		return ""
	}
	levels := n.abstract[in.abstract]
	lvl := levels[ilvl]
	if lvl == nil || lvl.format == "bullet" || lvl.format == "none" {
		return ""
	}
	c := n.counters[numID]
	if c == nil {
		c = make([]int, 9)
		for i := range c {
			c[i] = -1
		}
		n.counters[numID] = c
	}
	if ilvl < 0 || ilvl >= len(c) {
		return ""
	}
	start := func(l int) int {
		if s, ok := in.starts[l]; ok {
			return s
		}
		if lv := levels[l]; lv != nil {
			return lv.start
		}
		return 1
	}
	if c[ilvl] < 0 {
		c[ilvl] = start(ilvl)
	} else {
		c[ilvl]++
	}
	for l := ilvl + 1; l < len(c); l++ {
		c[l] = -1 // deeper levels restart
	}
	text := lvl.text
	for l := 0; l <= ilvl && l < 9; l++ {
		v := c[l]
		if v < 0 {
			v = start(l)
		}
		f := "decimal"
		if lv := levels[l]; lv != nil {
			f = lv.format
		}
		text = strings.ReplaceAll(text, "%"+strconv.Itoa(l+1), formatNumber(v, f))
	}
	switch lvl.suffix {
	case "nothing":
	default:
		text += " "
	}
	return text
}

// formatNumber writes n in one of Word's number formats.
func formatNumber(n int, format string) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting":
		return Numeral(n)
	case "chineseLegalSimplified":
		r := strings.NewReplacer("一", "壹", "二", "贰", "三", "叁", "四", "肆", "五", "伍", "六", "陆", "七", "柒", "八", "捌", "九", "玖", "十", "拾", "百", "佰", "千", "仟")
		return r.Replace(Numeral(n))
	case "ideographTraditional":
		const stems = "甲乙丙丁戊己庚辛壬癸"
		rs := []rune(stems)
		if n >= 1 && n <= len(rs) {
			return string(rs[n-1])
		}
	case "lowerLetter", "upperLetter":
		if n >= 1 {
			s := string(rune('a' + (n-1)%26))
			if format == "upperLetter" {
				s = strings.ToUpper(s)
			}
			return s
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	}
	return strconv.Itoa(n)
}

// styles maps a paragraph style to its heading level and numbering.
type styles map[string]styleInfo

type styleInfo struct {
	level   int // 1-based heading level, 0 for body
	numID   string
	ilvl    int
	basedOn string
}

func (s styles) read(dec *xml.Decoder) error {
	var id string
	var cur styleInfo
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				id, cur = attr(t, "styleId"), styleInfo{}
			case "name":
				name := strings.ToLower(attr(t, "val"))
				for _, p := range []string{"heading ", "标题 "} {
					if strings.HasPrefix(name, p) {
						cur.level, _ = strconv.Atoi(strings.TrimPrefix(name, p))
					}
				}
				if name == "title" || name == "标题" {
					cur.level = 1
				}
			case "outlineLvl":
				if v, err := strconv.Atoi(attr(t, "val")); err == nil && v < 9 {
					cur.level = v + 1
				}
			case "numId":
				cur.numID = attr(t, "val")
			case "ilvl":
				cur.ilvl, _ = strconv.Atoi(attr(t, "val"))
			case "basedOn":
				cur.basedOn = attr(t, "val")
			}
		case xml.EndElement:
			if t.Name.Local == "style" && id != "" {
				s[id] = cur
				id = ""
			}
		}
	}
}

// resolve follows basedOn for what a style does not set itself.
func (s styles) resolve(id string) styleInfo {
	info := s[id]
	for i, b := 0, info.basedOn; b != "" && i < 8; i++ {
		base := s[b]
		if info.level == 0 {
			info.level = base.level
		}
		if info.numID == "" {
			info.numID, info.ilvl = base.numID, base.ilvl
		}
		b = base.basedOn
	}
	return info
}

// documentBlocks walks document.xml: each w:p becomes a block with its
// list label in front; deleted revisions and field codes are skipped.
func documentBlocks(dec *xml.Decoder, num *numbering, st styles) ([]Block, error) {
	var (
		out             []Block
		text            strings.Builder
		depth           int
		inText, inDel   bool
		style, numID    string
		ilvl            = -1
		outline         = -1
		paraHasOwnNumPr bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != wordNS && t.Name.Space != "" {
				continue
			}
			switch t.Name.Local {
			case "p":
				if depth == 0 {
					text.Reset()
					style, numID, ilvl, outline, paraHasOwnNumPr = "", "", -1, -1, false
				}
				depth++
			case "pStyle":
				style = attr(t, "val")
			case "numPr":
				paraHasOwnNumPr = true
			case "numId":
				numID = attr(t, "val")
			case "ilvl":
				ilvl, _ = strconv.Atoi(attr(t, "val"))
			case "outlineLvl":
				outline, _ = strconv.Atoi(attr(t, "val"))
			case "t":
				inText = !inDel
			case "del":
				inDel = true
			case "tab":
				if depth > 0 && !inDel {
					text.WriteByte('\t')
				}
			case "br", "cr":
				if depth > 0 && !inDel {
					text.WriteByte('\n')
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "del":
				inDel = false
			case "p":
				if depth == 0 {
					continue
				}
				depth--
				if depth > 0 {
					continue
				}
				info := st.resolve(style)
				if !paraHasOwnNumPr {
					numID, ilvl = info.numID, info.ilvl
				} else if ilvl < 0 {
					ilvl = 0
				}
				level := info.level
				if outline >= 0 && outline < 9 {
					level = outline + 1
				}
				body := strings.TrimSpace(text.String())
				label := ""
				if numID != "" && body != "" {
					label = num.label(numID, max(ilvl, 0))
				}
				for _, line := range strings.Split(label+body, "\n") {
					if line = strings.TrimSpace(line); line != "" {
						out = append(out, Block{Text: line, Level: level})
					}
				}
			}
		case xml.CharData:
			if inText && depth > 0 {
				text.Write(t)
			}
		}
	}
}
