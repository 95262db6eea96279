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
	sendAt := func(marker string) *model.ChanOp {
		line := strings.Count(src[:strings.Index(src, marker)], "\n") + 1
		for _, op := range m.ChanOps {
			if op.Kind == model.Send && m.Line(op.Pos) == line {
				return op
			}
		}
		t.Fatalf("no send on the line of %q", marker)
		return nil
	}
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
