package main

import "testing"

func TestGCSettings(t *testing.T) {
	for _, c := range []struct {
		name    string
		env     map[string]string
		percent int
		limit   int64
	}{
		{"defaults", nil, serveGCPercent, serveMemoryLimit},
		{"GOGC set", map[string]string{"GOGC": "100"}, -1, serveMemoryLimit},
		{"GOGC off", map[string]string{"GOGC": "off"}, -1, serveMemoryLimit},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "4GiB"}, serveGCPercent, -1},
		{"both set", map[string]string{"GOGC": "50", "GOMEMLIMIT": "200MiB"}, -1, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, l := gcSettings(func(k string) string { return c.env[k] })
			if p != c.percent || l != c.limit {
				t.Errorf("gcSettings = %d, %d; want %d, %d", p, l, c.percent, c.limit)
			}
		})
	}
}
