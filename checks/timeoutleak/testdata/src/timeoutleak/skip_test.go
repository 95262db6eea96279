package timeoutleak

import (
	"runtime"
	"testing"
)

func slow() int { return 1 }

func short() bool { return true }

func TestSkipBeforeReceive(t *testing.T) {
	ch := make(chan int)
	go func() {
		ch <- slow() // want `goroutine leaks when TestSkipBeforeReceive stops \(t.Skip\) on line 18, before the receive on line 20: its send on unbuffered channel ch then blocks forever`
	}()
	if short() {
		t.Skip("short mode")
	}
	if <-ch != 1 {
		t.Error("wrong")
	}
}

func goexitBeforeReceive() {
	ch := make(chan int)
	go func() {
		ch <- slow() // want `goroutine leaks when goexitBeforeReceive stops \(runtime.Goexit\) on line 31, before the receive on line 33`
	}()
	if short() {
		runtime.Goexit()
	}
	<-ch
}

// ---- silent ----

// t.Fatal fails the test: the leak is on a path already reported.
func TestFatalBeforeReceive(t *testing.T) {
	ch := make(chan int)
	go func() {
		ch <- slow()
	}()
	if short() {
		t.Fatal("failed")
	}
	<-ch
}

// Skipping before the goroutine starts leaks nothing.
func TestSkipFirst(t *testing.T) {
	if short() {
		t.Skip("short mode")
	}
	ch := make(chan int)
	go func() { ch <- slow() }()
	<-ch
}
