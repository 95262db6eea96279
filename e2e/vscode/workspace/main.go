// The Go file the real-VS-Code end-to-end test opens: a small worker pool with
// a goroutine, a buffered channel, a select with a timeout and deferred calls.
package main

import (
	"fmt"
	"sync"
	"time"
)

func produce(n int) <-chan int {
	out := make(chan int, n)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			out <- i * i
		}
	}()
	return out
}

func main() {
	var wg sync.WaitGroup
	results := produce(3)
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for v := range results {
			fmt.Println("square", v)
		}
		close(done)
	}()
	select {
	case <-done:
		fmt.Println("all squares printed")
	case <-time.After(2 * time.Second):
		fmt.Println("gave up waiting")
	}
	wg.Wait()
	defer fmt.Println("deferred second")
	defer fmt.Println("deferred first")
}
