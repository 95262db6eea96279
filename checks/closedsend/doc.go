// Package closedsend defines an Analyzer that reports a send on a channel
// after it was closed, and a channel closed twice, on the same code path.
//
// # Analyzer closedsend
//
// closedsend: report a send on a closed channel and a channel closed twice
//
// Closing a channel says "no more values will be sent"
// (https://go.dev/ref/spec#Close). A send on a closed channel panics, and so
// does closing it again; receives keep working, returning buffered values
// first and then the zero value with ok == false.
//
// WRONG:
//
//	close(results)
//	...
//	results <- r // panics: send on closed channel
//
// RIGHT: close once, in the only sender, after its last send.
//
//	go func() {
//		defer close(results)
//		for _, j := range jobs {
//			results <- do(j)
//		}
//	}()
//
// The check follows one function's control-flow graph and reads one
// fact of golens's model, the one the close hover reads
// (model.File.AfterClose): the later send or close is reported when the
// close comes before it on every path into it (the close dominates it),
// with nothing on the way that may give the variable another channel (an
// assignment, &ch, a range or ++ of an index variable, or, for a field or
// an element, any call), and it is reachable after the close (code after a
// return, panic, os.Exit or t.Fatal on every branch is not). A close made
// on every pass of a range loop or of an endless for loop is reported too,
// when nothing on the way back gives the variable another channel: the
// next iteration sends on it or closes it again (loops whose passes can
// leave the loop early, by return, exit call, break or goto, or skip the
// close by continue, are left alone; a break of a select or switch inside
// the pass does not leave it). Closes in different branches of an if,
// switch or select, and functions that recover from the panic on purpose
// are not reported. There is no automatic fix: which of the two operations
// is wrong depends on the program.
//
// Across methods: one goroutine that calls a method closing a channel
// field and then one sending on it (or closing it again) panics the same
// way. The check reads, in order, what a function does to the channel
// fields of each variable, itself and through the calls it makes of the
// package's functions and methods (the model's function summaries, by
// holder: model.File.FieldSteps), on every path.
//
// WRONG:
//
//	func (n *notifier) stop()        { close(n.events) }
//	func (n *notifier) notify(v int) { n.events <- v }
//
//	n.stop()
//	n.notify(1) // panics: send on closed channel
//
// RIGHT: stop last, or make notify check a stopped flag under the mutex
// that stop sets before closing.
//
// Only operations on every path count: a close after `if closed { return
// }` (a guarded close) does not, nor a send the callee may not reach
// because it may panic or exit first (`if q.closed { panic("closed") }`).
// Giving the variable a new value, or the field a new channel, in between
// ends what the check knows of it, and so does a call it cannot follow
// when some code of the package assigns the field a new channel. A
// recover in the sending function, or one whose value the calling
// function reads (a test that the panic happens), keeps the check silent;
// a blanket `defer func() { recover() }()` that drops the value does not:
// the send still panics, and the recover only hides it.
package closedsend
