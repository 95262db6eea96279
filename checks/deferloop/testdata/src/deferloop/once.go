package deferloop

import (
	"os"
	"sync"
)

// A run-once flag the loop sets back: the defer registers again after
// each reset (the model's Many, unproven Guard), but whether a reset runs
// is not known: silent, as for any guard the model cannot prove.
func reopen(names []string) error {
	opened := false
	for _, n := range names {
		if !opened {
			opened = true
			f, err := os.Open(n)
			if err != nil {
				return err
			}
			defer f.Close()
		}
		if n == "" {
			opened = false
		}
	}
	return nil
}

// A proven run-once flag: one file, at most, per call.
func firstOnly(names []string) error {
	var opened bool
	for _, n := range names {
		if !opened {
			opened = true
			f, err := os.Open(n)
			if err != nil {
				return err
			}
			defer f.Close()
		}
	}
	return nil
}

// A lazy initialisation: most likely once (unless Open fails); silent.
func lazy(names []string) {
	var f *os.File
	for _, n := range names {
		if f == nil {
			f, _ = os.Open(n)
			defer f.Close()
		}
	}
}

// Not a mutex: a type of its own with an Unlock method. Whatever it
// does, "the next iteration's Lock waits forever" is not known.
type door struct{ open bool }

func (d *door) Lock()   { d.open = false }
func (d *door) Unlock() { d.open = true }

func walkThrough(d *door, rooms []string) {
	for range rooms {
		d.Lock()
		defer d.Unlock()
	}
}

// The run-once defer is silent; the Unlock beside it is per pass.
func firstAndLock(names []string, mu *sync.Mutex) error {
	opened := false
	for _, n := range names {
		if !opened {
			opened = true
			f, err := os.Open(n)
			if err != nil {
				return err
			}
			defer f.Close()
		}
		mu.Lock()
		defer mu.Unlock() // want `defer mu.Unlock\(\) in a loop runs only when firstAndLock returns: mu stays locked \(the next iteration's Lock waits forever\)`
	}
	return nil
}
