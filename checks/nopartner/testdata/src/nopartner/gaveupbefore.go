package nopartner

import (
	"sync"
	"time"
)

// A sender that waits on a Cond before its send (nothing may ever signal
// it): the finding says what happens if the goroutine reaches the send,
// and what it can wait on first, not that the send is where it blocks.
type condQueue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func (q *condQueue) take(out chan<- int) {
	q.mu.Lock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.mu.Unlock()
	out <- v // want `every receive from out \(made at line 30, unbuffered\) is a case of the select at line 32, which can take its <-time.After\(time.Millisecond\) case instead \(line 35\): after that nothing receives, and if the goroutine reaches this send, it blocks there forever \(before the send, it locks a mutex at line 18 and waits on a sync.Cond at line 20: a buffer does not end a wait there\); let the sender select on the send together with a done channel \(or a context\) that the receiving side closes \(cancels\) when it gives up`
}

func takeOnce() int {
	q := &condQueue{}
	q.cond = sync.NewCond(&q.mu)
	out := make(chan int)
	go q.take(out)
	select {
	case v := <-out:
		return v
	case <-time.After(time.Millisecond):
		return -1
	}
}

var taken = takeOnce()
