package main

import "sync"

// counter has a deliberate concurrency mistake for the end-to-end test: the
// lock is never released, so the second inc call blocks forever.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) inc() {
	c.mu.Lock()
	c.n++
}
