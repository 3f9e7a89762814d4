package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"path/filepath"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/privacy"
)

// ErrAudioTooLarge is returned for an upload over DefaultMaxAudioBytes.
var ErrAudioTooLarge = errors.New("llm transcription: audio too large")

// TranscribeOptions tune a transcription.
type TranscribeOptions struct {
	Language string // ISO-639-1, e.g. "zh"; empty lets the server detect
	Prompt   string // optional hint (names of service items, place names)
}

// Transcribe sends audio (a file named filename, whose extension tells the
// server its format: .webm, .ogg, .mp3, .wav, .m4a) to
// /audio/transcriptions and returns the text.
func (c *Client) Transcribe(ctx context.Context, audio io.Reader, filename string, opt TranscribeOptions) (string, error) {
	if !c.HasTranscription() {
		return "", ErrNotConfigured
	}
	data, err := io.ReadAll(io.LimitReader(audio, DefaultMaxAudioBytes+1))
	if err != nil {
		return "", fmt.Errorf("llm transcription: reading audio: %w", err)
	}
	if len(data) > DefaultMaxAudioBytes {
		return "", ErrAudioTooLarge
	}
	if len(data) == 0 {
		return "", errors.New("llm transcription: empty audio")
	}
	if filename == "" {
		filename = "audio.webm"
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filepath.Base(filename)))
	ct := mime.TypeByExtension(strings.ToLower(filepath.Ext(filename)))
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	fw, err := mw.CreatePart(h)
	if err == nil {
		_, err = fw.Write(data)
	}
	fields := [][2]string{{"model", c.cfg.STTModel}, {"response_format", "json"}}
	if opt.Language != "" {
		fields = append(fields, [2]string{"language", opt.Language})
	}
	if opt.Prompt != "" {
		prompt, _ := privacy.Mask(opt.Prompt)
		fields = append(fields, [2]string{"prompt", prompt})
	}
	for _, f := range fields {
		if err == nil {
			err = mw.WriteField(f[0], f[1])
		}
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return "", fmt.Errorf("llm transcription: %w", err)
	}
	l := c.startLimits(ctx, "transcription", false)
	defer l.stop()
	resp, err := c.post(l, c.sttURL, mw.FormDataContentType(), &body, "application/json")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return "", l.err("reading answer", fmt.Errorf("%w: %v", ErrTruncated, err))
	}
	var tr struct {
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(raw, &tr); err != nil || tr.Text == nil {
		if err == nil {
			err = errors.New(`no "text"`)
		}
		return "", fmt.Errorf("llm transcription: %w: %v (body starts %q)", ErrMalformed, err, clip(string(raw), 60))
	}
	return strings.TrimSpace(*tr.Text), nil
}
