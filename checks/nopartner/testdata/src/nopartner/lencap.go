package nopartner

import "fmt"

// len and cap read a channel's buffer: they neither send, receive nor
// close, so a channel read by them stays in sight. Each verdict was decided
// by running the program.

// A run deadlocks at the receive ("all goroutines are asleep").
func lcCapRead() {
	ch := make(chan int)
	fmt.Println(cap(ch), len(ch), ch == nil)
	v := <-ch // want `nothing in the package sends on or closes ch \(made at line 11\), and it does not leave the package: this receive blocks forever`
	fmt.Println(v)
}

// Nothing sends on dq, so its buffer stays empty and the guarded receives
// never run: a run prints "done".
func lcDrainEmpty() {
	dq := make(chan int, 4)
	for len(dq) > 0 {
		<-dq
	}
	if len(dq) > 0 {
		fmt.Println(<-dq)
	}
	switch {
	case len(dq) > 1:
		<-dq
	}
	fmt.Println("done")
}

// A send guarded by len < cap never blocks though nothing receives: a run
// prints 2.
func lcPutIfRoom(q chan int, v int) {
	if len(q) < cap(q) {
		q <- v
	}
}

func lcFillQueue() {
	q := make(chan int, 2)
	for i := 0; i < 5; i++ {
		lcPutIfRoom(q, i)
	}
	fmt.Println(len(q))
}

// Unbuffered and guarded by len < cap (0 < 0 is false): the send never
// runs.
func lcPutUnbuffered() {
	u := make(chan int)
	if len(u) < cap(u) {
		u <- 1
	}
}
