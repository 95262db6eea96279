// A defer in a loop registers one call per pass; a defer before the loop
// runs after all of them.
package main

func f(mode int) {
	defer mark("a")
	for i := 0; i < mode; i++ {
		defer mark("b")
	}
	defer mark("c")
}

// modes: 0-3
