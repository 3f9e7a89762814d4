package citymon

import (
	"strings"
	"testing"
)

// A row's line is its line in the file, whatever the reader skipped or
// joined before it: blank lines, a quoted cell over two lines, a blank
// line before the header.
func TestReadTableLines(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body string
		want       []int
	}{
		{"plain", "id,name\na,1\nb,2\n", []int{2, 3}},
		{"blank lines", "id,name\n\na,1\n\n\nb,2\n", []int{3, 6}},
		{"blank before header", "\n\nid,name\na,1\n", []int{4}},
		{"quoted cell over two lines", "id,name\na,\"one\ntwo\"\nb,2\n", []int{2, 4}},
		{"empty cells row", "id,name\n,\na,1\n", []int{3}},
	}
	for _, c := range cases {
		rows, err := ReadTable(c.name+".csv", strings.NewReader(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []int
		for _, r := range rows {
			got = append(got, r.Line)
		}
		if len(got) != len(c.want) {
			t.Fatalf("%s: lines %v, want %v", c.name, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: lines %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}
