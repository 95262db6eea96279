package timeoutleak

import "sync"

// ---- more sends than receives, with a wait before the send ----

// The goroutines lock a mutex before sending: one may be stuck there and
// never send, so the finding does not say which send is stuck, and offers
// no buffer (fewerrecv.go keeps the plain wording and its fix).

func firstLocked() int {
	var mu sync.Mutex
	ch := make(chan int)
	for _, s := range []string{"a", "b"} {
		go func() { // want `the 2 goroutines started on line 15 send 2 values on ch, but firstLocked receives at most once: at least one goroutine blocks forever, in its send or before it: it locks a mutex at line 16, and a buffer does not end a wait there$`
			mu.Lock()
			n := query(s)
			mu.Unlock()
			ch <- n
		}()
	}
	return <-ch
}

// The sent value is computed by a function that waits on a WaitGroup of
// its own.
func waitedSum(xs []int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	sum := 0
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			sum += x
			mu.Unlock()
		}()
	}
	wg.Wait()
	return sum
}

func twoWaited() int {
	ch := make(chan int)
	go func() { // want `the goroutine started on line 46 sends 2 values on ch, but twoWaited receives at most once: the goroutine blocks forever, in one of its sends or before it: waitedSum, called at line 47, waits on a WaitGroup \(line 40\), and a buffer does not end a wait there$`
		ch <- waitedSum([]int{1})
		ch <- waitedSum([]int{2})
	}()
	return <-ch
}

func threeLocked() int {
	var mu sync.Mutex
	ch := make(chan int)
	for i := 0; i < 4; i++ {
		go func() { // want `the 4 goroutines started on line 57 send 4 values on ch, but threeLocked receives at most once: at least 3 sends never complete, and the goroutines that do not finish block forever, in a send or before it: it locks a mutex at line 58, and a buffer does not end a wait there$`
			mu.Lock()
			mu.Unlock()
			ch <- i
		}()
	}
	return <-ch
}
