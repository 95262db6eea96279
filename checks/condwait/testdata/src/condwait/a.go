package condwait

import "sync"

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
