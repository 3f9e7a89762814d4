package assistant

import (
	"context"

	"github.com/fuwu-gov/fuwu/internal/llm"
)

// ChatModel answers through an OpenAI-compatible endpoint. Answers are
// greedy (temperature 0): the model restates facts, it does not invent.
func ChatModel(c *llm.Client) Model { return chatModel{c} }

type chatModel struct{ c *llm.Client }

func (m chatModel) Stream(ctx context.Context, msgs []Message, onToken func(string)) (string, error) {
	req := llm.ChatRequest{Temperature: llm.Temperature(0), MaxTokens: 1200}
	for _, x := range msgs {
		req.Messages = append(req.Messages, llm.Message{Role: x.Role, Content: x.Content})
	}
	resp, err := m.c.Stream(ctx, req, func(s string) error {
		onToken(s)
		return nil
	})
	return resp.Content, err
}
