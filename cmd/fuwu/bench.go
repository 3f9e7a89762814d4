package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func init() {
	register(&command{
		name:    "bench",
		summary: "load a running server: concurrent conversations against the chat API",
		run:     runBench,
	})
}

// benchDialogues are everyday multi-turn conversations the load run cycles
// through (questions, follow-ups, a clarification, a refusal).
var benchDialogues = [][]string{
	{"生了孩子怎么上户口", "要带什么材料", "能在网上办吗"},
	{"社保卡丢了咋补", "多久能拿到", "在哪里办"},
	{"想领失业金", "要什么条件", "网上能申请吗"},
	{"公积金怎么取出来", "第一个", "要带什么"},
	{"结婚登记要预约吗", "大厅在哪", "收费吗"},
	{"我爸满80了高龄津贴怎么申请", "电话多少"},
	{"帮我写首诗"},
}

func runBench(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("bench", std.err)
	url := fs.String("url", "http://127.0.0.1:8080", "server to load")
	conns := fs.Int("c", 200, "concurrent conversations")
	dur := fs.Duration("d", 30*time.Second, "how long to run")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu bench [-url URL] [-c 200] [-d 30s]\n\nRuns -c concurrent conversations against URL/api/v1/chat for -d, each playing everyday dialogues turn by turn, and reports requests, errors, throughput and latency percentiles. Start the server with a chat rate limit high enough for the load (fuwu serve --chat-rate 0 disables it).")
		fs.PrintDefaults()
	}
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	res, err := loadRun(ctx, *url+"/api/v1/chat", *conns, *dur, 0)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(std.out).Encode(res)
	}
	fmt.Fprintf(std.out, "conversations %d, duration %s\nrequests %d, errors %d\nthroughput %.0f req/s\nlatency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		res.Conversations, res.Duration, res.Requests, res.Errors, res.Throughput, res.P50ms, res.P99ms, res.Maxms)
	if res.Errors > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d errors, first: %s", res.Errors, res.FirstError)}
	}
	return nil
}

type loadResult struct {
	Conversations int     `json:"conversations"`
	Duration      string  `json:"duration"`
	Requests      int64   `json:"requests"`
	Errors        int64   `json:"errors"`
	FirstError    string  `json:"first_error,omitempty"`
	Throughput    float64 `json:"throughput_rps"`
	P50ms         float64 `json:"p50_ms"`
	P99ms         float64 `json:"p99_ms"`
	Maxms         float64 `json:"max_ms"`
}

// loadRun plays conns conversations against url for dur, or (limit > 0)
// until limit turns were answered.
// chatRequest is the body of a chat turn the load generator sends.
type chatRequest struct {
	ConversationID    string `json:"conversation_id"`
	ConversationToken string `json:"conversation_token"`
	Message           string `json:"message"`
}

func loadRun(ctx context.Context, url string, conns int, dur time.Duration, limit int64) (loadResult, error) {
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns},
	}
	var cancel context.CancelFunc
	if limit > 0 {
		ctx, cancel = context.WithCancel(ctx)
	} else {
		ctx, cancel = context.WithTimeout(ctx, dur)
	}
	defer cancel()
	var (
		requests, errs atomic.Int64
		firstErr       atomic.Value
		mu             sync.Mutex
		lat            []time.Duration
		wg             sync.WaitGroup
	)
	fail := func(err error) {
		errs.Add(1)
		firstErr.CompareAndSwap(nil, err.Error())
	}
	start := time.Now()
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var mine []time.Duration
			// One buffer per conversation for what it sends and reads: the
			// generator shares the server's cores and should cost little.
			var body, raw bytes.Buffer
			enc := json.NewEncoder(&body)
			pc, err := newPoster(url, client)
			if err != nil {
				fail(err)
				return
			}
			defer pc.close()
			for d := i; ctx.Err() == nil; d++ {
				conv, token := "", ""
				for _, q := range benchDialogues[d%len(benchDialogues)] {
					if ctx.Err() != nil {
						break
					}
					// The token is the capability to continue the conversation.
					body.Reset()
					_ = enc.Encode(chatRequest{ConversationID: conv, ConversationToken: token, Message: q})
					t0 := time.Now()
					status, err := pc.post(ctx, body.Bytes(), &raw)
					if err != nil {
						if ctx.Err() == nil {
							fail(err)
						}
						break
					}
					var out struct {
						ConversationID    string `json:"conversation_id"`
						ConversationToken string `json:"conversation_token"`
						Status            string `json:"status"`
					}
					switch {
					case status != http.StatusOK:
						fail(fmt.Errorf("HTTP %d: %s", status, bytes.TrimSpace(raw.Bytes())))
					case json.Unmarshal(raw.Bytes(), &out) != nil || out.Status == "":
						fail(fmt.Errorf("bad reply: %.200s", raw.Bytes()))
					default:
						mine = append(mine, time.Since(t0))
						if n := requests.Add(1); limit > 0 && n >= limit {
							cancel()
						}
						conv, token = out.ConversationID, out.ConversationToken
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := loadResult{Conversations: conns, Duration: elapsed.Round(time.Millisecond).String(), Requests: requests.Load(), Errors: errs.Load()}
	if v := firstErr.Load(); v != nil {
		res.FirstError = v.(string)
	}
	if len(lat) == 0 {
		return res, fmt.Errorf("no request succeeded: %s", res.FirstError)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	res.Throughput = float64(res.Requests) / elapsed.Seconds()
	res.P50ms, res.P99ms, res.Maxms = ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100]), ms(lat[len(lat)-1])
	return res, nil
}
