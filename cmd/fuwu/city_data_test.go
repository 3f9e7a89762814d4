package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// The data commands on both engines: devices imported with a bad line
// reported (exit 3), readings back-filled, a token issued, the list shown.
func TestCityDataCommands(t *testing.T) {
	t.Parallel()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := []string{"--db", storetest.URL(t, d), "--data", t.TempDir()}
			dir := t.TempDir()
			devices := filepath.Join(dir, "devices.csv")
			if err := os.WriteFile(devices, []byte("id,kind,name,street,lon,lat,params\nA1,air_station,莲花站,莲花街道,114.05,22.55,PM2.5;PM10\nB1,nonsense,坏,,,,\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			err := runCityDevices(ctx, append([]string{"--import", devices}, db...), stdio{out: &out, err: &errb})
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 3 || !strings.Contains(errb.String(), "第 3 行") {
				t.Fatalf("device import: %v, stderr %q", err, errb.String())
			}
			history := filepath.Join(dir, "history.csv")
			if err := os.WriteFile(history, []byte("device,time,PM2.5,PM10\nA1,2020-01-01 10:00,30,50\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out.Reset()
			if err := runCityImport(ctx, append([]string{history, "--retention", "200000h", "--json"}, db...), stdio{out: &out, err: &errb}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), `"stored":2`) {
				t.Errorf("import report %s", out.String())
			}
			out.Reset()
			if err := runCityToken(ctx, append([]string{"A1"}, db...), stdio{out: &out, err: &errb}); err != nil || !strings.HasPrefix(out.String(), "fwd_") {
				t.Errorf("token %q %v", out.String(), err)
			}
			out.Reset()
			if err := runCityDevices(ctx, db, stdio{out: &out, err: &errb}); err != nil || !strings.Contains(out.String(), "莲花站") || !strings.Contains(out.String(), "2020-01-01 10:00") {
				t.Errorf("list %q %v", out.String(), err)
			}
		})
	}
}
