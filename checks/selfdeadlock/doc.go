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
// "all goroutines are asleep - deadlock!".
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
package selfdeadlock
