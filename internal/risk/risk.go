// Package risk assesses community-level waterlogging (内涝) and fire (消防)
// risk on city operations' sensor data. The waterlogging model turns the
// rain observed over 5 … 180 minutes into an equivalent recurrence period
// through a storm-intensity formula, weighs runoff against drainage
// capacity by the rational method (lowered when the river or tide blocks
// the outfalls), reads ponding depths and how fast they rise, and combines
// them into a level 蓝/黄/橙/红 per community or grid cell with the
// factors that drove it, each factor's share and the checklist of actions
// the level calls for. The fire model weighs a community's indicators by
// the analytic hierarchy process (consistency checked), scales the result
// by the weather and holidays and explains every score by its indicators'
// contributions. The calculators are pure functions; the store keeps the
// communities' static picture, forecasts and checklist progress on SQLite
// or PostgreSQL, and the replay re-runs a recorded storm and scores it
// against recorded incidents.
package risk

import (
	"errors"
)

// ErrInput is matched by every validation error; ErrNotFound when the
// thing named does not exist.
var (
	ErrInput    = errors.New("risk: invalid input")
	ErrNotFound = errors.New("risk: not found")
)

// Level is a warning level. None is below blue.
type Level int

const (
	None Level = iota
	Blue
	Yellow
	Orange
	Red
)

// Levels lists the levels from lowest to highest.
var Levels = []Level{None, Blue, Yellow, Orange, Red}

// String is the level's Chinese name.
func (l Level) String() string {
	switch l {
	case Blue:
		return "蓝"
	case Yellow:
		return "黄"
	case Orange:
		return "橙"
	case Red:
		return "红"
	}
	return "无"
}

// Name is the level's full Chinese name (蓝色风险 …, or 无明显风险).
func (l Level) Name() string {
	if l == None {
		return "无明显风险"
	}
	return l.String() + "色风险"
}

// Colour is the level's colour for pages and charts.
func (l Level) Colour() string {
	switch l {
	case Blue:
		return "#1e6fd9"
	case Yellow:
		return "#f2c200"
	case Orange:
		return "#ff7e00"
	case Red:
		return "#e02020"
	}
	return "#6aa84f"
}

// ParseLevel reads a level by its Chinese name, its English name or its
// number.
func ParseLevel(s string) (Level, error) {
	switch s {
	case "无", "none", "0", "":
		return None, nil
	case "蓝", "蓝色", "blue", "1":
		return Blue, nil
	case "黄", "黄色", "yellow", "2":
		return Yellow, nil
	case "橙", "橙色", "orange", "3":
		return Orange, nil
	case "红", "红色", "red", "4":
		return Red, nil
	}
	return None, errors.Join(ErrInput, errors.New("unknown level "+s))
}
