package main

import (
	"fmt"
	"time"
)

type counter struct{ n int }

func (c *counter) add(i int) { c.n += i }

func main() {
	c := &counter{}
	start := time.Now()
	for i := range 10 {
		go c.add(i) // want `main returns without waiting for the goroutines it starts here`
	}
	go func() {
		fmt.Println("side job")
	}()
	fmt.Println(c.n, time.Since(start))
}
