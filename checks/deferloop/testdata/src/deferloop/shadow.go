package deferloop

import "sync"

type counter struct {
	mu sync.Mutex
	n  int
}

// The c assigned in the loop is another variable (declared in the inner
// block): the outer c, whose mutex is locked, is the same each iteration,
// so the second Lock waits forever (run: "all goroutines are asleep").
func bump(c *counter, others []*counter) {
	for range 2 {
		if len(others) > 0 {
			c := others[0]
			c = others[len(others)-1]
			c.n++
		}
		c.mu.Lock()
		defer c.mu.Unlock() // want `c.mu stays locked`
		c.n++
	}
}
