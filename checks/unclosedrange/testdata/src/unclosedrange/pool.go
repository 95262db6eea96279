package unclosedrange

import (
	"fmt"
	"sync"
)

func rangeWorker(id int, jobs <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		fmt.Println(id, j)
	}
}

// forgotClose never closes jobs: every worker waits forever, and so does
// wg.Wait.
func forgotClose(n int) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go rangeWorker(w, jobs, &wg) // want `channel jobs is never closed, but rangeWorker ranges over it \(line 10\): the goroutine waits forever after the last value`
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	wg.Wait()
}

func closedPool(n int) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go rangeWorker(w, jobs, &wg)
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

func stoppableWorker(jobs <-chan int, quit <-chan struct{}) {
	for {
		select {
		case j := <-jobs:
			fmt.Println(j)
		case <-quit:
			return
		}
	}
}

func selectPool() {
	jobs := make(chan int)
	quit := make(chan struct{})
	go stoppableWorker(jobs, quit)
	jobs <- 1
	close(quit)
}

func breakingWorker(jobs <-chan int) {
	for j := range jobs {
		if j < 0 {
			return
		}
	}
}

func sentinelPool() {
	jobs := make(chan int)
	go breakingWorker(jobs)
	jobs <- 1
	jobs <- -1
}

// shadowRangeWorker ranges over its parameter jobs; the jobs of the inner
// block is another channel (a run deadlocks: the worker waits in its range
// after the last value, and wg.Wait waits for it).
func shadowRangeWorker(jobs <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	{
		jobs := make(chan int, 1)
		jobs <- 1
		<-jobs
	}
	for j := range jobs {
		fmt.Println(j)
	}
}

func shadowPool(n int) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go shadowRangeWorker(jobs, &wg) // want `channel jobs is never closed, but shadowRangeWorker ranges over it \(line \d+\): the goroutine waits forever after the last value`
	for i := 0; i < n; i++ {
		jobs <- i
	}
	wg.Wait()
}
