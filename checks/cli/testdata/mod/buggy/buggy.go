package buggy

import (
	"errors"
	"sync"
)

type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Load(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errors.New("missing")
	}
	c.mu.Unlock()
	return v, nil
}
