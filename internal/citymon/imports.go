package citymon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ImportReport says what an import did.
type ImportReport struct {
	Rows     int       `json:"rows"`
	Saved    int       `json:"saved"` // devices saved (device import)
	Result   Result    `json:"result"`
	Problems []Problem `json:"problems"` // rows not taken, by line
}

// ImportDevices reads devices from a .csv or .xlsx table with the columns
// id, kind, name, street, community, lon, lat, owner, params, interval,
// target_class, lake (Chinese headers 编号, 类型, 名称, 街道, 社区, 经度,
// 纬度, 责任单位, 监测参数, 上报间隔, 目标水质, 湖库 also work). params is
// "PM2.5:µg/m³;PM10" (a unit may be left out for known parameters);
// interval is a Go duration (1h, 5m) or seconds. A bad row is reported
// with its line number and the others are saved.
func (s *Store) ImportDevices(ctx context.Context, name string, r io.Reader, actor string) (ImportReport, error) {
	rows, err := readTable(name, r)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Rows: len(rows), Problems: []Problem{}}
	for _, row := range rows {
		d, err := deviceFromRow(row)
		if err == nil {
			_, err = s.SaveDevice(ctx, d, actor)
		}
		if err != nil {
			if !errors.Is(err, ErrInput) {
				return rep, err
			}
			rep.Problems = append(rep.Problems, Problem{row.line, strings.TrimPrefix(err.Error(), ErrInput.Error()+": ")})
			continue
		}
		rep.Saved++
	}
	return rep, nil
}

// DeviceFromFields builds a device from named fields with the import's
// column names (id, kind, name, street, community, lon, lat, owner,
// params, interval, target_class, lake) and rules, so that the console's
// device form and the import read a device the same way. Active is true.
func DeviceFromFields(fields map[string]string) (Device, error) {
	return deviceFromRow(tableRow{cells: fields})
}

func deviceFromRow(row tableRow) (Device, error) {
	d := Device{
		ID: row.get("id", "编号", "设备编号"), Kind: Kind(row.get("kind", "类型")), Name: row.get("name", "名称"),
		Street: row.get("street", "街道"), Community: row.get("community", "社区"), Owner: row.get("owner", "责任单位", "所属单位"),
		TargetClass: row.get("target_class", "目标水质"), Active: true,
	}
	for _, k := range Kinds {
		if string(d.Kind) == k.Name {
			d.Kind = k.Kind
		}
	}
	var err error
	if d.Lon, err = parseFloatCell(row.get("lon", "经度")); err != nil {
		return d, fmt.Errorf("%w: 经度 %v", ErrInput, err)
	}
	if d.Lat, err = parseFloatCell(row.get("lat", "纬度")); err != nil {
		return d, fmt.Errorf("%w: 纬度 %v", ErrInput, err)
	}
	if iv := row.get("interval", "上报间隔"); iv != "" {
		if sec, err := strconv.Atoi(iv); err == nil {
			d.Interval = time.Duration(sec) * time.Second
		} else if d.Interval, err = time.ParseDuration(iv); err != nil {
			return d, fmt.Errorf("%w: 上报间隔 %q：应为秒数或 1h、5m 之类", ErrInput, iv)
		}
	}
	switch strings.ToLower(row.get("lake", "湖库")) {
	case "1", "true", "yes", "是", "湖库", "湖泊", "水库":
		d.Lake = true
	}
	for _, p := range strings.FieldsFunc(row.get("params", "监测参数"), func(r rune) bool { return r == ';' || r == '；' || r == ',' || r == '，' || r == '、' }) {
		param, unit, _ := strings.Cut(strings.TrimSpace(p), ":")
		d.Params = append(d.Params, ParamUnit{Param: strings.TrimSpace(param), Unit: strings.TrimSpace(unit)})
	}
	return d, nil
}

func parseFloatCell(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseFloat(s, 64)
}

// ImportReadings back-fills history from a .csv or .xlsx table, either
// long (device, param, time, value[, unit]) or wide (device, time, and a
// column per parameter, e.g. PM2.5, PM10). Time is RFC 3339, or
// "2006-01-02 15:04[:05]" in Beijing time. Rows are stored in batches of
// 5 000 through Ingest: duplicates count once, bad values go to the
// quarantine, and an unreadable row is reported with its line number.
func (s *Store) ImportReadings(ctx context.Context, name string, r io.Reader) (ImportReport, error) {
	rows, err := readTable(name, r)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Rows: len(rows), Problems: []Problem{}}
	var batch []Reading
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := s.Ingest(ctx, Batch{Source: "import:" + name, Readings: batch})
		if err != nil {
			return err
		}
		rep.Result.add(res)
		batch = batch[:0]
		return nil
	}
	fixed := map[string]bool{"device": true, "设备": true, "设备编号": true, "time": true, "时间": true, "监测时间": true,
		"param": true, "参数": true, "value": true, "数值": true, "unit": true, "单位": true}
	for _, row := range rows {
		dev := row.get("device", "设备", "设备编号")
		at, err := parseTime(row.get("time", "时间", "监测时间"))
		if dev == "" || err != nil {
			why := "缺少设备编号"
			if err != nil {
				why = err.Error()
			}
			rep.Problems = append(rep.Problems, Problem{row.line, why})
			continue
		}
		if param := row.get("param", "参数"); param != "" {
			v, err := strconv.ParseFloat(row.get("value", "数值"), 64)
			if err != nil {
				rep.Problems = append(rep.Problems, Problem{row.line, fmt.Sprintf("数值 %q 不是数字", row.get("value", "数值"))})
				continue
			}
			batch = append(batch, Reading{Device: dev, Param: param, Time: at, Value: v, Unit: row.get("unit", "单位")})
		} else {
			for col, cell := range row.cells {
				cell = strings.TrimSpace(cell)
				if fixed[col] || cell == "" {
					continue
				}
				v, err := strconv.ParseFloat(cell, 64)
				if err != nil {
					rep.Problems = append(rep.Problems, Problem{row.line, fmt.Sprintf("%s 的数值 %q 不是数字", col, cell)})
					continue
				}
				batch = append(batch, Reading{Device: dev, Param: canonicalParam(col), Time: at, Value: v})
			}
		}
		if len(batch) >= 5000 {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	return rep, flush()
}

// canonicalParam maps a lower-cased header back to the catalogue's
// spelling (pm2.5 → PM2.5).
func canonicalParam(col string) string {
	for p := range Params {
		if strings.EqualFold(p, col) {
			return p
		}
	}
	return col
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("缺少时间")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006/01/02 15:04:05", "2006/01/02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, Zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("时间 %q 无法识别（应为 2026-03-01 10:00 或 RFC 3339）", s)
}
