package waitbeforedrain

import "sync"

// oddsOnly sends only for odd inputs: with even inputs no goroutine
// sends and the Wait returns, so the deadlock is stated with its
// condition.
func oddsOnly(nums []int) []int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, n := range nums {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			if n%2 == 1 {
				out <- n
			}
		}(n)
	}
	wg.Wait() // want `deadlock whenever a goroutine reaches its send: wg.Wait\(\) waits for goroutines that may send on unbuffered channel out \(only on some of their paths\)`
	close(out)
	var r []int
	for v := range out {
		r = append(r, v)
	}
	return r
}

// everyInput sends on every path: the deadlock is certain.
func everyInput(nums []int) []int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, n := range nums {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			out <- n
		}(n)
	}
	wg.Wait() // want `^deadlock: wg.Wait\(\) waits for goroutines that send on unbuffered channel out`
	close(out)
	var r []int
	for v := range out {
		r = append(r, v)
	}
	return r
}
