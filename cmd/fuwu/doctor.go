package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/clock"
	"github.com/fuwu-gov/fuwu/internal/doctor"
	"github.com/fuwu-gov/fuwu/internal/llm"
	"github.com/fuwu-gov/fuwu/internal/privacy"
)

func init() {
	register(&command{
		name:    "doctor",
		summary: "check a server before going live: architecture, database, data folder, keys, fonts, model, MQTT, clock",
		run:     runDoctor,
	})
}

func runDoctor(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("doctor", std.err)
	var sf storeFlags
	sf.bind(fs)
	var lc llm.Config
	lc.RegisterFlags(fs)
	mqttURL := fs.String("mqtt-url", "", "MQTT broker to try, mqtt://host:port (empty: not checked)")
	timeout := fs.Duration("timeout", 15*time.Second, "longest wait for each check")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	zone, err := clock.Zone(sf.tz)
	if err != nil {
		return fmt.Errorf("--tz: %w", err)
	}
	f := currentBuild()
	checks := []doctor.Check{
		doctor.Arch(f.Version),
		doctor.Database(sf.url(), allMigrations()),
		doctor.DataDir(sf.data),
		doctor.Keys(sf.data, env(privacy.KeyEnv), sf.crypto),
		doctor.Fonts(fcList),
		doctor.Model(lc),
		doctor.MQTT(*mqttURL),
		doctor.Clock(sf.now()(), zone, ntpSynced),
	}
	fmt.Fprintln(std.out, "fuwu doctor：逐项检查本机安装")
	rs := doctor.Run(ctx, std.out, checks, *timeout)
	n := map[doctor.Status]int{}
	for _, r := range rs {
		n[r.Status]++
	}
	fmt.Fprintf(std.out, "\n%d 项正常，%d 项提醒，%d 项失败，%d 项未配置\n", n[doctor.OK], n[doctor.Warn], n[doctor.Fail], n[doctor.Skip])
	if doctor.Worst(rs) == doctor.Fail {
		return &exitError{code: 1}
	}
	return nil
}

// fcList lists the Chinese font families fontconfig knows.
func fcList(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "fc-list", ":lang=zh", "family").Output()
	return string(out), err
}

// ntpSynced asks systemd whether the clock is synchronised; ok is false
// when it cannot tell (no systemd, a container).
func ntpSynced(ctx context.Context) (synced, ok bool) {
	out, err := exec.CommandContext(ctx, "timedatectl", "show", "--property=NTPSynchronized", "--value").Output()
	if err == nil {
		v := strings.TrimSpace(string(out))
		return v == "yes", v == "yes" || v == "no"
	}
	if _, err := os.Stat("/run/systemd/timesync/synchronized"); err == nil {
		return true, true
	}
	return false, false
}
