// Defers inside select cases and switch cases, with fallthrough, and a
// deferred closure: the control-flow graph follows each case.
package main

func f(mode int) {
	ready := make(chan int, 1)
	if mode&1 != 0 {
		ready <- 1
	}
	defer mark("a")
	select {
	case <-ready:
		defer mark("b")
	default:
		defer func() { mark("c") }()
	}
	switch mode & 6 {
	case 2:
		defer mark("d")
		fallthrough
	case 4:
		defer mark("e")
	default:
		return
	}
	defer mark("g")
}

// modes: 0-7
