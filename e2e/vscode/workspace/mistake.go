package main

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

// cache has a deliberate concurrency mistake for the end-to-end test: the
// early return in load keeps mu locked, so the next Lock waits forever.
type cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *cache) load(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}
