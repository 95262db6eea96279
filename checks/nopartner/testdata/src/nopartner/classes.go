package nopartner

import "fmt"

// How the channel classes (model.ChanClass) follow a channel into a
// function: each verdict decided by running the program.

// A literal called where it is written: its parameter joins the class.
// The literal only reads the length, so a run deadlocks at the receive.
func ccLiteralReadsOnly() {
	res := make(chan int)
	go func(c chan int) { fmt.Println(len(c)) }(res)
	fmt.Println(<-res) // want `nothing in the package sends on or closes res \(made at line 11\), and it does not leave the package: this receive blocks forever`
}

// The literal sends: a run prints 1.
func ccLiteralSends() {
	res := make(chan int)
	go func(c chan int) { c <- 1 }(res)
	fmt.Println(<-res)
}

// A generic parameter whose type is a type parameter (C ~chan int): the
// classes do not follow it, and the callee sends and closes (a run prints
// 1), so nothing is reported.
func ccFill[C ~chan int](c C, n int) {
	for i := 0; i < n; i++ {
		c <- i
	}
	close(c)
}

func ccGeneric() {
	ch := make(chan int, 2)
	go ccFill(ch, 2)
	total := 0
	for v := range ch {
		total += v
	}
	fmt.Println(total)
}

// Handed on as an interface value: not followed.
func ccAny(x any) {
	if c, ok := x.(chan int); ok {
		close(c)
	}
}

func ccAsAny() {
	ch := make(chan int)
	go ccAny(ch)
	<-ch
}

// A field of a generic type, made and received on an instance
// (ccQueue[any]) and sent on by a method of the generic type: one class.
// Pattern of client-go's workqueue test; a run receives every value.
type ccQueue[T any] struct{ adds chan T }

func (q *ccQueue[T]) add(v T) {
	select {
	case q.adds <- v:
	default:
	}
}

func ccGenericField() {
	q := &ccQueue[any]{adds: make(chan any, 10)}
	fmt.Println(len(q.adds))
	q.add(1)
	fmt.Println(<-q.adds)
}
