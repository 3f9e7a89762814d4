package citymon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// IngestHTTP is the HTTP batch API's core: token names the device (a
// per-device token from IssueToken); body is a Message payload (one object
// or an array), whose readings must all be that device's. It returns once
// the batch is stored. Readings naming another device are quarantined,
// not stored under the token's device.
func (p *Pipeline) IngestHTTP(ctx context.Context, token string, body []byte) (Result, error) {
	d, err := p.store.DeviceByToken(ctx, token)
	if err != nil {
		return Result{}, err
	}
	rs, bad := ParseMessages(body, d.ID)
	kept := rs[:0]
	for _, r := range rs {
		if r.Device != d.ID {
			bad = append(bad, Rejected{Reading: r, Reason: ReasonUnknownDevice,
				Detail: fmt.Sprintf("令牌属于设备 %s，不能提交设备 %s 的读数", d.ID, r.Device)})
			continue
		}
		kept = append(kept, r)
	}
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	if err := p.Submit(ctx, Batch{Source: "http:" + d.ID, Readings: kept, Rejected: bad}, func(r Result, err error) {
		done <- outcome{r, err}
	}); err != nil {
		return Result{}, err
	}
	select {
	case o := <-done:
		return o.res, o.err
	case <-ctx.Done():
		// The batch may still be stored; the device sends it again and
		// the key makes that harmless.
		return Result{}, ctx.Err()
	}
}

// Handler is the HTTP batch API as a plain http.Handler, which the web
// layer mounts at POST /api/v1/city/readings:
//
//	POST with "Authorization: Bearer fwd_…" and a Message payload
//	200 {"stored":N,"duplicates":N,"quarantined":N}
//	401 unknown token, 400 unreadable body, 413 too large, 503 not stored
//
// A 503 or a dropped connection means "send again"; sending again is safe.
func (p *Pipeline) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			httpError(w, http.StatusMethodNotAllowed, "method_not_allowed", "只接受 POST")
			return
		}
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			httpError(w, http.StatusUnauthorized, "no_token", "缺少设备令牌（Authorization: Bearer …）")
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
		if err != nil {
			httpError(w, http.StatusBadRequest, "bad_body", "无法读取请求内容")
			return
		}
		if len(body) > maxPayload {
			httpError(w, http.StatusRequestEntityTooLarge, "too_large", "请求内容过大，请分批提交")
			return
		}
		res, err := p.IngestHTTP(r.Context(), strings.TrimSpace(tok), body)
		switch {
		case errors.Is(err, ErrBadToken):
			httpError(w, http.StatusUnauthorized, "bad_token", "设备令牌无效")
			return
		case err != nil:
			httpError(w, http.StatusServiceUnavailable, "not_stored", "暂未保存，请稍后重发")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(res)
	})
}

func httpError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "message": msg})
}
