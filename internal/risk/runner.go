package risk

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
)

// AssessEvery is how often `fuwu serve` re-assesses every area.
const AssessEvery = 5 * time.Minute

// Runner runs assessment cycles and stores their results: on a timer in
// `fuwu serve`, and on demand from the console. One cycle runs at a time.
type Runner struct {
	Live *Live
	Fire FireModel
	// Now is the clock a cycle assesses at (injected in tests).
	Now func() time.Time

	mu      sync.Mutex
	alarmMu sync.Mutex // one SyncAlarms at a time
}

// NewRunner is a runner over the stored areas and the city readings with
// the default fire model.
func NewRunner(live *Live, now func() time.Time) *Runner {
	if now == nil {
		now = time.Now
	}
	return &Runner{Live: live, Fire: DefaultFireModel(), Now: now}
}

// CycleResult is what one cycle did.
type CycleResult struct {
	Board    Board
	Took     time.Duration
	NewTasks int // fire inspection tasks issued
}

// Cycle assesses every community and grid cell at Now, stores the results
// (latest assessments, incidents), ranks fire risk on the day's weather
// and issues inspection tasks for the top tenth (at most once a day each).
// trigger is "定时" or the person who asked.
func (r *Runner) Cycle(ctx context.Context, trigger string) (CycleResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.Now()
	start := time.Now()
	b, err := r.Live.Assess(ctx, now)
	if err != nil {
		return CycleResult{}, fmt.Errorf("assess: %w", err)
	}
	took := time.Since(start)
	if err := r.Live.Areas.SaveBoard(ctx, b, took, trigger); err != nil {
		return CycleResult{}, err
	}
	res := CycleResult{Board: b, Took: took}
	// Alarms follow readings as they are stored (FollowAlarms); the cycle
	// catches up with any announcement missed.
	if _, err := r.SyncAlarms(ctx, nil); err != nil {
		return res, err
	}
	ranked, _, err := r.FireRanking(ctx)
	if err != nil {
		return res, err
	}
	if len(ranked) > 0 {
		top := max(1, int(math.Round(float64(len(ranked))/10)))
		if res.NewTasks, err = r.Live.Areas.OpenFireTasks(ctx, r.Fire.FireTasks(ranked, top)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// FireRanking ranks the stored fire records on the weather stations'
// latest readings at Now.
func (r *Runner) FireRanking(ctx context.Context) ([]FireScore, Weather, error) {
	now := r.Now()
	w, err := r.Live.Weather(ctx, now)
	if err != nil {
		return nil, w, err
	}
	cs, err := r.Live.Areas.FireCommunities(ctx)
	if err != nil {
		return nil, w, err
	}
	return r.Fire.Rank(cs, w), w, nil
}

// Run runs a cycle at once and then every interval until ctx ends,
// logging failures (a failed cycle leaves the last results standing).
func (r *Runner) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := r.Cycle(ctx, "定时"); err != nil && ctx.Err() == nil {
			log.Error("risk assessment", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
