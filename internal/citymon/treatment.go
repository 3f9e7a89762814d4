package citymon

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Facility is a waste water or waste gas treatment facility: the
// monitoring points at its inlet and outlet and the removal efficiency it
// was designed for, per pollutant (0.9 = 90 %).
type Facility struct {
	ID         string             `json:"id"`
	Name       string             `json:"name"`
	Enterprise string             `json:"enterprise"`
	Medium     string             `json:"medium"` // water or gas
	Inlet      string             `json:"inlet"`
	Outlet     string             `json:"outlet"`
	Design     map[string]float64 `json:"design"`
	Capacity   float64            `json:"capacity"` // design throughput, m³/h
}

// SaveFacility creates or replaces a facility.
func (s *Store) SaveFacility(ctx context.Context, f Facility) error {
	if strings.TrimSpace(f.ID) == "" || f.Name == "" || (f.Medium != "water" && f.Medium != "gas") || len(f.Design) == 0 {
		return fmt.Errorf("%w: a facility needs an id, a name, medium water or gas and design efficiencies", ErrInput)
	}
	for p, e := range f.Design {
		if e <= 0 || e >= 1 {
			return fmt.Errorf("%w: design efficiency of %s must be between 0 and 1", ErrInput, p)
		}
	}
	for _, id := range []string{f.Inlet, f.Outlet} {
		if _, err := s.Device(ctx, id); err != nil {
			return err
		}
	}
	design, _ := json.Marshal(f.Design)
	_, err := s.db.Exec(ctx, `INSERT INTO citymon_facilities (id, name, enterprise, medium, inlet, outlet, design, capacity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, enterprise = excluded.enterprise, medium = excluded.medium, inlet = excluded.inlet,
		outlet = excluded.outlet, design = excluded.design, capacity = excluded.capacity`,
		f.ID, f.Name, f.Enterprise, f.Medium, f.Inlet, f.Outlet, string(design), f.Capacity)
	if err != nil {
		return fmt.Errorf("save facility %s: %w", f.ID, err)
	}
	return nil
}

// Facilities lists them by id.
func (s *Store) Facilities(ctx context.Context) ([]Facility, error) {
	rows, err := s.db.Query(ctx, `SELECT id, name, enterprise, medium, inlet, outlet, design, capacity FROM citymon_facilities ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("facilities: %w", err)
	}
	defer rows.Close()
	out := []Facility{}
	for rows.Next() {
		var f Facility
		var design string
		if err := rows.Scan(&f.ID, &f.Name, &f.Enterprise, &f.Medium, &f.Inlet, &f.Outlet, &design, &f.Capacity); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(design), &f.Design); err != nil {
			return nil, fmt.Errorf("facility %s design: %w", f.ID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Efficiency is a facility's removal of one pollutant on one day.
type Efficiency struct {
	Facility   string  `json:"facility"`
	Name       string  `json:"name"`
	Enterprise string  `json:"enterprise"`
	Day        string  `json:"day"`
	Param      string  `json:"param"`
	Inlet      float64 `json:"inlet"`  // daily mean concentration
	Outlet     float64 `json:"outlet"` // daily mean concentration
	Removal    float64 `json:"removal"`
	Design     float64 `json:"design"`
	Shortfall  bool    `json:"shortfall"` // below the design efficiency
	Throughput float64 `json:"throughput,omitempty"`
	Load       float64 `json:"load,omitempty"` // throughput ÷ capacity
}

// Efficiencies is the daily removal efficiency of every facility and
// design pollutant for days fromDay … toDay: 1 − outlet/inlet of the daily
// mean concentrations, flagged where it falls short of the design.
func (s *Store) Efficiencies(ctx context.Context, fromDay, toDay string) ([]Efficiency, error) {
	fs, err := s.Facilities(ctx)
	if err != nil {
		return nil, err
	}
	out := []Efficiency{}
	for _, f := range fs {
		for _, p := range sortedKeys(f.Design) {
			in, err := s.Daily(ctx, f.Inlet, p, fromDay, toDay)
			if err != nil {
				return nil, err
			}
			outDays, err := s.Daily(ctx, f.Outlet, p, fromDay, toDay)
			if err != nil {
				return nil, err
			}
			flow, err := s.Daily(ctx, f.Inlet, "flow", fromDay, toDay)
			if err != nil {
				return nil, err
			}
			om := map[string]float64{}
			for _, d := range outDays {
				om[d.Day] = d.Mean
			}
			fm := map[string]float64{}
			for _, d := range flow {
				fm[d.Day] = d.Mean
			}
			for _, d := range in {
				o, ok := om[d.Day]
				if !ok || d.Mean <= 0 {
					continue
				}
				e := Efficiency{Facility: f.ID, Name: f.Name, Enterprise: f.Enterprise, Day: d.Day, Param: p, Inlet: round3(d.Mean),
					Outlet: round3(o), Removal: round3(1 - o/d.Mean), Design: f.Design[p]}
				e.Shortfall = e.Removal < e.Design
				if q, ok := fm[d.Day]; ok {
					e.Throughput = round1(q)
					if f.Capacity > 0 {
						e.Load = round3(q / f.Capacity)
					}
				}
				out = append(out, e)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out, nil
}

// Shortfalls are the efficiencies below design on day, worst first.
func (s *Store) Shortfalls(ctx context.Context, day time.Time) ([]Efficiency, error) {
	d := day.In(Zone).Format(time.DateOnly)
	all, err := s.Efficiencies(ctx, d, d)
	if err != nil {
		return nil, err
	}
	out := []Efficiency{}
	for _, e := range all {
		if e.Shortfall {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Removal-out[i].Design < out[j].Removal-out[j].Design })
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
