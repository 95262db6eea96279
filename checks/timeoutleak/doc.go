// Package timeoutleak defines an Analyzer that reports a goroutine leaked
// by a timeout: it sends its result on an unbuffered channel whose only
// receiver is a select that may take another case.
//
// # Analyzer timeoutleak
//
// timeoutleak: report a goroutine leaked by a timeout
//
// A send on an unbuffered channel completes only when a receiver takes the
// value (https://go.dev/ref/spec#Send_statements). A select waits for the
// first of its cases that can proceed and, when several can, picks one of
// them uniformly at random (https://go.dev/ref/spec#Select_statements). If
// the timeout, cancellation or default case is taken, nothing receives the
// worker's result any more, so the worker blocks on its send forever: a
// goroutine leak that holds on to everything the goroutine references.
//
// WRONG (the classic timeout example has this bug):
//
//	ch := make(chan string)
//	go func() {
//		time.Sleep(2 * time.Second)
//		ch <- "done" // blocks forever once the timeout has won
//	}()
//	select {
//	case msg := <-ch:
//		fmt.Println(msg)
//	case <-time.After(1 * time.Second):
//		fmt.Println("timeout")
//	}
//
// RIGHT: give the channel room for the result, so the send completes even
// when nobody is listening any more; the channel is garbage collected with
// the value in it.
//
//	ch := make(chan string, 1)
//
// Alternatively the worker can select on its send and on ctx.Done(), so
// that it gives up too. The quick fix buffers the channel by the number of
// sends. The check is silent when the channel already has room for every
// send, when the worker's send is itself in a select, when the receiving
// select is in a loop that does not make a fresh channel each iteration,
// when another receive (a later select) may drain the channel, and when
// the channel is used anywhere else. Any other case gives up: a timer, a
// default, ctx.Done(), or a receive from a stop or done channel.
//
// The same leak happens without a select when the function returns on an
// error path after starting the goroutine and before its receive: the
// check reports that too (a return in the block of the go statement,
// between it and the only receive), with the same fix. t.Skip (Skipf,
// SkipNow) and runtime.Goexit end the function's goroutine like a return;
// t.Fatal and FailNow do too, but on a path the test already reports as
// failed, so they are not counted (as a give-up case that fails the test
// is not).
//
// A give-up case that receives from a done channel closed by a sibling
// goroutine (made in the function, closed once, at the top level of that
// goroutine) is the other half of a result, not a timer. The check leaves
// alone the closer's own sends when each returns before its close (it
// reports failure or success, never both), and a sender whose sends all
// return early, skipping work on state that the closer's early-return
// condition is computed from (the two ends of one io.Pipe, say): the
// closer may be waiting for exactly that work, so done may never close
// when the sender sends.
//
//	r, w := io.Pipe()
//	go func() {
//		b, err := produce()
//		if err != nil {
//			errs <- err // no write: the reader below never closes done
//			return
//		}
//		w.Write(b)
//		w.Close()
//	}()
//	go func() {
//		if _, err := io.ReadAll(r); err != nil {
//			errs <- err
//			return
//		}
//		close(done)
//	}()
//	select {
//	case err := <-errs:
//	case <-done:
//	}
//
// Senders that share nothing with the closer stay reported.
//
// The mirror image strands a receiver: the goroutine waits, as its first
// statement, for a send or close that its parent makes later, and the
// parent returns first. The channel must be local, used by nothing else,
// and woken only by the parent (not deferred, not in a select or loop):
//
//	stop := make(chan struct{})
//	go func() { <-stop; cleanup() }()
//	if err := step(); err != nil {
//		return err // the goroutine waits forever
//	}
//	close(stop)
//
// RIGHT: defer close(stop) right after making it.
//
// More sends than receives strand the rest: goroutines that the function
// starts send on its channel more values, on every run of their bodies,
// than it receives (outside loops) plus the buffer holds. The number of
// goroutines must be known: one go statement, or one in a loop that runs a
// constant number of times (for i := 0; i < 3; i++, for range 3, a range
// over a composite literal), or one in `for i := 0; i < n; i++` or
// `for range n` with n a parameter the function never changes, counted for
// the call of the same file that passes the largest constant for n (the
// message names that call; no quick fix, since the buffer the function
// needs is n, not that call's count).
//
//	ch := make(chan int)
//	for _, s := range []string{"a", "b", "c"} {
//		go func() { ch <- query(s) }()
//	}
//	return <-ch // the first answer wins; two goroutines block forever
//
// The quick fix buffers the channel for the values nobody receives.
//
// A range over the channel that returns or breaks out early strands the
// feeding goroutine the same way, when it sends in a loop (more values than
// the buffer may hold) outside a select, directly or through a function of
// the file it calls, and nothing else receives from the channel. Through a
// call, the send must happen whenever the goroutine runs: the model's
// summaries prove it (a feeder that sends only under an if, or in a loop
// whose bound is not a constant, may send nothing). When the model counts
// every send (constant loop bounds), they must outnumber the buffer plus
// the one value the range takes before it leaves.
//
// A receiving loop that returns on the first error strands the other
// senders: a loop starts one goroutine per pass, each sending once (outside
// a select) on an unbuffered channel, and a later loop making as many passes
// receives one value per pass and returns from inside. When it returns
// before its last pass, the goroutines whose values it did not receive
// block forever. The passes must match provably: both loops range over the
// same variable, unchanged in the function, or both have a constant count
// (then a buffer counts too, and must be too small for the values left
// after the first pass).
//
// WRONG:
//
//	errc := make(chan error)
//	for _, f := range fs {
//		go func() { errc <- f() }()
//	}
//	for range fs {
//		if err := <-errc; err != nil {
//			return err // the remaining senders block forever
//		}
//	}
//
// RIGHT: make(chan error, len(fs)), so every send completes; or receive
// every value and remember the first error.
package timeoutleak
