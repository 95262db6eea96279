// Package main has mistakes golens's checks report: golangci-lint built with
// the golens plugin must report them too.
package main

import (
	"fmt"
	"sync"
)

func closedSend() {
	ch := make(chan int, 1)
	close(ch)
	ch <- 1
}

func lockedReturn(mu *sync.Mutex, fail bool) error {
	mu.Lock()
	if fail {
		return fmt.Errorf("failed")
	}
	mu.Unlock()
	return nil
}

func main() {
	closedSend()
	var mu sync.Mutex
	_ = lockedReturn(&mu, false)
}
