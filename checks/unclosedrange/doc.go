// Package unclosedrange defines an Analyzer that reports a for-range loop
// over a channel that no code closes.
//
// # Analyzer unclosedrange
//
// unclosedrange: report a range over a channel that is never closed
//
// A range loop over a channel receives until the channel is closed and its
// buffer drained (https://go.dev/ref/spec#For_range). If nothing ever
// closes the channel, the loop waits forever after the last value: the
// goroutine running it leaks, and if it is the main goroutine the program
// never ends (once every goroutine is blocked, the runtime stops it with
// "all goroutines are asleep - deadlock!").
//
// WRONG:
//
//	ch := make(chan string)
//	go func() {
//		for _, w := range words {
//			ch <- w
//		}
//	}()
//	for w := range ch { // never ends
//		fmt.Println(w)
//	}
//
// RIGHT: the only sender closes the channel when it is done.
//
//	go func() {
//		defer close(ch)
//		for _, w := range words {
//			ch <- w
//		}
//	}()
//
// With several senders, close after all of them are done: wait for them
// with a sync.WaitGroup in a goroutine of its own, then close.
//
// The quick fix inserts `defer close(ch)` at the top of the sending
// goroutine when exactly one goroutine literal, started once, sends on the
// channel.
//
// The worker-pool shape is caught too: `go worker(jobs, ...)` where worker,
// a function of the same file, ranges over its channel parameter (and does
// nothing else with it) while the function that made jobs never closes it;
// the finding is on the argument. It has no automatic fix: close(jobs) goes
// after the last send, which only the author can place. Only channels local to a function are checked, and only when
// every use of them is a send, receive or range: a channel that is passed
// to a function, stored, or returned may be closed elsewhere. Loops that
// can break, return or exit are not reported.
//
// A channel passed to functions (go produce(ch)) is followed through the
// model's function summaries: when they prove that nothing it reaches
// closes it, the range is reported with where the channel went.
//
// The check reads the model's facts, as the range hover does: it reports a
// range exactly where the model proves that the loop never ends
// (File.RangeEnds: nothing closes the channel, and no pass leaves the
// loop), except for an endless stream ranged over on purpose — a channel a
// goroutine sends on in a `for` loop that only ends with the program or
// the goroutine (File.SentForever), or one a library keeps sending on
// (signal.Notify) — and for main's worker goroutines, which live as long as
// the program. A sender whose loop can return (on a done channel) is not
// an endless stream: once it returns, the range waits forever.
package unclosedrange
