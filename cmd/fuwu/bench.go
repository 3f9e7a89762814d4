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
	rate := fs.Float64("rate", 0, "offer this many turns/s in all (open loop, latency from each turn's scheduled time); 0: each conversation sends its next turn as soon as the reply is in (closed loop)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fuwu bench [-url URL] [-c 200] [-d 30s] [-rate N]\n\nRuns -c concurrent conversations against URL/api/v1/chat for -d, each playing everyday dialogues turn by turn (with -rate, together offering N turns/s), and reports requests, errors, throughput and latency percentiles. Start the server with a chat rate limit high enough for the load (fuwu serve --chat-rate 0 disables it).")
		fs.PrintDefaults()
	}
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	res, err := loadRun(ctx, *url+"/api/v1/chat", loadSpec{conns: *conns, dur: *dur, rate: *rate})
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
	Rate          float64 `json:"offered_rps,omitempty"`
	Requests      int64   `json:"requests"`
	Errors        int64   `json:"errors"`
	FirstError    string  `json:"first_error,omitempty"`
	Throughput    float64 `json:"throughput_rps"`
	P50ms         float64 `json:"p50_ms"`
	P99ms         float64 `json:"p99_ms"`
	Maxms         float64 `json:"max_ms"`
}

// chatRequest is the body of a chat turn the load generator sends.
type chatRequest struct {
	ConversationID    string `json:"conversation_id"`
	ConversationToken string `json:"conversation_token"`
	Message           string `json:"message"`
}

// loadSpec is what a load run offers.
type loadSpec struct {
	conns int           // concurrent conversations
	dur   time.Duration // how long to run, unless limit
	limit int64         // > 0: stop once this many turns were answered
	// rate > 0 makes the run an open loop: the conversations together
	// offer rate turns/s, each on a schedule of its own (see
	// openSchedule), and a turn's latency runs from its scheduled time,
	// so a server that falls behind is charged for the wait of the turns
	// it held up (no coordinated omission). With rate 0 each
	// conversation sends its next turn as soon as the reply is in (a
	// closed loop: with no pause, latency then measures the queue that
	// conns conversations keep full, conns ÷ throughput on average).
	rate  float64
	clock loadClock // nil: the wall clock
	// trace, if set, is told of every answered turn (from the
	// conversations' goroutines, at once).
	trace func(turnTrace)
}

// turnTrace is one answered turn's times as the load generator saw them.
type turnTrace struct {
	Sched, Sent, Done time.Time // scheduled (closed loop: Sent), sent, reply read
	Server            string    // the reply's benchTraceHeader
}

// loadClock is the time a load run schedules and measures by.
type loadClock interface {
	Now() time.Time
	// SleepUntil returns at t, or at once if t has passed or ctx ended.
	SleepUntil(ctx context.Context, t time.Time)
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) SleepUntil(ctx context.Context, t time.Time) {
	d := time.Until(t)
	if d <= 0 {
		return
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
	case <-ctx.Done():
	}
}

// openSchedule is when conversation i of conns sends its k-th turn
// (from 0) after the start of an open-loop run offering rate turns/s:
// each conversation every conns/rate, the conversations staggered
// 1/rate apart, so the turns arrive evenly.
func openSchedule(rate float64, conns, i int, k int64) time.Duration {
	return time.Duration((float64(i) + float64(k)*float64(conns)) / rate * float64(time.Second))
}

// loadRun plays spec.conns conversations against url for spec.dur, or
// (spec.limit > 0) until spec.limit turns were answered.
func loadRun(ctx context.Context, url string, spec loadSpec) (loadResult, error) {
	conns, limit := spec.conns, spec.limit
	clock := spec.clock
	if clock == nil {
		clock = wallClock{}
	}
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns},
	}
	var cancel context.CancelFunc
	if limit > 0 {
		ctx, cancel = context.WithCancel(ctx)
	} else {
		ctx, cancel = context.WithTimeout(ctx, spec.dur)
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
	start := clock.Now()
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
			var sent int64 // turns this conversation sent (open loop)
			for d := i; ctx.Err() == nil; d++ {
				conv, token := "", ""
				for _, q := range benchDialogues[d%len(benchDialogues)] {
					if ctx.Err() != nil {
						break
					}
					// The token is the capability to continue the conversation.
					body.Reset()
					_ = enc.Encode(chatRequest{ConversationID: conv, ConversationToken: token, Message: q})
					var t0 time.Time
					if spec.rate > 0 {
						// At its time, or once the previous reply is in if
						// that is later; its latency counts from its time.
						t0 = start.Add(openSchedule(spec.rate, conns, i, sent))
						sent++
						clock.SleepUntil(ctx, t0)
						if ctx.Err() != nil {
							break
						}
					} else {
						t0 = clock.Now()
					}
					sentAt := t0
					if spec.trace != nil {
						sentAt = clock.Now()
					}
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
						done := clock.Now()
						mine = append(mine, done.Sub(t0))
						if spec.trace != nil {
							spec.trace(turnTrace{Sched: t0, Sent: sentAt, Done: done, Server: pc.trace()})
						}
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
	elapsed := clock.Now().Sub(start)
	res := loadResult{Conversations: conns, Duration: elapsed.Round(time.Millisecond).String(), Rate: spec.rate, Requests: requests.Load(), Errors: errs.Load()}
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
