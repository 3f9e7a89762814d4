package greening

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/library"
	"github.com/fuwu-gov/fuwu/internal/store"
	"github.com/fuwu-gov/fuwu/internal/store/storetest"
)

func greeningLibrary(t *testing.T) LawSearch {
	t.Helper()
	ctx := context.Background()
	lib, err := library.Open(ctx, storetest.Open(t, store.SQLite, library.Migrations), library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const name = "laws/城市绿化条例(2017-03-01).md"
	raw, err := fs.ReadFile(data.Library(), name)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.PutCollection(ctx, library.Collection{Name: "法规", Visibility: library.Public}); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Import(ctx, "法规", "城市绿化条例(2017-03-01).md", bytes.NewReader(raw), int64(len(raw)), "test"); err != nil {
		t.Fatal(err)
	}
	return LibrarySearch(lib, library.Everyone)
}

func TestAnswer(t *testing.T) {
	k := starter(t)
	laws := greeningLibrary(t)
	ctx := context.Background()
	cases := []struct {
		q        string
		source   string // the first citation's source
		article  string // … and its article, contained
		contains string // in the answer
	}{
		{"大叶紫薇什么时候修剪", "树种库", "大叶紫薇 · 修剪期", "12、1、2 月"},
		{"凤凰木夜蛾什么时候出现", "树种库", "凤凰木 · 常见病虫害", "凤凰木夜蛾（6、7、8、9、10 月"},
		{"古树保护范围内能不能施工", "城市绿化条例", "第二十四条", "划定保护范围"},
		{"砍伐城市树木需要谁批准", "城市绿化条例", "第二十条", "必须经城市人民政府城市绿化行政主管部门批准"},
	}
	for _, c := range cases {
		r, err := Answer(ctx, k, laws, c.q)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Answered || len(r.Citations) == 0 {
			t.Errorf("%s: not answered: %+v", c.q, r)
			continue
		}
		found := false
		for _, ci := range r.Citations {
			found = found || ci.Source == c.source && strings.Contains(ci.Article, c.article)
		}
		if r.Citations[0].Source != c.source || !found || !strings.Contains(r.Text, c.contains) {
			t.Errorf("%s: got %s %s\n%s", c.q, r.Citations[0].Source, r.Citations[0].Article, r.Text)
		}
		for _, ci := range r.Citations {
			if ci.Source != "树种库" && !strings.Contains(r.Text, strings.TrimSpace(strings.TrimPrefix(ci.Text, ci.Article))) {
				t.Errorf("%s: citation not quoted verbatim: %s", c.q, ci.Text)
			}
		}
	}
	r, _ := Answer(ctx, k, laws, "大叶紫薇什么时候修剪")
	if !strings.Contains(r.Note, "审核") {
		t.Errorf("unreviewed note missing: %+v", r)
	}
	r, err := Answer(ctx, k, nil, "量子计算机怎么维修")
	if err != nil || r.Answered || !strings.Contains(r.Text, "没有找到") {
		t.Errorf("unanswerable: %+v %v", r, err)
	}
}
