package deferloop

import (
	"os"
	"sync"
	"testing"
)

func TestTable(t *testing.T) {
	for _, p := range []string{"a", "b"} {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // a small table in a test: not reported
	}
}

func TestLocks(t *testing.T) {
	var mu sync.Mutex
	for i := 0; i < 2; i++ {
		mu.Lock()
		defer mu.Unlock() // want `mu stays locked`
	}
}

// t.Fatal ends the test after the defer: one lock, released when the test
// ends (run by the exits helper: the loop makes one pass). Not reported.
func TestFatalInLoop(t *testing.T) {
	var mu sync.Mutex
	for _, p := range []string{"a", "b"} {
		mu.Lock()
		defer mu.Unlock()
		t.Fatal(p)
	}
}
