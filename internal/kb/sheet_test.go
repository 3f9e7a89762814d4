package kb

import (
	"archive/zip"
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestHeaderMapping(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header string
		want   sheetField
	}{
		{"事项编码", fID},
		{"*事项编码", fID},
		{"＊ 事项编号", fID},
		{"事项编码（必填）", fID},
		{"事项实施编码", fID},
		{"ID", fID},
		{"事项名称*", fName},
		{" 事项名称 ", fName},
		{"name", fName},
		{"俗称", fAliases},
		{"事项主题", fTheme},
		{"服务对象", fAudience},
		{"责任部门", fDepartment},
		{"实施主体", fDepartment},
		{"概述", fSummary},
		{"受理条件", fConditions},
		{"申请材料（名称（形式份数））", fMaterials},
		{"办理流程", fProcess},
		{"法定办结时限（工作日）", fLegalDays},
		{"承诺办结时限(工作日)", fPromisedDays},
		{"time_limit.legal_days", fLegalDays},
		{"Promised Days", fPromisedDays},
		{"是否收费", fFeeYesNo},
		{"收费标准", fFee},
		{"设定依据", fLegalBasis},
		{"在线办理链接", fOnlineURL},
		{"网办地址（URL）", fOnlineURL},
		{"online.url", fOnlineURL},
		{"网办深度", fOnlineDepth},
		{"办理大厅", fHalls},
		{"办理地点", fHalls},
		{"是否可预约", fAppointment},
		{"咨询电话：", fContact},
		{"上门办", fDoorstep},
		{"更新日期", fUpdated},
		{"状态", fStatus},
		{"【常见问题】", fIgnore}, // all in brackets: unknown, kept as extra
		{"序号", fIgnore},
	}
	for _, c := range cases {
		l, _, warnings := parseHeader([]string{c.header}, 1, "x.csv")
		if got := l.fields[0]; got != c.want {
			t.Errorf("header %q → field %d, want %d", c.header, got, c.want)
		}
		if c.header == "【常见问题】" && (len(warnings) != 1 || l.extra[0] != "【常见问题】") {
			t.Errorf("unknown header: warnings %v extra %q", warnings, l.extra[0])
		}
	}
	// Every documented name maps, and no two columns share a name.
	for _, c := range SheetColumns {
		for _, h := range append([]string{c.Header, c.Key}, c.Aliases...) {
			if got, ok := headerIndex[normHeader(h)]; !ok || got != c.field {
				t.Errorf("documented header %q does not map to its field", h)
			}
		}
	}
}

func TestParseMaterial(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want Material
	}{
		{"居民身份证", Material{Name: "居民身份证"}},
		{"居民身份证（原件1份）", Material{Name: "居民身份证", Form: "原件", Copies: 1}},
		{"居民身份证(复印件 2份)", Material{Name: "居民身份证", Form: "复印件", Copies: 2}},
		{"居民身份证（原件及复印件各1份）", Material{Name: "居民身份证", Form: "原件及复印件", Copies: 1}},
		{"居民身份证（原件1份、复印件1份）", Material{Name: "居民身份证", Form: "原件及复印件", Copies: 1}},
		{"营业执照（副本）（复印件2份，需加盖公章）", Material{Name: "营业执照（副本）", Form: "复印件", Copies: 2, Note: "需加盖公章"}},
		{"职称或职业资格证书（如有）", Material{Name: "职称或职业资格证书（如有）"}},
		{"户口簿（一份）", Material{Name: "户口簿", Copies: 1}},
		{"申请表（表格）", Material{Name: "申请表", Form: "表格"}},
		{"居民身份证 原件 1份", Material{Name: "居民身份证", Form: "原件", Copies: 1}},
		{"居民身份证：原件1份", Material{Name: "居民身份证", Form: "原件", Copies: 1}},
		{"入户申请表格", Material{Name: "入户申请表格"}},
		{"身份证|原件|1", Material{Name: "身份证", Form: "原件", Copies: 1}},
		{"身份证｜复印件｜2份｜正反面", Material{Name: "身份证", Form: "复印件", Copies: 2, Note: "正反面"}},
		{"身份证||1", Material{Name: "身份证", Copies: 1}},
		{"身份证|原件", Material{Name: "身份证", Form: "原件"}},
	}
	for _, c := range cases {
		got, err := parseMaterial(c.in)
		if err != nil || got != c.want {
			t.Errorf("parseMaterial(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"|原件|1", "身份证|原件|很多"} {
		if _, err := parseMaterial(bad); err == nil {
			t.Errorf("parseMaterial(%q) accepted", bad)
		}
	}
}

func TestFormatMaterialReadsBack(t *testing.T) {
	t.Parallel()
	for _, m := range []Material{
		{Name: "出生医学证明", Form: "原件", Copies: 1},
		{Name: "居民户口簿（项目变更时）", Form: "原件", Copies: 1},
		{Name: "营业执照", Form: "复印件", Copies: 2, Note: "需加盖公章"},
		{Name: "身份证", Form: "原件", Copies: 1, Note: "原件"},        // note that looks like a form
		{Name: "身份证", Form: "原件", Copies: 1, Note: "正面、反面"},     // note the bracket form would split
		{Name: "照片", Form: "现场采集", Copies: 0},                   // no count
		{Name: "委托书（如委托办理）", Form: "", Copies: 0, Note: ""},     // bracket in the name only
		{Name: "申请表", Form: "在线填写", Copies: 1, Note: "加盖公章，签名"}, // unknown form
	} {
		s := formatMaterial(m)
		back, err := parseMaterial(s)
		if err != nil || back != m {
			t.Errorf("%+v → %q → %+v, %v", m, s, back, err)
		}
	}
}

func TestParseDays(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		days int
		note string
	}{
		{"", 0, ""},
		{"20", 20, ""},
		{"20.0", 20, ""},
		{"２０", 20, ""},
		{"20个工作日", 20, ""},
		{"20 工作日", 20, ""},
		{"二十个工作日", 20, ""},
		{"十五个工作日", 15, ""},
		{"即办", 0, "即办"},
		{"当场办结", 0, "即办"},
		{"3个月", 0, "3个月"},
		{"20个自然日", 0, "20个自然日"},
		{"-", 0, ""},
	}
	for _, c := range cases {
		d, n, err := parseDays(c.in)
		if err != nil || d != c.days || n != c.note {
			t.Errorf("parseDays(%q) = %d, %q, %v; want %d, %q", c.in, d, n, err, c.days, c.note)
		}
	}
	for _, bad := range []string{"-5", "99999"} {
		if _, _, err := parseDays(bad); err == nil {
			t.Errorf("parseDays(%q) accepted", bad)
		}
	}
	l, p, note, err := parseTimeLimit("法定30个工作日，承诺5个工作日")
	if err != nil || l != 30 || p != 5 || note != "" {
		t.Errorf("combined limit: %d %d %q %v", l, p, note, err)
	}
	l, p, note, err = parseTimeLimit("承诺：即办")
	if err != nil || l != 0 || p != 0 || note != "承诺：即办" {
		t.Errorf("promised 即办: %d %d %q %v", l, p, note, err)
	}
	l, p, _, err = parseTimeLimit("10个工作日")
	if err != nil || l != 0 || p != 10 {
		t.Errorf("single limit: %d %d %v", l, p, err)
	}
}

func TestParseBoolDateFAQ(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{"是": true, "否": false, "Y": true, "no": false, "√": true, "×": false,
		"可以": true, "不支持": false, "是（需提前一天）": true, "无需预约": false, "1": true, "0": false} {
		if got, err := parseBool(in); err != nil || got != want {
			t.Errorf("parseBool(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := parseBool("也许"); err == nil {
		t.Error("parseBool(也许) accepted")
	}
	for in, want := range map[string]string{"2024-02-08": "2024-02-08", "2024/2/8": "2024-02-08", "2024.2.8": "2024-02-08",
		"2024年2月8日": "2024-02-08", "20240208": "2024-02-08", "45330": "2024-02-08", "2024-02-08 10:30:00": "2024-02-08"} {
		if got, err := parseDate(in); err != nil || got != want {
			t.Errorf("parseDate(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"上周", "2024-02-30", "0", "2024"} {
		if _, err := parseDate(bad); err == nil {
			t.Errorf("parseDate(%q) accepted", bad)
		}
	}
	faq, err := parseFAQ("问：能代办吗？\n答：可以，需委托书。\n问：要钱吗\n答：不收费")
	want := []FAQ{{Q: "能代办吗？", A: "可以，需委托书。"}, {Q: "要钱吗", A: "不收费"}}
	if err != nil || !reflect.DeepEqual(faq, want) {
		t.Errorf("faq 问答: %+v %v", faq, err)
	}
	faq, err = parseFAQ("能代办吗？|可以\n要钱吗|不收费")
	want = []FAQ{{Q: "能代办吗？", A: "可以"}, {Q: "要钱吗", A: "不收费"}}
	if err != nil || !reflect.DeepEqual(faq, want) {
		t.Errorf("faq pipes: %+v %v", faq, err)
	}
	for _, bad := range []string{"问：只有问题", "没有答案的一行", "前言\n问：q\n答：a"} {
		if _, err := parseFAQ(bad); err == nil {
			t.Errorf("parseFAQ(%q) accepted", bad)
		}
	}
}

func TestSplitList(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    string
		loose bool
		want  []string
	}{
		{"1.新生儿父母至少一方为深圳市户籍\n2、出生一个月内申报", false, []string{"新生儿父母至少一方为深圳市户籍", "出生一个月内申报"}},
		{"（1）甲；（2）乙", false, []string{"甲", "乙"}},
		{"一、单位申请；单位未申请的，本人可申请\n二、其他", false, []string{"单位申请；单位未申请的，本人可申请", "其他"}},
		{"甲;乙；丙", false, []string{"甲", "乙", "丙"}},
		{"1.5寸照片", false, []string{"1.5寸照片"}},
		{"- 甲\n• 乙\n①丙", false, []string{"甲", "乙", "丙"}},
		{"HALL-01、HALL-03，HALL-05", true, []string{"HALL-01", "HALL-03", "HALL-05"}},
		{"个人/法人", true, []string{"个人", "法人"}},
		{"\n\n", false, nil},
	}
	for _, c := range cases {
		if got := splitList(c.in, c.loose); !reflect.DeepEqual(got, c.want) && (len(got) != 0 || len(c.want) != 0) {
			t.Errorf("splitList(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSheetRowToItem(t *testing.T) {
	t.Parallel()
	header := []string{"序号", "*事项编码", "事项名称", "俗称", "服务对象", "申请材料", "法定办结时限（工作日）", "承诺办结时限",
		"是否收费", "网办深度", "网办地址", "是否可预约", "更新日期", "状态", "备注"}
	l, _, warnings := parseHeader(header, 1, "t.csv")
	if len(warnings) != 1 || !strings.Contains(warnings[0].Err, "备注") {
		t.Fatalf("warnings %v", warnings)
	}
	it, st, _, err := l.item([]string{"1", " FT-９０１ ", "新生儿入户登记", "上户口、宝宝落户", "自然人",
		"出生医学证明（原件1份）\n户口簿|原件|1", "30个工作日", "即办", "否", "最多跑一次", "www.example.gov.cn/x", "是", "45330", "草稿", "暂停受理"})
	if err != nil {
		t.Fatal(err)
	}
	want := Item{ID: "FT-901", Name: "新生儿入户登记", Aliases: []string{"上户口", "宝宝落户"}, Audience: []string{"个人"},
		Materials:  []Material{{Name: "出生医学证明", Form: "原件", Copies: 1}, {Name: "户口簿", Form: "原件", Copies: 1}},
		TimeLimit:  TimeLimit{LegalDays: 30, Note: "承诺：即办"},
		Fee:        "不收费",
		Online:     Online{Available: true, Depth: "一次到场", URL: "https://www.example.gov.cn/x"},
		Offline:    Offline{Halls: []string{}, Appointment: true},
		Conditions: []string{}, Process: []string{}, LegalBasis: []string{}, FAQ: []FAQ{},
		Updated: "2024-02-08",
	}
	extra := it.Extra
	it.Extra = nil
	if !reflect.DeepEqual(it, want) {
		t.Errorf("item\n got %+v\nwant %+v", it, want)
	}
	if st != Draft || string(extra["备注"]) != `"暂停受理"` {
		t.Errorf("status %q extra %v", st, extra)
	}
	// Every bad cell is named in one message.
	_, _, _, err = l.item([]string{"2", "FT-902", "", "", "", "", "很久", "", "也许", "", "ftp://x", "", "上周", "作废"})
	for _, want := range []string{"是否收费 (column I)", "更新日期 (column M)", "状态 (column N)", "name is empty", "online.url"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %q", err, want)
		}
	}
}

// TestXLSXClaimedSizes: a few bytes claiming to unzip into hundreds of
// megabytes are refused before anything is allocated for them.
func TestXLSXClaimedSizes(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/styles.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: 900 << 20})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0})
	zw.Close()
	_, err = readXLSX(bytes.NewReader(b.Bytes()), "bomb.xlsx", nil)
	if err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "bomb.xlsx") {
		t.Fatalf("error %v", err)
	}
}
