package web

// cityMap is the dashboard's map of Futian: a schematic, not surveyed
// boundaries (no boundary data is bundled). Each street (街道) is a box
// placed so that it holds its centre in citymon/sim, in the right
// order west–east and north–south; the Shenzhen River is the southern
// edge. The page says it is schematic.
type cityMap struct {
	Schematic bool           `json:"schematic"`
	Note      string         `json:"note"`
	Bounds    [4]float64     `json:"bounds"` // west, south, east, north (degrees)
	Streets   []cityArea     `json:"streets"`
	Rivers    []cityRiver    `json:"rivers"`
	Labels    []cityLabel    `json:"labels"`
	Roads     [][][2]float64 `json:"roads"` // main roads, schematic
}

type cityArea struct {
	Name    string       `json:"name"`
	Outline [][2]float64 `json:"outline"` // [lon, lat] pairs
	Label   [2]float64   `json:"label"`
}

type cityRiver struct {
	Name string       `json:"name"`
	Line [][2]float64 `json:"line"`
}

type cityLabel struct {
	Text string     `json:"text"`
	At   [2]float64 `json:"at"`
}

func box(name string, w, s, e, n float64) cityArea {
	return cityArea{Name: name, Outline: [][2]float64{{w, n}, {e, n}, {e, s}, {w, s}}, Label: [2]float64{(w + e) / 2, (s + n) / 2}}
}

var futianMap = cityMap{
	Schematic: true,
	Note:      "示意图：街道为示意分区，非行政区划边界；点位坐标为近似值",
	Bounds:    [4]float64{114.000, 22.503, 114.110, 22.590},
	Streets: []cityArea{
		box("梅林街道", 114.000, 22.565, 114.110, 22.590),
		box("香蜜湖街道", 114.000, 22.540, 114.045, 22.565),
		box("莲花街道", 114.045, 22.540, 114.068, 22.565),
		box("华富街道", 114.068, 22.540, 114.084, 22.565),
		box("华强北街道", 114.084, 22.540, 114.093, 22.565),
		box("园岭街道", 114.093, 22.540, 114.110, 22.565),
		box("沙头街道", 114.000, 22.520, 114.050, 22.540),
		box("福保街道", 114.000, 22.505, 114.050, 22.520),
		box("福田街道", 114.050, 22.505, 114.085, 22.540),
		box("南园街道", 114.085, 22.505, 114.110, 22.540),
	},
	Rivers: []cityRiver{
		{"深圳河", [][2]float64{{114.000, 22.506}, {114.030, 22.5045}, {114.060, 22.506}, {114.085, 22.5055}, {114.110, 22.507}}},
		{"福田河", [][2]float64{{114.074, 22.588}, {114.077, 22.565}, {114.078, 22.545}, {114.076, 22.525}, {114.074, 22.506}}},
		{"新洲河", [][2]float64{{114.040, 22.570}, {114.039, 22.545}, {114.038, 22.525}, {114.040, 22.506}}},
	},
	Labels: []cityLabel{{"深圳湾", [2]float64{114.010, 22.508}}, {"莲花山", [2]float64{114.056, 22.557}}},
	Roads: [][][2]float64{
		{{114.000, 22.540}, {114.110, 22.540}}, // 深南大道
		{{114.000, 22.565}, {114.110, 22.565}}, // 北环大道
	},
}
