// Package greening is the district's greening maintenance (绿化管养): the
// inventory of street trees (古树名木 with their protection grade among
// them) and green spaces by the 城市绿化条例 categories, imported from
// CSV/Excel with line-numbered errors; the maintenance knowledge as data
// staff edit and review — a species library and task rules, with an
// embedded starter library for south-China street trees marked for
// experts to review; monthly and weekly plans per street generated from
// the rules and adjusted by live conditions (rain, drought, a typhoon
// warning, pest reports nearby), each task saying why; explainable
// typhoon-toppling and pest-outbreak risk per tree; work orders from
// plans, predictions, patrols and residents with before/after photos;
// effect evaluation (health over time, done vs planned, recurrence, green
// coverage per street) with a monthly report; answers to maintenance
// staff's questions grounded in the species library and the regulations;
// and a deterministic synthetic inventory for the demo.
package greening

import (
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/fuwu-gov/fuwu/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is the greening schema.
var Migrations = store.Migrations{Component: "greening", FS: migrationFS, Dir: "migrations"}

// Topic is the change-notification topic, published after inventory
// imports and work-order changes.
const Topic = "greening"

// ErrInput is matched by every validation error; ErrNotFound when the
// thing named does not exist.
var (
	ErrInput    = errors.New("greening: invalid input")
	ErrNotFound = errors.New("greening: not found")
	// ErrPhoto marks a photo refused (not an image, too large); it is
	// also an ErrInput.
	ErrPhoto = fmt.Errorf("%w: photo", ErrInput)
	// ErrNeedPhotos refuses to close an order without its photos; it is
	// also an ErrInput.
	ErrNeedPhotos = fmt.Errorf("%w: photos required", ErrInput)
)

// Health grades, best first.
const (
	HealthGood     = "A" // 健康
	HealthFair     = "B" // 较健康
	HealthWeak     = "C" // 衰弱
	HealthDying    = "D" // 濒死
	defaultHealthy = HealthGood
)

// Grades lists the health grades with their Chinese names.
var Grades = []struct{ Grade, Name string }{
	{HealthGood, "健康"}, {HealthFair, "较健康"}, {HealthWeak, "衰弱"}, {HealthDying, "濒死"},
}

// GradeName is a grade's Chinese name, or the grade itself.
func GradeName(g string) string {
	for _, x := range Grades {
		if x.Grade == g {
			return x.Name
		}
	}
	return g
}

// AncientGrades are the 古树名木 protection grades: 一级 (500 years or
// more), 二级 (300–499), 三级 (100–299), and 名木 (famous trees, any age;
// 城市绿化条例 第二十四条 defines both).
var AncientGrades = []string{"一级", "二级", "三级", "名木"}

// Tree is one tree of the inventory.
type Tree struct {
	ID        string  `json:"id"`
	Species   string  `json:"species"`
	DBH       float64 `json:"dbh_cm"`   // diameter at breast height, cm
	Height    float64 `json:"height_m"` // m
	Crown     float64 `json:"crown_m"`  // crown width, m
	Lean      float64 `json:"lean_deg"` // degrees from vertical
	Planted   string  `json:"planted,omitempty"`
	Lon       float64 `json:"lon"`
	Lat       float64 `json:"lat"`
	Street    string  `json:"street"`
	Community string  `json:"community,omitempty"`
	Road      string  `json:"road,omitempty"`
	Health    string  `json:"health"`
	Ancient   bool    `json:"ancient,omitempty"`
	// AncientGrade is the protection grade of an ancient or famous tree.
	AncientGrade string  `json:"ancient_grade,omitempty"`
	RootSpace    float64 `json:"root_space_m2"` // open soil around the trunk, m²
	Decay        int     `json:"decay"`         // 0 none … 3 severe
	// Target is what a fall would hit: road, school, hospital,
	// residential, park or "".
	Target    string `json:"target,omitempty"`
	Synthetic bool   `json:"synthetic,omitempty"`
}

// Targets names what may stand under a tree.
var Targets = map[string]string{
	"road": "道路", "school": "学校", "hospital": "医院", "residential": "住宅小区",
	"kindergarten": "幼儿园", "park": "公园", "": "无",
}

// Category is a green space's type, per 城市绿化条例 第十条.
type Category string

const (
	Public      Category = "public"      // 公共绿地
	Residential Category = "residential" // 居住区绿地
	Protective  Category = "protective"  // 防护绿地
	Production  Category = "production"  // 生产绿地
	Scenic      Category = "scenic"      // 风景林地
)

// Categories lists the categories with their Chinese names.
var Categories = []struct {
	Category Category
	Name     string
}{
	{Public, "公共绿地"}, {Residential, "居住区绿地"}, {Protective, "防护绿地"}, {Production, "生产绿地"}, {Scenic, "风景林地"},
}

// CategoryName is a category's Chinese name.
func CategoryName(c Category) string {
	for _, x := range Categories {
		if x.Category == c {
			return x.Name
		}
	}
	return string(c)
}

func parseCategory(s string) (Category, bool) {
	for _, x := range Categories {
		if s == string(x.Category) || s == x.Name || s+"绿地" == x.Name {
			return x.Category, true
		}
	}
	return "", false
}

// Space is one green space.
type Space struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Category  Category `json:"category"`
	Area      float64  `json:"area_m2"`
	Unit      string   `json:"unit,omitempty"` // managing unit (管理单位)
	Street    string   `json:"street"`
	Lon       float64  `json:"lon"`
	Lat       float64  `json:"lat"`
	Synthetic bool     `json:"synthetic,omitempty"`
}

// Street is a street's land area and population.
type Street struct {
	Name       string  `json:"name"`
	AreaKm2    float64 `json:"area_km2"`
	Population int     `json:"population"`
	Synthetic  bool    `json:"synthetic,omitempty"`
}

// Zone is Beijing time, in which months and weeks are counted.
var Zone = time.FixedZone("CST", 8*3600)
