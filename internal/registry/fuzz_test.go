package registry

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/internal/policy"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

// FuzzCheckIDs: the validators never panic, and what they accept has the
// right length and check character.
func FuzzCheckIDs(f *testing.F) {
	for _, s := range []string{goodID, badID, "91350100M000100Y43", "91350100m000100y44", "ＡＢＣ", "110105 19491231 002x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := CheckIDNumber(s); err == nil && (len(n) != 18 || idCheckChar(n[:17]) != n[17]) {
			t.Fatalf("accepted ID %q as %q", s, n)
		}
		if n, err := CheckUSCC(s); err == nil && (len(n) != 18 || usccCheckChar(n[:17]) != n[17]) {
			t.Fatalf("accepted USCC %q as %q", s, n)
		}
	})
}

// FuzzImport: any bytes as a CSV or JSONL registry. The import never
// panics, counts every row it read as stored, unchanged or a problem with
// a line number, and a second import of the same bytes creates nothing.
func FuzzImport(f *testing.F) {
	f.Add([]byte("姓名,身份证号,联系电话,住址\n张三,"+goodID+",13812345678,深圳市福田区园岭街道1号\n李四,"+badID+",1,x\n"), false)
	f.Add([]byte(`{"id":"P-1","name":"张三","id_number":"`+goodID+`","income_per_capita":"1.2万"}`+"\n{bad\n"), true)
	f.Add([]byte("\"unclosed,quote\n身份证号\n"+goodID+"\n"), false)
	db := storetest.Open(f, store.SQLite, sets...)
	s := newStore(f, db)
	f.Fuzz(func(t *testing.T, b []byte, jsonl bool) {
		if len(b) > 1<<16 {
			return
		}
		format := "csv"
		if jsonl {
			format = "jsonl"
		}
		ctx := context.Background()
		opt := ImportOptions{Kind: policy.Person, Schema: schema, BatchSize: 7}
		rep, err := s.Import(ctx, bytes.NewReader(b), format, "f", int64(len(b)), opt)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f") {
				t.Fatalf("an error that names no file: %v", err)
			}
			return
		}
		if rep.Created+rep.Updated+rep.Unchanged+len(rep.Problems) > rep.Rows {
			t.Fatalf("more outcomes than rows: %+v", rep)
		}
		for _, p := range rep.Problems {
			if p.Line < 1 || p.Message == "" {
				t.Fatalf("problem %+v", p)
			}
		}
		again, err := s.Import(ctx, bytes.NewReader(b), format, "f", int64(len(b)), opt)
		if err != nil || again.Created != 0 {
			t.Fatalf("second import created %d: %v", again.Created, err)
		}
	})
}
