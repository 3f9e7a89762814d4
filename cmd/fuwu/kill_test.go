package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
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
	args := []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--chat-rate", "0"}
	if d == store.Postgres {
		dbURL = storetest.URL(t, d)
		args = append(args, "--db", dbURL)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), subprocessEnv+"="+strings.Join(args, "\x1f"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	base := make(chan string, 1)
	var logTail bytes.Buffer // the server's last words, for a failure
	var logMu sync.Mutex
	go func() {
		addr := regexp.MustCompile(`"fuwu serving" addr=(http://\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := addr.FindStringSubmatch(sc.Text()); m != nil {
				base <- m[1]
			}
			logMu.Lock()
			if logTail.Len() > 8000 {
				logTail.Reset()
			}
			logTail.WriteString(sc.Text() + "\n")
			logMu.Unlock()
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
	// reply received is acknowledged.
	const conns, killAfter = 40, 400
	var (
		mu    sync.Mutex
		acked []ackedTurn
		wg    sync.WaitGroup
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
					body, _ := json.Marshal(map[string]string{"conversation_id": conv, "conversation_token": token, "message": q})
					resp, err := client.Post(url+"/api/v1/chat", "application/json", bytes.NewReader(body))
					if err != nil {
						return // the server is gone
					}
					raw, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					var out struct {
						ConversationID    string `json:"conversation_id"`
						ConversationToken string `json:"conversation_token"`
						TurnID            int64  `json:"turn_id"`
					}
					if err != nil || resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &out) != nil {
						return // a reply not received whole was not seen
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
	case <-time.After(3 * time.Minute):
		t.Fatal("the load did not reach the kill")
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
