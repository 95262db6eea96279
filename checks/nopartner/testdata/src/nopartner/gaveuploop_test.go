package nopartner

import (
	"testing"
	"time"
)

// A test runs once: its select loop gives up on stop while the goroutine
// it started still has values to send.
func TestGiveUpInLoop(t *testing.T) {
	out := make(chan int)
	stop := make(chan struct{})
	go func() {
		for i := 0; i < 3; i++ {
			out <- i // want `every receive from out \(made at line 11, unbuffered\) is a case of the select at line 20, whose loop ends when its <-stop case is taken \(line 22\): after that nothing receives, and this send blocks forever; select on the send together with <-stop`
		}
	}()
	close(stop)
	for {
		select {
		case <-out:
		case <-stop:
			return
		}
	}
}

// RIGHT: the sender itself closes done after its last send, so the loop
// gives up only when nothing is left to send.
func TestSenderSignalsDone(t *testing.T) {
	out := make(chan int)
	done := make(chan struct{})
	go func() {
		for i := 0; i < 3; i++ {
			out <- i
		}
		close(done)
	}()
	for {
		select {
		case <-out:
		case <-done:
			return
		}
	}
}

// The same through a method that closes done after sending, started by
// the test: silent.
type batch struct {
	out  chan int
	done chan struct{}
}

func (b *batch) produce() {
	for i := 0; i < 3; i++ {
		b.out <- i
	}
	b.finish()
}

func (b *batch) finish() { close(b.done) }

func (b *batch) consume() {
	for {
		select {
		case <-b.out:
		case <-b.done:
			return
		}
	}
}

func TestBatch(t *testing.T) {
	b := &batch{out: make(chan int), done: make(chan struct{})}
	go b.produce()
	b.consume()
}

// Silent: the send is in a callback handed to another goroutine, which
// decides when (and whether) it runs.
func TestGateCallback(t *testing.T) {
	gate := make(chan struct{})
	quit := make(chan struct{})
	callbacks := make(chan func(), 1)
	gateDone := func() { gate <- struct{}{} }
	go func() {
		f := <-callbacks
		f()
	}()
	for {
		callbacks <- gateDone
		select {
		case <-gate:
		case <-quit:
			return
		}
	}
}

// Silent: the give-up case fails the test; what it leaves blocked is the
// failure's consequence.
func TestGiveUpFails(t *testing.T) {
	c := make(chan struct{})
	for i := 0; i < 3; i++ {
		go func() {
			c <- struct{}{}
		}()
	}
	for i := 0; i < 3; i++ {
		select {
		case <-c:
		case <-time.After(time.Second):
			t.Fatalf("timed out")
		}
	}
}

// Silent: the receiving loop quits on an error it reports as a test
// failure.
func TestLoopFails(t *testing.T) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			if err := check(v); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 3; i++ {
		ch <- i
	}
	close(ch)
}

func check(v int) error { return nil }
