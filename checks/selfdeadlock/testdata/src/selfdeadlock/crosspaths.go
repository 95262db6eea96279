package selfdeadlock

import "fmt"

// A print before the send: the send still runs before the receiver starts
// (run: "all goroutines are asleep - deadlock!").
type loggedKicker struct{ kick chan int }

func newLoggedKicker() *loggedKicker { return &loggedKicker{kick: make(chan int)} }

func (k *loggedKicker) run() {
	fmt.Println("run")
	k.kick <- 1
	go func() { <-k.kick }()
}

func useLoggedKicker() {
	k := newLoggedKicker()
	k.run() // want `k.run\(\) sends on k.kick \(line 13\) on an unbuffered channel, and nothing can receive yet: the only receive from it is in run, after that send \(line 14\)`
}

// ---- correct code: silent ----

// run may panic before its send: golens cannot tell that it blocks there.
type guardedKicker struct {
	kick    chan int
	stopped bool
}

func newGuardedKicker() *guardedKicker { return &guardedKicker{kick: make(chan int)} }

func (k *guardedKicker) run() {
	if k.stopped {
		panic("stopped")
	}
	k.kick <- 1
	go func() { <-k.kick }()
}

func useGuardedKicker() {
	k := newGuardedKicker()
	k.run()
}

// A method of another file fills the buffer's last slot first.
func useSplit() {
	s := newSplit()
	s.ch <- 1
	s.start() // want `s.start\(\) sends on s.ch \(crosscall.go:\d+\) when its buffer of 1 is already full \(sent on line \d+\)`
}
