package nvim

import "testing"

// truthfulSrc holds facts about the program that issue 9's reviews found
// stated wrongly or not at all, as Neovim's hover shows them now: a once
// made anew on every call, a receive nothing can ever satisfy, defers that
// a deferred os.Exit skips, and a context released when its parent is done.
const truthfulSrc = `package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

func greet() {
	sync.OnceFunc(func() { fmt.Println("hello") })()
}

func wait(code int) {
	never := make(chan int)
	if code > 1 {
		<-never
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	defer fmt.Println("never printed")
	defer func() { os.Exit(0) }()
	greet()
	greet()
	wait(1)
	<-ctx.Done()
}
`

// TestTruthfulHover: each hover states what a run of truthfulSrc shows
// ("hello" printed twice; "never printed" never printed) and not what the
// construct does in general.
func TestTruthfulHover(t *testing.T) {
	checkHoverClaims(t, truthfulSrc, []hoverClaim{
		{"OnceFunc called in place", "OnceFunc(func", 0, "f runs every time", "at most once"},
		{"receive nothing satisfies", "<-never", 0, "nothing closes it (golens follows every use of it): this receive **blocks forever**", "may be closed"},
		{"defer skipped by a deferred os.Exit", `defer fmt.Println("never printed")`, 0, "skipped", "runs 2nd"},
		{"WithTimeout released with its parent", "WithTimeout(", 0, "its parent is done", "discarded"},
	})
}
