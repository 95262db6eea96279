// A tour of Go concurrency, with the mistakes people really make.
// Run `golens show` to see what golens says about each construct.
package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

func sayHello() { fmt.Println("Hello from a goroutine") }

// Starting goroutines, and waiting for them the wrong way and the right way.
func goroutines() {
	go sayHello()
	time.Sleep(1 * time.Second) // a guess, not a wait

	var wg sync.WaitGroup
	for i := 1; i <= 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println("worker", i)
		}()
	}
	wg.Wait()
}

// Unbuffered and buffered channels, close and range.
func channels() {
	ch := make(chan int)
	go func() {
		ch <- 42
	}()
	fmt.Println(<-ch)

	buf := make(chan int, 2)
	buf <- 1
	buf <- 2
	close(buf)
	v, ok := <-buf
	fmt.Println(v, ok) // 1 true: queued values survive the close

	nums := make(chan int)
	go func() {
		defer close(nums)
		for i := 1; i <= 5; i++ {
			nums <- i
		}
	}()
	for n := range nums {
		fmt.Println(n)
	}

	var lost chan string // declared, never made: nil
	go func() { lost <- "gone" }()
}

// Defer order and argument evaluation.
func defers() {
	x := 5
	defer fmt.Println("deferred x =", x) // prints 5
	x = 10
	defer func() { fmt.Println("closure sees x =", x) }() // prints 10

	f, err := os.Open("example.txt")
	if err != nil {
		return
	}
	defer f.Close()
}

// select: waiting on several channels, with a default and with a timeout.
func selects() {
	ch1 := make(chan string)
	ch2 := make(chan string)
	go func() { ch1 <- "from ch1" }()
	go func() { ch2 <- "from ch2" }()
	select {
	case msg := <-ch1:
		fmt.Println(msg)
	case msg := <-ch2:
		fmt.Println(msg)
	}

	select {
	case msg := <-ch1:
		fmt.Println(msg)
	default:
		fmt.Println("nothing ready")
	}

	// The tutorial's timeout: when the timeout wins, the sender is stuck
	// forever on its unbuffered channel.
	result := make(chan string)
	go func() {
		time.Sleep(2 * time.Second)
		result <- "done"
	}()
	select {
	case msg := <-result:
		fmt.Println(msg)
	case <-time.After(1 * time.Second):
		fmt.Println("timeout")
	}
}

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[key]++
}

func safely() {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r)
		}
	}()
	panic("boom")
}

func main() {
	goroutines()
	channels()
	defers()
	selects()
	c := &counter{n: map[string]int{}}
	c.inc("a")
	safely()
}
