package gongwen

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Source is a document as read for checking: its paragraphs in order.
type Source struct {
	Name string
	// Text is true for plain-text input, where every line is a paragraph
	// and findings carry line and column; .docx findings carry paragraph
	// and offset only.
	Text       bool
	Paragraphs []string
}

// Limits that keep a hostile upload from eating the server.
const (
	maxInput    = 32 << 20 // bytes of a .txt or of a .docx file
	maxDocXML   = 64 << 20 // bytes of word/document.xml once unzipped
	maxParagrap = 200000   // paragraphs
)

// ErrFormat is returned for input that is neither .docx nor text.
var ErrFormat = errors.New("unsupported document format")

// ReadFile reads a .docx or a text file (.txt, .md or no extension) of the
// given size from r. Text may be UTF-8 (with or without BOM) or GB18030.
func ReadFile(name string, r io.Reader, size int64) (*Source, error) {
	if size > maxInput {
		return nil, fmt.Errorf("%s: %d bytes is over the %d-byte limit", name, size, maxInput)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s: over the %d-byte limit", name, maxInput)
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".docx" || (ext == "" && bytes.HasPrefix(data, []byte("PK\x03\x04"))):
		src, err := ReadDOCX(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		src.Name = name
		return src, nil
	case ext == ".doc" || ext == ".pdf" || ext == ".wps":
		return nil, fmt.Errorf("%s: %w: save it as .docx or .txt", name, ErrFormat)
	}
	src, err := ReadText(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	src.Name = name
	return src, nil
}

// ReadText splits text into lines, each one paragraph. It accepts UTF-8
// (a BOM is dropped) and falls back to GB18030 for text saved by older
// Chinese editors.
func ReadText(data []byte) (*Source, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(dec) {
			return nil, fmt.Errorf("%w: text is neither UTF-8 nor GB18030", ErrFormat)
		}
		data = dec
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("%w: binary data, not text", ErrFormat)
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSuffix(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > maxParagrap {
		return nil, fmt.Errorf("%d lines is over the %d-line limit", len(lines), maxParagrap)
	}
	for i, l := range lines {
		// A form feed marks a page break in text extracted from PDF.
		lines[i] = strings.ReplaceAll(l, "\f", "")
	}
	return &Source{Text: true, Paragraphs: lines}, nil
}

// ReadDOCX reads the paragraphs of a .docx body (tables included, one
// paragraph per cell paragraph). Deleted revisions are skipped and
// inserted ones kept, so the text is what the document now says.
func ReadDOCX(data []byte) (*Source, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a .docx (zip) file: %v", ErrFormat, err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("%w: .docx has no word/document.xml", ErrFormat)
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, fmt.Errorf("open word/document.xml: %w", err)
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: maxDocXML + 1}
	paras, err := docxParagraphs(lr)
	if lr.N <= 0 {
		return nil, fmt.Errorf("word/document.xml is over %d bytes", maxDocXML)
	}
	if err != nil {
		return nil, err
	}
	return &Source{Paragraphs: paras}, nil
}

// docxParagraphs walks document.xml as a token stream: w:p starts a
// paragraph, w:t / w:tab / w:br add to it, w:del and w:delText are skipped.
func docxParagraphs(r io.Reader) ([]string, error) {
	const w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	dec := xml.NewDecoder(r)
	dec.Strict = false
	var (
		paras   []string
		cur     strings.Builder
		depthP  int
		inText  bool
		inDel   int
		inBody  bool
		sawBody bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != w && t.Name.Space != "" {
				continue
			}
			switch t.Name.Local {
			case "body":
				inBody, sawBody = true, true
			case "p":
				if depthP == 0 {
					cur.Reset()
				}
				depthP++
			case "t":
				inText = inDel == 0
			case "del":
				inDel++
			case "tab":
				if depthP > 0 && inDel == 0 {
					cur.WriteByte('\t')
				}
			case "br", "cr":
				if depthP > 0 && inDel == 0 {
					cur.WriteByte('\n')
				}
			}
		case xml.EndElement:
			if t.Name.Space != w && t.Name.Space != "" {
				continue
			}
			switch t.Name.Local {
			case "body":
				inBody = false
			case "p":
				if depthP > 0 {
					depthP--
					if depthP == 0 && (inBody || !sawBody) {
						if len(paras) >= maxParagrap {
							return nil, fmt.Errorf("over %d paragraphs", maxParagrap)
						}
						paras = append(paras, cur.String())
					}
				}
			case "t":
				inText = false
			case "del":
				if inDel > 0 {
					inDel--
				}
			}
		case xml.CharData:
			if inText && depthP > 0 {
				cur.Write(t)
			}
		}
	}
	return paras, nil
}
