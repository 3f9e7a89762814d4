package citymon

import (
	"context"
	"testing"
)

// Saving a device fills in the parameters' default units in the stored
// copy, never in the caller's slice (the demo network's devices share one,
// and parallel installs raced on it).
func TestSaveDeviceLeavesCallersParams(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, s *Store, _ *clock) {
		params := []ParamUnit{{Param: "PM2.5"}, {Param: "PM10"}}
		d := airStation("P-01", "福田街道")
		d.Params = params
		got := mustDevice(t, s, d)
		if params[0].Unit != "" || params[1].Unit != "" {
			t.Errorf("the caller's params were changed: %+v", params)
		}
		if got.Params[0].Unit == "" {
			t.Errorf("the saved device has no unit: %+v", got.Params)
		}
		back, err := s.Device(context.Background(), "P-01")
		if err != nil || back.Params[0].Unit != got.Params[0].Unit {
			t.Errorf("stored %+v, %v", back.Params, err)
		}
	})
}
