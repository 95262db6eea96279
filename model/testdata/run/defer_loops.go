// Defers in loops with continue and break: one call per pass that reaches
// the defer; a defer after the loop runs before all of them. The model
// does not count loop passes, so the trip count depends on the mode: a
// loop that may run zero times keeps every path feasible.
package main

func f(mode int) {
	n := 0
	if mode&8 != 0 {
		n = 3
	}
	defer mark("a")
	for i := 0; i < n; i++ {
		if mode&1 != 0 && i == 1 {
			continue
		}
		defer mark("b")
		if mode&2 != 0 {
			break
		}
	}
	for range mode & 4 {
		defer mark("c")
	}
	defer mark("d")
}

// modes: 0-15
