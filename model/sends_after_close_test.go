package model_test

import (
	"fmt"
	"testing"

	"github.com/golens/golens/model"
)

// TestSendsAfterClose: the sends that can run after a close come from the
// flow (truth/testdata/close_sends_after_by_flow.txtar runs the same
// program): none after a close in a returning branch, the loop body's
// earlier send on the next pass, none for a deferred close.
func TestSendsAfterClose(t *testing.T) {
	src := `package p

func branch(stop bool) {
	ch := make(chan int, 1)
	if stop {
		close(ch)
		return
	}
	ch <- 1
}

func loop() {
	ch := make(chan int, 1)
	for i := 0; i < 2; i++ {
		ch <- i
		<-ch
		if i == 0 {
			close(ch)
		}
	}
}

func straight() {
	ch := make(chan int, 1)
	close(ch)
	go func() { ch <- 1 }()
	ch <- 2
}

func deferred() {
	ch := make(chan int, 1)
	defer close(ch)
	ch <- 1
}

func reassigned() {
	ch := make(chan int, 1)
	close(ch)
	ch = make(chan int, 1)
	ch <- 1
}
`
	m := model.Parse("p.go", []byte(src))
	want := map[int]string{6: "[]", 18: "[15]", 25: "[26 27]", 32: "[]", 38: "[]"}
	for _, op := range m.ChanOps {
		if op.Kind != model.Close {
			continue
		}
		var got []int
		for _, s := range m.SendsAfterClose(op) {
			got = append(got, m.Line(s.Pos))
		}
		l := m.Line(op.Pos)
		if fmt.Sprint(got) != want[l] && !(got == nil && want[l] == "[]") {
			t.Errorf("close at line %d: sends after it %v, want %s", l, got, want[l])
		}
		delete(want, l)
	}
	if len(want) > 0 {
		t.Errorf("closes not found: %v", want)
	}
}

// TestOtherCloses: closes in the two branches of an if never both run;
// two on one path, a deferred one after a plain one, and one in another
// function are each named with the other
// (truth/testdata/close_twice_by_flow.txtar runs the first two).
func TestOtherCloses(t *testing.T) {
	src := `package p

func either(early bool) {
	ch := make(chan int)
	if early {
		close(ch)
	} else {
		close(ch)
	}
}

func twice() {
	ch := make(chan int)
	defer close(ch)
	close(ch)
}

var shared = make(chan int)

func a() { close(shared) }

func b() { close(shared) }
`
	m := model.Parse("p.go", []byte(src))
	want := map[int]string{6: "[]", 8: "[]", 14: "[15]", 15: "[14]", 20: "[22]", 22: "[20]"}
	for _, op := range m.ChanOps {
		if op.Kind != model.Close {
			continue
		}
		got := []int{}
		for _, c := range m.OtherCloses(op) {
			got = append(got, m.Line(c.Pos))
		}
		l := m.Line(op.Pos)
		if fmt.Sprint(got) != want[l] {
			t.Errorf("close at line %d: other closes %v, want %s", l, got, want[l])
		}
		delete(want, l)
	}
	if len(want) > 0 {
		t.Errorf("closes not found: %v", want)
	}
}
