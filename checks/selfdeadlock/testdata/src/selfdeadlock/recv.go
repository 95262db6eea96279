package selfdeadlock

import "fmt"

// ---- buggy: receives nothing can satisfy ----

func receiveFirst() {
	done := make(chan bool)
	<-done // want `receive from channel done blocks forever: nothing can send on it yet \(no goroutine started since it was made, done not passed anywhere\)`
	go func() { done <- true }()
}

func assignReceive() int {
	res := make(chan int, 4)
	v := <-res // want `receive from channel res blocks forever`
	return v
}

func rangeBeforeSend() {
	ch := make(chan string)
	for s := range ch { // want `receive from channel ch blocks forever`
		fmt.Println(s)
	}
}

func drainedThenMore() {
	ch := make(chan int, 1)
	ch <- 1
	<-ch
	v, ok := <-ch // want `receive from channel ch blocks forever`
	fmt.Println(v, ok)
}

// ---- correct ----

func bufferedSelfUse() {
	ch := make(chan int, 1)
	ch <- 1
	v := <-ch
	ch <- v + 1
	fmt.Println(<-ch)
}

func senderFirst() {
	done := make(chan bool)
	go func() { done <- true }()
	<-done
}

func closedFirst() {
	ch := make(chan int)
	close(ch)
	v, ok := <-ch
	fmt.Println(v, ok)
}

func handedOver(register func(chan<- int)) {
	ch := make(chan int)
	register(ch)
	fmt.Println(<-ch)
}
