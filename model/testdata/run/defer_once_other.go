// A run-once guarded defer among per-pass defers: it registers once, and
// each later pass's defer runs before it.
package main

func f(mode int) {
	defer mark("a")
	var opened bool
	for i := 0; i < mode; i++ {
		if opened == false {
			opened = true
			defer mark("b")
		}
		defer mark("c")
	}
}

// modes: 0-3
