// Locks main takes and releases before it starts the goroutine that holds
// the mutex across a wait are no partner's need: the goroutine does not run
// yet. A Lock after the go statement is.
package main

import "sync"

type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

// worker holds q.mu while it sends on ready.
func (q *queue) worker(ready chan<- struct{}, out chan<- int) {
	q.mu.Lock()
	ready <- struct{}{}
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.mu.Unlock()
	out <- v
}

type box struct {
	mu sync.Mutex
	n  int
}

// hold holds b.mu while it sends on ready.
func (b *box) hold(ready chan<- int) {
	b.mu.Lock()
	ready <- b.n // want `the send on ready can block while this goroutine holds b.mu \(locked on line \d+\), and the code that receives from it must lock b.mu first`
	b.mu.Unlock()
}

type pipe struct {
	mu sync.Mutex
	n  int
}

// feed holds p.mu while it sends on ready.
func (p *pipe) feed(ready chan<- int) {
	p.mu.Lock()
	ready <- p.n
	p.mu.Unlock()
}

// start runs once (main calls it once): its Lock comes before feed runs.
func (p *pipe) start() int {
	ready := make(chan int)
	p.mu.Lock()
	p.n = 2
	p.mu.Unlock()
	go p.feed(ready)
	return <-ready
}

func main() {
	p := &pipe{}
	p.start()

	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	ready := make(chan struct{})
	out := make(chan int)
	q.mu.Lock()
	q.items = nil
	q.mu.Unlock()
	go q.worker(ready, out)
	<-ready
	q.mu.Lock()
	q.items = append(q.items, 1)
	q.cond.Signal()
	q.mu.Unlock()
	<-out

	b := &box{}
	got := make(chan int)
	b.mu.Lock()
	b.n = 1
	b.mu.Unlock()
	go b.hold(got)
	b.mu.Lock()
	<-got // want `the receive from got can block while this goroutine holds b.mu`
	b.mu.Unlock()
}
