package timeoutleak

import "time"

type stopClient struct{ stop chan bool }

// The stop case gives up on done: the goroutine of that iteration stays
// blocked on its send.
func (c *stopClient) loop(work func() bool) {
	for {
		done := make(chan bool)
		go func() {
			done <- work() // want `goroutine leaks when the select on line 15 takes its <-c.stop case`
		}()
		select {
		case <-c.stop:
			return
		case <-done:
		}
	}
}

// A later select drains the channel after the timeout: no leak.
func drained(work func() int) int {
	res := make(chan int)
	go func() {
		res <- work()
	}()
	select {
	case v := <-res:
		return v
	case <-time.After(time.Second):
	}
	select {
	case v := <-res:
		return v
	}
}
