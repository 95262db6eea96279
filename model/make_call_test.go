package model_test

import (
	"testing"

	"github.com/golens/golens/model"
)

// TestMakeCallAndCaseBody: each channel's make is found as the call
// written there, in a function, in a literal and at package level (the
// timeoutleak check edits its capacity), and each select case's body is
// its own clause's statements.
func TestMakeCallAndCaseBody(t *testing.T) {
	const src = `package p

var top = make(chan int, 1)

func f() {
	a := make(chan int)
	go func() {
		b := make(chan string, 2)
		b <- ""
	}()
	select {
	case <-a:
		println("a")
	default:
		println("d1")
		println("d2")
	}
	_ = top
}
`
	m := model.Parse("a.go", []byte(src))
	want := map[string]string{"top": "make(chan int, 1)", "a": "make(chan int)", "b": "make(chan string, 2)"}
	for _, c := range m.Chans {
		if len(c.Makes) != 1 {
			continue
		}
		call := m.MakeCall(c.Makes[0])
		if call == nil {
			t.Errorf("%s: no make call found", c.Name)
			continue
		}
		if got := src[m.Fset.Position(call.Pos()).Offset:m.Fset.Position(call.End()).Offset]; got != want[c.Name] {
			t.Errorf("%s: make call %q, want %q", c.Name, got, want[c.Name])
		}
		delete(want, c.Name)
	}
	if len(want) > 0 {
		t.Errorf("makes not found: %v", want)
	}
	if len(m.Selects) != 1 || len(m.Selects[0].Cases) != 2 {
		t.Fatalf("want one select with two cases")
	}
	for i, n := range []int{1, 2} {
		if got := len(m.Selects[0].Cases[i].Body()); got != n {
			t.Errorf("case %d: %d statements, want %d", i+1, got, n)
		}
	}
}
