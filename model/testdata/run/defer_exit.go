// os.Exit and log.Fatal end the program: no deferred call runs. panic and
// runtime.Goexit run the deferred calls registered so far.
package main

import (
	"log"
	"os"
	"runtime"
)

func f(mode int) {
	defer mark("a")
	if mode == 1 {
		os.Exit(0)
	}
	defer mark("b")
	if mode == 2 {
		panic("boom")
	}
	if mode == 3 {
		log.Fatal("fatal")
	}
	defer mark("c")
	if mode == 4 {
		runtime.Goexit()
	}
	defer mark("d")
}

// modes: 0-4
