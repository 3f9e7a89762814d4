package main

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// citySub is one `fuwu city` subcommand.
type citySub struct {
	summary string
	run     func(ctx context.Context, args []string, std stdio) error
}

var citySubs = map[string]citySub{
	"aqi": {"AQI of given concentrations (HJ 633-2012/2026)", func(_ context.Context, args []string, std stdio) error {
		return runCityAQI(args, std, time.Now)
	}},
	"water": {"surface-water class of given values (GB 3838-2002)", func(_ context.Context, args []string, std stdio) error {
		return runCityWater(args, std)
	}},
}

func runCity(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(std.err, "Usage: fuwu city SUBCOMMAND [flags] [args]\n\nSubcommands:")
		names := make([]string, 0, len(citySubs))
		for n := range citySubs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(std.err, "  %-10s %s\n", n, citySubs[n].summary)
		}
		fmt.Fprintln(std.err, "\nRun 'fuwu city SUBCOMMAND -h' for its flags.")
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	sub, ok := citySubs[args[0]]
	if !ok {
		return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q (fuwu city help lists them)", args[0])}
	}
	return sub.run(ctx, args[1:], std)
}
