package web

import (
	"context"
	"io"

	"github.com/fuwu-gov/fuwu/internal/llm"
)

// ModelTranscriber hears Chinese speech through the model client's
// OpenAI-compatible /audio/transcriptions endpoint.
func ModelTranscriber(c *llm.Client) Transcriber { return modelTranscriber{c} }

type modelTranscriber struct{ c *llm.Client }

func (t modelTranscriber) Transcribe(ctx context.Context, audio io.Reader, filename, _ string) (string, error) {
	return t.c.Transcribe(ctx, audio, filename, llm.TranscribeOptions{Language: "zh"})
}
