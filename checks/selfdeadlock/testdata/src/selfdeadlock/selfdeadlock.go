package selfdeadlock

import (
	"fmt"
	"os"
)

// ---- buggy ----

func unbuffered() {
	ch := make(chan int)
	ch <- 1 // want `send on unbuffered channel ch blocks forever: nothing can receive from it yet`
	go func() { fmt.Println(<-ch) }()
}

func tooMany() {
	ch := make(chan string, 2)
	ch <- "a"
	ch <- "b"
	ch <- "c" // want `send on channel ch blocks forever: it is send number 3 and the buffer holds 2`
	fmt.Println(<-ch, <-ch, <-ch)
}

func varDecl() {
	var done = make(chan struct{})
	fmt.Println("starting")
	done <- struct{}{} // want `send on unbuffered channel done blocks forever`
	<-done
}

type job struct{ id int }

type runner struct{ n int }

func (r *runner) run() {
	jobs := make(chan job)
	jobs <- job{r.n} // want `send on unbuffered channel jobs blocks forever`
	for j := range jobs {
		r.n += j.id
	}
}

func inClosure() func() int {
	return func() int {
		results := make(chan int)
		results <- 42 // want `send on unbuffered channel results blocks forever`
		return <-results
	}
}

func twoSendsUnbuffered() {
	errs := make(chan error)
	errs <- nil // want `send on unbuffered channel errs`
	errs <- nil
	go func() {
		for range errs {
		}
	}()
}

func nestedBlock(ok bool) {
	if ok {
		ch := make(chan bool)
		ch <- true // want `send on unbuffered channel ch`
		fmt.Println(<-ch)
	}
}

// ---- correct ----

func buffered() {
	ch := make(chan int, 1)
	ch <- 1
	fmt.Println(<-ch)
}

func receiverFirst() {
	ch := make(chan int)
	go func() { fmt.Println(<-ch) }()
	ch <- 1
}

func passedFirst() {
	ch := make(chan int)
	consume(ch)
	ch <- 1
}

func consume(ch chan int) { go func() { <-ch }() }

func receiverStartedViaCall() {
	ch := make(chan int)
	start(func() { <-ch })
	ch <- 1
}

func start(f func()) { go f() }

func bufferedTwo() {
	ch := make(chan string, 2)
	ch <- "a"
	ch <- "b"
	fmt.Println(<-ch, <-ch)
}

func sendInSelectDefault() {
	ch := make(chan int)
	select {
	case ch <- 1:
	default:
	}
}

func conditionalReturn(ok bool) {
	ch := make(chan int)
	if !ok {
		return
	}
	go func() { <-ch }()
	ch <- 1
}

func exitsFirst() {
	ch := make(chan int)
	os.Exit(1)
	ch <- 1
}

// die ends the process on every path: the send after it never runs.
func die() { os.Exit(1) }

func exitsInHelper() {
	ch := make(chan int)
	die()
	ch <- 1
}

func unknownCap(n int) {
	ch := make(chan int, n)
	ch <- 1
	fmt.Println(<-ch)
}

type server struct{ quit chan struct{} }

func (s *server) stop() {
	s.quit = make(chan struct{})
	s.quit <- struct{}{} // a field: another goroutine may hold s
}

func param(ch chan int) {
	ch <- 1
}

func storedFirst(m map[string]chan int) {
	ch := make(chan int)
	m["x"] = ch
	ch <- 1
}

func capturedByDefer() {
	ch := make(chan int, 1)
	defer func() { <-ch }()
	ch <- 1
}
