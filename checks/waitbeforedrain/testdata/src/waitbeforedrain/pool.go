package waitbeforedrain

import (
	"fmt"
	"sync"
)

func poolWorker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- j * id
	}
}

// pool is the classic worker pool with an unbuffered results channel.
func pool() {
	jobs := make(chan int, 5)
	results := make(chan int)
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go poolWorker(w, jobs, results, &wg)
	}
	for j := 1; j <= 5; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait() // want `deadlock whenever a goroutine reaches its send: wg.Wait\(\) waits for goroutines that may send on unbuffered channel results`
	close(results)
	for r := range results {
		fmt.Println(r)
	}
}

// bufferedPool gives results room for every job: Wait first is fine.
func bufferedPool() {
	const n = 5
	jobs := make(chan int, n)
	results := make(chan int, n)
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go poolWorker(w, jobs, results, &wg)
	}
	for j := 1; j <= n; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(results)
	for r := range results {
		fmt.Println(r)
	}
}

func earlyDone(out chan<- int, wg *sync.WaitGroup) {
	wg.Done()
	out <- 1
}

func doneFirstPool() {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go earlyDone(out, &wg)
	wg.Wait()
	fmt.Println(<-out)
}

func forwards(out chan<- int, wg *sync.WaitGroup, sink func(chan<- int)) {
	defer wg.Done()
	sink(out)
}

func forwardingPool(sink func(chan<- int)) {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go forwards(out, &wg, sink)
	wg.Wait()
	fmt.Println(<-out)
}

// shadowWorker only sends on its parameter out; the inner out is another
// channel (a run deadlocks: the worker blocks on `out <- 1`).
func shadowWorker(out chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	{
		out := make(chan int, 1)
		out <- 0
	}
	out <- 1
}

func shadowPool() {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go shadowWorker(out, &wg)
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for goroutines that send on unbuffered channel out, which is drained only after the Wait`
	fmt.Println(<-out)
}

func sendThenDone(out chan<- int, wg *sync.WaitGroup) {
	out <- 1
	wg.Done()
}

// The worker signals a WaitGroup that shadows the waited one: the Wait
// does not wait for it (a run prints "Wait returned", then 1). The model's
// WaitGroup key tells them apart; their names do not.
func shadowedWaitGroup() {
	var wg sync.WaitGroup
	out := make(chan int)
	{
		var wg sync.WaitGroup
		wg.Add(1)
		go sendThenDone(out, &wg)
	}
	wg.Wait()
	fmt.Println("Wait returned")
	fmt.Println(<-out)
}
