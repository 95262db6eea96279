// Defers in branches and an early return: the order of "a" depends on
// which later defers were registered. Modes are bit sets, so every path
// is feasible and the model's bounds must be reached exactly.
package main

func f(mode int) {
	defer mark("a")
	if mode&1 != 0 {
		defer mark("b")
	}
	if mode&2 != 0 {
		return
	}
	defer mark("c")
	switch {
	case mode&4 != 0:
		defer mark("d")
	default:
		defer mark("e")
	}
}

// modes: 0-7
