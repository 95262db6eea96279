package nopartner

import (
	"fmt"
	"sync"
)

// A logger whose loop ends on quit. Every caller of log also stops the
// logger itself: the rule cannot tell that a log comes after the stop,
// and stays silent.
type csLogger struct {
	lines chan string
	quit  chan struct{}
	done  chan struct{}
}

func newCSLogger() *csLogger {
	l := &csLogger{lines: make(chan string), quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for {
			select {
			case s := <-l.lines:
				fmt.Println(s)
			case <-l.quit:
				return
			}
		}
	}()
	return l
}

func (l *csLogger) log(s string) { l.lines <- s }

func (l *csLogger) stop() {
	close(l.quit)
	<-l.done
}

func ServeCS() {
	l := newCSLogger()
	defer l.stop()
	l.log("one")
	l.log("two")
}

// The same logger, but one caller of log never stops it while another
// does: that log may come after the stop. Both are exported, so the order
// is their callers', outside the package and not in view: the finding says
// what a LogCS2 after StopCS2 does (reported plainly in package main:
// nopartnermain).
type cs2Logger struct {
	lines chan string
	quit  chan struct{}
}

func newCS2Logger() *cs2Logger {
	l := &cs2Logger{lines: make(chan string), quit: make(chan struct{})}
	go func() {
		for {
			select {
			case s := <-l.lines:
				fmt.Println(s)
			case <-l.quit:
				return
			}
		}
	}()
	return l
}

func (l *cs2Logger) log(s string) { l.lines <- s } // want `after that nothing receives, and a call of LogCS2 made after that \(by callers outside the package, which golens does not see\) blocks forever at this send`

func (l *cs2Logger) stop() { close(l.quit) }

func StopCS2(l *cs2Logger) { l.stop() }

func LogCS2(l *cs2Logger) { l.log("late") }

func NewCS2() *cs2Logger { return newCS2Logger() }

// An actor whose send is in a helper (call) that Get and Put call, and
// whose only callers of those are a function that defers Stop and a
// goroutine it starts and waits for: every path up to the send holds the
// stop. Silent.
type csStore struct {
	reqs chan int
	quit chan struct{}
}

func newCSStore() *csStore {
	s := &csStore{reqs: make(chan int), quit: make(chan struct{})}
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

func (s *csStore) call(v int) { s.reqs <- v }
func (s *csStore) get()       { s.call(0) }
func (s *csStore) put(v int)  { s.call(v) }
func (s *csStore) stop()      { close(s.quit) }

func csFill(s *csStore, wg *sync.WaitGroup) {
	defer wg.Done()
	s.put(1)
}

func RunCSStore() {
	s := newCSStore()
	defer s.stop()
	var wg sync.WaitGroup
	wg.Add(1)
	go csFill(s, &wg)
	wg.Wait()
	s.get()
}

// The same store, but the goroutine that puts is not waited for: its put
// may come after the deferred stop. Reported.
type cs3Store struct {
	reqs chan int
	quit chan struct{}
}

func newCS3Store() *cs3Store {
	s := &cs3Store{reqs: make(chan int), quit: make(chan struct{})}
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

func (s *cs3Store) call(v int) { s.reqs <- v } // want `every receive from s.reqs \(made at line \d+, unbuffered\) is a case of the select at line \d+, whose loop ends when its <-s.quit case is taken`
func (s *cs3Store) put(v int)  { s.call(v) }
func (s *cs3Store) stop()      { close(s.quit) }

func cs3Fill(s *cs3Store) { s.put(1) }

func RunCS3Store() {
	s := newCS3Store()
	defer s.stop()
	go cs3Fill(s)
	s.put(2)
}

// Two levels up, a caller that never stops, but exported: what a PutCS4
// after StopCS4 does (reported plainly in nopartnermain).
type cs4Store struct {
	reqs chan int
	quit chan struct{}
}

func newCS4Store() *cs4Store {
	s := &cs4Store{reqs: make(chan int), quit: make(chan struct{})}
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

func (s *cs4Store) call(v int) { s.reqs <- v } // want `after that nothing receives, and a call of PutCS4 made after that \(by callers outside the package, which golens does not see\) blocks forever at this send`
func (s *cs4Store) put(v int)  { s.call(v) }
func (s *cs4Store) stop()      { close(s.quit) }

func StopCS4(s *cs4Store) { s.stop() }

func PutCS4(s *cs4Store) { s.put(1) }
func NewCS4() *cs4Store  { return newCS4Store() }
