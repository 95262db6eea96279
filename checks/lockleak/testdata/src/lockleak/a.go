package lockleak

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

type Cache struct {
	mu sync.Mutex
	rw sync.RWMutex
	m  map[string]int
}

// ---- buggy: early return ----

func (c *Cache) Load(k string) (int, error) {
	c.mu.Lock() // want `c.mu stays locked if \(\*Cache\).Load returns on line 22: the Unlock on line 24 is skipped on that path`
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}

func (c *Cache) Get(k string) int {
	c.rw.RLock() // want `c.rw stays locked if \(\*Cache\).Get returns on line 31: the RUnlock on line 34 is skipped`
	if c.m == nil {
		return 0
	}
	v := c.m[k]
	c.rw.RUnlock()
	return v
}

var (
	mu      sync.Mutex
	counter int
)

func bump(limit int) bool {
	mu.Lock() // want `mu stays locked if bump returns on line 46`
	if counter >= limit {
		return false
	}
	counter++
	mu.Unlock()
	return true
}

func inLoop(c *Cache, keys []string) {
	for _, k := range keys {
		c.mu.Lock() // want `c.mu stays locked if inLoop returns on line 57`
		if k == "" {
			return
		}
		c.m[k]++
		c.mu.Unlock()
	}
}

func inSwitch(c *Cache, op int) error {
	c.mu.Lock() // want `c.mu stays locked if inSwitch returns on line 70`
	switch op {
	case 0:
		c.m = nil
	case 1:
		return errMissing
	}
	c.mu.Unlock()
	return nil
}

func literal(c *Cache) func(string) int {
	return func(k string) int {
		c.mu.Lock() // want `c.mu stays locked if the function literal returns on line 81`
		v, ok := c.m[k]
		if !ok {
			return -1
		}
		c.mu.Unlock()
		return v
	}
}

// ---- buggy: locked again ----

func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

func (c *Cache) Put(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Len() > 100 { // a double lock through a call: the deadlock check reports it
		return
	}
	c.m[k] = v
}

func twice() {
	var m sync.Mutex
	m.Lock()
	counter++
	m.Lock() // want `m.Lock\(\) while this goroutine already holds m \(locked on line 107\)`
	m.Unlock()
}

func (c *Cache) upgrade() {
	c.rw.RLock()
	if c.m == nil {
		c.rw.Lock() // want `c.rw.Lock\(\) while this goroutine already holds c.rw`
		c.m = map[string]int{}
		c.rw.Unlock()
	}
	c.rw.RUnlock()
}

// ---- correct ----

func (c *Cache) deferred(k string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing
	}
	return v, nil
}

func (c *Cache) unlockEachPath(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		c.mu.Unlock()
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}

// acquire hands the lock to its caller on success.
func (c *Cache) acquire() error {
	c.mu.Lock()
	if c.m == nil {
		c.mu.Unlock()
		return errMissing
	}
	return nil
}

func (c *Cache) unlockHelper() {}

func (c *Cache) viaHelper(k string) int {
	c.mu.Lock()
	if k == "" {
		c.unlockHelper()
		return 0
	}
	v := c.m[k]
	c.mu.Unlock()
	return v
}

func (c *Cache) deferredClosure(k string) int {
	c.mu.Lock()
	defer func() {
		c.mu.Unlock()
	}()
	if k == "" {
		return 0
	}
	return c.m[k]
}

func (c *Cache) lenLocked() int { return len(c.m) }

func (c *Cache) Put2(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lenLocked() > 100 {
		return
	}
	c.m[k] = v
}

func (c *Cache) afterUnlock() int {
	c.mu.Lock()
	n := len(c.m)
	c.mu.Unlock()
	return n + c.Len()
}

func transfer(a, b *Cache) {
	a.mu.Lock()
	b.mu.Lock()
	b.m["x"] = a.m["x"]
	b.mu.Unlock()
	a.mu.Unlock()
}

func readers(c *Cache) {
	c.rw.RLock()
	c.rw.RUnlock()
	c.rw.Lock()
	c.rw.Unlock()
}

func tryLock(c *Cache) bool {
	if !c.mu.TryLock() {
		return false
	}
	c.mu.Unlock()
	return true
}

func retry(c *Cache, n int) int {
	for i := 0; i < n; i++ {
		c.mu.Lock()
		if c.m != nil {
			v := len(c.m)
			c.mu.Unlock()
			return v
		}
		c.mu.Unlock()
	}
	return 0
}

func panics(c *Cache) {
	c.mu.Lock()
	if c.m == nil {
		panic("nil map")
	}
	c.mu.Unlock()
}
