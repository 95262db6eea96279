package main

import (
	"fmt"
	"sync"
	"time"
)

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[key]++
}

func main() {
	c := counter{n: map[string]int{}}
	done := make(chan struct{})
	for i := 0; i < 2; i++ {
		go func() {
			c.inc("a")
			done <- struct{}{}
		}()
	}
	for i := 0; i < 2; i++ {
		select {
		case <-done:
		case <-time.After(time.Second):
			fmt.Println("timeout")
		}
	}
	c.mu.Lock()
	fmt.Println(c.n["a"])
	c.mu.Unlock()
}
