package model_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// RecoverGuarded: code under a recover guard in a deferred literal runs
// only on a panic path; an unguarded deferred send, or an if on another
// value, does not.
func TestRecoverGuarded(t *testing.T) {
	src := `package p

func w(out chan int, x any) {
	defer func() {
		if r := recover(); r != nil {
			out <- 1 // guarded
		}
		if recover() != nil {
			out <- 2 // guarded
		}
		if x != nil {
			out <- 3 // not
		}
		out <- 4 // not
	}()
	out <- 5 // not
}
`
	m := model.Parse("p.go", []byte(src))
	want := map[string]bool{"out <- 1": true, "out <- 2": true, "out <- 3": false, "out <- 4": false, "out <- 5": false}
	for text, guarded := range want {
		i := strings.Index(src, text)
		if i < 0 {
			t.Fatalf("no %q", text)
		}
		p := m.Fset.File(m.AST.Pos()).Pos(i)
		if got := m.RecoverGuarded(p); got != guarded {
			t.Errorf("%s: RecoverGuarded = %v, want %v", text, got, guarded)
		}
	}
}
