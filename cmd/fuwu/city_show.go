package main

import (
	"context"
	"fmt"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

func init() {
	citySubs["show"] = citySub{"print a dashboard query as JSON: summary, stations, water, alarms, rankings, dust, quarantine", runCityShow}
}

// runCityShow prints what the /city dashboard will render, from the
// command line (for checking a deployment, and for scripts).
func runCityShow(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("city show", std.err)
	var sf storeFlags
	sf.bind(fs)
	at := fs.String("at", "", "the dashboard's \"now\", RFC 3339 (default: now)")
	month := fs.String("month", "", "month for water (YYYY-MM, default: the month of --at)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "usage: fuwu city show summary|stations|water|alarms|rankings|dust|quarantine"}
	}
	now := time.Now()
	if *at != "" {
		if now, err = time.Parse(time.RFC3339, *at); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("--at %q: want RFC 3339", *at)}
		}
	}
	if *month == "" {
		*month = now.In(citymon.Zone).Format("2006-01")
	}
	s, al, closeDB, err := cityOpen(ctx, sf)
	if err != nil {
		return err
	}
	defer closeDB()
	var v any
	switch pos[0] {
	case "summary":
		v, err = s.Summary(ctx, al, now)
	case "stations":
		v, err = s.Stations(ctx, now)
	case "water":
		v, err = s.WaterOverview(ctx, *month)
	case "alarms":
		v, err = s.ActiveAlarms(ctx, al)
	case "rankings":
		v, err = s.Rankings(ctx, now)
	case "dust":
		v, err = s.DustAt(ctx, now.Add(-time.Hour), citymon.DefaultDust)
	case "quarantine":
		v, err = s.Quarantine(ctx, 100)
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("unknown view %q", pos[0])}
	}
	if err != nil {
		return err
	}
	return writeJSONLine(std.out, v)
}
