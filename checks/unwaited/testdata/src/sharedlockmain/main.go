package main

import (
	"fmt"
	"sync"
)

// main's second Lock waits for the goroutine's Unlock, its last act (truth
// program lock_unlock_other_goroutine prints "goroutine unlocks" before
// "main locked again"): main may wait for it through the mutex, which the
// model records (Goroutine.Waited is unknown), so nothing is reported.
func main() {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		fmt.Println("goroutine unlocks")
		mu.Unlock()
	}()
	mu.Lock()
	fmt.Println("main locked again")
	mu.Unlock()
}
