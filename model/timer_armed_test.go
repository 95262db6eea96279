package model_test

import (
	"testing"

	"github.com/golens/golens/model"
)

// TestTimerArmed: a Timer's C case bounds a select's wait only where the
// model proves the timer armed on every path into it (timer_armed.go).
func TestTimerArmed(t *testing.T) {
	src := `package p

import "time"

func fresh(in chan int) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select { // fresh: armed
	case <-in:
	case <-t.C:
	}
}

func stopped(in chan int) {
	t := time.NewTimer(time.Second)
	t.Stop()
	select { // stopped: not
	case <-in:
	case <-t.C:
	}
}

func rearmed(in chan int) {
	t := time.NewTimer(time.Second)
	for {
		select { // rearmed: armed
		case <-in:
			t.Reset(time.Second)
		case <-t.C:
			t.Reset(time.Second)
		}
	}
}

func spent(in chan int) {
	t := time.NewTimer(time.Second)
	for {
		select { // spent: not
		case <-in:
			t.Reset(time.Second)
		case <-t.C:
			println("fired")
		}
	}
}

func skips(in chan int, ok bool) {
	t := time.NewTimer(time.Second)
	for {
		select { // skips: not
		case <-in:
		case <-t.C:
			if ok {
				continue
			}
			t.Reset(time.Second)
		}
	}
}

func perPass(in chan int) {
	for {
		t := time.NewTimer(time.Second)
		select { // perPass: armed
		case <-in:
		case <-t.C:
		}
		t.Stop()
	}
}

func stopAfter(in chan int) {
	t := time.NewTimer(time.Second)
	for {
		select { // stopAfter: not
		case <-in:
		case <-t.C:
			t.Reset(time.Second)
		}
		t.Stop()
	}
}

func param(in chan int, t *time.Timer) {
	select { // param: not
	case <-in:
	case <-t.C:
	}
}
`
	m := model.Parse("p.go", []byte(src))
	want := map[string]bool{"fresh": true, "stopped": false, "rearmed": true, "spent": false, "skips": false, "perPass": true, "stopAfter": false, "param": false}
	seen := 0
	for _, sel := range m.Selects {
		var c *model.SelectCase
		for _, sc := range sel.Cases {
			if sc.TimerC {
				c = sc
			}
		}
		name := sel.Func.Name
		w, ok := want[name]
		if !ok {
			t.Fatalf("unexpected select in %s", name)
		}
		if c == nil {
			if name != "param" { // the syntax tier does not know t's type here: no timeout at all
				t.Errorf("%s: no timer case", name)
			}
			continue
		}
		seen++
		if c.TimerArmed != w {
			t.Errorf("%s: TimerArmed = %v, want %v", name, c.TimerArmed, w)
		}
	}
	if seen != len(want)-1 {
		t.Errorf("saw %d timer selects, want %d", seen, len(want)-1)
	}
}

// TestDrainAfterStop: the receive of `if !t.Stop() { <-t.C }` is marked;
// a plain receive, and one after another use of t in the if body, are not.
func TestDrainAfterStop(t *testing.T) {
	src := `package p

import "time"

func f() {
	t := time.NewTimer(time.Second)
	<-t.C // plain
	if !t.Stop() {
		<-t.C // drain
	}
	if !t.Stop() {
		t.Reset(time.Second)
		<-t.C // after reset
	}
}
`
	m := model.Parse("p.go", []byte(src))
	want := map[int]bool{7: false, 9: true, 13: false}
	for _, op := range m.ChanOps {
		w, ok := want[m.Line(op.Pos)]
		if !ok {
			t.Fatalf("unexpected op at line %d", m.Line(op.Pos))
		}
		if op.DrainAfterStop != w {
			t.Errorf("line %d: DrainAfterStop = %v, want %v", m.Line(op.Pos), op.DrainAfterStop, w)
		}
	}
}

// TestUnreachedCloses: a close after a loop that never ends is unreached
// (unreached_close.go); one after a loop a break leaves is not.
func TestUnreachedCloses(t *testing.T) {
	src := `package p

import "time"

func f(in chan int, tk *time.Ticker) {
	a := make(chan int)
	go func() {
		for {
			<-in
		}
		close(a)
	}()
	b := make(chan int)
	go func() {
		for {
			if _, ok := <-in; !ok {
				break
			}
		}
		close(b)
	}()
	c := make(chan int)
	go func() {
		for range time.Tick(time.Second) {
		}
		close(c)
	}()
}
`
	m := model.Parse("p.go", []byte(src))
	want := map[int]bool{11: true, 20: false, 26: true}
	n := 0
	for _, op := range m.ChanOps {
		if op.Kind != model.Close {
			continue
		}
		n++
		if got := op.UnreachedAfter.IsValid(); got != want[m.Line(op.Pos)] {
			t.Errorf("close at line %d: unreached = %v, want %v", m.Line(op.Pos), got, want[m.Line(op.Pos)])
		}
	}
	if n != 3 {
		t.Errorf("%d closes, want 3", n)
	}
}
