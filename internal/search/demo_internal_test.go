package search

import (
	"bufio"
	"encoding/json"
	"testing"

	"github.com/fuwu-gov/fuwu/data"
	"github.com/fuwu-gov/fuwu/internal/kb"
)

// DemoItems reads the demo catalogue; the package's tests, inside and
// outside it (search_test), share it.
func DemoItems(t testing.TB) []kb.Item {
	t.Helper()
	f, err := data.KB().Open("items.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []kb.Item
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var it kb.Item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	return items
}
