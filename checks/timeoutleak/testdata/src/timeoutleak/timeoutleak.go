package timeoutleak

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ---- buggy ----

// tutorial is the timeout example as tutorials often write it.
func tutorial() {
	ch := make(chan string)
	go func() {
		time.Sleep(2 * time.Second)
		ch <- "Done" // want `goroutine leaks when the select on line 20 takes its time.After\(1 \* time.Second\) case: its send on unbuffered channel ch then blocks forever`
	}()

	select {
	case msg := <-ch:
		fmt.Println(msg)
	case <-time.After(1 * time.Second):
		fmt.Println("Timeout!")
	}
}

func withContext(ctx context.Context, q string) (string, error) {
	res := make(chan string)
	go func() {
		res <- lookup(q) // want `goroutine leaks when the select on line 33 takes its ctx.Done\(\) case`
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-res:
		return r, nil
	}
}

func lookup(q string) string { return q }

func withDefault() {
	errc := make(chan error)
	go func() {
		errc <- errors.New("x") // want `goroutine leaks when the select on line 48 takes its default case`
	}()
	select {
	case err := <-errc:
		fmt.Println(err)
	default:
	}
}

func withTimer() bool {
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	done := make(chan struct{})
	go func() {
		work()
		done <- struct{}{} // want `goroutine leaks when the select on line 64 takes its timer.C case`
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}

func work() {}

type client struct{ timeout time.Duration }

func (c *client) call() (int, error) {
	reply := make(chan int)
	go func() {
		reply <- 1 // want `goroutine leaks when the select`
	}()
	select {
	case v := <-reply:
		return v, nil
	case <-time.After(c.timeout):
		return 0, errors.New("timeout")
	}
}

func twoSendsOneSlot() {
	ch := make(chan int, 1)
	go func() {
		ch <- 1 // want `its send on channel \(buffer 1, 2 sends\) ch then blocks forever`
	}()
	go func() {
		ch <- 2
	}()
	select {
	case v := <-ch:
		fmt.Println(v)
	case <-time.After(time.Second):
	}
}

func inClosure() func() {
	return func() {
		out := make(chan int)
		go func() { out <- 1 }() // want `goroutine leaks`
		select {
		case <-out:
		case <-time.After(time.Millisecond):
		}
	}
}

// ---- correct ----

func buffered() {
	ch := make(chan string, 1)
	go func() {
		time.Sleep(2 * time.Second)
		ch <- "Done"
	}()
	select {
	case msg := <-ch:
		fmt.Println(msg)
	case <-time.After(1 * time.Second):
		fmt.Println("Timeout!")
	}
}

func senderSelects(ctx context.Context) {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		fmt.Println(v)
	case <-ctx.Done():
	}
}

func plainReceive() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	fmt.Println(<-ch)
}

func noTimeout(quit chan struct{}) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		fmt.Println(v)
	}
}

func drainedAfterTimeout() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		fmt.Println(v)
	case <-time.After(time.Second):
		<-ch // waits for the straggler
	}
}

func loopSelect() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	for {
		select {
		case v := <-ch:
			fmt.Println(v)
			return
		case <-time.After(time.Second):
			fmt.Println("still waiting")
		}
	}
}

func bufferedPerWorker(n int) {
	ch := make(chan int, n)
	for i := 0; i < n; i++ {
		go func() { ch <- i }()
	}
	select {
	case <-ch:
	case <-time.After(time.Second):
	}
}

func passedOn() {
	ch := make(chan int)
	go producer(ch)
	select {
	case <-ch:
	case <-time.After(time.Second):
	}
}

func producer(ch chan<- int) { ch <- 1 }

func closedOnly() {
	done := make(chan struct{})
	go func() {
		work()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}

func returned() <-chan int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		fmt.Println(v)
	case <-time.After(time.Second):
	}
	return ch
}

// errorOrValue sends once on each path.
func errorOrValue(accept func() (int, error)) (int, error) {
	res := make(chan any, 1)
	go func() {
		v, err := accept()
		if err != nil {
			res <- err
			return
		}
		res <- v
	}()
	select {
	case r := <-res:
		if err, ok := r.(error); ok {
			return 0, err
		}
		return r.(int), nil
	case <-time.After(time.Second):
		return 0, errors.New("timeout")
	}
}

func ifElseChain(read func() error) error {
	errc := make(chan error, 1)
	go func() {
		if err := read(); err != nil {
			errc <- err
		} else if false {
			errc <- errors.New("bogus")
		} else {
			errc <- nil
		}
	}()
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	select {
	case <-timer.C:
		return errors.New("timeout")
	case err := <-errc:
		return err
	}
}

type testingT interface{ Fatal(args ...any) }

// failsOnTimeout: the leak happens only when the test already fails.
func failsOnTimeout(t testingT) {
	done := make(chan bool)
	go func() {
		work()
		done <- true
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("deadlock")
	}
}

func twoSendsUnbufferedOnePath() {
	ch := make(chan int, 1)
	go func() {
		ch <- 1 // want `goroutine leaks when the select on line \d+ takes its time.After\(time.Second\) case: its send on channel \(buffer 1, 2 sends\) ch`
		ch <- 2
	}()
	select {
	case <-ch:
	case <-time.After(time.Second):
	}
}
