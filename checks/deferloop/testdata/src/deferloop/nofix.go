package deferloop

import "os"

// ---- buggy, no fix: a return inside the body would change meaning ----

func count(paths []string) int {
	n := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return n
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
		n++
	}
	return n
}

func breaks(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			break
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
	}
}
