package citymon

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestImportDevicesCSVAndXLSX(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		csvText := "编号,类型,名称,街道,社区,经度,纬度,责任单位,监测参数,上报间隔,目标水质\n" +
			"FT-AQ-01,air_station,莲花山站,莲花街道,彩田社区,114.055,22.555,区环境监测站,PM2.5;PM10;O3,1h,\n" +
			"FT-W-01,水质监测断面,福田河口,福田街道,,114.06,22.52,区水务局,pH;DO;NH3-N:µg/L,3600,IV\n" +
			"BAD-1,rocket,坏行,,,,,,,,\n" +
			"BAD 2,air_station,有空格,,,,,,,,\n"
		rep, err := s.ImportDevices(ctx, "devices.csv", strings.NewReader(csvText), "test")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Saved != 2 || len(rep.Problems) != 2 || rep.Problems[0].Line != 4 || rep.Problems[1].Line != 5 {
			t.Fatalf("report %+v", rep)
		}
		w, err := s.Device(ctx, "FT-W-01")
		if err != nil {
			t.Fatal(err)
		}
		if w.Kind != WaterSection || w.TargetClass != "IV" || w.Interval != time.Hour {
			t.Errorf("water section %+v", w)
		}
		if u, _ := w.Unit("NH3-N"); u != "µg/L" {
			t.Errorf("NH3-N unit %q", u)
		}
		if u, _ := w.Unit("DO"); u != "mg/L" {
			t.Errorf("DO unit %q (the catalogue's by default)", u)
		}
		// The same in a workbook.
		f := excelize.NewFile()
		for i, row := range [][]any{{"id", "kind", "name", "street", "lon", "lat", "params"}, {"X-1", "dust_monitor", "工地", "沙头街道", 114.02, 22.53, "PM10;TSP"}} {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		rep, err = s.ImportDevices(ctx, "devices.xlsx", &buf, "test")
		if err != nil || rep.Saved != 1 {
			t.Fatalf("xlsx: %+v %v", rep, err)
		}
	})
}

func TestImportReadings(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("A1", "福田街道"))
		long := "device,param,time,value,unit\n" +
			"A1,PM2.5,2026-03-10 08:00,30,\n" +
			"A1,PM2.5,2026-03-10 08:00,30,\n" + // duplicate
			"A1,PM2.5,2026-03-10T09:00:00+08:00,0.04,mg/m3\n" +
			"A1,PM2.5,yesterday,3,\n" +
			"A1,PM2.5,2026-03-10 10:00,x,\n" +
			"A9,PM2.5,2026-03-10 10:00,3,\n" // unknown device: quarantined
		rep, err := s.ImportReadings(ctx, "history.csv", strings.NewReader(long))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Result != (Result{Stored: 2, Duplicates: 1, Quarantined: 1}) || len(rep.Problems) != 2 || rep.Problems[0].Line != 5 {
			t.Fatalf("report %+v", rep)
		}
		wide := "设备,时间,PM2.5,pm10\nA1,2026-03-10 11:00,20,40\n"
		rep, err = s.ImportReadings(ctx, "wide.csv", strings.NewReader(wide))
		if err != nil || rep.Result.Stored != 2 {
			t.Fatalf("wide: %+v %v", rep, err)
		}
		hs, _ := s.Hourly(ctx, "A1", "PM10", t0.Add(-2*time.Hour), t0)
		if len(hs) != 1 || hs[0].Mean != 40 {
			t.Errorf("wide PM10: %+v", hs)
		}
	})
}

func TestHTTPIngest(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		mustDevice(t, s, airStation("H1", "福田街道"))
		mustDevice(t, s, airStation("H2", "福田街道"))
		tok, err := s.IssueToken(ctx, "H1")
		if err != nil {
			t.Fatal(err)
		}
		p := NewPipeline(s)
		runPipeline(t, p)
		srv := httptest.NewServer(p.Handler())
		defer srv.Close()
		post := func(token, body string) (int, string) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, strings.TrimSpace(string(b))
		}
		body := `[{"time":"2026-03-10T11:00:00+08:00","values":{"PM2.5":35,"PM10":70}},{"device":"H2","ts":1773111600,"values":{"PM2.5":1}}]`
		if code, got := post(tok, body); code != 200 || got != `{"stored":2,"duplicates":0,"quarantined":1}` {
			t.Fatalf("first post: %d %s", code, got)
		}
		if code, got := post(tok, body); code != 200 || got != `{"stored":0,"duplicates":2,"quarantined":1}` {
			t.Fatalf("sent again: %d %s", code, got)
		}
		if code, _ := post("fwd_nope", body); code != http.StatusUnauthorized {
			t.Errorf("bad token: %d", code)
		}
		if code, _ := post("", body); code != http.StatusUnauthorized {
			t.Errorf("no token: %d", code)
		}
		if code, got := post(tok, `{"values":`); code != 200 || got != `{"stored":0,"duplicates":0,"quarantined":1}` {
			t.Errorf("malformed: %d %s", code, got)
		}
		// A new token revokes the old one.
		if _, err := s.IssueToken(ctx, "H1"); err != nil {
			t.Fatal(err)
		}
		if code, _ := post(tok, body); code != http.StatusUnauthorized {
			t.Errorf("revoked token: %d", code)
		}
	})
}
