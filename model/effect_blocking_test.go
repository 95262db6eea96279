package model_test

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestEffectMayBlock: an operation a caller reaches through a call blocks
// as it would where it is written: a select case beside a default and a
// TryLock do not, a bare send, a Lock and a Wait do, a close never.
func TestEffectMayBlock(t *testing.T) {
	const src = `package p

import "sync"

func try(ch chan int) {
	select {
	case ch <- 1:
	case <-ch:
	default:
	}
}

func must(ch chan int) { ch <- 1; close(ch) }

func wait(ch chan int) {
	select {
	case ch <- 1:
	}
}

type s struct {
	mu sync.Mutex
	wg sync.WaitGroup
}

func (x *s) tryLock() {
	if x.mu.TryLock() {
		x.mu.Unlock()
	}
}

func (x *s) lock() { x.mu.Lock(); x.wg.Wait() }

func caller(x *s, ch chan int) {
	try(ch)
	must(ch)
	wait(ch)
	x.tryLock()
	x.lock()
}
`
	m := model.Parse("p.go", []byte(src))
	var got []string
	for _, s := range m.Summaries() {
		if s.Name != "caller" {
			continue
		}
		for _, e := range s.Effects {
			got = append(got, e.Via+" "+e.Kind.String()+" line "+strconv.Itoa(m.Line(e.Pos))+" blocks="+map[bool]string{true: "yes", false: "no"}[e.MayBlock()])
		}
	}
	sort.Strings(got)
	want := []string{
		"must closes line 13 blocks=no",
		"must sends on line 13 blocks=yes",
		"try receives from line 8 blocks=no",
		"try sends on line 7 blocks=no",
		"wait sends on line 17 blocks=yes",
		"x.lock locks line 32 blocks=yes",
		"x.lock waits on line 32 blocks=yes",
		"x.tryLock locks line 27 blocks=no",
		"x.tryLock unlocks line 28 blocks=no",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("effects of caller:\n%s\nwant:\n%s", g, w)
	}
}
