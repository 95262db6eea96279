package deferloop

import (
	"os"
	"sync"
)

// A run-once flag: the defer runs once, not per iteration.
func openFirst(names []string) {
	var first *os.File
	opened := false
	for _, n := range names {
		if !opened {
			f, err := os.Open(n)
			if err != nil {
				continue
			}
			opened = true
			first = f
			defer f.Close()
		}
	}
	_ = first
}

// The files must outlive the loop: goroutines use them.
func serveAll(names []string, wg *sync.WaitGroup) {
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			return
		}
		defer f.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = f.Stat()
		}()
	}
	wg.Wait()
}

// Kept in a slice until the function returns.
func collect(names []string) []*os.File {
	var out []*os.File
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			return nil
		}
		defer f.Close()
		out = append(out, f)
	}
	return out
}

// Closed only on the error path.
func openAll(names []string) (err error) {
	for _, n := range names {
		f, ferr := os.Open(n)
		if ferr != nil {
			return ferr
		}
		defer func() {
			if err == nil {
				return
			}
			f.Close()
		}()
	}
	return nil
}
