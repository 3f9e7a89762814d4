package library

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/gongwen"
)

// MaxFileSize is the largest file Import reads.
const MaxFileSize = 64 << 20

// ErrFormat is returned for a file that is none of the formats read.
var ErrFormat = errors.New("library: unsupported format (want .md, .txt, .docx or .pdf)")

// ReadFile reads one file into a document: Markdown, text (UTF-8 or
// GB18030), .docx or PDF, chosen by the name's extension.
func ReadFile(name string, r io.Reader, size int64) (*Document, error) {
	if size > MaxFileSize {
		return nil, fmt.Errorf("%s: over %d MB", name, MaxFileSize>>20)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: over %d MB", name, MaxFileSize>>20)
	}
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	var (
		blocks   []Block
		needsOCR []int
	)
	switch ext {
	case "md", "markdown":
		blocks, err = markdownBlocks(data)
	case "txt", "text":
		blocks, err = textBlocks(data)
	case "docx":
		blocks, err = docxBlocks(data)
	case "pdf":
		blocks, needsOCR, err = pdfBlocks(data)
	default:
		return nil, fmt.Errorf("%s: %w", name, ErrFormat)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	base := filepath.Base(name)
	if ext == "pdf" && len(needsOCR) > 0 && countText(blocks) == 0 {
		return nil, &OCRError{Name: base, Pages: needsOCR}
	}
	d, err := Parse(base, blocks)
	if err != nil {
		return nil, err
	}
	d.Format = ext
	if ext == "markdown" {
		d.Format = "md"
	}
	d.NeedsOCR = needsOCR
	return d, nil
}

// OCRError reports a PDF whose pages are all images: there is no text to
// import until someone runs OCR on it.
type OCRError struct {
	Name  string
	Pages []int
}

func (e *OCRError) Error() string {
	return fmt.Sprintf("%s: every page (%d) is a scanned image with no text: needs OCR before import", e.Name, len(e.Pages))
}

func countText(blocks []Block) int {
	n := 0
	for _, b := range blocks {
		n += len(strings.TrimSpace(b.Text))
	}
	return n
}

// markdownBlocks reads Markdown line by line: "#" headings give levels,
// the law files' <!-- INFO END --> ends the notes, other HTML comments
// and blank lines are dropped.
func markdownBlocks(data []byte) ([]Block, error) {
	src, err := gongwen.ReadText(data)
	if err != nil {
		return nil, err
	}
	var out []Block
	for _, line := range src.Paragraphs {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			continue
		case strings.HasPrefix(t, "<!--"):
			if strings.Contains(strings.ToUpper(t), "INFO END") {
				out = append(out, Block{EndOfNotes: true})
			}
			continue
		case strings.HasPrefix(t, "#"):
			level := len(t) - len(strings.TrimLeft(t, "#"))
			out = append(out, Block{Text: strings.TrimSpace(t[level:]), Level: min(level, 6)})
			continue
		}
		out = append(out, Block{Text: t})
	}
	return out, nil
}

// textBlocks reads plain text, one paragraph a line.
func textBlocks(data []byte) ([]Block, error) {
	src, err := gongwen.ReadText(data)
	if err != nil {
		return nil, err
	}
	var out []Block
	for _, line := range src.Paragraphs {
		if t := strings.TrimSpace(line); t != "" {
			out = append(out, Block{Text: t})
		}
	}
	return out, nil
}
