package timeoutleak

// The select's other case is on a channel whose only value was taken
// before it: that case is never ready, so the select always takes the
// result and the goroutine sending it is not left behind.
func drainedFirst(work func() string) string {
	hello := make(chan string)
	result := make(chan string)
	go func() {
		hello <- "hi"
	}()
	greeting := <-hello
	go func() {
		result <- work()
	}()
	select {
	case again := <-hello:
		return again
	case r := <-result:
		return greeting + r
	}
}

// Twin: hello's goroutine sends twice, so a value is left for the select's
// first case, which may win and strand the result's sender.
func drainedTwice(work func() string) string {
	hello := make(chan string)
	result := make(chan string)
	go func() {
		hello <- "hi"
		hello <- "again"
	}()
	greeting := <-hello
	go func() {
		result <- work() // want `goroutine leaks when the select on line 37 takes its <-hello case`
	}()
	select {
	case again := <-hello:
		return again
	case r := <-result:
		return greeting + r
	}
}
