// Package selfdeadlock defines an Analyzer that reports a send which can
// never complete because the goroutine that makes the channel sends on it
// before anything could receive.
//
// # Analyzer selfdeadlock
//
// selfdeadlock: report a send or receive that deadlocks its own goroutine
//
// A send on an unbuffered channel completes only when another goroutine
// receives; a send on a buffered channel blocks once the buffer is full
// (https://go.dev/ref/spec#Send_statements). If the goroutine that just made
// the channel sends on it before it has started any goroutine or handed the
// channel to anyone, nobody can ever receive: the send blocks forever, and
// when it is the last runnable goroutine the runtime stops the program with
// "all goroutines are asleep - deadlock!". Reading the channel's length or
// capacity, or comparing it with nil, hands it to no one
// (fmt.Println(cap(ch)) prints a number, not the channel); a condition that
// reads the length may decide whether the operation runs at all, so a
// guarded operation is not reported.
//
// WRONG:
//
//	ch := make(chan int)
//	ch <- 42 // blocks forever
//	go func() { fmt.Println(<-ch) }()
//
// RIGHT: start the receiver first,
//
//	ch := make(chan int)
//	go func() { fmt.Println(<-ch) }()
//	ch <- 42
//
// or give the channel room for the values sent before anyone receives:
//
//	ch := make(chan int, 1)
//	ch <- 42
//	fmt.Println(<-ch)
//
// The same holds for a receive: receiving from a channel that was just made,
// before any goroutine is started or the channel handed to anyone, waits
// for a sender that cannot exist (unless the goroutine itself put values in
// the buffer first). Receives have no automatic fix.
//
// The quick fix for a send buffers the channel by the number of values the
// goroutine puts in it before anyone can take them out. The check looks only at straight-line statements right
// after `ch := make(...)` in the same block, and stops at the first
// statement that mentions the channel in any other way, starts a goroutine,
// or may leave the block.
//
// A send inside an if (or its else) right after the make counts too: on
// that path nothing can receive yet either.
//
// Through calls: the check also reads, in order, what a function does to
// the channel fields of each variable, itself and through the calls it
// makes of the package's functions and methods (the model's function
// summaries, by holder: model.File.FieldSteps); only sends on every path
// of the callee, and not after a call that may panic or exit, count. A
// send that finds a field channel's buffer full (or unbuffered) is
// reported when every receive from that field in the package comes later
// in the same method that sends, and that method is called only once.
//
// WRONG: Start sends before it starts the only receiver, and the caller
// has already filled the buffer of one:
//
//	func newCompactor() *compactor { return &compactor{ch: make(chan struct{}, 1)} }
//	func (c *compactor) Start() {
//		c.ch <- struct{}{}
//		go func() { for range c.ch { c.compact() } }()
//	}
//	c := newCompactor()
//	c.ch <- struct{}{}
//	c.Start() // blocks forever
//
// RIGHT: start the receiver before sending, or send without blocking:
//
//	select {
//	case c.ch <- struct{}{}:
//	default: // a compaction is already pending
//	}
//
// The field must be unexported, every channel stored in it made with the
// same constant capacity, and not reassigned by code the check does not
// follow. This form has no automatic fix.
package selfdeadlock
