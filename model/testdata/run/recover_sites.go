// Where recover stops a panic. Each recover reports what it returned with
// report(tag, r) on its own line; every function here panics, so a recover
// that can stop the panic reports a non-nil value.
package main

import "fmt"

// A named helper used as the deferred call does recover.
func helper() {
	report("helper", recover())
}

func namedDeferred() {
	defer helper()
	panic("named")
}

// A closure bound to a variable and deferred through it recovers too.
func boundDeferred() {
	f := func() { report("bound", recover()) }
	defer f()
	panic("bound")
}

// The classic deferred literal.
func literalDeferred() {
	defer func() { report("literal", recover()) }()
	panic("literal")
}

// A literal deferred inside a deferred literal: its deferring function
// started after the panic began, so it gets nil; the outer recover stops
// the panic afterwards.
func nestedDeferred() {
	defer func() { report("outer", recover()) }()
	defer func() {
		defer func() { report("nested", recover()) }()
	}()
	panic("nested")
}

// recover one call below the deferred function returns nil.
func oneLevelDown() {
	defer func() { recover() }()
	defer func() {
		func() { report("inline", recover()) }()
	}()
	panic("down")
}

// recover in a goroutine body that is not deferred returns nil.
func inGoroutine() {
	done := make(chan bool)
	go func() {
		defer close(done)
		report("goroutine", recover())
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
