package model_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestBlocksBefore pins what a goroutine can block on before its send:
// a receive written in the literal, a call whose summary locks, a call
// golens cannot see into, and nothing when the goroutine only computes
// (or blocks only after the send, in a goroutine it starts or in a defer).
func TestBlocksBefore(t *testing.T) {
	src := `package p

import "sync"

type box struct {
	mu sync.Mutex
	v  int
}

func (b *box) get() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.v
}

func square(n int) int { return n * n }

func f(start chan struct{}, b *box, load func() int) {
	a := make(chan int)
	go func() {
		<-start
		a <- 1 // recv
	}()
	c := make(chan int)
	go func() {
		c <- b.get() // lock
	}()
	d := make(chan int)
	go func() {
		v := load()
		d <- v // opaque
	}()
	e := make(chan int)
	go func() {
		defer b.get()
		go func() { <-start }()
		e <- square(3) // none
		<-start
	}()
}
`
	m := model.Parse("p.go", []byte(src))
	sendAt := func(marker string) *model.ChanOp { return sendOnLineOf(t, m, src, marker) }
	for _, tc := range []struct{ marker, blocks, opaque string }{
		{"// recv", "it receives from a channel at line 21", ""},
		{"// lock", "`b.get`, called at line 26, locks a mutex (in `(*box).get`, line 11)", ""},
		{"// opaque", "", "`load` (line 30)"},
		{"// none", "", ""},
	} {
		op := sendAt(tc.marker)
		blocks, opaque := m.BlocksBefore(op.InGo, op)
		if blocks != tc.blocks || opaque != tc.opaque {
			t.Errorf("%s: BlocksBefore = %q, %q; want %q, %q", tc.marker, blocks, opaque, tc.blocks, tc.opaque)
		}
	}
}

// TestBlocksBeforeSend pins the waits before a send that the function
// holding it (a goroutine's literal or a method a go statement starts)
// can block on: a Wait on a WaitGroup a called function makes itself
// (which no caller's summary lists), every kind of wait in order (a Lock,
// then a Cond's Wait), and nothing for a call that only starts goroutines
// or for an earlier send on the same channel.
func TestBlocksBeforeSend(t *testing.T) {
	src := `package p

import "sync"

type q struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func collect(n int) int {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
	wg.Wait()
	return n
}

func outer(n int) int { return collect(n) + 1 }

func fire(log chan int) int {
	go func() { log <- 1 }()
	return 2
}

func (x *q) take(out chan int) {
	x.mu.Lock()
	for x.n == 0 {
		x.cond.Wait()
	}
	x.mu.Unlock()
	out <- x.n // cond
}

func f(log chan int) {
	a := make(chan int)
	go func() {
		a <- collect(3) // wait
	}()
	b := make(chan int)
	go func() {
		b <- outer(3) // deep
	}()
	c := make(chan int)
	go func() {
		c <- fire(log) // fire
	}()
	d := make(chan int)
	go func() {
		d <- 1
		d <- 2 // twice
	}()
}
`
	m := model.Parse("p.go", []byte(src))
	sendAt := func(marker string) *model.ChanOp { return sendOnLineOf(t, m, src, marker) }
	for _, tc := range []struct{ marker, blocks string }{
		{"// cond", "it locks a mutex at line 29 and waits on a sync.Cond at line 31"},
		{"// wait", "`collect`, called at line 40, waits on a WaitGroup (line 17)"},
		{"// deep", "`outer`, called at line 44, waits on a WaitGroup (in `collect`, line 17)"},
		{"// fire", ""},
		{"// twice", ""},
	} {
		op := sendAt(tc.marker)
		blocks, _ := m.BlocksBeforeSend(op)
		if blocks != tc.blocks {
			t.Errorf("%s: BlocksBeforeSend = %q; want %q", tc.marker, blocks, tc.blocks)
		}
	}
}

// TestBlocksBeforeTicker: on the typed tier, a receive from a running
// Ticker's C always returns (a tick comes every period), so it is no wait
// before the send; once the Ticker is stopped before it, it is.
func TestBlocksBeforeTicker(t *testing.T) {
	src := `package p

import "time"

func ticks() (<-chan time.Time, <-chan time.Time) {
	g := make(chan time.Time)
	go func() {
		t := time.NewTicker(time.Millisecond)
		for {
			now := <-t.C
			g <- now // ticking
		}
	}()
	h := make(chan time.Time)
	go func() {
		t := time.NewTicker(time.Millisecond)
		t.Stop()
		for {
			now := <-t.C
			h <- now // stopped
		}
	}()
	return g, h
}
`
	p := classPackage(t, src)
	m := model.BuildInPackage(p, p.Files[0], []byte(src), nil)
	for _, tc := range []struct{ marker, blocks string }{
		{"// ticking", ""},
		{"// stopped", "it receives from a channel at line 19"},
	} {
		send := sendOnLineOf(t, m, src, tc.marker)
		if blocks, _ := m.BlocksBefore(send.InGo, send); blocks != tc.blocks {
			t.Errorf("%s: BlocksBefore = %q, want %q", tc.marker, blocks, tc.blocks)
		}
	}
}

// sendOnLineOf is the send written on the line of src holding marker.
func sendOnLineOf(t *testing.T, m *model.File, src, marker string) *model.ChanOp {
	t.Helper()
	line := strings.Count(src[:strings.Index(src, marker)], "\n") + 1
	for _, op := range m.ChanOps {
		if op.Kind == model.Send && m.Line(op.Pos) == line {
			return op
		}
	}
	t.Fatalf("no send on the line of %q", marker)
	return nil
}
