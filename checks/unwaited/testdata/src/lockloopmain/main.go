package main

import (
	"fmt"
	"sync"
	"time"
)

func spin() {
	time.Sleep(time.Hour)
	fmt.Println("spin done")
}

// Each pass unlocks what it locks: no pass waits, and main returns while
// the goroutine sleeps.
func main() {
	var mu sync.Mutex
	n := 0
	go spin() // want `main returns without waiting for the goroutine it starts here`
	for i := 0; i < 2; i++ {
		mu.Lock()
		n++
		mu.Unlock()
	}
	fmt.Println(n)
}
