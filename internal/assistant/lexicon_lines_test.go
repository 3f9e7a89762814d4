package assistant

import (
	"errors"
	"reflect"
	"testing"
)

func TestScanLinesSkipsCommentsAndNamesTheBadLine(t *testing.T) {
	t.Parallel()
	raw := []byte("# header\n\n  a = x y  # why\nbad line\nb = z\n")
	var got []string
	err := scanLines("t.txt", raw, func(line string) error {
		if line == "bad line" {
			return errors.New("want \"key = words\"")
		}
		got = append(got, line)
		return nil
	})
	if want := `lexicon/t.txt line 4: want "key = words"`; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	if want := []string{"a = x y"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("lines before the bad one = %q, want %q", got, want)
	}
}
