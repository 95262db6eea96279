package waitbeforedrain

import (
	"fmt"
	"sync"
)

// ---- buggy ----

func fanIn(urls []string) {
	var wg sync.WaitGroup
	results := make(chan string)
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- u
		}()
	}
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for goroutines that send on unbuffered channel results, which is drained only after the Wait \(line 22\)`
	close(results)
	for r := range results {
		fmt.Println(r)
	}
}

func noClose(n int) {
	var wg sync.WaitGroup
	out := make(chan int)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			out <- i * i
			wg.Done()
		}()
	}
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for goroutines`
	for v := range out {
		fmt.Println(v)
	}
}

func countedReceive() int {
	wg := &sync.WaitGroup{}
	errs := make(chan error)
	wg.Add(2)
	go func() { defer wg.Done(); errs <- nil }()
	go func() { defer wg.Done(); errs <- nil }()
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for goroutines`
	n := 0
	for i := 0; i < 2; i++ {
		if <-errs != nil {
			n++
		}
	}
	return n
}

func tooSmall() {
	var wg sync.WaitGroup
	ch := make(chan int, 1)
	wg.Add(2)
	go func() { defer wg.Done(); ch <- 1 }()
	go func() { defer wg.Done(); ch <- 2 }()
	wg.Wait() // want `send on channel ch \(buffer 1, 2 sends\)`
	close(ch)
	for v := range ch {
		fmt.Println(v)
	}
}

// oneSendPerPath: each goroutine sends once on every path (the error
// path returns after its send), so the buffer of 2 holds every value.
func oneSendPerPath(fail bool) {
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	wg.Add(2)
	go func() { defer wg.Done(); errc <- nil }()
	go func() {
		defer wg.Done()
		if fail {
			errc <- fmt.Errorf("failed")
			return
		}
		errc <- nil
	}()
	wg.Wait()
	close(errc)
	for err := range errc {
		fmt.Println(err)
	}
}

// twoSendsOnOnePath: without the return the error path sends twice: three
// values for a buffer of 2.
func twoSendsOnOnePath(fail bool) {
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	wg.Add(2)
	go func() { defer wg.Done(); errc <- nil }()
	go func() {
		defer wg.Done()
		if fail {
			errc <- fmt.Errorf("failed")
		}
		errc <- nil
	}()
	wg.Wait() // want `send on channel errc \(buffer 2, 3 sends\)`
	close(errc)
	for err := range errc {
		fmt.Println(err)
	}
}

type crawler struct {
	wg sync.WaitGroup
}

func (c *crawler) crawl(pages []string) {
	found := make(chan string)
	for _, p := range pages {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			found <- p
		}()
	}
	c.wg.Wait() // want `deadlock: c.wg.Wait\(\) waits for goroutines`
	close(found)
	for f := range found {
		fmt.Println(f)
	}
}

func withGo(items []int) {
	var wg sync.WaitGroup
	sq := make(chan int)
	for _, it := range items {
		wg.Go(func() {
			sq <- it * it
		})
	}
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for goroutines`
	close(sq)
	for v := range sq {
		fmt.Println(v)
	}
}

// ---- correct ----

// waitThenClose: the idiom the fix produces.
func waitThenClose(urls []string) {
	var wg sync.WaitGroup
	results := make(chan string)
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- u
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	for r := range results {
		fmt.Println(r)
	}
}

// bufferedForAll: the buffer holds every result, so Wait first is fine.
func bufferedForAll(urls []string) {
	var wg sync.WaitGroup
	results := make(chan string, len(urls))
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- u
		}()
	}
	wg.Wait()
	close(results)
	for r := range results {
		fmt.Println(r)
	}
}

func bufferedConst() {
	var wg sync.WaitGroup
	ch := make(chan int, 2)
	wg.Add(2)
	go func() { defer wg.Done(); ch <- 1 }()
	go func() { defer wg.Done(); ch <- 2 }()
	wg.Wait()
	close(ch)
	for v := range ch {
		fmt.Println(v)
	}
}

func drainedByGoroutine(n int) {
	var wg sync.WaitGroup
	out := make(chan int)
	done := make(chan struct{})
	go func() {
		for v := range out {
			fmt.Println(v)
		}
		close(done)
	}()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- i
		}()
	}
	wg.Wait()
	close(out)
	<-done
}

func otherWaitGroup(n int) {
	var wg, other sync.WaitGroup
	out := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
		out <- n
	}()
	other.Wait()
	fmt.Println(<-out)
	wg.Wait()
}

func senderSelects(quit chan struct{}) {
	var wg sync.WaitGroup
	out := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case out <- 1:
		case <-quit:
		}
	}()
	wg.Wait()
	select {
	case <-out:
	default:
	}
}

func waitAfterDrain(n int) {
	var wg sync.WaitGroup
	out := make(chan int)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- i
		}()
	}
	for i := 0; i < n; i++ {
		fmt.Println(<-out)
	}
	wg.Wait()
}

func passedToWorker(n int) {
	var wg sync.WaitGroup
	out := make(chan int)
	wg.Add(1)
	go worker(&wg, out)
	go func() { fmt.Println(<-out) }()
	wg.Wait()
}

func worker(wg *sync.WaitGroup, out chan<- int) {
	defer wg.Done()
	out <- 1
}

func doneBeforeSend(n int) {
	var wg sync.WaitGroup
	out := make(chan int)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			wg.Done()
			out <- i
		}()
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		fmt.Println(<-out)
	}
}
