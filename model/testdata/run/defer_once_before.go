// A defer written before a loop whose defer is behind a run-once flag: at
// most one call is registered after it, so it runs 1st or 2nd, never
// later.
package main

func f(mode int) {
	defer mark("a")
	started := false
	for i := 0; i < mode; i++ {
		if !started {
			started = true
			defer mark("b")
		}
	}
}

// modes: 0-3
