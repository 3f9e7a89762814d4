// Package sim is city operations' demo: an illustrative monitoring network
// for Futian (stations, sections, sites, enterprises, gauges; the
// coordinates are approximate and the water sections' target classes are
// demo values, not the official ones) and a deterministic generator of
// realistic readings for it — diurnal cycles, an ozone episode, a dusty
// construction site, an enterprise exceeding its permit limit, a
// degraded treatment plant and a rainstorm — used by `fuwu city simulate`
// (over MQTT) and for the history a fresh `fuwu serve` starts with.
package sim

import (
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon"
)

// Futian's ten streets (街道) with an approximate centre.
var Streets = []struct {
	Name     string
	Lon, Lat float64
}{
	{"园岭街道", 114.0990, 22.5540}, {"南园街道", 114.0960, 22.5380}, {"福田街道", 114.0700, 22.5290},
	{"沙头街道", 114.0300, 22.5280}, {"香蜜湖街道", 114.0300, 22.5500}, {"梅林街道", 114.0550, 22.5750},
	{"莲花街道", 114.0580, 22.5530}, {"华富街道", 114.0800, 22.5470}, {"福保街道", 114.0300, 22.5150},
	{"华强北街道", 114.0870, 22.5450},
}

// Network is the demo's devices, sensitive points, permit limits,
// treatment facilities and alert rules.
type Network struct {
	Devices    []citymon.Device
	Sensitive  []citymon.SensitivePoint
	Limits     []citymon.Limit
	Facilities []citymon.Facility
	Rules      []citymon.Rule
}

var (
	airParams     = []citymon.ParamUnit{{Param: "PM2.5"}, {Param: "PM10"}, {Param: "SO2"}, {Param: "NO2"}, {Param: "CO"}, {Param: "O3"}}
	waterParams   = []citymon.ParamUnit{{Param: "pH"}, {Param: "DO"}, {Param: "CODMn"}, {Param: "COD"}, {Param: "BOD5"}, {Param: "NH3-N"}, {Param: "TP"}, {Param: "water_temp"}}
	weatherParams = []citymon.ParamUnit{{Param: "wind_speed"}, {Param: "wind_dir"}, {Param: "cloud"}, {Param: "temp"}, {Param: "humidity"}, {Param: WarningParam}}
)

// WarningParam is the typhoon warning signal the weather service posts to
// the weather stations' feed (greening's plans read it); the generator
// leaves it to be posted.
const WarningParam = "typhoon_warning"

// Demo is the demo network.
func Demo() Network {
	var n Network
	add := func(d citymon.Device) { d.Active = true; n.Devices = append(n.Devices, d) }
	for i, s := range Streets {
		add(citymon.Device{ID: "FT-AQ-" + two(i+1), Kind: citymon.AirStation, Name: s.Name[:len(s.Name)-len("街道")] + "空气站",
			Street: s.Name, Lon: s.Lon, Lat: s.Lat, Owner: "福田区环境监测站", Params: airParams, Interval: 5 * time.Minute})
	}
	for _, w := range []struct {
		id, name, street, target string
		lon, lat                 float64
	}{
		{"FT-WQ-01", "深圳河（福田段）", "福保街道", "IV", 114.0450, 22.5130},
		{"FT-WQ-02", "福田河", "华富街道", "IV", 114.0780, 22.5420},
		{"FT-WQ-03", "新洲河", "沙头街道", "IV", 114.0380, 22.5320},
		{"FT-WQ-04", "凤塘河", "福保街道", "V", 114.0150, 22.5210},
		{"FT-WQ-05", "小沙河", "香蜜湖街道", "IV", 114.0200, 22.5400},
	} {
		add(citymon.Device{ID: w.id, Kind: citymon.WaterSection, Name: w.name, Street: w.street, Lon: w.lon, Lat: w.lat,
			Owner: "福田区水务局", TargetClass: w.target, Params: waterParams, Interval: time.Hour})
	}
	for i, s := range []struct {
		name, street string
		lon, lat     float64
	}{
		{"香蜜湖片区综合开发工地", "香蜜湖街道", 114.0250, 22.5480}, {"梅林关更新项目工地", "梅林街道", 114.0600, 22.5800},
		{"车公庙地铁上盖工地", "沙头街道", 114.0230, 22.5350}, {"华强北片区改造工地", "华强北街道", 114.0850, 22.5480},
	} {
		add(citymon.Device{ID: "FT-DS-" + two(i+1), Kind: citymon.DustMonitor, Name: s.name, Street: s.street, Lon: s.lon, Lat: s.lat,
			Owner: s.name + "项目部", Params: []citymon.ParamUnit{{Param: "PM10"}, {Param: "PM2.5"}, {Param: "TSP"}}, Interval: 5 * time.Minute})
	}
	for i, e := range []struct {
		name, street string
		lon, lat     float64
	}{
		{"福田某电子科技有限公司", "福保街道", 114.0380, 22.5100}, {"福田某印刷有限公司", "梅林街道", 114.0500, 22.5700},
		{"福田某医院污水处理站", "园岭街道", 114.1000, 22.5560},
	} {
		add(citymon.Device{ID: "FT-PO-" + two(i+1), Kind: citymon.Outlet, Name: "废水总排口", Street: e.street, Lon: e.lon, Lat: e.lat, Owner: e.name,
			Params: []citymon.ParamUnit{{Param: "COD"}, {Param: "NH3-N"}, {Param: "pH"}, {Param: "flow"}}, Interval: 10 * time.Minute})
		n.Limits = append(n.Limits,
			citymon.Limit{Device: "FT-PO-" + two(i+1), Param: "COD", Limit: 50, Permit: "演示许可证-" + two(i+1)},
			citymon.Limit{Device: "FT-PO-" + two(i+1), Param: "NH3-N", Limit: 5, Permit: "演示许可证-" + two(i+1)})
	}
	add(citymon.Device{ID: "FT-TR-01I", Kind: citymon.Treatment, Name: "污水处理站进口", Street: "园岭街道", Lon: 114.1002, Lat: 22.5562,
		Owner: "福田某医院污水处理站", Params: []citymon.ParamUnit{{Param: "COD"}, {Param: "NH3-N"}, {Param: "flow"}}, Interval: 10 * time.Minute})
	add(citymon.Device{ID: "FT-TR-01O", Kind: citymon.Treatment, Name: "污水处理站出口", Street: "园岭街道", Lon: 114.1004, Lat: 22.5564,
		Owner: "福田某医院污水处理站", Params: []citymon.ParamUnit{{Param: "COD"}, {Param: "NH3-N"}}, Interval: 10 * time.Minute})
	n.Facilities = append(n.Facilities, citymon.Facility{ID: "FT-TR-01", Name: "医院污水处理站（二级生化）", Enterprise: "福田某医院污水处理站",
		Medium: "water", Inlet: "FT-TR-01I", Outlet: "FT-TR-01O", Design: map[string]float64{"COD": 0.85, "NH3-N": 0.8}, Capacity: 300})
	for i, s := range []int{0, 3, 8} {
		st := Streets[s]
		add(citymon.Device{ID: "FT-RG-" + two(i+1), Kind: citymon.RainGauge, Name: st.Name + "雨量站", Street: st.Name, Lon: st.Lon + 0.004, Lat: st.Lat - 0.003,
			Owner: "福田区气象局", Params: []citymon.ParamUnit{{Param: "rain"}}, Interval: 5 * time.Minute})
		add(citymon.Device{ID: "FT-WL-" + two(i+1), Kind: citymon.WaterLevel, Name: st.Name + "易涝点水位", Street: st.Name, Lon: st.Lon - 0.004, Lat: st.Lat + 0.002,
			Owner: "福田区水务局", Params: []citymon.ParamUnit{{Param: "level"}}, Interval: 5 * time.Minute})
	}
	// Fire sensors in three streets' first two demo communities (the ids
	// of package risk's demo, FT-<street>-<n>): a smoke detector reporting
	// its state every 10 minutes and a hydrant pressure sensor every 15 minutes,
	// both normal (fuwu city simulate --scenario fire raises them).
	for i, s := range []int{2, 3, 8} {
		st := Streets[s]
		add(citymon.Device{ID: "FT-SD-" + two(i+1), Kind: citymon.SmokeDetector, Name: st.Name[:len(st.Name)-len("街道")] + "演示社区出租屋烟感",
			Street: st.Name, Community: "FT-" + two(s+1) + "-1", Lon: st.Lon - 0.002, Lat: st.Lat - 0.002,
			Owner: "社区网格站", Params: []citymon.ParamUnit{{Param: "smoke"}}, Interval: 10 * time.Minute})
		add(citymon.Device{ID: "FT-HY-" + two(i+1), Kind: citymon.HydrantPressure, Name: st.Name[:len(st.Name)-len("街道")] + "演示社区市政消火栓",
			Street: st.Name, Community: "FT-" + two(s+1) + "-2", Lon: st.Lon + 0.002, Lat: st.Lat + 0.003,
			Owner: "福田区水务局", Params: []citymon.ParamUnit{{Param: "pressure"}}, Interval: 15 * time.Minute})
	}
	add(citymon.Device{ID: "FT-WX-01", Kind: citymon.Weather, Name: "莲花山气象站", Street: "莲花街道", Lon: 114.0560, Lat: 22.5580,
		Owner: "福田区气象局", Params: weatherParams, Interval: 5 * time.Minute})
	add(citymon.Device{ID: "FT-WX-02", Kind: citymon.Weather, Name: "车公庙气象站", Street: "沙头街道", Lon: 114.0250, Lat: 22.5330,
		Owner: "福田区气象局", Params: weatherParams, Interval: 5 * time.Minute})
	n.Sensitive = []citymon.SensitivePoint{
		{ID: "SP-01", Name: "香蜜湖某小学", Kind: "school", Street: "香蜜湖街道", Lon: 114.0300, Lat: 22.5470},
		{ID: "SP-02", Name: "香蜜湖某幼儿园", Kind: "kindergarten", Street: "香蜜湖街道", Lon: 114.0210, Lat: 22.5520},
		{ID: "SP-03", Name: "梅林某社区康复医院", Kind: "hospital", Street: "梅林街道", Lon: 114.0650, Lat: 22.5790},
		{ID: "SP-04", Name: "车公庙某住宅小区", Kind: "residential", Street: "沙头街道", Lon: 114.0280, Lat: 22.5360},
		{ID: "SP-05", Name: "华强北某中学", Kind: "school", Street: "华强北街道", Lon: 114.0900, Lat: 22.5470},
		{ID: "SP-06", Name: "华强北某养老院", Kind: "elderly", Street: "华强北街道", Lon: 114.0820, Lat: 22.5500},
	}
	n.Rules = []citymon.Rule{
		{ID: "air-pm25", Name: "空气站 PM2.5 持续高于 115（三级上限）", Kind: citymon.AirStation, Param: "PM2.5", Op: ">", Threshold: 115,
			Duration: 2 * time.Hour, Level: 2, Escalate: time.Hour, Source: "HJ 633 分级浓度限值（24 小时，用于小时值）", Enabled: true},
		{ID: "air-o3", Name: "空气站臭氧 1 小时浓度高于 200（二级上限）", Kind: citymon.AirStation, Param: "O3", Op: ">", Threshold: 200,
			Duration: time.Hour, Level: 2, Escalate: time.Hour, Source: "HJ 633 臭氧 1 小时分级浓度限值", Enabled: true},
		{ID: "dust-pm10", Name: "工地 PM10 持续超标", Kind: citymon.DustMonitor, Param: "PM10", Op: ">", Threshold: 150,
			Duration: time.Hour, Level: 2, Escalate: 30 * time.Minute, Unverified: true, Enabled: true,
			Source: "未见深圳、广东的数值阈值；河北 DB13/2934-2019 监测点 PM10 80 µg/m³ 可作参照。此阈值为可配置的演示值"},
		{ID: "water-level", Name: "易涝点水位高于 0.15 米（一条车道积水上限）", Kind: citymon.WaterLevel, Param: "level", Op: ">", Threshold: 0.15,
			Duration: 10 * time.Minute, Level: 3, Escalate: 30 * time.Minute, Source: "GB 50014：一条车道积水深度不超过 15 cm", Enabled: true},
	}
	return n
}

func two(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }
