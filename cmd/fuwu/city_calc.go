package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/citymon/aqi"
	"github.com/fuwu-gov/fuwu/internal/citymon/water"
)

// The two calculators are a contract: other people's cases are run
// through them, so their flags and JSON do not change.

const cityAQIUsage = `Usage: fuwu city aqi [--hourly] [--standard 2012|2026] [--date YYYY-MM-DD] SO2=… NO2=… PM10=… CO=… O3=… O3_8h=… PM2.5=… [--json]

Concentrations in µg/m³, CO in mg/m³. Daily values by default: 24-hour means and the
day's maximum 8-hour O3 (O3_8h); O3 (the 1-hour value) counts in a daily report only when
O3_8h is above 800. --hourly: the real-time report (1-hour values; SO2_24h= may be given
for SO2 above 800). Pollutants not given are left out. The standard defaults to the
edition in force on --date (default today): HJ 633-2012 before 2026-03-01, HJ 633-2026
from then. Notes (rules the sources leave unverified, values beyond the table) go to
std.err; --json prints {"aqi":N,"category":…,"level":…,"primary":[…],"iaqi":{…}}.`

const cityWaterUsage = `Usage: fuwu city water [--lake] pH=… DO=… CODMn=… COD=… BOD5=… NH3-N=… TP=… [TN=…] [--json]

GB 3838-2002, single-factor method; mg/L, pH unitless. --lake: lake or reservoir (TP's
lake limits; TN counts). --json prints {"class":"III","decisive":["NH3-N"]}.`

// runCityAQI is `fuwu city aqi`; today picks the default edition.
func runCityAQI(args []string, std stdio, today func() time.Time) error {
	fs := newFlags("city aqi", std.err)
	hourly := fs.Bool("hourly", false, "real-time (hourly) report instead of the daily one")
	standard := fs.String("standard", "", "HJ 633 edition: 2012 or 2026 (default: the one in force on --date)")
	date := fs.String("date", "", "date of the data, YYYY-MM-DD (default today, Beijing time)")
	asJSON := fs.Bool("json", false, "print JSON")
	cap2026 := fs.Bool("unverified-2026-cap", false, "apply the unverified 2026 above-800 rules (SO2 1h→200, O3 8h→300)")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), cityAQIUsage); fs.PrintDefaults() }
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	at := today().In(aqi.Zone)
	if *date != "" {
		if at, err = time.ParseInLocation(time.DateOnly, *date, aqi.Zone); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("--date %q: want YYYY-MM-DD", *date)}
		}
	}
	ed := aqi.EditionOn(at)
	if *standard != "" {
		if ed, err = aqi.ParseEdition(*standard); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	conc, err := parseAssignments(pos, aqiNames)
	if err != nil {
		return &exitError{code: 2, msg: err.Error() + "\n" + cityAQIUsage}
	}
	period := aqi.Daily
	if *hourly {
		period = aqi.Hourly
	}
	r, err := aqi.Compute(ed, period, conc, aqi.Options{Cap2026Above800: *cap2026})
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	for _, n := range r.Notes {
		mark := "注"
		if n.Unverified {
			mark = "注（未经核实）"
		}
		fmt.Fprintf(std.err, "%s：%s\n", mark, n.Text)
	}
	if *asJSON {
		return writeJSONLine(std.out, r)
	}
	kind := "日报"
	if *hourly {
		kind = "实时报"
	}
	fmt.Fprintf(std.out, "%s（%s）\nAQI\t%d\n级别\t%s（%s，%s）\n", ed.Title(), kind, r.AQI, r.Level, r.Category, aqi.LevelOf(r.AQI).Colour)
	if len(r.Primary) > 0 {
		fmt.Fprintf(std.out, "首要污染物\t%s\n", strings.Join(r.Primary, "、"))
	} else {
		fmt.Fprintf(std.out, "首要污染物\t无\n")
	}
	keys := make([]string, 0, len(r.IAQI))
	for k := range r.IAQI {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return indexOf(aqi.Pollutants, keys[i]) < indexOf(aqi.Pollutants, keys[j]) })
	for _, k := range keys {
		fmt.Fprintf(std.out, "IAQI %s\t%d\n", k, r.IAQI[k])
	}
	return nil
}

// runCityWater is `fuwu city water`.
func runCityWater(args []string, std stdio) error {
	fs := newFlags("city water", std.err)
	lake := fs.Bool("lake", false, "lake or reservoir (TN counts, lake TP limits)")
	asJSON := fs.Bool("json", false, "print JSON")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), cityWaterUsage); fs.PrintDefaults() }
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	v, err := parseAssignments(pos, waterNames)
	if err != nil {
		return &exitError{code: 2, msg: err.Error() + "\n" + cityWaterUsage}
	}
	r, err := water.Classify(v, *lake)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	for item, why := range r.Ignored {
		fmt.Fprintf(std.err, "注：%s 未计入：%s\n", item, why)
	}
	if *asJSON {
		return writeJSONLine(std.out, r)
	}
	fmt.Fprintf(std.out, "水质类别\t%s（%s）\n定类项目\t%s\n", r.Class, r.Class.Grade(), strings.Join(r.Decisive, "、"))
	for _, ic := range r.Items {
		fmt.Fprintf(std.out, "%s\t%s\t%s\n", water.Names[ic.Item], strconv.FormatFloat(ic.Value, 'f', -1, 64), ic.Class)
	}
	if len(r.Main) > 0 {
		fmt.Fprintf(std.out, "主要污染指标\t%s\n", strings.Join(r.Main, "、"))
	}
	return nil
}

// The names the calculators accept, folded to lower case, and what they mean.
var (
	aqiNames = map[string]string{
		"so2": aqi.SO2, "no2": aqi.NO2, "pm10": aqi.PM10, "co": aqi.CO, "o3": aqi.O3,
		"o3_8h": aqi.O3_8h, "o3-8h": aqi.O3_8h, "o3_8": aqi.O3_8h, "pm2.5": aqi.PM25, "pm25": aqi.PM25, "pm2_5": aqi.PM25,
		"so2_24h": aqi.SO2_24,
	}
	waterNames = map[string]string{
		"ph": water.PH, "do": water.DO, "codmn": water.CODMn, "cod": water.COD, "bod5": water.BOD5, "bod": water.BOD5,
		"nh3-n": water.NH3N, "nh3n": water.NH3N, "nh3_n": water.NH3N, "tp": water.TP, "tn": water.TN,
	}
)

// parseAssignments reads NAME=VALUE arguments; each name once.
func parseAssignments(pos []string, names map[string]string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, a := range pos {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fmt.Errorf("%q: want NAME=VALUE", a)
		}
		name, ok := names[strings.ToLower(strings.TrimSpace(k))]
		if !ok {
			return nil, fmt.Errorf("%q: unknown name %q", a, k)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, fmt.Errorf("%q: %q is not a number", a, v)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s given twice", name)
		}
		out[name] = f
	}
	return out, nil
}

func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

func init() {
	register(&command{
		name:    "city",
		summary: "city operations: AQI and water-class calculators, sensors, ingestion, simulation",
		run: func(ctx context.Context, args []string, std stdio) error {
			return runCity(ctx, args, std)
		},
	})
}
