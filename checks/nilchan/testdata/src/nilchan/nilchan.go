package nilchan

import (
	"fmt"
	"time"
)

// ---- buggy ----

func sendNever() {
	var ch chan int
	go func() {
		ch <- 1 // want `send on nil channel ch blocks forever: ch is declared but never made`
	}()
	fmt.Println(<-ch) // want `receive from nil channel ch blocks forever`
}

func rangeNever() {
	var results chan string
	for r := range results { // want `range over nil channel results blocks forever before the first iteration`
		fmt.Println(r)
	}
}

func recvStatement() {
	var done chan struct{}
	go func() { close(done) }()
	<-done // want `receive from nil channel done blocks forever`
}

func grouped() {
	var (
		errs chan error
	)
	if err := <-errs; err != nil { // want `receive from nil channel errs`
		fmt.Println(err)
	}
}

func selectOnlyCase() {
	var ch chan int
	select {
	case v := <-ch: // want `receive from nil channel ch`
		fmt.Println(v)
	}
}

type worker struct{ n int }

func (w *worker) run() {
	var jobs chan int
	for j := range jobs { // want `range over nil channel jobs`
		w.n += j
	}
}

func inClosure() func() {
	var ch chan int
	return func() {
		ch <- 1 // want `send on nil channel ch`
	}
}

func receiveOnly() {
	var in <-chan int
	fmt.Println(<-in) // want `receive from nil channel in`
}

// ---- correct ----

func made() {
	ch := make(chan int, 1)
	ch <- 1
	fmt.Println(<-ch)
}

func madeLater() {
	var ch chan int
	ch = make(chan int, 1)
	ch <- 1
	fmt.Println(<-ch)
}

func madeInClosure() {
	var ch chan int
	func() { ch = make(chan int, 1) }()
	ch <- 1
}

func assignedFromCall(f func() chan int) {
	var ch chan int
	ch = f()
	<-ch
}

// disable: setting a channel to nil disables its select case.
func disable(a, b chan int) {
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			fmt.Println(v)
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			fmt.Println(v)
		}
	}
}

// optionalTimeout: a nil channel in a select with other cases never fires.
func optionalTimeout(in chan int, d time.Duration) {
	var timeout <-chan time.Time
	if d > 0 {
		timeout = time.After(d)
	}
	select {
	case v := <-in:
		fmt.Println(v)
	case <-timeout:
	}
}

func neverReady(in chan int) {
	var never chan int
	select {
	case v := <-in:
		fmt.Println(v)
	case never <- 1:
	}
}

func localNilSet() {
	var ch chan int
	ch = nil
	select {
	case <-ch:
	default:
	}
}

func guarded() {
	var done chan struct{}
	if done != nil {
		<-done
	}
}

func viaPointer(set func(*chan int)) {
	var ch chan int
	set(&ch)
	<-ch
}

func rangeAssign(chans []chan int) {
	var ch chan int
	for _, ch = range chans {
	}
	<-ch
}

type server struct {
	quit chan struct{}
}

func newServer() *server { return &server{quit: make(chan struct{})} }

func (s *server) wait() {
	<-s.quit // a field: made by a constructor
}

func param(ch chan int) {
	<-ch
}

var global chan int

func usesGlobal() {
	<-global // package level: may be made by init or another file
}

func tupleAssigned(m map[string]chan int) {
	var ch chan int
	var ok bool
	ch, ok = m["x"]
	if ok {
		<-ch
	}
}

type result struct{ v int }

func rangeVars(chans []chan result) {
	for _, ch := range chans {
		ch <- result{1}
	}
	for _, ch := range chans {
		for r := range ch {
			fmt.Println(r)
		}
	}
}

func typeSwitch(x any) {
	switch ch := x.(type) {
	case chan int:
		ch <- 1
	}
}

func twoNames() {
	var a, b chan int
	a <- 1 // want `send on nil channel a`
	b = make(chan int)
	<-b
}
