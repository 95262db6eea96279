// Where recover stops a panic. Each recover reports what it returned with
// report(tag, r) on its own line; every function here panics, so a recover
// that can stop the panic reports a non-nil value.
package main

import "fmt"

// A named helper used as the deferred call does recover.
func helper() {
	r := recover(); report("helper", r)
}

func namedDeferred() {
	defer helper()
	panic("named")
}

// A closure bound to a variable and deferred through it recovers too.
func boundDeferred() {
	f := func() { r := recover(); report("bound", r) }
	defer f()
	panic("bound")
}

// The classic deferred literal.
func literalDeferred() {
	defer func() { r := recover(); report("literal", r) }()
	panic("literal")
}

// A literal deferred inside a deferred literal: its deferring function
// started after the panic began, so it gets nil; the outer recover stops
// the panic afterwards.
func nestedDeferred() {
	defer func() { r := recover(); report("outer", r) }()
	defer func() {
		defer func() { r := recover(); report("nested", r) }()
	}()
	panic("nested")
}

// recover one call below the deferred function returns nil.
func oneLevelDown() {
	defer func() { recover() }()
	defer func() {
		func() { r := recover(); report("inline", r) }()
	}()
	panic("down")
}

// recover in a goroutine body that is not deferred returns nil.
func inGoroutine() {
	done := make(chan bool)
	go func() {
		defer close(done)
		r := recover(); report("goroutine", r)
	}()
	<-done
}

func report(tag string, r any) { fmt.Println("R", tag, r != nil) }

func run(f func()) {
	defer func() { recover() }()
	f()
}

func main() {
	for _, f := range []func(){namedDeferred, boundDeferred, literalDeferred, nestedDeferred, oneLevelDown, inGoroutine} {
		run(f)
	}
}
