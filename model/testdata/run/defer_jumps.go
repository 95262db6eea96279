// Labeled break, continue and goto: the control-flow graph follows them.
package main

func f(mode int) {
	defer mark("a")
outer:
	for i := 0; i < 2; i++ {
		switch {
		case mode&1 != 0 && i == 0:
			continue outer
		case mode&2 != 0:
			break outer
		}
		defer mark("b")
		break
	}
	if mode&4 != 0 {
		goto done
	}
	defer mark("c")
done:
	defer mark("d")
}

// modes: 0-7
