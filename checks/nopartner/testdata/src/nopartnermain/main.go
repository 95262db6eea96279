// Package main: the exported senders of package nopartner's library
// servers, here with every caller in view. A goroutine main starts and
// does not wait for sends while main stops the loop: that send can come
// after the stop and block forever. Reported.
package main

import (
	"log"
	"time"
)

type server struct {
	reqs chan int
	quit chan struct{}
}

func newServer() *server {
	s := &server{reqs: make(chan int), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *server) loop() {
	for {
		select {
		case r := <-s.reqs:
			_ = r
		case <-s.quit:
			return
		}
	}
}

func (s *server) Stop() { close(s.quit) }

func (s *server) Submit(r int) {
	s.reqs <- r // want `every receive from s.reqs \(made at line 18, unbuffered\) is a case of the select at line 25, whose loop ends when its <-s.quit case is taken \(line 28\): after that nothing receives, and this send blocks forever; select on the send together with <-s.quit`
}

func feed(s *server) {
	for i := 0; i < 3; i++ {
		s.Submit(i)
	}
}

// The quit case returns on both branches of an if.
type branchyServer struct {
	reqs chan int
	quit chan struct{}
}

func newBranchyServer(verbose bool) *branchyServer {
	s := &branchyServer{reqs: make(chan int), quit: make(chan struct{})}
	go s.loop(verbose)
	return s
}

func (s *branchyServer) loop(verbose bool) {
	for {
		select {
		case r := <-s.reqs:
			_ = r
		case <-s.quit:
			if verbose {
				log.Print("stopping")
				return
			} else {
				return
			}
		}
	}
}

func (s *branchyServer) Stop() { close(s.quit) }

func (s *branchyServer) Submit(r int) {
	s.reqs <- r // want `every receive from s.reqs \(made at line 53, unbuffered\) is a case of the select at line 60, whose loop ends when its <-s.quit case is taken \(line 63\)`
}

func feedBranchy(s *branchyServer) { s.Submit(1) }

// Two levels up, a goroutine nobody waits for.
type store struct {
	reqs chan int
	quit chan struct{}
}

func newStore() *store {
	s := &store{reqs: make(chan int), quit: make(chan struct{})}
	go func() {
		for {
			select {
			case <-s.reqs:
			case <-s.quit:
				return
			}
		}
	}()
	return s
}

func (s *store) call(v int) { s.reqs <- v } // want `every receive from s.reqs \(made at line \d+, unbuffered\) is a case of the select at line \d+, whose loop ends when its <-s.quit case is taken`
func (s *store) Put(v int)  { s.call(v) }
func (s *store) Stop()      { close(s.quit) }

func fill(s *store) { s.Put(1) }

// The loop's quit case is never taken: its only close is in Halt, which
// nothing in the program calls, so every send is received. Not reported
// (truth/r18b_loop_never_stopped).
type meter struct {
	incr chan int
	quit chan struct{}
}

func newMeter() *meter {
	m := &meter{incr: make(chan int), quit: make(chan struct{})}
	go func() {
		n := 0
		for {
			select {
			case d := <-m.incr:
				n += d
			case <-m.quit:
				return
			}
		}
	}()
	return m
}

func (m *meter) Halt() { close(m.quit) }

func main() {
	mt := newMeter()
	mt.incr <- 1

	s := newServer()
	go feed(s)
	s.Stop()

	b := newBranchyServer(false)
	go feedBranchy(b)
	b.Stop()

	st := newStore()
	go fill(st)
	st.Stop()

	time.Sleep(10 * time.Millisecond)

	watchAll()
	watchTimed()
}
