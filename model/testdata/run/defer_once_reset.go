// A run-once flag that the loop sets back: the guard is not proven, and
// the defer does register again (at pass 3), so it is one call per pass.
package main

func f(mode int) {
	started := false
	for i := 0; i < mode; i++ {
		if !started {
			started = true
			defer mark("b")
		}
		if i == 1 {
			started = false
		}
	}
}

// modes: 0-3
