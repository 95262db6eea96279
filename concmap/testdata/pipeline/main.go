package main

import (
	"fmt"
	"sync"
)

func main() {
	jobs := make(chan int, 3)
	results := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go worker(jobs, results, &wg)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	for i := 0; i < 5; i++ {
		jobs <- i
	}
	close(jobs)
	for r := range results {
		fmt.Println(r)
	}
}

func worker(in <-chan int, out chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range in {
		out <- j * j
	}
}
