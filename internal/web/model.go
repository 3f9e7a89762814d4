package web

import (
	"context"
	"io"

	"github.com/fuwu-gov/fuwu/internal/gongwen"
	"github.com/fuwu-gov/fuwu/internal/llm"
)

// ModelTranscriber hears Chinese speech through the model client's
// OpenAI-compatible /audio/transcriptions endpoint.
func ModelTranscriber(c *llm.Client) Transcriber { return modelTranscriber{c} }

type modelTranscriber struct{ c *llm.Client }

func (t modelTranscriber) Transcribe(ctx context.Context, audio io.Reader, filename, _ string) (string, error) {
	return t.c.Transcribe(ctx, audio, filename, llm.TranscribeOptions{Language: "zh"})
}

// DocModel lets the model client write draft bodies and check documents
// (gongwen.Model): one system and one user message, greedy decoding. The
// client masks personal numbers again before anything is sent.
func DocModel(c *llm.Client) gongwen.Model { return docModel{c} }

type docModel struct{ c *llm.Client }

func (m docModel) Complete(ctx context.Context, system, user string) (string, error) {
	r, err := m.c.Chat(ctx, llm.ChatRequest{Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: system}, {Role: llm.RoleUser, Content: user}},
		Temperature: llm.Temperature(0)})
	return r.Content, err
}
