package selfdeadlock

import "fmt"

// len, cap and a comparison read a channel without handing it anywhere
// (model.ChanRef.OnlyReads): after them nothing can send or receive yet.
// Each verdict was decided by running the program.

// A run prints "0 0 false", then deadlocks at the receive.
func lcCapThenReceive() {
	ch := make(chan int)
	fmt.Println(cap(ch), len(ch), ch == nil)
	<-ch // want `receive from channel ch blocks forever: nothing can send on it yet`
}

// A run prints 0, then deadlocks at the second send.
func lcLenThenSends() {
	ch := make(chan int, 1)
	fmt.Println(len(ch))
	ch <- 1
	ch <- 2 // want `send on channel ch blocks forever: it is send number 2 and the buffer holds 1`
}

// ---- correct ----

// Nothing was sent, so the loop's condition is false and the receive
// never runs: a run prints "drained".
func lcDrainEmpty() {
	ch := make(chan int, 4)
	for len(ch) > 0 {
		<-ch
	}
	fmt.Println("drained")
}

// The empty channel's length decides the path: a run returns before the
// receive.
func lcEmptyReturns() {
	ch := make(chan int)
	if len(ch) == 0 {
		return
	}
	<-ch
}

// The length is kept, and may decide the path later.
func lcStoredLen() {
	ch := make(chan int)
	n := len(ch)
	if n == 0 {
		return
	}
	<-ch
}

// Passed to a function golens does not follow (fmt.Println only prints
// it, but golens cannot see that).
func lcPrinted() {
	ch := make(chan int)
	fmt.Println(ch)
	<-ch
}

// A comparison, then a goroutine that sends: a run prints true and 1.
func lcComparedThenSender() {
	ch := make(chan int)
	fmt.Println(ch != nil)
	go func() { ch <- 1 }()
	fmt.Println(<-ch)
}
