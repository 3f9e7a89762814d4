package main

import (
	"context"
	"fmt"

	"github.com/fuwu-gov/fuwu/internal/assistant"
	"github.com/fuwu-gov/fuwu/internal/risk"
)

// hazardChat is the chat's waterlogging answers (assistant.Hazards) over
// the risk store: the communities as stored, and the latest assessment
// `fuwu serve` stored for each.
type hazardChat struct {
	store *risk.Store
}

var _ assistant.Hazards = (*hazardChat)(nil)

// Areas implements assistant.Hazards.
func (h *hazardChat) Areas(ctx context.Context) ([]assistant.HazardArea, error) {
	as, err := h.store.Areas(ctx, false)
	if err != nil {
		return nil, err
	}
	out := make([]assistant.HazardArea, len(as))
	for i, a := range as {
		out[i] = assistant.HazardArea{ID: a.ID, Name: a.Name, Street: a.Street}
	}
	return out, nil
}

// Current implements assistant.Hazards: the stored assessment, never one
// made up; the advice follows the level and the community's garages,
// underpasses and residents.
func (h *hazardChat) Current(ctx context.Context, id string) (assistant.HazardStatus, bool, error) {
	a, at, ok, err := h.store.Latest(ctx, id)
	if err != nil || !ok {
		return assistant.HazardStatus{}, false, err
	}
	area, err := h.store.Area(ctx, id)
	if err != nil {
		return assistant.HazardStatus{}, false, err
	}
	st := assistant.HazardStatus{Level: int(a.Level), LevelName: a.Level.Name(), At: at, Confidence: a.Confidence,
		NoData: a.Gauges == 0, Synthetic: area.Synthetic, Garages: area.Garages > 0}
	for _, f := range a.Factors {
		if len(st.Reasons) < 3 {
			st.Reasons = append(st.Reasons, fmt.Sprintf("%s（占 %.0f%%，%s）", f.Name, f.Share*100, f.Detail))
		}
	}
	if a.Floor != "" {
		st.Reasons = append([]string{a.Floor}, st.Reasons...)
	}
	for _, x := range risk.ResidentAdvice(area, a.Level) {
		st.Advice = append(st.Advice, assistant.HazardAdvice{Text: x.Text, Basis: x.Basis, Garage: x.Garage})
	}
	return st, true, nil
}
