package kb

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Item sheets: a spreadsheet (CSV or .xlsx) with one service item a row
// and a header row naming the columns. docs/import.md documents the
// mapping for staff; SheetColumns is its source of truth.

// sheetField is the item field a column fills.
type sheetField int

const (
	fIgnore sheetField = iota
	fID
	fName
	fAliases
	fTheme
	fAudience
	fDepartment
	fKind
	fSummary
	fConditions
	fMaterials
	fProcess
	fTimeLimit // a single 办结时限 column: "法定20个工作日，承诺5个工作日" or just the promised limit
	fLegalDays
	fPromisedDays
	fTimeNote
	fFee
	fFeeYesNo
	fLegalBasis
	fOnlineAvailable
	fOnlineDepth
	fOnlineURL
	fHalls
	fAppointment
	fContact
	fFAQ
	fDoorstep
	fUpdated
	fStatus
)

// SheetColumn describes one column an item sheet may have.
type SheetColumn struct {
	Header  string   // the header the template uses
	Key     string   // the English key (also accepted as a header)
	Aliases []string // other accepted headers
	Note    string   // how cells are written, for the template's instructions
	Example string
	field   sheetField
}

// SheetColumns is the header mapping of item sheets, in template order.
// Headers match after normalisation (see normHeader): spaces, "*" required
// markers, anything in brackets ("法定办结时限（工作日）") and letter case
// do not matter.
var SheetColumns = []SheetColumn{
	{Header: "事项编码", Key: "id", Aliases: []string{"事项编号", "编号", "编码", "事项代码", "事项实施编码", "实施编码", "事项ID"},
		Note: "必填；唯一，不含空格和 / ? #；再次导入同一编码即更新该事项", Example: "FT-001", field: fID},
	{Header: "事项名称", Key: "name", Aliases: []string{"名称", "事项全称"},
		Note: "必填", Example: "新生儿入户登记", field: fName},
	{Header: "别名", Key: "aliases", Aliases: []string{"俗称", "常用名称", "别称"},
		Note: "多个用换行、；或、分隔", Example: "上户口；宝宝落户", field: fAliases},
	{Header: "主题", Key: "theme", Aliases: []string{"事项主题", "所属主题", "主题分类"},
		Note: "户籍、社保、医保、就业创业、养老服务、社会救助、残疾人服务、婚姻登记、生育收养、教育、住房、公积金、企业开办、企业经营、税务、退役军人", Example: "户籍", field: fTheme},
	{Header: "服务对象", Key: "audience", Aliases: []string{"办理对象", "面向对象"},
		Note: "个人、法人（自然人→个人，企业/法人或其他组织→法人）；多个用、分隔", Example: "个人", field: fAudience},
	{Header: "实施主体", Key: "department", Aliases: []string{"责任部门", "实施机构", "办理部门", "受理部门"},
		Example: "深圳市公安局福田分局", field: fDepartment},
	{Header: "事项类型", Key: "kind", Aliases: []string{"类型", "事项类别"},
		Note: "行政许可、行政确认、行政给付、行政裁决、公共服务、其他行政权力", Example: "行政确认", field: fKind},
	{Header: "事项简介", Key: "summary", Aliases: []string{"概述", "简介", "事项概述", "事项说明"},
		Example: "为父母一方为深圳户籍的新生儿申报出生登记、落户深圳。", field: fSummary},
	{Header: "申请条件", Key: "conditions", Aliases: []string{"受理条件", "办理条件"},
		Note: "每条一行（或用；分隔），行首编号“1.”“（1）”会去掉", Example: "新生儿父母至少一方为深圳市户籍\n一般应在出生之日起一个月内申报", field: fConditions},
	{Header: "申请材料", Key: "materials", Aliases: []string{"材料", "所需材料", "办理材料", "申报材料", "材料清单"},
		Note:    "每份材料一行（或用；分隔）：“名称（原件1份）”“名称（复印件2份，需加盖公章）”或“名称|形式|份数|备注”",
		Example: "出生医学证明（原件1份）\n父母双方居民身份证（原件1份）", field: fMaterials},
	{Header: "办理流程", Key: "process", Aliases: []string{"流程", "办事流程", "办理程序"},
		Note: "每步一行（或用；分隔）", Example: "网上或现场提交申请材料\n户籍民警审核材料", field: fProcess},
	{Header: "办结时限", Key: "time_limit", Aliases: []string{"办理时限", "时限"},
		Note: "只有一列时限时用：“法定30个工作日，承诺1个工作日”，或只写承诺时限", field: fTimeLimit},
	{Header: "法定办结时限", Key: "legal_days", Aliases: []string{"法定时限", "time_limit.legal_days"},
		Note: "工作日数：“30”或“30个工作日”；“即办”记为0", Example: "30个工作日", field: fLegalDays},
	{Header: "承诺办结时限", Key: "promised_days", Aliases: []string{"承诺时限", "time_limit.promised_days"},
		Note: "同上", Example: "1个工作日", field: fPromisedDays},
	{Header: "办结时限说明", Key: "time_limit_note", Aliases: []string{"时限说明", "time_limit.note"},
		field: fTimeNote},
	{Header: "收费标准", Key: "fee", Aliases: []string{"收费", "收费情况", "收费依据及标准"},
		Example: "不收费", field: fFee},
	{Header: "是否收费", Key: "charged",
		Note: "是/否；“否”且无收费标准时记为“不收费”", field: fFeeYesNo},
	{Header: "设定依据", Key: "legal_basis", Aliases: []string{"法律依据", "办理依据", "政策依据"},
		Note: "每条一行（或用；分隔）", Example: "《中华人民共和国户口登记条例》", field: fLegalBasis},
	{Header: "是否网办", Key: "online.available", Aliases: []string{"是否可网上办理", "是否网上办理", "网上办理", "可否网办"},
		Note: "是/否；不填时按网办深度和网办地址推断", Example: "是", field: fOnlineAvailable},
	{Header: "网办深度", Key: "online.depth", Aliases: []string{"网上办理深度", "办理深度"},
		Note: "全程网办、一次到场、需到现场", Example: "全程网办", field: fOnlineDepth},
	{Header: "网办地址", Key: "online.url", Aliases: []string{"在线办理链接", "网上办理地址", "网办链接", "办理链接", "url"},
		Note: "http(s) 链接；以 www. 开头的会补上 https://", Example: "https://fuwu.example/guide/FT-001", field: fOnlineURL},
	{Header: "办理地点", Key: "offline.halls", Aliases: []string{"办理大厅", "受理大厅", "服务大厅", "办理窗口", "halls"},
		Note: "服务大厅编号或名称（与大厅清单一致），多个用、或换行分隔", Example: "HALL-01、HALL-03", field: fHalls},
	{Header: "是否可预约", Key: "offline.appointment", Aliases: []string{"预约", "可否预约", "是否支持预约", "appointment"},
		Note: "是/否", Example: "是", field: fAppointment},
	{Header: "咨询电话", Key: "contact", Aliases: []string{"咨询方式", "联系电话", "咨询电话及投诉电话"},
		Note: "请把单元格设为文本，以免丢失区号的0", Example: "0755-83988110", field: fContact},
	{Header: "常见问题", Key: "faq", Aliases: []string{"常见问答", "问答"},
		Note: "“问：……答：……”，多条接着写；或每行“问题|答案”", Example: "问：宝宝出生超过一个月还能入户吗\n答：可以办理，但需说明逾期原因。", field: fFAQ},
	{Header: "上门办", Key: "doorstep", Aliases: []string{"是否上门办", "是否支持上门办", "上门服务", "是否上门服务"},
		Note: "是/否", Example: "否", field: fDoorstep},
	{Header: "更新日期", Key: "updated", Aliases: []string{"更新时间", "最后更新", "修订日期"},
		Note: "2024-02-08、2024/2/8 或 2024年2月8日", Example: "2024-02-08", field: fUpdated},
	{Header: "状态", Key: "status", Aliases: []string{"发布状态"},
		Note: "草稿、待审核、已发布、已撤回；不填则按导入命令的 --status（新事项默认已发布）", field: fStatus},
	{Header: "序号", Key: "no", Aliases: []string{"行号", "#"},
		Note: "忽略", field: fIgnore},
}

var headerIndex = func() map[string]sheetField {
	m := map[string]sheetField{}
	add := func(h string, f sheetField) {
		k := normHeader(h)
		if prev, dup := m[k]; dup && prev != f {
			panic("kb: header " + h + " maps to two fields")
		}
		m[k] = f
	}
	for _, c := range SheetColumns {
		add(c.Header, c.field)
		add(c.Key, c.field)
		for _, a := range c.Aliases {
			add(a, c.field)
		}
	}
	return m
}()

// normHeader folds the ways people write a header: full-width letters and
// brackets, spaces, "*" or "（必填）" markers, unit notes in brackets, a
// trailing colon, letter case and the separators of English keys.
func normHeader(s string) string {
	s = narrow(s)
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔', '<', '《':
			depth++
			continue
		case ')', ']', '】', '〕', '>', '》':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 || unicode.IsSpace(r) || strings.ContainsRune("*※★☆:_-.、", r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	out := b.String()
	for _, marker := range []string{"必填", "选填"} {
		out = strings.TrimPrefix(strings.TrimSuffix(out, marker), marker)
	}
	return out
}

// narrow turns full-width ASCII (ＡＢＣ１２３（）) and the ideographic space
// into their plain forms.
func narrow(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r == '\u3000' || (r >= '\uff01' && r <= '\uff5e') }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uff01' && r <= '\uff5e':
			return r - 0xfee0
		}
		return r
	}, s)
}

// cleanCell normalises what a spreadsheet gives for a cell: Windows line
// ends, Excel's escaped carriage return, non-breaking and zero-width spaces.
func cleanCell(s string) string {
	if strings.ContainsAny(s, "\r_\u00a0\u200b\ufeff") {
		s = strings.ReplaceAll(s, "_x000D_", "")
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
		s = strings.ReplaceAll(s, "\u00a0", " ")
		s = strings.ReplaceAll(s, "\u200b", "")
		s = strings.ReplaceAll(s, "\ufeff", "")
	}
	return strings.TrimSpace(s)
}

// sheetLayout is a recognised header row.
type sheetLayout struct {
	row    int          // its row number
	fields []sheetField // by column
	extra  []string     // header of an unknown column kept in Item.Extra, by column
	names  []string     // the header as written, by column
}

// parseHeader maps a row's cells to fields. It returns the layout, how many
// columns it recognised, and warnings for unknown, unnamed or repeated
// columns.
func parseHeader(cells []string, row int, label string) (sheetLayout, int, []Problem) {
	l := sheetLayout{row: row, fields: make([]sheetField, len(cells)), extra: make([]string, len(cells)), names: make([]string, len(cells))}
	var warnings []Problem
	known := 0
	seen := map[sheetField]string{}
	for i, c := range cells {
		h := cleanCell(c)
		l.names[i] = h
		if h == "" {
			continue
		}
		f, ok := headerIndex[normHeader(h)]
		switch {
		case !ok:
			l.extra[i] = h
			warnings = append(warnings, Problem{label, row, fmt.Sprintf("column %s %q is not a known field; its values are kept as extra data (see docs/import.md)", colName(i), h)})
			continue
		case f == fIgnore:
			continue
		}
		known++
		if prev, dup := seen[f]; dup && !multiValued(f) {
			warnings = append(warnings, Problem{label, row, fmt.Sprintf("column %s %q means the same as %q; the first non-empty value is used", colName(i), h, prev)})
		}
		seen[f] = h
		l.fields[i] = f
	}
	return l, known, warnings
}

func (l *sheetLayout) has(f sheetField) bool {
	for _, x := range l.fields {
		if x == f {
			return true
		}
	}
	return false
}

func multiValued(f sheetField) bool {
	switch f {
	case fAliases, fAudience, fConditions, fMaterials, fProcess, fLegalBasis, fHalls, fFAQ, fTimeNote:
		return true
	}
	return false
}

// colName is the spreadsheet letter of a 0-based column: A … Z, AA ….
func colName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// sheetRow is one row of a sheet as a person sees it.
type sheetRow struct {
	n     int // 1-based row number
	cells []string
	bad   error // the row could not be read (a CSV quoting error)
}

// rowSource yields a sheet's rows in order; next returns false at the end
// or on an error that stops reading (then err says why).
type rowSource interface {
	next() (sheetRow, bool)
	err() error
}

// headerSearchRows bounds how far down a title block may push the header.
const headerSearchRows = 20

// sheetResult is what reading a sheet gave.
type sheetResult struct {
	items    []lineItem
	problems []Problem
	warnings []Problem
	lines    int // rows read, header included
	dataRows int // non-empty rows after the header: each is in items or problems
}

func (r *sheetResult) add(o sheetResult) {
	r.items = append(r.items, o.items...)
	r.problems = append(r.problems, o.problems...)
	r.warnings = append(r.warnings, o.warnings...)
	r.lines += o.lines
	r.dataRows += o.dataRows
}

// errNoHeader marks a sheet without a recognisable header row.
var errNoHeader = errors.New("no header row")

// readSheetRows finds the header row, then turns every following non-empty
// row into an item or a problem.
func readSheetRows(src rowSource, label string, progress func(rows int)) (sheetResult, error) {
	var res sheetResult
	var layout *sheetLayout
	var first []string // first non-empty row, for the error message
	var preamble []int
	warnedCol := map[int]bool{}
	for {
		row, ok := src.next()
		if !ok {
			break
		}
		res.lines = row.n
		if progress != nil && row.n%500 == 0 {
			progress(row.n)
		}
		if row.bad != nil {
			res.dataRows++
			res.problems = append(res.problems, Problem{label, row.n, row.bad.Error()})
			continue
		}
		if blankRow(row.cells) {
			continue
		}
		if layout == nil {
			if first == nil {
				first = row.cells
			}
			l, known, warnings := parseHeader(row.cells, row.n, label)
			if known >= 2 || l.has(fID) || l.has(fName) {
				var missing []string
				if !l.has(fID) {
					missing = append(missing, "事项编码 (id)")
				}
				if !l.has(fName) {
					missing = append(missing, "事项名称 (name)")
				}
				if len(missing) > 0 {
					return res, fmt.Errorf("import %s row %d: the header has no %s column (see docs/import.md)", label, row.n, strings.Join(missing, " or "))
				}
				layout = &l
				for _, p := range preamble {
					res.warnings = append(res.warnings, Problem{label, p, fmt.Sprintf("above the header row (row %d); not imported", row.n)})
				}
				res.warnings = append(res.warnings, warnings...)
				continue
			}
			if row.n >= headerSearchRows {
				break
			}
			preamble = append(preamble, row.n)
			continue
		}
		res.dataRows++
		it, status, unnamed, err := layout.item(row.cells)
		for _, c := range unnamed {
			if !warnedCol[c] {
				warnedCol[c] = true
				res.warnings = append(res.warnings, Problem{label, row.n, fmt.Sprintf("column %s has a value but no header; kept as extra data %q", colName(c), unnamedKey(c))})
			}
		}
		if err != nil {
			res.problems = append(res.problems, Problem{label, row.n, err.Error()})
			continue
		}
		res.items = append(res.items, lineItem{Line: row.n, Item: it, Status: status})
	}
	if err := src.err(); err != nil {
		return res, fmt.Errorf("import %s row %d: %w", label, res.lines+1, err)
	}
	if layout == nil {
		if first == nil {
			return res, fmt.Errorf("import %s: %w: the sheet is empty", label, errNoHeader)
		}
		return res, fmt.Errorf("import %s: %w with 事项编码 and 事项名称 columns in the first %d rows (first row: %s; see docs/import.md)",
			label, errNoHeader, headerSearchRows, clip(strings.Join(nonEmpty(first), " | "), 120))
	}
	return res, nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" && cleanCell(c) != "" {
			return false
		}
	}
	return true
}

func nonEmpty(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c = cleanCell(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// item turns a data row into an item. Every cell that cannot be understood
// is named in the error, so one pass fixes the row.
func (l *sheetLayout) item(cells []string) (it Item, status Status, unnamed []int, err error) {
	var errs []string
	bad := func(i int, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s (column %s): ", l.names[i], colName(i))+fmt.Sprintf(format, args...))
	}
	var (
		feeYesNo            *bool
		availableSet        bool
		legalNote, promNote string
		timeNotes           []string
	)
	keep := func(key, v string) {
		if it.Extra == nil {
			it.Extra = map[string]json.RawMessage{}
		}
		b, _ := json.Marshal(v)
		it.Extra[key] = b
	}
	for i, raw := range cells {
		v := cleanCell(raw)
		if v == "" {
			continue
		}
		if i >= len(l.fields) || (l.fields[i] == fIgnore && l.names[i] == "") {
			// A value under no header: kept, and the reader warns once.
			keep(unnamedKey(i), v)
			unnamed = append(unnamed, i)
			continue
		}
		switch f := l.fields[i]; f {
		case fIgnore:
			if l.extra[i] != "" {
				keep(l.extra[i], v)
			}
		case fID:
			setOnce(&it.ID, narrow(v))
		case fName:
			setOnce(&it.Name, v)
		case fAliases:
			it.Aliases = append(it.Aliases, splitList(v, true)...)
		case fTheme:
			setOnce(&it.Theme, v)
		case fAudience:
			for _, a := range splitList(v, true) {
				it.Audience = appendUnique(it.Audience, normAudience(a))
			}
		case fDepartment:
			setOnce(&it.Department, v)
		case fKind:
			setOnce(&it.Kind, v)
		case fSummary:
			setOnce(&it.Summary, v)
		case fConditions:
			it.Conditions = append(it.Conditions, splitList(v, false)...)
		case fMaterials:
			for j, s := range splitList(v, false) {
				m, err := parseMaterial(s)
				if err != nil {
					bad(i, "material %d %q: %v", j+1, clip(s, 40), err)
					continue
				}
				it.Materials = append(it.Materials, m)
			}
		case fProcess:
			it.Process = append(it.Process, splitList(v, false)...)
		case fTimeLimit:
			legal, prom, note, err := parseTimeLimit(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			if legal != 0 || it.TimeLimit.LegalDays == 0 {
				it.TimeLimit.LegalDays = legal
			}
			if prom != 0 || it.TimeLimit.PromisedDays == 0 {
				it.TimeLimit.PromisedDays = prom
			}
			if note != "" {
				timeNotes = append(timeNotes, note)
			}
		case fLegalDays, fPromisedDays:
			d, note, err := parseDays(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			if f == fLegalDays {
				it.TimeLimit.LegalDays, legalNote = d, note
			} else {
				it.TimeLimit.PromisedDays, promNote = d, note
			}
		case fTimeNote:
			timeNotes = append(timeNotes, v)
		case fFee:
			setOnce(&it.Fee, v)
		case fFeeYesNo:
			b, err := parseBool(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			feeYesNo = &b
		case fLegalBasis:
			it.LegalBasis = append(it.LegalBasis, splitList(v, false)...)
		case fOnlineAvailable:
			b, err := parseBool(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			it.Online.Available, availableSet = b, true
		case fOnlineDepth:
			setOnce(&it.Online.Depth, normDepth(v))
		case fOnlineURL:
			u := narrow(v)
			if strings.HasPrefix(strings.ToLower(u), "www.") {
				u = "https://" + u
			}
			setOnce(&it.Online.URL, u)
		case fHalls:
			for _, h := range splitList(v, true) {
				it.Offline.Halls = appendUnique(it.Offline.Halls, h)
			}
		case fAppointment:
			b, err := parseBool(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			it.Offline.Appointment = b
		case fContact:
			setOnce(&it.Contact, v)
		case fFAQ:
			faq, err := parseFAQ(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			it.FAQ = append(it.FAQ, faq...)
		case fDoorstep:
			b, err := parseBool(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			it.Doorstep = b
		case fUpdated:
			d, err := parseDate(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			setOnce(&it.Updated, d)
		case fStatus:
			st, err := ParseStatus(v)
			if err != nil {
				bad(i, "%v", err)
				continue
			}
			status = st
		}
	}
	if legalNote != "" {
		timeNotes = append(timeNotes, "法定："+legalNote)
	}
	if promNote != "" {
		timeNotes = append(timeNotes, "承诺："+promNote)
	}
	it.TimeLimit.Note = strings.Join(timeNotes, "；")
	if it.Fee == "" && feeYesNo != nil {
		if *feeYesNo {
			it.Fee = "收费"
		} else {
			it.Fee = "不收费"
		}
	}
	if !availableSet {
		switch it.Online.Depth {
		case "全程网办", "一次到场":
			it.Online.Available = true
		case "":
			it.Online.Available = it.Online.URL != ""
		}
	}
	// Lists are empty rather than absent, as in the JSONL catalogue, so the
	// same item from either source stores identically.
	for _, p := range []*[]string{&it.Audience, &it.Conditions, &it.Process, &it.LegalBasis, &it.Offline.Halls} {
		if *p == nil {
			*p = []string{}
		}
	}
	if it.Materials == nil {
		it.Materials = []Material{}
	}
	if it.FAQ == nil {
		it.FAQ = []FAQ{}
	}
	normaliseItem(&it)
	if err := it.Validate(); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return Item{}, "", unnamed, errors.New(strings.Join(errs, "; "))
	}
	return it, status, unnamed, nil
}

// unnamedKey is the extra-data key of a value in a column without a header.
func unnamedKey(col int) string { return "列" + colName(col) }

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// numberings are the list numbers people type before an entry: "1." "2、"
// "（3）" "四、" "④" "- ".
var numberings = []*regexp.Regexp{
	regexp.MustCompile(`^[(（]\s*[0-9一二三四五六七八九十]+\s*[)）]`),
	regexp.MustCompile(`^[0-9]+\s*[.、．)）]`),
	regexp.MustCompile(`^[一二三四五六七八九十]+\s*[、.．]`),
	regexp.MustCompile(`^[①-⑳•·●▪■◆]`),
	regexp.MustCompile(`^[-*]\s`),
}

func stripNumbering(s string) string {
	for _, re := range numberings {
		loc := re.FindStringIndex(s)
		if loc == nil {
			continue
		}
		rest := s[loc[1]:]
		// "1.5寸照片" is a name, not entry 1.
		if r, _ := utf8.DecodeRuneInString(rest); r >= '0' && r <= '9' {
			return s
		}
		return strings.TrimSpace(rest)
	}
	return s
}

// splitList splits a multi-valued cell: by line when it has several lines
// (so an entry may hold "；"), otherwise by "；" or ";". loose also splits
// on "、" "，" "," "/" for lists of short names (aliases, halls, audience).
func splitList(v string, loose bool) []string {
	var parts []string
	switch {
	case strings.Contains(v, "\n"):
		parts = strings.Split(v, "\n")
	default:
		parts = strings.FieldsFunc(v, func(r rune) bool { return r == '；' || r == ';' })
	}
	if loose {
		var out []string
		for _, p := range parts {
			out = append(out, strings.FieldsFunc(p, func(r rune) bool {
				return r == '；' || r == ';' || r == '、' || r == '，' || r == ',' || r == '/' || r == '|' || r == '｜'
			})...)
		}
		parts = out
	}
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(stripNumbering(strings.TrimSpace(p))); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func normAudience(a string) string {
	switch a {
	case "自然人", "个人", "居民", "公民":
		return "个人"
	case "法人", "企业", "企业法人", "单位", "组织", "法人或其他组织", "法人和其他组织", "法人及其他组织", "其他组织":
		return "法人"
	}
	return a
}

func normDepth(d string) string {
	switch strings.ReplaceAll(d, " ", "") {
	case "全程网办", "全流程网办", "全程网上办理", "全程网上办", "网上办理", "零跑动", "不见面审批", "零次跑":
		return "全程网办"
	case "一次到场", "最多跑一次", "跑一次", "一次办结", "到现场一次":
		return "一次到场"
	case "需到现场", "现场办理", "线下办理", "需现场办理", "到现场办理":
		return "需到现场"
	}
	return d
}

var (
	boolTrue  = []string{"是", "是的", "可", "可以", "能", "支持", "有", "提供", "需要", "y", "yes", "true", "1", "√", "✓", "✔", "on"}
	boolFalse = []string{"否", "不", "不可", "不可以", "不能", "不支持", "无", "没有", "不提供", "不需要", "无需", "n", "no", "false", "0", "×", "✗", "✘", "x", "off", "-", "/", "—"}
)

// parseBool reads a yes/no cell. A longer answer counts by how it starts
// ("是（需提前一天）", "不支持上门").
func parseBool(v string) (bool, error) {
	s := strings.ToLower(strings.TrimSpace(narrow(v)))
	for _, t := range boolTrue {
		if s == t {
			return true, nil
		}
	}
	for _, f := range boolFalse {
		if s == f {
			return false, nil
		}
	}
	for _, p := range []string{"否", "不", "无", "暂不", "没有"} {
		if strings.HasPrefix(s, p) {
			return false, nil
		}
	}
	for _, p := range []string{"是", "可", "支持", "提供", "需"} {
		if strings.HasPrefix(s, p) {
			return true, nil
		}
	}
	return false, fmt.Errorf("%q is not 是 or 否", clip(v, 20))
}

// cnNumber reads a small Chinese number (一 … 九十九, 两).
func cnNumber(s string) (int, bool) {
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '壹': 1, '二': 2, '两': 2, '贰': 2, '三': 3, '叁': 3, '四': 4, '肆': 4, '五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7, '八': 8, '捌': 8, '九': 9, '玖': 9}
	r := []rune(s)
	if len(r) == 0 || len(r) > 3 {
		return 0, false
	}
	n, cur, sawTen := 0, -1, false
	for _, c := range r {
		if d, ok := digits[c]; ok {
			if cur >= 0 {
				return 0, false
			}
			cur = d
			continue
		}
		if (c == '十' || c == '拾') && !sawTen {
			sawTen = true
			if cur < 0 {
				cur = 1
			}
			n, cur = cur*10, -1
			continue
		}
		return 0, false
	}
	if cur > 0 {
		n += cur
	}
	return n, true
}

// parseCount reads "1", "1.0", "一", "两".
func parseCount(s string) (int, bool) {
	s = strings.TrimSpace(narrow(s))
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) && f >= -1e6 && f <= 1e6 {
		return int(f), true
	}
	return cnNumber(s)
}

var daysRe = regexp.MustCompile(`^([0-9]+(?:\.0+)?|[零〇一二两三四五六七八九十]+)\s*(?:个)?\s*(工作日|工作天)?$`)

// maxDays bounds a time limit; anything longer is a typo.
const maxDays = 3650

// parseDays reads a time limit in working days. Forms that are not a plain
// count of working days ("即办", "3个月", "20个自然日") give 0 days and the
// text back as a note, so nothing is lost.
func parseDays(v string) (int, string, error) {
	s := strings.TrimSpace(narrow(v))
	switch s {
	case "", "-", "/", "—", "无":
		return 0, "", nil
	case "即办", "即时办结", "即时", "当场办结", "当场", "立即办结", "即来即办", "当场办理", "即办件":
		return 0, "即办", nil
	}
	if m := daysRe.FindStringSubmatch(s); m != nil {
		n, ok := parseCount(m[1])
		if !ok || n > maxDays {
			return 0, "", fmt.Errorf("%q is not a time limit of up to %d working days", clip(v, 20), maxDays)
		}
		return n, "", nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, "", fmt.Errorf("%q is negative", clip(v, 20))
	}
	return 0, s, nil
}

var (
	legalRe    = regexp.MustCompile(`法定(?:办结)?(?:时限)?[:：为]?\s*([0-9零〇一二两三四五六七八九十]+\s*(?:个)?\s*(?:工作日|工作天)?)`)
	promisedRe = regexp.MustCompile(`承诺(?:办结)?(?:时限)?[:：为]?\s*([0-9零〇一二两三四五六七八九十]+\s*(?:个)?\s*(?:工作日|工作天)?|即办)`)
)

// parseTimeLimit reads a combined 办结时限 cell: "法定30个工作日，承诺1个工作日",
// or a single limit taken as the promised one.
func parseTimeLimit(v string) (legal, promised int, note string, err error) {
	s := narrow(v)
	lm, pm := legalRe.FindStringSubmatch(s), promisedRe.FindStringSubmatch(s)
	if lm == nil && pm == nil {
		d, n, err := parseDays(s)
		return 0, d, n, err
	}
	var notes []string
	if lm != nil {
		d, n, err := parseDays(lm[1])
		if err != nil {
			return 0, 0, "", err
		}
		legal = d
		if n != "" {
			notes = append(notes, "法定："+n)
		}
	}
	if pm != nil {
		d, n, err := parseDays(pm[1])
		if err != nil {
			return 0, 0, "", err
		}
		promised = d
		if n != "" {
			notes = append(notes, "承诺："+n)
		}
	}
	return legal, promised, strings.Join(notes, "；"), nil
}

// materialForms are the forms a material comes in; recognised at the end
// of a material cell.
var materialForms = []string{"原件及复印件", "原件和复印件", "原件与复印件", "原件或复印件", "复印件",
	"原件", "电子证照", "电子版", "电子文档", "电子件", "扫描件", "表格", "纸质版", "纸质", "现场采集"}

var copiesRe = regexp.MustCompile(`^各?\s*([0-9]+|[一二两三四五六七八九十])\s*份$`)

// parseFormCopies reads a token like "原件1份", "复印件各2份", "原件", "1份".
func parseFormCopies(tok string) (form string, copies int, ok bool) {
	tok = strings.TrimSpace(tok)
	for _, f := range materialForms {
		if strings.HasPrefix(tok, f) {
			form, tok = f, strings.TrimSpace(tok[len(f):])
			break
		}
	}
	if tok == "" {
		return form, 0, form != ""
	}
	m := copiesRe.FindStringSubmatch(tok)
	if m == nil {
		return "", 0, false
	}
	n, ok := parseCount(m[1])
	return form, n, ok
}

// parseMaterial reads one material in the accepted forms:
//
//	居民身份证
//	居民身份证（原件1份）          form and copies in a trailing bracket
//	居民身份证（原件及复印件各1份）
//	营业执照（副本）（复印件2份，需加盖公章）   other words in the bracket become the note
//	居民身份证 原件 1份            form and copies after a space
//	居民身份证|原件|1|备注          pipe-separated: name|form|copies|note
func parseMaterial(s string) (Material, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "|｜") {
		parts := strings.Split(strings.ReplaceAll(s, "｜", "|"), "|")
		m := Material{Name: strings.TrimSpace(parts[0])}
		if m.Name == "" {
			return Material{}, errors.New("no name before |")
		}
		if len(parts) > 1 {
			m.Form = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			c := strings.TrimSuffix(strings.TrimSpace(parts[2]), "份")
			if c != "" {
				n, ok := parseCount(c)
				if !ok || n < 0 || n > 1000 {
					return Material{}, fmt.Errorf("copies %q is not a number", clip(parts[2], 20))
				}
				m.Copies = n
			}
		}
		if len(parts) > 3 {
			m.Note = strings.TrimSpace(strings.Join(parts[3:], "|"))
		}
		return m, nil
	}
	// Trailing bracket: the last balanced （…） or (…).
	if name, inner, ok := trailingBracket(s); ok && name != "" {
		var form, notes []string
		copies, recognised := 0, false
		for _, tok := range strings.FieldsFunc(inner, func(r rune) bool {
			return r == '，' || r == ',' || r == '；' || r == ';' || r == ' ' || r == '、'
		}) {
			if f, n, ok := parseFormCopies(tok); ok {
				recognised = true
				if f != "" {
					form = append(form, f)
				}
				if n != 0 && copies == 0 {
					copies = n
				}
				continue
			}
			notes = append(notes, tok)
		}
		if recognised {
			return Material{Name: name, Form: strings.Join(form, "及"), Copies: copies, Note: strings.Join(notes, "，")}, nil
		}
	}
	// "名称 原件 1份" or "名称：原件1份".
	if i := strings.LastIndexAny(s, " \t:："); i > 0 {
		head, tail := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i:])
		tail = strings.TrimLeft(tail, ":：")
		if f, n, ok := parseFormCopies(tail); ok {
			m := Material{Name: head, Form: f, Copies: n}
			// "名称 原件 1份": the form may be one more word back.
			if f == "" {
				if j := strings.LastIndexAny(head, " \t:："); j > 0 {
					if f2, n2, ok2 := parseFormCopies(head[j:]); ok2 && n2 == 0 && f2 != "" {
						m.Name, m.Form = strings.TrimSpace(head[:j]), f2
					}
				}
			}
			if strings.TrimSpace(m.Name) != "" {
				return m, nil
			}
		}
	}
	return Material{Name: s}, nil
}

// trailingBracket splits "名称（内容）" into its name and bracket content.
func trailingBracket(s string) (name, inner string, ok bool) {
	if !strings.HasSuffix(s, "）") && !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	r := []rune(s)
	depth := 0
	for i := len(r) - 1; i >= 0; i-- {
		switch r[i] {
		case '）', ')':
			depth++
		case '（', '(':
			depth--
			if depth == 0 {
				return strings.TrimSpace(string(r[:i])), string(r[i+1 : len(r)-1]), true
			}
		}
	}
	return "", "", false
}

var (
	faqQ = regexp.MustCompile(`(?:^|\n)\s*(?:问|Q|q)\s*[:：]`)
	faqA = regexp.MustCompile(`(?:^|\s)(?:答|A|a)\s*[:：]`)
)

// parseFAQ reads "问：…答：…" entries (several in a row), or lines of
// "问题|答案".
func parseFAQ(v string) ([]FAQ, error) {
	var out []FAQ
	if locs := faqQ.FindAllStringIndex(v, -1); locs != nil {
		if pre := strings.TrimSpace(v[:locs[0][0]]); pre != "" {
			return nil, fmt.Errorf("text %q before the first 问：", clip(pre, 20))
		}
		for k, loc := range locs {
			end := len(v)
			if k+1 < len(locs) {
				end = locs[k+1][0]
			}
			entry := v[loc[1]:end]
			a := faqA.FindStringIndex(entry)
			if a == nil {
				return nil, fmt.Errorf("question %d has no 答：", k+1)
			}
			q, ans := strings.TrimSpace(entry[:a[0]]), strings.TrimSpace(entry[a[1]:])
			if q == "" || ans == "" {
				return nil, fmt.Errorf("question %d has an empty question or answer", k+1)
			}
			out = append(out, FAQ{Q: q, A: ans})
		}
		return out, nil
	}
	for k, line := range strings.Split(v, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		i := strings.IndexAny(line, "|｜")
		if i < 0 {
			return nil, fmt.Errorf("line %d is neither 问：…答：… nor 问题|答案", k+1)
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		q, a := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+size:])
		if q == "" || a == "" {
			return nil, fmt.Errorf("line %d has an empty question or answer", k+1)
		}
		out = append(out, FAQ{Q: q, A: a})
	}
	return out, nil
}

var dateRe = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$`)

// parseDate reads a date as staff type it, or Excel's serial day number
// (a date cell read raw), and returns it as YYYY-MM-DD.
func parseDate(v string) (string, error) {
	s := strings.TrimSpace(narrow(v))
	if m := dateRe.FindStringSubmatch(s); m != nil {
		t, err := time.Parse("2006-1-2", m[1]+"-"+m[2]+"-"+m[3])
		if err != nil {
			return "", fmt.Errorf("%q is not a date", clip(v, 20))
		}
		return t.Format(time.DateOnly), nil
	}
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		if t, err := time.Parse("20060102", s); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	// Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
	// Only 1955 … 2118 is taken as a date cell: "2024" alone is a typo, not
	// a day in 1905.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 20000 && f < 80000 {
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
		return t.Format(time.DateOnly), nil
	}
	return "", fmt.Errorf("%q is not a date (write 2024-02-08)", clip(v, 20))
}

// readSheetFile reads an item sheet by its extension.
func readSheetFile(r io.Reader, name, label string, progress func(rows int)) (sheetResult, error) {
	switch ext := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:]); ext {
	case "csv", "tsv":
		return readCSV(r, label, ext == "tsv", progress)
	case "xlsx", "xlsm":
		return readXLSX(r, label, progress)
	default:
		return sheetResult{}, fmt.Errorf("import %s: not a sheet (.csv or .xlsx)", label)
	}
}
