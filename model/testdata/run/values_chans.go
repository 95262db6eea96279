// The value at this point: each send prints the capacity of the channel it
// uses (capOf runs as the send's value is evaluated, with the same
// variable), and the model's per-operation capacity must match, or say
// unknown where the modes give different answers.
package main

import "fmt"

func capOf(tag string, ch chan int) int {
	fmt.Println("C", tag, cap(ch))
	return 0
}

func reassigned() {
	ch := make(chan int)
	go func() {
		for range ch {
		}
	}()
	ch <- capOf("before", ch)
	ch = make(chan int, 5)
	ch <- capOf("after", ch)
	ch <- capOf("again", ch)
}

func branches(big bool) {
	ch := make(chan int, 1)
	if big {
		ch = make(chan int, 10)
	}
	ch <- capOf("branches", ch)
}

func sameCap(big bool) {
	var ch chan int
	if big {
		ch = make(chan int, 2)
	} else {
		ch = make(chan int, 2)
	}
	ch <- capOf("same", ch)
}

func inLoop() {
	ch := make(chan int, 1)
	for i := 0; i < 2; i++ {
		ch <- capOf("loop", ch)
		<-ch
		ch = make(chan int, 3)
	}
}

func main() {
	reassigned()
	branches(false)
	branches(true)
	sameCap(false)
	sameCap(true)
	inLoop()
}
