// A defer in a loop behind a run-once flag (`if !started { started = true;
// defer ... }`): it registers one call at most, however many passes run,
// and runs before the defer written after the loop.
package main

func f(mode int) {
	started := false
	for i := 0; i < mode; i++ {
		if !started {
			started = true
			defer mark("b")
		}
	}
	defer mark("c")
}

// modes: 0-3
