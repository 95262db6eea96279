package lockleak

import (
	"sync"
	"testing"
)

// A test blocks a goroutine on purpose: not reported.
func TestBlocked(t *testing.T) {
	var mu sync.Mutex
	go func() {
		mu.Lock()
		mu.Lock()
	}()
}

// A helper type in a test file is ordinary code: its double lock is reported.
type tcounter struct{ mu sync.Mutex }

func (c *tcounter) incr() {
	c.mu.Lock()
	c.mu.Lock() // want `c.mu.Lock\(\) while this goroutine already holds c.mu`
	c.mu.Unlock()
}

// A double lock in the test's own body blocks the test: reported.
func TestSelfBlocked(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	mu.Lock() // want `mu.Lock\(\) while this goroutine already holds mu \(locked on line 29\)`
	mu.Unlock()
}

// In a subtest too.
func TestSubtest(t *testing.T) {
	var mu sync.Mutex
	t.Run("x", func(t *testing.T) {
		mu.Lock()
		mu.Lock() // want `mu.Lock\(\) while this goroutine already holds mu \(locked on line 38\)`
		mu.Unlock()
	})
}
