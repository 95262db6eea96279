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
// The same deadlock comes from the other side when the goroutines receive:
// a range over a channel ends only when the channel is closed.
//
// WRONG: the workers range over jobs, and jobs is closed after the Wait:
//
//	for range 4 {
//		wg.Add(1)
//		go func() {
//			defer wg.Done()
//			for j := range jobs {
//				handle(j)
//			}
//		}()
//	}
//	for _, it := range items {
//		jobs <- it
//	}
//	wg.Wait() // never returns: the ranges wait for the close
//	close(jobs)
//
// RIGHT: close first, then wait (the quick fix swaps the two statements):
//
//	close(jobs)
//	wg.Wait()
//
// The workers may also be `go worker(..., jobs, ..., &wg)` calls of a
// function declared in the same file that ranges over its channel
// parameter and calls Done on its WaitGroup parameter.
//
// This is reported when a goroutine literal started before the Wait (or,
// for a channel field, a literal or a method started as `go l.run()`
// after Add on the WaitGroup field) ranges over the channel as one of its
// own top-level statements, with no return before the range and no way
// out of its body (no return, break, goto or exit call), and calls Done
// only deferred or after the range; and every close of the channel comes
// after the Wait (for a field: follows a Wait on the same WaitGroup field,
// as in a Close method that waits and then closes). A local channel must
// not be passed or stored elsewhere.
//
// The drain may also be the caller's: a function that makes the channel,
// starts the senders, waits and only then returns the channel gives it to
// the only code that could receive after the Wait has returned, which it
// never does.
//
// WRONG:
//
//	func squares(n int) <-chan int {
//		out := make(chan int)
//		for i := range n {
//			wg.Add(1)
//			go func() {
//				defer wg.Done()
//				out <- i * i
//			}()
//		}
//		wg.Wait() // never returns
//		close(out)
//		return out
//	}
//
// RIGHT: wait and close in a goroutine, return the channel at once (the
// quick fix when the close follows the Wait):
//
//	go func() {
//		wg.Wait()
//		close(out)
//	}()
//	return out
//
// This is reported when nothing in the function receives from the
// channel, and every mention of it is its declaration, a send of a
// counted goroutine, a close after the Wait, or a return after the Wait.
//
// The Wait and the drain may also sit in methods of one type, with the
// channel and the WaitGroup in its fields: the errgroup shape.
//
// WRONG: Go starts goroutines that send on the unbuffered g.errs before
// they are done; Wait drains g.errs only after g.wg.Wait():
//
//	func (g *group) Go(f func() error) {
//		g.wg.Add(1)
//		go func() {
//			defer g.wg.Done()
//			if err := f(); err != nil {
//				g.errs <- err
//			}
//		}()
//	}
//	func (g *group) Wait() error {
//		g.wg.Wait() // never returns once a goroutine has sent
//		select {
//		case err := <-g.errs:
//			return err
//		default:
//			return nil
//		}
//	}
//
// RIGHT: give g.errs a buffer and let the goroutines give up when it is
// full (select with default), or keep the first error under a mutex, as
// golang.org/x/sync/errgroup does.
//
// This is reported when the field is unexported, every value stored in it
// is an unbuffered make (in a keyed literal or an assignment), it is never
// closed, passed or stored elsewhere, every send on it is a plain
// statement of a goroutine literal started after Add on the WaitGroup
// field and calling Done on it only after the send (or deferred), and
// every receive from it follows a Wait on that WaitGroup field of the same
// variable in the receive's own function, or a call of a method that waits
// on it among its own top-level statements (`b.run(xs); for v := range
// b.out`, where run ends with b.wg.Wait()); a close of the field must
// follow such a Wait too.
//
// The quick fix performs this rewrite when a range over the channel follows
// the Wait (and its optional close). A channel whose buffer holds every
// value (`make(chan T, len(items))`) is not reported, nor are goroutines
// that send inside a select, channels drained by another goroutine, and
// channels that are passed or stored anywhere.
package waitbeforedrain
