package deadlock

import "sync"

// ---- a function passed as an argument, called with the mutex held ----

type Index struct {
	mu   sync.Mutex
	keys map[string]int
}

func (x *Index) update(fn func()) {
	x.mu.Lock()
	defer x.mu.Unlock()
	fn()
}

func (x *Index) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.keys)
}

func (x *Index) Grow() {
	x.update(func() { // want `x.update\(\) is passed a function that locks x.mu \(Lock at line \d+\), and it calls that function as fn \(line \d+\) while it holds x.mu`
		if x.Len() > 10 {
			x.keys = map[string]int{}
		}
	})
}

// A method value of the same index.
func (x *Index) reset() {
	x.mu.Lock()
	x.keys = nil
	x.mu.Unlock()
}

func (x *Index) Clear() {
	x.update(x.reset) // want `x.update\(\) is passed a function that locks x.mu`
}

// The function locks another index: fine.
func (x *Index) CopyTo(y *Index) {
	x.update(func() { _ = y.Len() })
}

// The function does not lock: fine.
func (x *Index) Put(k string) {
	x.update(func() { x.keys[k] = 1 })
}
