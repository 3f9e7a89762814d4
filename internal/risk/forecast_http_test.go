package risk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func TestForecastAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, []store.Migrations{audit.Migrations, citymon.Migrations, Migrations}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := func() time.Time { return t0 }
		city, areas := citymon.NewStore(db, now), NewStore(db, now)
		for _, d := range []citymon.Device{
			{ID: "WX", Kind: citymon.Weather, Name: "气象预报接口", Params: []citymon.ParamUnit{{Param: "humidity"}}, Active: true},
			{ID: "RG", Kind: citymon.RainGauge, Name: "雨量站", Params: []citymon.ParamUnit{{Param: "rain"}}, Active: true},
		} {
			if _, err := city.SaveDevice(ctx, d, "t"); err != nil {
				t.Fatal(err)
			}
		}
		wx, _ := city.IssueToken(ctx, "WX")
		rg, _ := city.IssueToken(ctx, "RG")
		if err := areas.SaveArea(ctx, testArea, "t"); err != nil {
			t.Fatal(err)
		}
		h := ForecastHandler(areas, city)
		post := func(tok, body string) int {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/city/forecasts", strings.NewReader(body))
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code
		}
		for _, tc := range []struct {
			name, tok, body string
			want            int
		}{
			{"no token", "", `{"forecasts":[{"hours":1,"rain_mm":5}]}`, 401},
			{"a rain gauge's token", rg, `{"forecasts":[{"hours":1,"rain_mm":5}]}`, 401},
			{"bad json", wx, `{"forecasts":`, 400},
			{"bad horizon", wx, `{"forecasts":[{"hours":2,"rain_mm":5}]}`, 400},
			{"unknown area", wx, `{"area":"nowhere","forecasts":[{"hours":1,"rain_mm":5}]}`, 404},
			{"district", wx, `{"forecasts":[{"hours":1,"rain_mm":5},{"hours":3,"rain_mm":60}]}`, 200},
			{"community", wx, `[{"area":"C01","forecasts":[{"hours":1,"rain_mm":30}]}]`, 200},
		} {
			if got := post(tc.tok, tc.body); got != tc.want {
				t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
			}
		}
		fc, err := areas.Forecasts(ctx, t0)
		if err != nil || len(fc[""]) != 2 || fc["C01"][0].RainMM != 30 {
			t.Fatalf("stored %+v %v", fc, err)
		}
		// The forecast reaches the assessment.
		b, err := (&Live{Areas: areas, City: city, Model: DefaultModel()}).Assess(ctx, t0)
		if err != nil || b.Communities[0].ForecastPeriod == 0 {
			t.Errorf("assessment ignored the forecast: %+v %v", b.Communities, err)
		}
	})
}
