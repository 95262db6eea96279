package model_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestAfterClose: what can run after a close, and what meets the closed
// channel for sure (Proven), read from the flow. bare, two and skip run in
// truth/testdata/closedsend_close_dominates.txtar (bare panics; two does
// not; skip does not for 1, 0, 1).
func TestAfterClose(t *testing.T) {
	src := `package p

func bare(ch chan int) {
	{
		close(ch)
	}
	ch <- 1
}

func branch(ch chan int, ok bool) {
	if ok {
		close(ch)
	}
	ch <- 1
}

func remade(ch chan int) {
	close(ch)
	ch = make(chan int, 1)
	ch <- 1
}

type box struct{ ch chan int }

func two(a, b *box) {
	close(a.ch)
	b.ch <- 1
}

func calls(a *box, f func()) {
	close(a.ch)
	f()
	a.ch <- 1
}

func loop(ch chan int, xs []int) {
	for range xs {
		ch <- 1
		close(ch)
	}
}

func each(ws []box) {
	for i := range ws {
		close(ws[i].ch)
	}
}

func skip(ch chan int, xs []int) {
	for _, x := range xs {
		if x > 0 {
			continue
		}
		close(ch)
	}
}
`
	m := model.Parse("p.go", []byte(src))
	got := map[int]string{}
	for _, op := range m.ChanOps {
		if op.Kind != model.Close {
			continue
		}
		var parts []string
		for _, ac := range m.AfterClose(op) {
			s := fmt.Sprintf("%d:%s", m.Line(ac.Op.Pos), ac.Certainty)
			if ac.Loop != nil {
				s += "+loop"
			}
			parts = append(parts, s)
		}
		sort.Strings(parts)
		got[m.Line(op.Pos)] = strings.Join(parts, " ")
	}
	want := map[int]string{
		5:  "7:proven",                      // bare: panics
		12: "14:possible",                   // branch: closedsend stays silent
		18: "20:possible",                   // remade: the parameter's value is not known, the new one is
		26: "",                              // two: b.ch is another channel
		31: "33:possible",                   // calls: f may store a new channel
		39: "38:proven+loop 39:proven+loop", // loop: the next pass sends on it
		45: "45:possible",                   // each: i changes on the way back
		54: "",                              // skip: not a close on every pass
	}
	for l, w := range want {
		if got[l] != w {
			t.Errorf("close at line %d: after it %q, want %q", l, got[l], w)
		}
	}
}

// TestWaitRecheck: where a Wait stands, and whether a lock is taken before
// a Signal, on the syntax tier.
func TestWaitRecheck(t *testing.T) {
	src := `package p

import "sync"

type q struct {
	c     *sync.Cond
	mu    sync.Mutex
	ready bool
}

func (x *q) ifWait() {
	x.c.L.Lock()
	if !x.ready {
		x.c.Wait()
	}
	x.c.L.Unlock()
}

func (x *q) forWait() {
	x.c.L.Lock()
	for !x.ready {
		x.c.Wait()
	}
	x.c.L.Unlock()
}

func (x *q) gotoWait() {
	x.c.L.Lock()
again:
	if !x.ready {
		x.c.Wait()
		goto again
	}
	x.c.L.Unlock()
}

func (x *q) serve() {
	for {
		x.c.L.Lock()
		if !x.ready {
			x.c.Wait()
		}
		x.ready = false
		x.c.L.Unlock()
	}
}

func (x *q) serveAgain() {
	for {
		x.c.L.Lock()
		if !x.ready {
			x.c.Wait()
			x.c.L.Unlock()
			continue
		}
		x.ready = false
		x.c.L.Unlock()
	}
}

func (x *q) set() {
	x.c.L.Lock()
	x.ready = true
	x.c.L.Unlock()
	x.c.Signal()
}

func (x *q) setUnlocked() {
	x.ready = true
	x.c.Signal()
}
`
	m := model.Parse("p.go", []byte(src))
	want := map[int]string{14: "guard=true rechecked=false", 22: "guard=false rechecked=true", 31: "guard=true rechecked=true",
		// Under an if in a loop: the pass reads x.ready first (line 43);
		// with continue after the Wait, the next pass checks it.
		41: "guard=true rechecked=false", 52: "guard=true rechecked=true"}
	for _, w := range m.CondWaits() {
		r := m.WaitRecheck(w)
		got := fmt.Sprintf("guard=%v rechecked=%v", r.Guard != nil, r.Rechecked())
		if l := m.Line(w.Pos); got != want[l] {
			t.Errorf("Wait at line %d: %s, want %s", l, got, want[l])
		}
	}
	locked := map[int]bool{65: true, 70: false}
	for _, s := range m.CondSignals() {
		l := m.Line(s.Pos)
		if got := m.LocksBefore(s.Call.Pos()); got != locked[l] {
			t.Errorf("Signal at line %d: LocksBefore %v, want %v", l, got, locked[l])
		}
	}
}
