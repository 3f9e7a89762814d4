package risk

import (
	"encoding/json"
	"fmt"
	"io"
)

// modelFile is the JSON a deployment configures the model with; fields
// left out keep DefaultModel's values.
type modelFile struct {
	Storm      *StormFormula `json:"storm"`
	RiverWarn  *float64      `json:"river_warn_m"`
	RiverFull  *float64      `json:"river_full_m"`
	Thresholds *[4]float64   `json:"thresholds"`
	LaneDepth  *float64      `json:"lane_depth_m"`
	// Hydrant is the hydrant low-pressure threshold, e.g.
	// {"low_mpa": 0.15, "official": true, "source": "区水务局 2026 年通知"}.
	Hydrant *HydrantThreshold `json:"hydrant"`
}

// LoadModel reads a model configuration, e.g.
//
//	{"storm": {"name": "深圳", "edition": "2025", "a1": …, "c": …, "b": …, "n": …,
//	           "official": true, "source": "深圳市暴雨强度公式（2025 版）"},
//	 "river_warn_m": 1.6, "river_full_m": 2.6,
//	 "hydrant": {"low_mpa": 0.15, "official": true, "source": "…"}}
//
// and validates it. Unknown fields are errors: a misspelt parameter must
// not silently fall back to the example.
func LoadModel(r io.Reader) (Model, error) {
	m := DefaultModel()
	var f modelFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return m, fmt.Errorf("%w: model configuration: %v", ErrInput, err)
	}
	if f.Storm != nil {
		m.Storm = *f.Storm
	}
	if f.RiverWarn != nil {
		m.RiverWarn = *f.RiverWarn
	}
	if f.RiverFull != nil {
		m.RiverFull = *f.RiverFull
	}
	if f.Thresholds != nil {
		m.Thresholds = *f.Thresholds
	}
	if f.LaneDepth != nil {
		m.LaneDepth = *f.LaneDepth
	}
	if f.Hydrant != nil {
		m.Hydrant = *f.Hydrant
	}
	return m, m.Validate()
}
