package kb

import (
	"fmt"
	"strings"
	"unicode"
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
	fBenefit
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
	{Header: "发放标准", Key: "benefit", Aliases: []string{"补贴标准", "待遇标准", "发放金额"},
		Note: "补贴、津贴类事项发给申请人的金额（不是收费）", Example: "80-89周岁每人每月200元", field: fBenefit},
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
