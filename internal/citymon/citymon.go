// Package citymon is city operations' sensor pipeline and environment
// modules: monitoring points (devices) and their parameters; ingestion
// over MQTT, HTTP batches and CSV/XLSX back-fill, at least once and
// idempotent (a reading is keyed by device, parameter and second); unit
// conversion and a quarantine for what cannot be stored; raw readings with
// hourly and daily aggregates on SQLite or PostgreSQL (monthly
// partitions); and on top of them air quality (HJ 633 AQI per station and
// street), surface water (GB 3838 class per section), construction dust
// (alarms and a Gaussian plume estimate), key polluters (permit limits,
// exceedance events, enforcement tasks), waste treatment efficiency,
// alert rules with escalation and a webhook, and the dashboard's queries.
//
// The pure calculators live in the sub-packages aqi, water and plume.
package citymon

import (
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the city-operations schema.
var Migrations = store.Migrations{Component: "citymon", FS: migrationFS, Dir: "migrations"}

// Zone is Beijing time, in which days and months are counted.
var Zone = time.FixedZone("CST", 8*3600)

// Topic is the change-notification topic: a message is published after
// every stored batch ("readings"), and after alert and event changes, so
// that a dashboard can refresh.
const Topic = "citymon"

// ErrInput is matched by every validation error; ErrNotFound when the
// thing named does not exist.
var (
	ErrInput    = errors.New("citymon: invalid input")
	ErrNotFound = errors.New("citymon: not found")
)

// Kind is what a device is.
type Kind string

const (
	AirStation   Kind = "air_station"   // 空气质量监测站
	WaterSection Kind = "water_section" // 水质监测断面
	DustMonitor  Kind = "dust_monitor"  // 工地扬尘监测
	Outlet       Kind = "outlet"        // 重点排污单位排放口
	Treatment    Kind = "treatment"     // 治污设施进出口
	RainGauge    Kind = "rain_gauge"    // 雨量计
	WaterLevel   Kind = "water_level"   // 水位计
	Weather      Kind = "weather"       // 气象站
	// Fire sensors: their readings raise fire alarms in package risk at
	// once (AlarmTopic).
	SmokeDetector   Kind = "smoke_detector"   // 烟感探测器（param smoke: 1 报警, 0 正常）
	HydrantPressure Kind = "hydrant_pressure" // 消火栓水压监测（param pressure, MPa）
)

// Kinds lists every kind with its Chinese name.
var Kinds = []struct {
	Kind Kind
	Name string
}{
	{AirStation, "空气质量监测站"}, {WaterSection, "水质监测断面"}, {DustMonitor, "工地扬尘监测点"},
	{Outlet, "排放口"}, {Treatment, "治污设施监测点"}, {RainGauge, "雨量计"}, {WaterLevel, "水位计"}, {Weather, "气象站"},
	{SmokeDetector, "烟感探测器"}, {HydrantPressure, "消火栓水压监测"},
}

// AlarmKinds are the kinds whose readings are alarms: after a batch with
// new readings of such devices is stored, their ids are published on
// AlarmTopic, so that the fire alarms follow within the second on every
// ingestion path (MQTT, HTTP, file import, the demo feed) and, through
// PostgreSQL NOTIFY, in every process sharing the database.
var AlarmKinds = []Kind{SmokeDetector, HydrantPressure}

// AlarmTopic is the change-notification topic of alarm sensors' readings;
// the message is the comma-separated ids of the devices that reported.
const AlarmTopic = "citymon_alarm_sensors"

// IsAlarmKind reports whether k is one of AlarmKinds.
func IsAlarmKind(k Kind) bool {
	for _, a := range AlarmKinds {
		if a == k {
			return true
		}
	}
	return false
}

// KindName is a kind's Chinese name, or the kind itself.
func KindName(k Kind) string {
	for _, x := range Kinds {
		if x.Kind == k {
			return x.Name
		}
	}
	return string(k)
}

func validKind(k Kind) bool {
	for _, x := range Kinds {
		if x.Kind == k {
			return true
		}
	}
	return false
}

// ParamSpec is what Fuwu knows of a parameter: its canonical unit and the
// physical range a reading in that unit must lie in (beyond it a sensor is
// broken, not the air: such readings are quarantined).
type ParamSpec struct {
	Param    string
	Name     string // Chinese
	Unit     string
	Min, Max float64
}

// Params is the parameter catalogue. Devices may declare other parameters;
// those get no range check beyond being finite.
var Params = map[string]ParamSpec{
	"PM2.5":      {"PM2.5", "细颗粒物", "µg/m³", 0, 2000},
	"PM10":       {"PM10", "可吸入颗粒物", "µg/m³", 0, 5000},
	"TSP":        {"TSP", "总悬浮颗粒物", "µg/m³", 0, 30000},
	"SO2":        {"SO2", "二氧化硫", "µg/m³", 0, 10000},
	"NO2":        {"NO2", "二氧化氮", "µg/m³", 0, 5000},
	"O3":         {"O3", "臭氧", "µg/m³", 0, 2500},
	"CO":         {"CO", "一氧化碳", "mg/m³", 0, 200},
	"pH":         {"pH", "pH", "", 0, 14},
	"DO":         {"DO", "溶解氧", "mg/L", 0, 25},
	"CODMn":      {"CODMn", "高锰酸盐指数", "mg/L", 0, 200},
	"COD":        {"COD", "化学需氧量", "mg/L", 0, 50000},
	"BOD5":       {"BOD5", "五日生化需氧量", "mg/L", 0, 20000},
	"NH3-N":      {"NH3-N", "氨氮", "mg/L", 0, 5000},
	"TP":         {"TP", "总磷", "mg/L", 0, 1000},
	"TN":         {"TN", "总氮", "mg/L", 0, 5000},
	"water_temp": {"water_temp", "水温", "°C", -5, 45},
	"flow":       {"flow", "流量", "m³/h", 0, 1e6},
	"SO2_stack":  {"SO2_stack", "二氧化硫（排放浓度）", "mg/m³", 0, 1e5},
	"NOx_stack":  {"NOx_stack", "氮氧化物（排放浓度）", "mg/m³", 0, 1e5},
	"PM_stack":   {"PM_stack", "颗粒物（排放浓度）", "mg/m³", 0, 1e5},
	"VOCs":       {"VOCs", "挥发性有机物", "mg/m³", 0, 1e5},
	"rain":       {"rain", "降雨量", "mm", 0, 500},
	"level":      {"level", "水位", "m", -20, 100},
	"wind_speed": {"wind_speed", "风速", "m/s", 0, 80},
	"wind_dir":   {"wind_dir", "风向", "°", 0, 360},
	"cloud":      {"cloud", "总云量", "oktas", 0, 8},
	"temp":       {"temp", "气温", "°C", -40, 60},
	"humidity":   {"humidity", "相对湿度", "%", 0, 100},
	// The typhoon warning signal in force, posted by the weather service
	// to a weather station's feed: 0 none, 1 white … 5 red (深圳台风预警信号).
	"typhoon_warning": {"typhoon_warning", "台风预警信号", "", 0, 5},
	// A smoke detector's state: 1 alarm, 0 normal (a value between counts
	// as alarm from 0.5).
	"smoke": {"smoke", "烟感报警状态", "", 0, 1},
	// A hydrant's (or fire main's) water pressure, gauge.
	"pressure": {"pressure", "水压", "MPa", 0, 4},
}

// ParamName is a parameter's Chinese name, or the parameter itself.
func ParamName(p string) string {
	if s, ok := Params[p]; ok {
		return s.Name
	}
	return p
}

// unitFactor is the multiplier that takes a value in unit from to unit
// to, for units of one dimension; ok false when they are not convertible.
// Temperature is affine and handled by convert.
func unitFactor(from, to string) (float64, bool) {
	f, t := normUnit(from), normUnit(to)
	if f == t {
		return 1, true
	}
	a, okA := unitScale[f]
	b, okB := unitScale[t]
	if !okA || !okB || a.dim != b.dim {
		return 0, false
	}
	return a.scale / b.scale, true
}

type scaled struct {
	dim   string
	scale float64
}

// unitScale gives each unit's size in its dimension's base unit.
var unitScale = map[string]scaled{
	"ng/m3": {"mass/vol-air", 1e-3}, "ug/m3": {"mass/vol-air", 1}, "mg/m3": {"mass/vol-air", 1e3}, "g/m3": {"mass/vol-air", 1e6},
	"ug/l": {"mass/vol-water", 1e-3}, "mg/l": {"mass/vol-water", 1}, "g/l": {"mass/vol-water", 1e3},
	"mm": {"length", 1e-3}, "cm": {"length", 1e-2}, "m": {"length", 1},
	"m3/h": {"flow", 1}, "m3/s": {"flow", 3600}, "l/s": {"flow", 3.6}, "m3/d": {"flow", 1.0 / 24},
	"m/s": {"speed", 1}, "km/h": {"speed", 1 / 3.6},
	"%": {"fraction", 1}, "oktas": {"oktas", 1},
	"mpa": {"pressure", 1}, "kpa": {"pressure", 1e-3}, "bar": {"pressure", 0.1},
}

// normUnit folds the spellings of a unit (µg/m³, ug/m3, μg/m3, mg/L …).
func normUnit(u string) string {
	u = unitSpellings.Replace(strings.ToLower(strings.TrimSpace(u)))
	switch u {
	case "c", "degc", "celsius":
		return "°c"
	case "f", "degf":
		return "°f"
	}
	return u
}

var unitSpellings = strings.NewReplacer("µ", "u", "μ", "u", "³", "3", "㎥", "m3", " ", "", "℃", "°c", "摄氏度", "°c", "毫米", "mm", "米", "m")

// Convert takes v from unit from to unit to (µg/m³ ↔ mg/m³, kPa ↔ MPa, °F
// → °C …); an error when they measure different things. Readings are
// stored in their device's unit: a reader comparing them with a threshold
// in another converts first.
func Convert(v float64, from, to string) (float64, error) { return convert(v, from, to) }

// convert takes v from unit from to unit to.
func convert(v float64, from, to string) (float64, error) {
	if from == to {
		return v, nil
	}
	f, t := normUnit(from), normUnit(to)
	if f == "" || f == t {
		return v, nil
	}
	if f == "°f" && t == "°c" {
		return (v - 32) * 5 / 9, nil
	}
	if k, ok := unitFactor(from, to); ok {
		return v * k, nil
	}
	return 0, fmt.Errorf("cannot convert %s to %s", from, to)
}
