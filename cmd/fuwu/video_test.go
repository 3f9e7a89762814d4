package main

import (
	"context"
	"flag"
	"io"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/llm"
)

// fuwu serve's 视频导办 flags: recording is off unless
// --video-record-days is given, and a negative period is refused.
func TestVideoRecordFlag(t *testing.T) {
	a, err := openApp(context.Background(), storeFlags{data: t.TempDir()}, llm.Config{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // the sweepers stop before the app closes
	for _, c := range []struct {
		args    []string
		days    int
		refused bool
	}{
		{args: nil, days: 0},
		{args: []string{"--video-record-days", "30"}, days: 30},
		{args: []string{"--video-record-days", "-1"}, refused: true},
		{args: []string{"--video-record-days", "3651"}, refused: true},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var f videoFlags
		f.bind(fs)
		if err := fs.Parse(append([]string{"--turn-addr", ""}, c.args...)); err != nil {
			t.Fatal(err)
		}
		v, err := startVideo(ctx, a, f)
		if c.refused {
			if err == nil {
				v.close()
				t.Errorf("%v accepted", c.args)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if v.svc.Recording() != (c.days > 0) || v.svc.RecordDays() != c.days {
			t.Errorf("%v: recording %v for %d days", c.args, v.svc.Recording(), v.svc.RecordDays())
		}
		v.close()
	}
}
