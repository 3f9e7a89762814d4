package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/refusal"
	"golang.org/x/term"
)

func init() {
	register(&command{
		name:    "ask",
		summary: "ask the assistant one question, or talk to it (-i)",
		run:     runAsk,
	})
}

func runAsk(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("ask", std.err)
	sf := storeFlags{log: std.log}
	sf.bind(fs)
	var lc llm.Config
	lc.RegisterFlags(fs)
	interactive := fs.Bool("i", false, "interactive: a conversation in the terminal (also when no question is given)")
	asJSON := fs.Bool("json", false, "print the reply as JSON (the API's shape)")
	demo := fs.Bool("demo", true, "load the bundled demo catalogue when the knowledge base is empty")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu ask [flags] [QUESTION]\n\nWith a question, prints the answer; without one (or with -i), starts a conversation: type questions, an empty line or Ctrl-D ends it.")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, sf, lc, *demo)
	if err != nil {
		return err
	}
	defer a.close()
	q := strings.TrimSpace(strings.Join(pos, " "))
	if q != "" && !*interactive {
		return askOnce(ctx, a.assistant, "", q, *asJSON, std.out)
	}
	return converse(ctx, a.assistant, std.in, std.out, *asJSON)
}

// askOnce answers one message, streaming the answer to out.
func askOnce(ctx context.Context, as *assistant.Assistant, conv, q string, asJSON bool, out io.Writer) error {
	_, err := answer(ctx, as, conv, q, asJSON, out)
	return err
}

func answer(ctx context.Context, as *assistant.Assistant, conv, q string, asJSON bool, out io.Writer) (string, error) {
	req := assistant.Request{ConversationID: conv, Message: q, Channel: "cli"}
	if asJSON {
		r, err := as.Ask(ctx, req)
		if err != nil {
			return conv, err
		}
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		return r.ConversationID, enc.Encode(r)
	}
	streamed := ""
	r, err := as.Stream(ctx, req, func(s string) {
		streamed += s
		fmt.Fprint(out, s)
	})
	if err != nil {
		return conv, err
	}
	if r.Answer != streamed {
		// The final answer replaced a streamed draft (a model answer that
		// failed its checks): show the one that counts.
		fmt.Fprintf(out, "\n—— 以下为核对后的回答 ——\n%s", r.Answer)
	}
	fmt.Fprintln(out)
	if r.Notice != "" {
		fmt.Fprintf(out, "（%s）\n", r.Notice)
	}
	if c := r.Report; c != nil {
		fmt.Fprintf(out, "%s：%s\n", c.Label, c.URL)
	}
	if len(r.Suggestions) > 0 {
		fmt.Fprintf(out, "您还可以问：%s\n", strings.Join(r.Suggestions, " / "))
	}
	return r.ConversationID, nil
}

// converse runs a multi-turn conversation over a reader and writer.
func converse(ctx context.Context, as *assistant.Assistant, in io.Reader, out io.Writer, asJSON bool) error {
	tty := false
	if f, ok := in.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	if tty {
		fmt.Fprintln(out, "您好，我是 AI 福务管家。请问您要办理什么事？（空行或 Ctrl-D 结束）")
	}
	sc := bufio.NewScanner(in)
	conv := ""
	for {
		if tty {
			fmt.Fprint(out, "> ")
		}
		if !sc.Scan() {
			return sc.Err()
		}
		q := strings.TrimSpace(sc.Text())
		if q == "" {
			return nil
		}
		next, err := answer(ctx, as, conv, q, asJSON, out)
		if r, ok := refusal.As(err); ok {
			fmt.Fprintln(out, r.UserMessage())
			continue
		}
		if err != nil {
			return err
		}
		conv = next
	}
}
