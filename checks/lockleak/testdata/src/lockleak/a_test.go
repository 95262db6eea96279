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
