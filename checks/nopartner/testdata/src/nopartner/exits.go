package nopartner

import (
	"log"
	"os"
)

// ---- whether a stop case leaves the loop, as the model's control flow says ----

// The quit case returns on both branches of an if: after it nothing
// receives (run: Submit after Stop blocks, "all goroutines are asleep").
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

// Exported: its callers are not in view (reported plainly in nopartnermain).
func (s *branchyServer) Submit(r int) {
	s.reqs <- r // want `after that nothing receives, and a call of \(\*branchyServer\).Submit made after that \(by callers outside the package, which golens does not see\) blocks forever at this send`
}

// ---- silent ----

// A break of the labelled select leaves the select, not the loop: the
// loop goes on receiving after a pause.
type pausingServer struct {
	reqs  chan int
	pause chan struct{}
}

func newPausingServer() *pausingServer {
	s := &pausingServer{reqs: make(chan int), pause: make(chan struct{})}
	go s.loop()
	return s
}

func (s *pausingServer) loop() {
	for {
	sel:
		select {
		case r := <-s.reqs:
			_ = r
		case <-s.pause:
			break sel
		}
	}
}

func (s *pausingServer) Pause() { s.pause <- struct{}{} }

func (s *pausingServer) Submit(r int) {
	s.reqs <- r
}

// The quit case ends the process: nothing is left to wait forever.
type exitingServer struct {
	reqs chan int
	quit chan struct{}
}

func newExitingServer() *exitingServer {
	s := &exitingServer{reqs: make(chan int), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *exitingServer) loop() {
	for {
		select {
		case r := <-s.reqs:
			_ = r
		case <-s.quit:
			os.Exit(0)
		}
	}
}

func (s *exitingServer) Stop() { close(s.quit) }

func (s *exitingServer) Submit(r int) {
	s.reqs <- r
}
