package unclosedresource

import (
	"bufio"
	"os"
)

// The file goes to a scanner that never closes it.
func countLines(path string) (int, error) {
	f, err := os.Open(path) // want `the file opened by os.Open is never closed in this function and does not escape it`
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// The scanner is returned: the file goes with it.
func lines(path string) (*bufio.Scanner, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(f)
	return sc, nil
}
