package registry

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/fuwu-gov/fuwu/internal/policy"
)

// The demo registries: residents and enterprises generated from a seed,
// so that "fuwu serve" shows matching working and benchmarks have data of
// a realistic shape. Everything here is ILLUSTRATIVE: the names are drawn
// from common characters, the ID numbers are well-formed but belong to
// nobody, the phones are in 13800xxxxxx, the enterprises are "示例".

// Streets of the district and some communities of each (illustrative).
var demoStreets = map[string][]string{
	"园岭":  {"园岭社区", "百花社区", "红荔社区", "华林社区"},
	"南园":  {"南园社区", "巴登社区", "赤尾社区", "滨江社区"},
	"福田":  {"福田社区", "岗厦社区", "水围社区", "皇岗社区"},
	"沙头":  {"沙头社区", "上沙社区", "下沙社区", "新洲社区"},
	"梅林":  {"梅林一村社区", "梅丰社区", "上梅林社区", "下梅林社区"},
	"华富":  {"华富社区", "田面社区", "莲花北社区", "新田社区"},
	"香蜜湖": {"香蜜湖社区", "侨香社区", "竹园社区", "农园社区"},
	"莲花":  {"莲花一村社区", "彩田社区", "景田社区", "梅岭社区"},
	"华强北": {"华强北社区", "通新岭社区", "华航社区", "福强社区"},
	"福保":  {"福保社区", "石厦社区", "明月社区", "益田社区"},
}

var demoStreetOrder = []string{"园岭", "南园", "福田", "沙头", "梅林", "华富", "香蜜湖", "莲花", "华强北", "福保"}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉鹏宇浩然欣怡子涵梓轩诗雨佳琪俊杰淑珍秀兰")
	cities   = []string{"深圳", "深圳", "深圳", "深圳", "深圳", "深圳", "深圳", "广州", "东莞", "惠州", "长沙", "武汉"}
	trades   = []string{"信息技术", "电子元件", "生物医药", "文化创意", "商务服务", "批发零售", "餐饮", "金融科技", "建筑装饰", "物流"}
	words    = []string{"华信", "鹏程", "前沿", "智远", "联创", "中科", "海纳", "星河", "博远", "恒达", "新元", "锦程"}
)

// DemoStreets lists the demo's streets in order, each with its
// communities.
func DemoStreets() ([]string, map[string][]string) { return demoStreetOrder, demoStreets }

// GeneratePersons writes n illustrative residents as JSONL (the import
// format with no mapping), from seed, their ages taken at asOf.
func GeneratePersons(w io.Writer, seed uint64, n int, asOf policy.Day) error {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	used := map[string]bool{}
	for i := 1; i <= n; i++ {
		age := personAge(r)
		birth := asOf.AddDays(-(age*365 + r.IntN(365)))
		var idno string
		for {
			seq := r.IntN(999) + 1
			body := fmt.Sprintf("440304%04d%02d%02d%03d", birth.Y, birth.M, birth.D, seq)
			idno = body + string(idCheckChar(body))
			if !used[idno] {
				used[idno] = true
				break
			}
		}
		street := demoStreetOrder[r.IntN(len(demoStreetOrder))]
		comm := demoStreets[street][r.IntN(len(demoStreets[street]))]
		city := cities[r.IntN(len(cities))]
		p := map[string]any{
			"id":         fmt.Sprintf("P-%05d", i),
			"name":       string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))]) + maybe(r, 0.6, string(given[r.IntN(len(given))])),
			"id_number":  idno,
			"phone":      fmt.Sprintf("138%08d", i),
			"address":    fmt.Sprintf("深圳市福田区%s街道%s%d栋%d号", street, comm, 1+r.IntN(30), 101+r.IntN(2000)),
			"street":     street,
			"community":  comm,
			"hukou_city": city,
		}
		if city == "深圳" {
			p["hukou_district"] = []string{"福田区", "福田区", "福田区", "罗湖区", "南山区"}[r.IntN(5)]
			p["hukou_years"] = float64(1 + r.IntN(min(age+1, 60)))
		} else {
			p["hukou_district"] = "外市"
		}
		household := 1 + r.IntN(5)
		income := float64(800 + r.IntN(12000))
		if age >= 60 {
			income = float64(600 + r.IntN(6000))
		}
		p["household_size"] = float64(household)
		p["income_per_capita"] = income
		p["low_income"] = income < 1600 && r.Float64() < 0.7
		p["subsistence"] = income < 1300 && r.Float64() < 0.6 // 低保
		p["special_hardship"] = age >= 60 && household == 1 && income < 1200 && r.Float64() < 0.3
		if r.Float64() < 0.07 {
			p["disability_level"] = float64(1 + r.IntN(4))
			p["disability_type"] = []string{"肢体", "视力", "听力", "智力", "精神", "言语"}[r.IntN(6)]
		} else {
			p["disability_level"] = 0.0
		}
		p["lives_alone"] = age >= 65 && household == 1
		if age >= 16 && age < 60 {
			p["employment"] = []string{"在职", "在职", "在职", "在职", "灵活就业", "失业", "自主创业"}[r.IntN(7)]
			p["unemployed_registered"] = p["employment"] == "失业" && r.Float64() < 0.7
			p["social_insurance_months"] = float64(r.IntN(min(age-15, 35)*12 + 1))
		}
		if age >= 21 && age <= 30 && r.Float64() < 0.4 {
			p["graduation_date"] = asOf.AddDays(-r.IntN(6 * 365)).String()
			p["education"] = []string{"大专", "本科", "本科", "硕士", "博士"}[r.IntN(5)]
		}
		if age >= 18 && age <= 60 && r.Float64() < 0.08 {
			p["veteran"] = true
		}
		if age >= 25 && age <= 50 && r.Float64() < 0.45 {
			child := r.IntN(16)
			p["youngest_child_birth"] = asOf.AddDays(-(child*365 + r.IntN(365))).String()
			p["children"] = float64(1 + r.IntN(3))
		}
		p["owns_home"] = r.Float64() < 0.45
		if r.Float64() < 0.03 {
			p["critical_illness"] = true
		}
		// Some facts the registry does not know: left out, so that
		// matching says "possible" and staff see what to ask.
		for _, k := range []string{"income_per_capita", "owns_home", "lives_alone"} {
			if r.Float64() < 0.04 {
				delete(p, k)
			}
		}
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return nil
}

// personAge draws an age with the district's rough shape: most 20–60,
// a long tail to 100 so that the elderly allowances have people to find.
func personAge(r *rand.Rand) int {
	switch x := r.Float64(); {
	case x < 0.15:
		return r.IntN(18)
	case x < 0.75:
		return 18 + r.IntN(42)
	case x < 0.92:
		return 60 + r.IntN(20)
	case x < 0.99:
		return 80 + r.IntN(10)
	default:
		return 90 + r.IntN(12)
	}
}

func maybe(r *rand.Rand, p float64, s string) string {
	if r.Float64() < p {
		return s
	}
	return ""
}

// GenerateEnterprises writes n illustrative enterprises as JSONL, from
// seed.
func GenerateEnterprises(w io.Writer, seed uint64, n int, asOf policy.Day) error {
	r := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := 1; i <= n; i++ {
		body := fmt.Sprintf("914403%02d%s", r.IntN(100), usccBody(r, 8))
		uscc := body + string(usccCheckChar(body))
		street := demoStreetOrder[r.IntN(len(demoStreetOrder))]
		comm := demoStreets[street][r.IntN(len(demoStreets[street]))]
		trade := trades[r.IntN(len(trades))]
		ageDays := r.IntN(15 * 365)
		employees := 1 + int(r.ExpFloat64()*30)
		revenue := float64(employees) * (5e4 + r.Float64()*6e5)
		highTech := (trade == "信息技术" || trade == "生物医药" || trade == "电子元件" || trade == "金融科技") && r.Float64() < 0.35
		e := map[string]any{
			"id":                   fmt.Sprintf("E-%05d", i),
			"name":                 fmt.Sprintf("深圳市%s%s示例有限公司", words[r.IntN(len(words))], trade),
			"uscc":                 uscc,
			"phone":                fmt.Sprintf("138%08d", 50000000+i),
			"address":              fmt.Sprintf("深圳市福田区%s街道%s%d号%d室", street, comm, 1+r.IntN(300), 101+r.IntN(3000)),
			"street":               street,
			"community":            comm,
			"founded":              asOf.AddDays(-ageDays).String(),
			"employees":            float64(employees),
			"revenue":              float64(int(revenue)),
			"industry":             trade,
			"high_tech":            highTech,
			"small_micro":          employees < 100 && revenue < 1e8,
			"registered_in_futian": r.Float64() < 0.9,
			"tax_credit":           []string{"A", "A", "B", "B", "M", "C", "D"}[r.IntN(7)],
			"new_hires":            float64(r.IntN(employees/3 + 2)),
			"graduates_hired":      float64(r.IntN(employees/8 + 1)),
		}
		e["rd_expense"] = 0.0
		if highTech || r.Float64() < 0.2 {
			e["rd_expense"] = float64(int(revenue * (0.02 + r.Float64()*0.12)))
		}
		if highTech {
			e["high_tech_certified"] = asOf.AddDays(-r.IntN(3 * 365)).String()
		}
		e["disabled_employees"] = 0.0
		if r.Float64() < 0.05 {
			e["disabled_employees"] = float64(1 + r.IntN(5))
		}
		if r.Float64() < 0.05 {
			delete(e, "revenue") // not reported yet: possible, not eligible
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

func usccBody(r *rand.Rand, n int) string {
	var b strings.Builder
	// Organisation code part: the characters a code may use.
	for i := 0; i < n; i++ {
		b.WriteByte(usccChars[r.IntN(len(usccChars))])
	}
	// Nine characters after the 8-character registration/region prefix.
	b.WriteByte(usccChars[r.IntN(10)])
	return b.String()
}
