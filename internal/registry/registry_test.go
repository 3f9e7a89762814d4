package registry

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/fuwu-gov/fuwu/internal/audit"
	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/privacy"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

var sets = []store.Migrations{audit.Migrations, Migrations}

func testKeys(t testing.TB) *privacy.Keys {
	k, err := privacy.NewKeys(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var fixed = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

func newStore(t testing.TB, db *store.DB) *Store {
	return New(db, testKeys(t), audit.New(db)).WithClock(func() time.Time { return fixed })
}

var schema = policy.Schema{Person: []policy.Field{
	{Key: "birth_date", Label: "出生日期", Type: policy.TypeDate},
	{Key: "hukou_city", Label: "户籍城市", Type: policy.TypeText},
	{Key: "income_per_capita", Label: "家庭月人均收入", Type: policy.TypeNumber, Unit: "元"},
	{Key: "low_income", Label: "低收入家庭", Type: policy.TypeBool},
}, Enterprise: []policy.Field{
	{Key: "employees", Label: "从业人数", Type: policy.TypeNumber, Unit: "人"},
	{Key: "revenue", Label: "营业收入", Type: policy.TypeNumber, Unit: "元"},
}}

// A valid and an invalid ID number for the tests.
const (
	goodID = "11010519491231002X"
	badID  = "110105194912310021"
)

func TestCheckIDNumber(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		ok   bool
		want string
	}{
		{goodID, true, ""},
		{"11010519491231002x", true, ""},
		{" 110105 19491231 002X ", true, ""},
		{badID, false, "校验码错误（应为X）"},
		{"1101051949123100", false, "应为18位"},
		{"11010519490231002X", false, "出生日期 19490231 不存在"},
		{"A1010519491231002X", false, "前17位应为数字"},
		{"01010519491231002X", false, "地址码"},
	} {
		_, err := CheckIDNumber(c.in)
		if (err == nil) != c.ok || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckIDNumber(%q) = %v, want ok=%v %q", c.in, err, c.ok, c.want)
		}
	}
	if IDBirthDate(goodID) != "1949-12-31" || IDGender(goodID) != "女" {
		t.Errorf("birth/gender of %s: %s %s", goodID, IDBirthDate(goodID), IDGender(goodID))
	}
}

func TestCheckUSCC(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		ok   bool
		want string
	}{
		{"91350100M000100Y43", true, ""}, // the example printed in GB 32100
		{"91350100m000100y43", true, ""},
		{"91350100M000100Y44", false, "校验码错误（应为3）"},
		{"91350100M000100I43", false, "第16位"},
		{"9135010", false, "应为18位"},
	} {
		_, err := CheckUSCC(c.in)
		if (err == nil) != c.ok || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckUSCC(%q) = %v, want ok=%v %q", c.in, err, c.ok, c.want)
		}
	}
}

// TestImportCSV: a GBK sheet with a title row, Chinese headers, a unit in
// a header, bad rows of every kind reported by line; the rest imports,
// personal data sealed and masked; a re-import changes nothing, an edited
// row updates its profile, never a second one.
func TestImportCSV(t *testing.T) {
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := context.Background()
		s := newStore(t, db)
		csvText := "人口库导出（示例）\n" +
			"姓名,身份证号,联系电话,住址,街道,社区,户籍城市,家庭月人均收入（万元）,低收入家庭,备注\n" +
			"张三," + goodID + ",13812345678,深圳市福田区园岭街道百花二路3号,园岭街道,百花社区,深圳,0.12,是,x\n" +
			"李四," + badID + ",13812345679,深圳市福田区某路1号,园岭,百花社区,深圳,0.3,否,\n" +
			"王五,440304198001010017,1381234,深圳市福田区某路1号,园岭,百花社区,深圳,0.3,否,\n" +
			"赵六,440304198001010025,13812345670,深圳市福田区某路1号,园岭,百花社区,深圳,很多,否,\n" +
			"钱七,,13812345671,深圳市福田区某路1号,园岭,百花社区,深圳,0.3,否,\n" +
			"孙八," + strings.ToLower(goodID) + ",13812345672,深圳市福田区某路1号,园岭,百花社区,深圳,0.3,否,\n" +
			"周九,440304198001010025,13812345670,深圳市福田区南园街道2号,南园,滨江社区,广州,,否,\n"
		var gbk bytes.Buffer
		gbk.WriteString(toGBK(t, csvText))
		rep, err := s.Import(ctx, &gbk, "csv", "people.csv", 0, ImportOptions{Kind: policy.Person, Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 2 || rep.Rows != 7 {
			t.Fatalf("report %+v", rep)
		}
		want := map[int]string{4: "校验码错误", 5: "联系电话", 6: "应为数字", 7: "缺少公民身份号码", 8: "与第3行是同一人"}
		if len(rep.Problems) != len(want) {
			t.Fatalf("problems %+v", rep.Problems)
		}
		for _, p := range rep.Problems {
			if !strings.Contains(p.Message, want[p.Line]) {
				t.Errorf("line %d: %q, want %q", p.Line, p.Message, want[p.Line])
			}
		}
		if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "备注") {
			t.Errorf("warnings %v", rep.Warnings)
		}
		recs, total, err := s.List(ctx, Filter{Kind: policy.Person, Street: "园岭"}, 0, 0)
		if err != nil || total != 1 {
			t.Fatalf("list: %v %d", err, total)
		}
		r := recs[0]
		if r.Name != "张*" || r.IDNumber != "110105********002X" || r.Phone != "138****5678" || r.Address != "深圳市福田区园岭街道百花二路****" ||
			r.Community != "百花社区" || r.Fields["income_per_capita"] != 1200.0 || r.Fields["low_income"] != true ||
			r.Fields["birth_date"] != "1949-12-31" || r.Fields["gender"] != "女" {
			t.Errorf("record %+v", r)
		}
		// Nothing personal in the clear anywhere in the row.
		var raw string
		if err := db.QueryRow(ctx, `SELECT name_sealed || idno_sealed || phone_sealed || address_sealed || fields FROM registry_profiles WHERE id = ?`, r.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"张三", goodID, "13812345678", "百花二路3号"} {
			if strings.Contains(raw, secret) {
				t.Errorf("%q stored in the clear", secret)
			}
		}
		// Reveal needs a purpose and is audited.
		if _, err := s.Reveal(ctx, r.ID, "staff1", "reviewer", ""); !errors.Is(err, ErrInput) {
			t.Errorf("reveal without purpose: %v", err)
		}
		c, err := s.Reveal(ctx, r.ID, "staff1", "reviewer", "上门核实")
		if err != nil || c.Name != "张三" || c.IDNumber != goodID || c.Phone != "13812345678" || c.Address != "深圳市福田区园岭街道百花二路3号" {
			t.Fatalf("reveal: %+v %v", c, err)
		}
		entries, _, err := audit.New(db).List(ctx, audit.Filter{Action: "registry.reveal"}, audit.Page{})
		if err != nil || len(entries) != 1 || entries[0].Actor != "staff1" || entries[0].Target != "profile:"+r.ID || entries[0].Details["purpose"] != "上门核实" {
			t.Fatalf("audit: %+v %v", entries, err)
		}

		// The same file again: nothing changes. An edited row updates.
		rep, err = s.Import(ctx, strings.NewReader(csvText), "csv", "people.csv", 0, ImportOptions{Kind: policy.Person, Schema: schema})
		if err != nil || rep.Created != 0 || rep.Unchanged != 2 || rep.Updated != 0 {
			t.Fatalf("re-import: %+v %v", rep, err)
		}
		edited := strings.Replace(csvText, "0.12,是", "0.2,否", 1)
		rep, err = s.Import(ctx, strings.NewReader(edited), "csv", "people.csv", 0, ImportOptions{Kind: policy.Person, Schema: schema})
		if err != nil || rep.Created != 0 || rep.Updated != 1 || rep.Unchanged != 1 {
			t.Fatalf("edited import: %+v %v", rep, err)
		}
		n, _ := s.Count(ctx)
		got, _ := s.Get(ctx, r.ID)
		if n[policy.Person] != 2 || got.Fields["income_per_capita"] != 2000.0 || got.Fields["low_income"] != false {
			t.Errorf("after update: %v %+v", n, got.Fields)
		}
	})
}

func toGBK(t *testing.T, s string) string {
	t.Helper()
	b, err := gbkEncode(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportJSONLAndMapping: JSONL with a mapping (units, types) and
// enterprises keyed by USCC; a profile of the wrong kind in a mapping.
func TestImportJSONLAndMapping(t *testing.T) {
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := context.Background()
		s := newStore(t, db)
		m, err := ReadMapping(strings.NewReader(`{"kind":"enterprise","columns":[
			{"column":"code","field":"uscc"},{"column":"n","field":"name"},
			{"column":"staff","field":"employees"},{"column":"rev","field":"revenue","unit":"万元"},
			{"column":"since","field":"founded","type":"date"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		in := `{"code":"91350100M000100Y43","n":"示例科技有限公司","staff":35,"rev":"1200","since":"2022/3/15"}
{"code":"91350100M000100Y44","n":"坏码公司","staff":3}
not json
{"code":"91350100M000100Y43","n":"示例科技有限公司","staff":"三十","rev":1}
`
		rep, err := s.Import(ctx, strings.NewReader(in), "jsonl", "ent.jsonl", 0, ImportOptions{Mapping: &m, Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 1 || len(rep.Problems) != 3 || rep.Problems[0].Line != 2 || rep.Problems[1].Line != 3 || rep.Problems[2].Line != 4 {
			t.Fatalf("report %+v", rep)
		}
		r, err := s.Get(ctx, "E-91350100M000100Y43")
		if err != nil {
			t.Fatal(err)
		}
		if r.Name != "示例科技有限公司" || r.IDNumber != "91350100M000100Y43" || r.Fields["revenue"] != 1.2e7 ||
			r.Fields["employees"] != 35.0 || r.Fields["founded"] != "2022-03-15" {
			t.Errorf("record %+v", r)
		}
		p := r.Profile()
		if p.Kind != policy.Enterprise || p.Fields["id"] != r.ID {
			t.Errorf("profile %+v", p)
		}
	})
}

// TestGenerateAndImport: the demo generator's rows all import.
func TestGenerateAndImport(t *testing.T) {
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		t.Parallel()
		ctx := context.Background()
		s := newStore(t, db)
		asOf := policy.MustDay("2026-11-30")
		var pb, eb bytes.Buffer
		if err := GeneratePersons(&pb, 1, 300, asOf); err != nil {
			t.Fatal(err)
		}
		if err := GenerateEnterprises(&eb, 1, 100, asOf); err != nil {
			t.Fatal(err)
		}
		var progress []Progress
		rep, err := s.Import(ctx, &pb, "jsonl", "persons.jsonl", int64(pb.Len()), ImportOptions{Kind: policy.Person, BatchSize: 64,
			Progress: func(p Progress) { progress = append(progress, p) }})
		if err != nil || rep.Created != 300 || len(rep.Problems) != 0 {
			t.Fatalf("persons: %+v %v", rep, err)
		}
		if len(progress) < 5 || progress[len(progress)-1].Rows != 300 {
			t.Errorf("progress %+v", progress)
		}
		rep, err = s.Import(ctx, &eb, "jsonl", "ent.jsonl", 0, ImportOptions{Kind: policy.Enterprise})
		if err != nil || rep.Created != 100 || len(rep.Problems) != 0 {
			t.Fatalf("enterprises: %+v %v", rep, err)
		}
		n := 0
		err = s.Each(ctx, Filter{Kind: policy.Person, Street: "园岭"}, func(p policy.Profile) error {
			n++
			if p.Fields["street"] != "园岭" || p.Fields["birth_date"] == nil || p.Fields["name"] != nil || p.Fields["phone"] != nil {
				t.Errorf("profile %+v", p)
			}
			return nil
		})
		if err != nil || n == 0 {
			t.Fatalf("each: %d %v", n, err)
		}
	})
}

func gbkEncode(s string) ([]byte, error) {
	return simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
}

// TestImportInterrupted: an import stopped part-way (here by cancelling
// its context after the first batch) keeps the batches it committed,
// whole; the same file imported again completes it without duplicates.
func TestImportInterrupted(t *testing.T) {
	storetest.Each(t, sets, func(t *testing.T, db *store.DB) {
		t.Parallel()
		s := newStore(t, db)
		var file bytes.Buffer
		if err := GeneratePersons(&file, 3, 250, policy.MustDay("2026-01-01")); err != nil {
			t.Fatal(err)
		}
		raw := file.Bytes()
		ctx, cancel := context.WithCancel(context.Background())
		_, err := s.Import(ctx, bytes.NewReader(raw), "jsonl", "p.jsonl", 0, ImportOptions{Kind: policy.Person, BatchSize: 100,
			Progress: func(p Progress) {
				if p.Rows >= 100 {
					cancel()
				}
			}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted import: %v", err)
		}
		n, _ := s.Count(context.Background())
		if n[policy.Person] != 100 {
			t.Fatalf("%d profiles after the interruption, want the first batch of 100", n[policy.Person])
		}
		rep, err := s.Import(context.Background(), bytes.NewReader(raw), "jsonl", "p.jsonl", 0, ImportOptions{Kind: policy.Person, BatchSize: 100})
		if err != nil || rep.Created != 150 || rep.Unchanged != 100 {
			t.Fatalf("completing import: %+v %v", rep, err)
		}
	})
}

// TestImportRunawayLine: a JSONL line longer than policy.MaxLine is
// reported and skipped without being held in memory; the lines around it
// import.
func TestImportRunawayLine(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite, sets...)
	s := newStore(t, db)
	in := `{"id":"P-1","id_number":"` + goodID + `"}` + "\n" +
		`{"id":"P-2","note":"` + strings.Repeat("长", policy.MaxLine) + `"}` + "\n" +
		`{"id":"P-3","id_number":"110105194912310011"}` + "\n"
	rep, err := s.Import(context.Background(), strings.NewReader(in), "jsonl", "big.jsonl", 0, ImportOptions{Kind: policy.Person})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 2 || len(rep.Problems) != 1 || rep.Problems[0].Line != 2 || !strings.Contains(rep.Problems[0].Message, "longer than 1024 KiB") {
		t.Fatalf("%+v", rep)
	}
}
