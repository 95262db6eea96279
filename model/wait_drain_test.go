package model_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestWaitNeverReturns pins the waitbeforedrain deadlock as a goroutine's
// fact: proven for a worker that sends on an unbuffered local before its
// deferred Done when the only drain follows the Wait; not when the
// channel may have room, a receive can run before the Wait, the Done comes
// before the send, the send is on some paths only, or the Wait is in a
// loop.
func TestWaitNeverReturns(t *testing.T) {
	src := `package p

import "sync"

func never(nums []int) int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, n := range nums {
		wg.Add(1)
		go func() { // never
			defer wg.Done()
			out <- n
		}()
	}
	wg.Wait()
	close(out)
	s := 0
	for v := range out {
		s += v
	}
	return s
}

func roomy(nums []int) int {
	out := make(chan int, len(nums))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // roomy
		defer wg.Done()
		out <- 1
	}()
	wg.Wait()
	return <-out
}

func drainedFirst() int {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // drainedFirst
		defer wg.Done()
		out <- 1
	}()
	v := <-out
	wg.Wait()
	return v + <-out
}

func doneFirst() int {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // doneFirst
		wg.Done()
		out <- 1
	}()
	wg.Wait()
	return <-out
}

func someSend(ok bool) int {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // someSend
		defer wg.Done()
		if ok {
			out <- 1
		}
	}()
	wg.Wait()
	return <-out
}

func inLoop(k int) int {
	out := make(chan int)
	var wg sync.WaitGroup
	s := 0
	for i := 0; i < k; i++ {
		wg.Add(1)
		go func() { // inLoop
			defer wg.Done()
			out <- i
		}()
		if i > 0 {
			wg.Wait()
		}
		s += <-out
	}
	return s
}

func send(v int, out chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	out <- v
}

func worker() int {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go send(1, out, &wg) // worker
	wg.Wait()
	close(out)
	s := 0
	for v := range out {
		s += v
	}
	return s
}

func sendSome(v int, out chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	if v > 0 {
		out <- v
	}
}

func workerSome(v int) int {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go sendSome(v, out, &wg) // workerSome
	wg.Wait()
	close(out)
	s := 0
	for v := range out {
		s += v
	}
	return s
}

func closedFirst() int {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // closedFirst
		defer wg.Done()
		out <- 1
	}()
	close(out)
	wg.Wait()
	s := 0
	for v := range out {
		s += v
	}
	return s
}
`
	m := model.Parse("p.go", []byte(src))
	goAt := func(marker string) *model.Goroutine {
		line := strings.Count(src[:strings.Index(src, "// "+marker+"\n")], "\n") + 1
		for _, g := range m.Goroutines {
			if m.Line(g.Pos) == line {
				return g
			}
		}
		t.Fatalf("no goroutine at %s", marker)
		return nil
	}
	d := m.WaitNeverReturns(goAt("never"))
	if d == nil {
		t.Fatalf("never: no fact")
	}
	if d.Chan.Name != "out" || m.Line(d.Send.Pos) != 12 || m.Line(d.Drain.Pos) != 18 {
		t.Errorf("never: %s, send line %d, drain line %d; want out, 12, 18", d.Chan.Name, m.Line(d.Send.Pos), m.Line(d.Drain.Pos))
	}
	// A worker function the channel is passed to: its send on the
	// parameter is the goroutine's.
	if d := m.WaitNeverReturns(goAt("worker")); d == nil {
		t.Errorf("worker: no fact")
	} else if d.Chan.Name != "out" || m.Line(d.Send.Pos) != 95 {
		t.Errorf("worker: %s, send line %d; want out, 95", d.Chan.Name, m.Line(d.Send.Pos))
	}
	// The deadlock fact the check reports covers a send on some paths
	// and a close before the Wait; the goroutine's hover states it only
	// where the send certainly runs into it.
	deadlocks := map[int]bool{}
	for _, d := range m.WaitDeadlocks() {
		deadlocks[m.Line(d.Wait.Pos)] = true
	}
	for _, line := range []int{15, 71, 103, 124, 142} {
		if !deadlocks[line] {
			t.Errorf("no WaitDeadlock at the Wait of line %d", line)
		}
	}
	for _, name := range []string{"roomy", "drainedFirst", "doneFirst", "someSend", "inLoop", "workerSome", "closedFirst"} {
		if d := m.WaitNeverReturns(goAt(name)); d != nil {
			t.Errorf("%s: WaitNeverReturns says the send at line %d is drained only after the Wait", name, m.Line(d.Send.Pos))
		}
	}
}
