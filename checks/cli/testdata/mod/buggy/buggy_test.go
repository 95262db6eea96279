package buggy

import (
	"sync"
	"testing"
)

func TestWorkers(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		go func() {
			defer wg.Done()
		}()
	}
	wg.Wait()
}
