package condwait

import (
	"sync"
	"testing"
	"testing/synctest"
)

type queue struct {
	c     *sync.Cond
	items []int
	ready bool
}

func (q *queue) popIf() int {
	q.c.L.Lock()
	defer q.c.L.Unlock()
	if len(q.items) == 0 {
		q.c.Wait() // want `q.c.Wait\(\) under an if, not a for`
	}
	return q.items[0]
}

func (q *queue) pop() int {
	q.c.L.Lock()
	defer q.c.L.Unlock()
	for len(q.items) == 0 {
		q.c.Wait()
	}
	return q.items[0]
}

func (q *queue) waitBare() {
	q.c.L.Lock()
	q.c.Wait() // want `q.c.Wait\(\) checks no condition: a Signal or Broadcast sent before this goroutine reaches Wait is lost`
	q.c.L.Unlock()
}

func (q *queue) waitReady() {
	q.c.L.Lock()
	for !q.ready {
		q.c.Wait()
	}
	q.c.L.Unlock()
}

// A WaitGroup's Wait is not a Cond's.
func waitAll(wg *sync.WaitGroup) { wg.Wait() }

// A goto back to a label above the Wait is a loop that re-checks the
// condition (ants's retrieveWorker).
func (q *queue) popRetry() int {
	q.c.L.Lock()
	defer q.c.L.Unlock()
retry:
	if len(q.items) > 0 {
		return q.items[0]
	}
	q.c.Wait()
	goto retry
}

// The waiter announces, holding the lock, that it is about to wait (a
// send, a goroutine started, a shared write); a signaller that learns of
// it must take the lock, which Wait releases only once it waits: no
// Signal is lost (sync's own tests, runtime/pprof's blockCond).
func announceBySend(c *sync.Cond, running chan bool) {
	c.L.Lock()
	running <- true
	c.Wait()
	c.L.Unlock()
}

func announceByGo() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	go func() {
		mu.Lock()
		c.Signal()
		mu.Unlock()
	}()
	c.Wait()
	mu.Unlock()
}

func (q *queue) announceByWrite() {
	q.c.L.Lock()
	q.ready = true
	q.c.Wait()
	q.c.L.Unlock()
}

// A local write announces nothing.
func localWrite(c *sync.Cond) {
	c.L.Lock()
	n := 1
	_ = n
	c.Wait() // want `c.Wait\(\) checks no condition`
	c.L.Unlock()
}

// In a synctest bubble, time is fake and goroutines run in a fixed order:
// the test decides when the Signal comes.
func TestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		c := sync.NewCond(&mu)
		mu.Lock()
		go c.Signal()
		c.Wait()
		mu.Unlock()
	})
}

// A Wait method that forwards to the Cond leaves the condition to its
// caller, which loops (pebble's flusherCond.Wait).
type flusherCond struct{ cond sync.Cond }

func (c *flusherCond) Wait() {
	c.cond.Wait()
}

func (q *queue) flushLoop(f *flusherCond) {
	for len(q.items) == 0 {
		f.Wait()
	}
}

// The signallers of queue and flusherCond (a Cond that nothing signals
// is reported on its own: unsignaled_test.go).
func (q *queue) push(v int) {
	q.c.L.Lock()
	q.items = append(q.items, v)
	q.ready = true
	q.c.L.Unlock()
	q.c.Broadcast()
}

func (c *flusherCond) Signal() { c.cond.Signal() }
