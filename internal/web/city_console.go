package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/citymon"
	"github.com/fuwu-gov/fuwu/internal/refusal"
)

// The city-operations console: alerts and exceedance events to handle,
// devices to edit or import, and the construction sites' dust measures.
// Plain server-rendered forms; every change is audited by citymon.

// The console's confirmations are notices ("city.alert_ack", ?ok=) and
// its refusals are declared below (?err=, or the page's inline problem),
// like every other page's: no text of citymon's errors, which name fields
// and values in English, and none of the address reaches the page; the
// detail goes to the log.

// What the city console and dashboard refuse.
var (
	errCityNotFound   = refusal.Missing("city", "not_found", "没有找到该记录。")
	errCityState      = refusal.Clash("city", "state", "该记录的当前状态不允许此操作（可能已被他人处理），请查看最新状态。")
	errCityInput      = refusal.New("city", "input", "提交的内容不完整或有误，请检查后重试。")
	errCityNote       = refusal.New("city", "note_required", "关闭时必须填写处置说明。")
	errCityNoFile     = refusal.Bad("city", "no_file", "请选择设备表（.csv 或 .xlsx）。")
	errCityFileType   = refusal.Bad("city", "file_type", "只接受 .csv 或 .xlsx 文件。")
	errCityUnreadable = refusal.New("city", "unreadable_file", "文件无法读取，请检查文件格式与表头后重试。")
)

// cityDown is what staff read when the city store fails.
const cityDown = "系统繁忙，操作未完成，请稍后再试。"

// cityRefusal turns citymon's errors into the console's refusals (the
// original kept in the chain, for the log); any other error is returned
// as is, for a logged 5xx.
func cityRefusal(r *http.Request, err error) error {
	var ref error
	switch {
	case errors.Is(err, citymon.ErrState):
		ref = errCityState
	case errors.Is(err, citymon.ErrNotFound):
		ref = errCityNotFound
	case errors.Is(err, citymon.ErrInput):
		ref = errCityInput
	default:
		return err
	}
	slog.InfoContext(r.Context(), "city change refused", "request_id", requestID(r), "path", r.URL.Path, "err", err)
	return fmt.Errorf("%w: %w", ref, err)
}

func (s *Server) cityActor(r *http.Request) citymon.Actor {
	a := citymon.Actor{IP: clientIP(r)}
	if u := currentUser(r); u != nil {
		a.Name, a.Role = u.Username, string(u.Role)
	}
	return a
}

// cityAudit is the log citymon records console changes in.
func (s *Server) cityAudit() *audit.Log {
	if s.cfg.Audit != nil {
		return s.cfg.Audit
	}
	return audit.New(s.cfg.City.Store.DB())
}

type cityConsoleData struct {
	Demo        bool
	Alerts      []citymon.Alert
	Exceedances []citymon.Exceedance
	Closed      []citymon.Exceedance
	Tasks       []citymon.Task
}

func (s *Server) cityConsole(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := s.cfg.City
	d := cityConsoleData{Demo: c.Demo}
	var err error
	if d.Alerts, err = c.Alerts.List(ctx, citymon.AlertFilter{Live: true, Limit: 200}); err == nil {
		if d.Exceedances, err = c.Store.Exceedances(ctx, citymon.ExceedanceFilter{Live: true}); err == nil {
			d.Tasks, err = c.Store.Tasks(ctx, "")
		}
	}
	if err == nil {
		d.Closed, err = c.Store.Exceedances(ctx, citymon.ExceedanceFilter{Status: "closed"})
		d.Closed = d.Closed[:min(20, len(d.Closed))]
	}
	if err != nil {
		return unavailable(cityDown, fmt.Errorf("city console: %w", err))
	}
	if len(d.Tasks) > 30 {
		d.Tasks = d.Tasks[:30]
	}
	s.render(w, r, http.StatusOK, "admin_city.html", s.consolePage(r, "city", "城市运行处置", d))
	return nil
}

// cityAlertAction acknowledges (ack) or closes (close) an alert, with an
// optional note; citymon audits it as city.alert.ack / city.alert.close.
func (s *Server) cityAlertAction(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errCityNotFound
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	al := s.cfg.City.Alerts
	switch action := r.PathValue("action"); action {
	case "ack":
		_, err = al.Ack(r.Context(), id, s.cityActor(r), note)
	case "close":
		_, err = al.Close(r.Context(), id, s.cityActor(r), note)
	default:
		return errNoAction
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/city", cityRefusal(r, err))
	}
	s.back(w, r, "/admin/city", "city.alert_"+r.PathValue("action"))
	return nil
}

// cityExceedanceAction moves an exceedance event open → acknowledged →
// closed; closing needs a note (how it was resolved).
func (s *Server) cityExceedanceAction(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errCityNotFound
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	st := s.cfg.City.Store
	switch r.PathValue("action") {
	case "ack":
		err = st.AckExceedance(r.Context(), s.cityAudit(), id, s.cityActor(r), note)
	case "close":
		if note == "" {
			return s.backRefused(w, r, "/admin/city", errCityNote)
		}
		err = st.CloseExceedance(r.Context(), s.cityAudit(), id, s.cityActor(r), note)
	default:
		return errNoAction
	}
	if err != nil {
		return s.backRefused(w, r, "/admin/city", cityRefusal(r, err))
	}
	if err := st.DB().Publish(r.Context(), citymon.Topic, "exceedances"); err != nil {
		slog.WarnContext(r.Context(), "city notify", "err", err)
	}
	s.back(w, r, "/admin/city", "city.exceedance_"+r.PathValue("action"))
	return nil
}

type cityDevicesData struct {
	Demo    bool
	Kind    string
	Kinds   []cityKind
	Devices []citymon.Device
	Report  *citymon.ImportReport
	File    string
	Problem string
}

type cityKind struct{ Kind, Name string }

func cityKinds() []cityKind {
	out := make([]cityKind, len(citymon.Kinds))
	for i, k := range citymon.Kinds {
		out[i] = cityKind{string(k.Kind), k.Name}
	}
	return out
}

func (s *Server) cityDevicesPage(w http.ResponseWriter, r *http.Request, status int, d cityDevicesData) {
	devs, err := s.cfg.City.Store.Devices(r.Context(), citymon.Kind(d.Kind))
	if err != nil {
		s.fail(w, r, unavailable(cityDown, fmt.Errorf("city devices: %w", err)))
		return
	}
	d.Devices, d.Kinds, d.Demo = devs, cityKinds(), s.cfg.City.Demo
	s.render(w, r, status, "admin_city_devices.html", s.consolePage(r, "city-devices", "监测设备", d))
}

func (s *Server) cityDevices(w http.ResponseWriter, r *http.Request) error {
	s.cityDevicesPage(w, r, http.StatusOK, cityDevicesData{Kind: r.URL.Query().Get("kind")})
	return nil
}

// cityDeviceImport takes a CSV or XLSX of devices: bad rows are listed
// with their line numbers, the others saved.
func (s *Server) cityDeviceImport(w http.ResponseWriter, r *http.Request) error {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.cityDevicesPage(w, r, http.StatusBadRequest, cityDevicesData{Problem: errCityNoFile.UserMessage()})
		return nil
	}
	defer f.Close()
	ext := strings.ToLower(filepath.Ext(hdr.Filename))
	if ext != ".csv" && ext != ".xlsx" {
		s.cityDevicesPage(w, r, http.StatusBadRequest, cityDevicesData{Problem: errCityFileType.UserMessage()})
		return nil
	}
	u := s.cityActor(r)
	rep, err := s.cfg.City.Store.ImportDevices(r.Context(), hdr.Filename, f, u.Name)
	if err != nil {
		if !errors.Is(err, citymon.ErrInput) {
			return unavailable(cityDown, fmt.Errorf("city device import: %w", err))
		}
		slog.InfoContext(r.Context(), "city device import refused", "request_id", requestID(r), "file", hdr.Filename, "err", err)
		s.cityDevicesPage(w, r, http.StatusUnprocessableEntity, cityDevicesData{Problem: errCityUnreadable.UserMessage(), File: hdr.Filename})
		return nil
	}
	s.audit(r, nil, "city.device.import", "file:"+hdr.Filename, map[string]any{"rows": rep.Rows, "saved": rep.Saved, "problems": len(rep.Problems)})
	s.cityDevicesPage(w, r, http.StatusOK, cityDevicesData{Report: &rep, File: hdr.Filename})
	return nil
}

type cityDeviceData struct {
	Demo   bool
	New    bool
	Device citymon.Device
	Fields map[string]string
	Kinds  []cityKind
	Token  string // a freshly issued token, shown once
}

func deviceFields(d citymon.Device) map[string]string {
	var ps []string
	for _, p := range d.Params {
		if p.Unit != "" {
			ps = append(ps, p.Param+":"+p.Unit)
		} else {
			ps = append(ps, p.Param)
		}
	}
	f := map[string]string{"id": d.ID, "kind": string(d.Kind), "name": d.Name, "street": d.Street, "community": d.Community,
		"lon": strconv.FormatFloat(d.Lon, 'f', -1, 64), "lat": strconv.FormatFloat(d.Lat, 'f', -1, 64), "owner": d.Owner,
		"params": strings.Join(ps, ";"), "interval": d.Interval.String(), "target_class": d.TargetClass}
	if d.Lake {
		f["lake"] = "1"
	}
	return f
}

func (s *Server) cityDeviceEdit(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	d := cityDeviceData{Demo: s.cfg.City.Demo, Kinds: cityKinds()}
	if id == "new" {
		d.New, d.Fields = true, map[string]string{"interval": "1h"}
	} else {
		dev, err := s.cfg.City.Store.Device(r.Context(), id)
		if err != nil {
			return cityRefusal(r, err)
		}
		d.Device, d.Fields = dev, deviceFields(dev)
	}
	s.render(w, r, http.StatusOK, "admin_city_device.html", s.consolePage(r, "city-devices", "编辑设备", d))
	return nil
}

// cityDeviceSave creates or replaces a device from the form, read by the
// same rules as a row of the device import.
func (s *Server) cityDeviceSave(w http.ResponseWriter, r *http.Request) error {
	f := map[string]string{}
	for _, k := range []string{"id", "kind", "name", "street", "community", "lon", "lat", "owner", "params", "interval", "target_class", "lake"} {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	dev, err := citymon.DeviceFromFields(f)
	dev.Active = r.PostFormValue("inactive") == ""
	if err == nil {
		dev, err = s.cfg.City.Store.SaveDevice(r.Context(), dev, s.cityActor(r).Name)
	}
	if err != nil {
		err = cityRefusal(r, err)
		st, _ := explain(err)
		p := s.consolePage(r, "city-devices", "编辑设备", cityDeviceData{Demo: s.cfg.City.Demo, New: r.PostFormValue("new") == "1", Fields: f, Kinds: cityKinds()})
		p.Error = s.problem(r, err)
		s.render(w, r, st, "admin_city_device.html", p)
		return nil
	}
	s.audit(r, nil, "city.device.save", "device:"+dev.ID, map[string]any{"kind": dev.Kind, "active": dev.Active})
	s.back(w, r, "/admin/city/devices/"+url.PathEscape(dev.ID), "city.device_saved")
	return nil
}

// cityDeviceToken issues a device's HTTP token (revoking the old one) and
// shows it once; only its hash is kept.
func (s *Server) cityDeviceToken(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	st := s.cfg.City.Store
	tok, err := st.IssueToken(r.Context(), id)
	var dev citymon.Device
	if err == nil {
		dev, err = st.Device(r.Context(), id)
	}
	if err != nil {
		return cityRefusal(r, err)
	}
	s.audit(r, nil, "city.device.token", "device:"+id, nil)
	d := cityDeviceData{Demo: s.cfg.City.Demo, Device: dev, Fields: deviceFields(dev), Kinds: cityKinds(), Token: tok}
	p := s.consolePage(r, "city-devices", "编辑设备", d)
	p.Flash = "新令牌已生成，旧令牌即刻失效。令牌只显示这一次，请立即配置到设备上。"
	s.render(w, r, http.StatusOK, "admin_city_device.html", p)
	return nil
}

type cityDustSite struct {
	Device   citymon.Device
	Measures []citymon.MeasureState
	PM10     *float64
	Excess   float64
	Alarm    bool
}

type cityDustData struct {
	Demo  bool
	Day   string
	Today string
	Sites []cityDustSite
}

// cityDust is the measures checklist of each construction site for a day
// (default today), beside the site's latest hourly PM10.
func (s *Server) cityDust(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := s.cfg.City
	now := s.cfg.Now()
	today := now.In(citymon.Zone).Format(time.DateOnly)
	day := r.URL.Query().Get("day")
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		day = today
	}
	d := cityDustData{Demo: c.Demo, Day: day, Today: today}
	sites, err := c.Store.Devices(ctx, citymon.DustMonitor)
	if err != nil {
		return unavailable(cityDown, fmt.Errorf("city dust: %w", err))
	}
	est, err := c.Store.DustAt(ctx, now.Truncate(time.Hour).Add(-time.Hour), citymon.DefaultDust)
	if err != nil {
		slog.ErrorContext(ctx, "city dust", "err", err)
		est = nil // the checklist works without the estimate
	}
	live := map[string]bool{}
	if alerts, err := c.Alerts.List(ctx, citymon.AlertFilter{Live: true}); err == nil {
		for _, a := range alerts {
			live[a.Device] = true
		}
	}
	for _, dev := range sites {
		ms, err := c.Store.MeasuresOn(ctx, dev.ID, day)
		if err != nil {
			return unavailable(cityDown, fmt.Errorf("city dust measures: %w", err))
		}
		site := cityDustSite{Device: dev, Measures: ms, Alarm: live[dev.ID]}
		for _, e := range est {
			if e.Site.ID == dev.ID {
				site.PM10, site.Excess = e.PM10, e.Excess
			}
		}
		d.Sites = append(d.Sites, site)
	}
	s.render(w, r, http.StatusOK, "admin_city_dust.html", s.consolePage(r, "city-dust", "扬尘防控措施", d))
	return nil
}

// cityDustAck records one measure as done (or not) by the logged-in site
// officer, with a note; citymon audits it as city.dust.measure.
func (s *Server) cityDustAck(w http.ResponseWriter, r *http.Request) error {
	site, day := r.PathValue("site"), r.PostFormValue("day")
	err := s.cfg.City.Store.AckMeasure(r.Context(), s.cityAudit(), site, day, r.PostFormValue("code"),
		r.PostFormValue("done") == "1", s.cityActor(r), strings.TrimSpace(r.PostFormValue("note")))
	back := "/admin/city/dust?day=" + url.QueryEscape(day)
	if err != nil {
		return s.backRefused(w, r, back, cityRefusal(r, err))
	}
	s.back(w, r, back, "city.measure_saved")
	return nil
}
