package main

import (
	"context"
	"fmt"
)

// The goroutines signal (a send) or call a method named like a
// synchronisation (Done), but nothing in main waits on what they touch:
// both are still blocked when main returns (truth programs
// wait_unwaited_goroutine_leaks and timeout_done_nil_context_todo: leaked
// at exit).
func main() {
	out := make(chan int)
	ctx := context.TODO()
	go func() { // want `main returns without waiting for the goroutines it starts here: nothing waits for them, so the program may exit before they finish`
		out <- 1
	}()
	go func() {
		<-ctx.Done()
	}()
	fmt.Println("main returns")
}
