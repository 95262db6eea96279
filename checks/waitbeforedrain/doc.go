// Package waitbeforedrain defines an Analyzer that reports a
// sync.WaitGroup Wait placed before the loop that drains the channel the
// waited-for goroutines send to.
//
// # Analyzer waitbeforedrain
//
// waitbeforedrain: report wg.Wait() before draining the channel the goroutines send to
//
// A goroutine that sends on an unbuffered channel blocks until someone
// receives (https://go.dev/ref/spec#Send_statements), so its deferred
// wg.Done() has not run yet. If the function that should receive calls
// wg.Wait() first, Wait waits for the senders and the senders wait for the
// receiver: a deadlock. The same happens with a buffered channel that holds
// fewer values than the goroutines send.
//
// WRONG:
//
//	for _, u := range urls {
//		wg.Add(1)
//		go func() {
//			defer wg.Done()
//			results <- fetch(u)
//		}()
//	}
//	wg.Wait() // never returns
//	close(results)
//	for r := range results {
//		fmt.Println(r)
//	}
//
// RIGHT: wait and close in a goroutine of their own, and range in the
// caller; the range ends when the last sender is done.
//
//	go func() {
//		wg.Wait()
//		close(results)
//	}()
//	for r := range results {
//		fmt.Println(r)
//	}
//
// The goroutines may be function literals, literals passed to wg.Go, or
// `go worker(..., ch, ..., &wg)` calls of a function declared in the same
// file that sends on the channel parameter and calls Done on the WaitGroup
// parameter after its sends (or in a defer): the worker-pool shape.
//
// The quick fix performs this rewrite when a range over the channel follows
// the Wait (and its optional close). A channel whose buffer holds every
// value (`make(chan T, len(items))`) is not reported, nor are goroutines
// that send inside a select, channels drained by another goroutine, and
// channels that are passed or stored anywhere.
package waitbeforedrain
