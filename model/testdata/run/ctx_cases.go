// Where a ctx.Done() case's context comes from, decided by running: a
// deadline context's case fires by itself; context.Background().Done() and
// TODO().Done() are nil and never fire; a WithCancel context fires only
// when cancelled.
package main

import (
	"context"
	"fmt"
	"time"
)

func deadline() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	select {
	case <-ctx.Done(): // ctx:deadline
		fmt.Println("X deadline ctx")
	case <-time.After(time.Second):
		fmt.Println("X deadline timer")
	}
}

func background() {
	select {
	case <-context.Background().Done(): // ctx:background
		fmt.Println("X background ctx")
	case <-time.After(20 * time.Millisecond):
		fmt.Println("X background timer")
	}
}

func todo() {
	ctx := context.TODO()
	select {
	case <-ctx.Done(): // ctx:todo
		fmt.Println("X todo ctx")
	case <-time.After(20 * time.Millisecond):
		fmt.Println("X todo timer")
	}
}

func cancelled() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	select {
	case <-ctx.Done(): // ctx:cancel
		fmt.Println("X cancel ctx")
	case <-time.After(time.Second):
		fmt.Println("X cancel timer")
	}
}

func main() {
	deadline()
	background()
	todo()
	cancelled()
}
