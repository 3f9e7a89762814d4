// Package data holds the demo catalogue the binary embeds, so that
// "fuwu serve" on a fresh machine has a knowledge base to answer from.
// The catalogue is illustrative (see kb/README.md): the names and laws are
// realistic, the addresses, phone numbers and links are made up.
package data

import (
	"embed"
	"io/fs"
)

//go:embed kb/*.jsonl kb/README.md
var files embed.FS

//go:embed policy/policies.jsonl policy/fields.json policy/README.md
var policyFiles embed.FS

// KB is the demo knowledge base: items.jsonl and halls.jsonl at its root.
func KB() fs.FS {
	sub, err := fs.Sub(files, "kb")
	if err != nil {
		panic(err)
	}
	return sub
}

// Policy is the demo policy library: policies.jsonl and fields.json at
// its root (illustrative, see policy/README.md).
func Policy() fs.FS {
	sub, err := fs.Sub(policyFiles, "policy")
	if err != nil {
		panic(err)
	}
	return sub
}
