package refusal

import (
	"errors"
	"fmt"
	"testing"
)

var (
	errTestFull    = New("refusaltest", "full", "已约满")
	errTestMissing = Missing("refusaltest", "missing", "未找到")
)

func TestRefusal(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("book: %w", errTestFull)
	if !errors.Is(wrapped, errTestFull) || errors.Is(wrapped, errTestMissing) {
		t.Fatal("errors.Is does not tell refusals apart")
	}
	e, ok := As(wrapped)
	if !ok || e.UserMessage() != "已约满" || e.Code() != "full" || e.Key() != "refusaltest.full" || e.Kind() != Invalid {
		t.Fatalf("As = %v %v", e, ok)
	}
	if e.Error() != "refusaltest: full" {
		t.Errorf("Error() = %q", e.Error())
	}
	if _, ok := As(errors.New("disk full")); ok {
		t.Error("a plain error is not a refusal")
	}
	if got, ok := Lookup("refusaltest.missing"); !ok || got != errTestMissing || got.Kind() != NotFound {
		t.Errorf("Lookup = %v %v", got, ok)
	}
	if _, ok := Lookup("refusaltest.<script>"); ok {
		t.Error("Lookup found an undeclared key")
	}
}

func TestDeclaredTwicePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("declaring a key twice did not panic")
		}
	}()
	New("refusaltest", "full", "again")
}
