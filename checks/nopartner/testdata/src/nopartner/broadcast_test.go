package nopartner

import (
	"log"
	"testing"
)

// ---- one send, two waiters ----

type bcStopper struct{ done chan struct{} }

func (s *bcStopper) serve()   { <-s.done }
func (s *bcStopper) monitor() { <-s.done } // want `2 goroutines each wait for a value on s.done \(this one and line 12\), but only one send \(line 15\) ever runs, once: one receiver takes the value and the other blocks forever; close s.done to wake every waiter`

func (s *bcStopper) stop() { s.done <- struct{}{} }

func TestStopper(t *testing.T) {
	s := &bcStopper{done: make(chan struct{})}
	go s.serve()
	go s.monitor()
	s.stop()
}

// RIGHT: a close wakes both.
type bcCloser struct{ done chan struct{} }

func (c *bcCloser) serve()   { <-c.done }
func (c *bcCloser) monitor() { <-c.done }

func TestCloser(t *testing.T) {
	c := &bcCloser{done: make(chan struct{})}
	go c.serve()
	go c.monitor()
	close(c.done)
}

// Silent: each waiter has its own instance, and one send each would be
// needed; the rule sees one send for the two instances and stays quiet.
type bcSingle struct{ done chan struct{} }

func TestTwoInstances(t *testing.T) {
	a := &bcSingle{done: make(chan struct{})}
	b := &bcSingle{done: make(chan struct{})}
	go func() { <-a.done }()
	go func() { <-b.done }()
	a.done <- struct{}{}
}

// Silent: the send runs in a loop, once per waiter.
func TestSendPerWaiter(t *testing.T) {
	done := make(chan struct{})
	go func() { <-done }()
	go func() { <-done }()
	for i := 0; i < 2; i++ {
		done <- struct{}{}
	}
}

// An if that cannot leave before a waiter's receive does not stop the
// receive from running on every call (the model's RunCertain).
type bcVerbose struct {
	done    chan struct{}
	verbose bool
}

func (s *bcVerbose) serve() { <-s.done }
func (s *bcVerbose) monitor() {
	if s.verbose {
		println("monitor")
	}
	<-s.done // want `2 goroutines each wait for a value on s.done`
}

func TestVerbose(t *testing.T) {
	s := &bcVerbose{done: make(chan struct{})}
	go s.serve()
	go s.monitor()
	s.done <- struct{}{}
}

// Silent: a logger's Fatal before a waiter's receive may end the program
// first, so the receive does not run on every call.
type bcFatal struct {
	done chan struct{}
	log  *log.Logger
}

func (s *bcFatal) serve() { <-s.done }
func (s *bcFatal) monitor() {
	s.log.Fatal("monitor")
	<-s.done
}

func TestFatalWaiter(t *testing.T) {
	s := &bcFatal{done: make(chan struct{})}
	go s.serve()
	go s.monitor()
	s.done <- struct{}{}
}
