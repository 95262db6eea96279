package nvim

import "testing"

// exitsSrc holds the facts the model's exit classifier and reachability
// decide (model/exits.go), as Neovim's hover shows them.
const exitsSrc = `package main

import (
	"fmt"
	"testing"
)

func fatal(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	for range ch {
		t.Fatal("no value expected")
	}
}

func branch(ok bool) {
	x := 1
	if ok {
		defer fmt.Println("deferred x:", x)
		return
	}
	x = 2
	_ = x
}

func main() {}
`

// TestExitsHover: in Neovim's hover, a range whose body calls t.Fatal is
// left there (t.Fatal ends the test: the loop does not "never end"), and a
// defer in a branch that returns does not name the assignment on the other
// path as one the deferred call misses.
func TestExitsHover(t *testing.T) {
	checkHoverClaims(t, exitsSrc, []hoverClaim{
		{"range left by t.Fatal", "range ch", 0, "or until the `t.Fatal` at line 12 leaves the loop", "never ends"},
		{"defer in a returning branch", `defer fmt.Println("deferred x:"`, 0, "**defer", "is assigned again"},
	})
}
