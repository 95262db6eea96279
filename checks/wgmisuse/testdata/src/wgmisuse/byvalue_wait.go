package wgmisuse

import (
	"fmt"
	"sync"
)

// report waits on its copy: the copy's counter is the caller's at the call,
// and the caller's Done calls never lower it.
func report(wg sync.WaitGroup, total int) { // want `wg is received by value: the function gets a copy of the sync.WaitGroup, so Wait on the copy waits on the counter as it was when the function was called, which the caller's Done calls do not lower; use \*sync.WaitGroup`
	wg.Wait()
	fmt.Println(total)
}

// runAll adds to its copy and waits on it.
func runAll(wg sync.WaitGroup, fs []func()) { // want `wg is received by value: the function gets a copy of the sync.WaitGroup, so Add and Wait on the copy never reach the caller's WaitGroup; use \*sync.WaitGroup`
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer fmt.Println("done")
			f()
		}()
	}
	wg.Wait()
}

func useReport() {
	var wg sync.WaitGroup
	report(wg, 1)
	runAll(wg, nil)
}
