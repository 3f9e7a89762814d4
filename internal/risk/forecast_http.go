package risk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// ForecastPost is one forecast a weather feed posts.
type ForecastPost struct {
	Area      string     `json:"area"`      // community or grid id; "" for the whole district
	IssuedAt  time.Time  `json:"issued_at"` // default: when received
	Forecasts []Forecast `json:"forecasts"` // horizons 1, 3 and 6 hours
	Source    string     `json:"source"`
}

// PostForecasts stores a feed's posts (one object or an array) for the
// weather device that token belongs to: the token is a city device token
// (citymon.IssueToken) of a weather-kind device, like the readings API.
// Every post is checked before any is stored.
func (s *Store) PostForecasts(ctx context.Context, city *citymon.Store, token string, body []byte) (int, error) {
	d, err := city.DeviceByToken(ctx, token)
	if err != nil {
		return 0, err
	}
	if d.Kind != citymon.Weather {
		return 0, citymon.ErrBadToken
	}
	var posts []ForecastPost
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "[") {
		err = json.Unmarshal(body, &posts)
	} else {
		var p ForecastPost
		err = json.Unmarshal(body, &p)
		posts = []ForecastPost{p}
	}
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrInput, err)
	}
	for _, p := range posts {
		if p.Area != "" {
			if _, err := s.Area(ctx, p.Area); err != nil {
				return 0, err
			}
		}
		if len(p.Forecasts) == 0 {
			return 0, fmt.Errorf("%w: a forecast needs at least one horizon", ErrInput)
		}
	}
	for _, p := range posts {
		src := d.ID
		if p.Source != "" {
			src += ":" + p.Source
		}
		if err := s.PostForecast(ctx, p.Area, p.IssuedAt, p.Forecasts, src); err != nil {
			return 0, err
		}
	}
	return len(posts), nil
}

// ForecastHandler is the forecast API as an http.Handler, mounted at
// POST /api/v1/city/forecasts:
//
//	POST with "Authorization: Bearer fwd_…" (a weather device's token) and
//	{"area": "", "forecasts": [{"hours": 1, "rain_mm": 12}, {"hours": 3, "rain_mm": 40}]}
//	200 {"stored": N}; 401 bad token; 400 bad body; 404 unknown area
func ForecastHandler(s *Store, city *citymon.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			jsonError(w, http.StatusUnauthorized, "no_token", "缺少设备令牌（Authorization: Bearer …）")
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
		if err != nil || len(body) > 1<<20 {
			jsonError(w, http.StatusBadRequest, "bad_body", "无法读取请求内容或内容过大")
			return
		}
		n, err := s.PostForecasts(r.Context(), city, strings.TrimSpace(tok), body)
		switch {
		case errors.Is(err, citymon.ErrBadToken):
			jsonError(w, http.StatusUnauthorized, "bad_token", "令牌无效或不属于气象设备")
		case errors.Is(err, ErrNotFound):
			jsonError(w, http.StatusNotFound, "unknown_area", "没有该社区或网格")
		case errors.Is(err, ErrInput):
			jsonError(w, http.StatusBadRequest, "bad_forecast", "预报内容有误："+reason(err))
		case err != nil:
			jsonError(w, http.StatusServiceUnavailable, "not_stored", "暂未保存，请稍后重发")
		default:
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]int{"stored": n})
		}
	})
}

func jsonError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "message": msg})
}
