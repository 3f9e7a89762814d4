package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/convo"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// ackedTurn is a reply a client received: what the resident has seen.
type ackedTurn struct {
	conv    string
	turnID  int64
	message string
	nth     int // the conversation's turns acknowledged so far, this one included
}

// A reply a resident has seen is on disk: fuwu serve is killed with
// SIGKILL while conversations are under way, and every turn acknowledged
// before the kill is in the record, with the dialogue state it left, on
// both engines.
func TestKillUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a server")
	}
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { killUnderLoad(t, d) })
	}
}

func killUnderLoad(t *testing.T, d store.Dialect) {
	dir := t.TempDir()
	dbURL := store.DefaultURL(dir)
	args := []string{"--data", dir, "--addr", "127.0.0.1:0", "--chat-rate", "0"}
	if d == store.Postgres {
		dbURL = storetest.URL(t, d)
		args = append(args, "--db", dbURL)
	}
	base := make(chan string, 1)
	var logTail bytes.Buffer // the server's last words, for a failure
	var logMu sync.Mutex
	cmd := startServe(t, args, func(line string) {
		if m := servingAt.FindStringSubmatch(line); m != nil {
			base <- m[1]
		}
		logMu.Lock()
		if logTail.Len() > 8000 {
			logTail.Reset()
		}
		logTail.WriteString(line + "\n")
		logMu.Unlock()
	})
	killed := false
	defer func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	var url string
	select {
	case url = <-base:
	case <-time.After(2 * time.Minute):
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("server did not start:\n%s", logTail.String())
	}

	// Conversations play the load run's dialogues until the kill; each
	// reply received is acknowledged. A refused or failed reply was not
	// seen: that conversation is dropped and a new one started, so a slow
	// start (the demo data loading beside the chat on a busy CI machine)
	// delays the kill instead of ending the load.
	const conns, killAfter = 40, 400
	var (
		mu      sync.Mutex
		acked   []ackedTurn
		failed  int
		lastErr string
		wg      sync.WaitGroup
	)
	kill := make(chan struct{})
	var once sync.Once
	client := &http.Client{Timeout: time.Minute}
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dlg := i; ; dlg++ {
				conv, token, n := "", "", 0
				for _, q := range benchDialogues[dlg%len(benchDialogues)] {
					select {
					case <-kill:
						return
					default:
					}
					body, _ := json.Marshal(map[string]string{"conversation_id": conv, "conversation_token": token, "message": q})
					resp, err := client.Post(url+"/api/v1/chat", "application/json", bytes.NewReader(body))
					var raw []byte
					if err == nil {
						raw, err = io.ReadAll(resp.Body)
						resp.Body.Close()
					}
					var out struct {
						ConversationID    string `json:"conversation_id"`
						ConversationToken string `json:"conversation_token"`
						TurnID            int64  `json:"turn_id"`
					}
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d: %.200s", resp.StatusCode, raw)
					}
					if err == nil {
						err = json.Unmarshal(raw, &out)
					}
					if err != nil {
						mu.Lock()
						failed, lastErr = failed+1, err.Error()
						mu.Unlock()
						time.Sleep(100 * time.Millisecond)
						break // a new conversation
					}
					conv, token, n = out.ConversationID, out.ConversationToken, n+1
					mu.Lock()
					acked = append(acked, ackedTurn{conv: conv, turnID: out.TurnID, message: q, nth: n})
					if len(acked) >= killAfter {
						once.Do(func() { close(kill) })
					}
					mu.Unlock()
				}
			}
		}()
	}
	select {
	case <-kill:
	case <-time.After(10 * time.Minute): // a hang guard, not a speed check
		mu.Lock()
		n, f, last := len(acked), failed, lastErr
		mu.Unlock()
		logMu.Lock()
		tail := logTail.String()
		logMu.Unlock()
		t.Fatalf("the load did not reach the kill: %d turns acknowledged, %d failed (last: %s); server log:\n%s", n, f, last, tail)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL, mid-load
		t.Fatal(err)
	}
	_ = cmd.Wait()
	killed = true
	wg.Wait()

	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs := convo.NewStore(db)
	mu.Lock()
	defer mu.Unlock()
	last := map[string]ackedTurn{}
	for _, a := range acked {
		if a.turnID == 0 {
			t.Fatalf("reply without a turn id: %+v", a)
		}
		tn, err := cs.Turn(ctx, a.turnID)
		if err != nil || tn.ConversationID != a.conv || tn.Question != a.message || tn.Index != a.nth-1 {
			t.Fatalf("acknowledged turn %+v lost or changed: %v %+v", a, err, tn)
		}
		if a.nth > last[a.conv].nth {
			last[a.conv] = a
		}
	}
	for conv, a := range last {
		st, ok, err := assistant.DBState{DB: db}.Load(ctx, conv)
		if err != nil || !ok || st.Turns < a.nth {
			t.Fatalf("conversation %s: state after %d acknowledged turns: %v %v %+v", conv, a.nth, err, ok, st)
		}
		c, turns, err := cs.Conversation(ctx, conv)
		if err != nil || c.Turns != len(turns) {
			t.Fatalf("conversation %s: counter %d, %d turns: %v", conv, c.Turns, len(turns), err)
		}
	}
	t.Logf("%s: %d acknowledged turns in %d conversations, all on disk after SIGKILL", d, len(acked), len(last))
}
