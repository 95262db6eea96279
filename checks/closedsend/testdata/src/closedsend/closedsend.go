package closedsend

import (
	"errors"
	"fmt"
	"sync"
)

// ---- buggy ----

func sendAfterClose() {
	ch := make(chan int, 1)
	close(ch)
	ch <- 1 // want `send on channel ch after it was closed on line 13: a send on a closed channel panics`
}

func closeTwice(done chan struct{}) {
	close(done)
	fmt.Println("closed")
	close(done) // want `channel done is closed a second time \(first on line 18\): closing a closed channel panics`
}

func sendNested(ch chan int, xs []int) {
	close(ch)
	for _, x := range xs {
		if x > 0 {
			ch <- x // want `send on channel ch after it was closed`
		}
	}
}

func deferredSecondClose(ch chan int) {
	close(ch)
	defer close(ch) // want `channel ch is closed a second time`
}

func inSelect(ch chan int, quit chan struct{}) {
	close(ch)
	select {
	case ch <- 1: // want `send on channel ch after it was closed`
	case <-quit:
	}
}

type pool struct {
	jobs chan int
	mu   sync.Mutex
}

func (p *pool) stop() {
	close(p.jobs)
	p.jobs <- 0 // want `send on channel p.jobs after it was closed`
}

func closure() func() {
	return func() {
		results := make(chan error, 2)
		close(results)
		results <- errors.New("late") // want `send on channel results after it was closed`
	}
}

func inLoopBody(chs []chan int) {
	for {
		ch := make(chan int, 1)
		close(ch)
		ch <- 1 // want `send on channel ch after it was closed`
		_ = chs
	}
}

func inCase(ch chan int, n int) {
	switch n {
	case 1:
		close(ch)
		close(ch) // want `channel ch is closed a second time`
	}
}

// ---- correct ----

// branches: the closes are on different paths.
func branches(ch chan int, ok bool) {
	if ok {
		close(ch)
	} else {
		ch <- 1
		close(ch)
	}
}

func switchBranches(ch chan int, n int) {
	switch n {
	case 1:
		close(ch)
	case 2:
		close(ch)
	default:
		ch <- n
	}
}

func selectBranches(ch chan int, quit chan struct{}) {
	select {
	case <-quit:
		close(ch)
	case ch <- 1:
		close(ch)
	}
}

// onlySender closes after its last send: the idiom.
func onlySender(n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			out <- i
		}
	}()
	return out
}

func sendThenClose(ch chan int) {
	ch <- 1
	close(ch)
}

func remade(ch chan int) {
	close(ch)
	ch = make(chan int, 1)
	ch <- 1
}

func earlyReturn(ch chan int, done bool) {
	if done {
		close(ch)
		return
	}
	ch <- 1
}

func otherStruct(a, b *pool) {
	close(a.jobs)
	b.jobs <- 1
}

func (p *pool) restart() {
	close(p.jobs)
	p.reset()
	p.jobs <- 1
}

func (p *pool) reset() { p.jobs = make(chan int, 1) }

// recovered closes on purpose, as a test of the panic would.
func recovered(ch chan int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	close(ch)
	ch <- 1
	return nil
}

func sendInLaterGoroutine(ch chan int) {
	close(ch)
	go func() {
		ch := make(chan int, 1)
		ch <- 1
	}()
}

func onceClose(ch chan int, once *sync.Once) {
	once.Do(func() { close(ch) })
	once.Do(func() { close(ch) })
}

func withGoto(ch chan int, first bool) {
	if first {
		goto send
	}
	close(ch)
	return
send:
	ch <- 1
}

func closedInClosureReassigned() {
	ch := make(chan int, 1)
	renew := func() { ch = make(chan int, 1) }
	close(ch)
	renew()
	ch <- 1
}

// ---- loops ----

func closeInLoop(ch chan int, xs []int) {
	for _, x := range xs {
		ch <- x // want `send on channel ch in a loop that closes it on line \d+: the next iteration sends on a closed channel, which panics`
		close(ch)
	}
}

func closeForever(done chan struct{}, work func()) {
	for {
		work()
		close(done) // want `channel done is closed in a loop: the next iteration closes it again, which panics`
	}
}

type fleet struct {
	quit chan struct{}
}

func stopAll(ws []*fleet) {
	for _, w := range ws {
		close(w.quit) // a different channel each time
	}
}

func closeEach(chs []chan int) {
	for i := range chs {
		close(chs[i])
	}
}

func closeOnceThenBreak(ch chan int, xs []int) {
	for _, x := range xs {
		if x > 0 {
			continue
		}
		close(ch)
		break
	}
}

func remadeInLoop(xs []int) {
	var ch chan int
	for range xs {
		ch = make(chan int, 1)
		ch <- 1
		close(ch)
	}
}

func conditionalLoop(ch chan int, n int) {
	for i := 0; i < n; i++ {
		close(ch)
	}
}

// ---- reachability from the model's control-flow graph ----

// A goto elsewhere in the function does not hide the send: it runs right
// after the close (run by the exits helper: "send on closed channel").
func gotoElsewhere(ch chan int, retry bool) {
again:
	if retry {
		retry = false
		goto again
	}
	close(ch)
	ch <- 1 // want `send on channel ch after it was closed`
}

// The break leaves the select, not the loop: the next pass closes again
// (run by the exits helper: "close of closed channel").
func loopWithSelectBreak(ch chan int, in <-chan int) {
	for {
		select {
		case v := <-in:
			if v == 0 {
				break
			}
		}
		close(ch) // want `channel ch is closed in a loop: the next iteration closes it again, which panics`
	}
}

// The send is dead code: both branches leave the function first.
func deadAfterBranches(ch chan int, x bool) {
	close(ch)
	if x {
		return
	} else {
		panic("no")
	}
	ch <- 1
}

// Each pass may leave the loop through the labeled break: not reported.
func labeledBreak(ch chan int, in <-chan int) {
loop:
	for {
		select {
		case <-in:
			break loop
		default:
		}
		close(ch)
	}
}
