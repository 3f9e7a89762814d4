package data

import (
	"embed"
	"io/fs"
)

// The laws are public texts (Copyright Law of the PRC, Article 5: laws and
// regulations are not subject to copyright), from the LawRefBook/Laws
// collection; see library/README.md.
//
//go:embed library/README.md library/laws/*.md library/personnel/*.md library/teaching/README.md library/teaching/notes/*.md library/teaching/*.jsonl
var libraryFiles embed.FS

// Library is the demo document library: laws/ holds one Markdown file per
// version of a law; personnel/ an illustrative staff-only personnel
// rule written for the demo; teaching/ the teachers' demo (notes, a question bank
// and a class's results, written for the demo).
func Library() fs.FS {
	sub, err := fs.Sub(libraryFiles, "library")
	if err != nil {
		panic(err)
	}
	return sub
}
