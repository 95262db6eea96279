// Lock pairing by flow, decided by running: each function locks its own
// mutex in every mode (bit sets, so every path is taken), and main then
// asks TryLock whether the mutex was left held.
package main

import (
	"fmt"
	"sync"
)

var ma, mb, mc, md, me, mf, mg, mh, mi sync.Mutex
var rw sync.RWMutex

func deferred(mode int) {
	ma.Lock() // lock:deferred
	defer ma.Unlock()
	if mode&1 != 0 {
		return
	}
}

func closure(mode int) {
	mb.Lock() // lock:closure
	defer func() {
		mb.Unlock()
	}()
	if mode&1 != 0 {
		return
	}
}

func earlyReturn(mode int) {
	mc.Lock() // lock:early
	if mode&1 != 0 {
		return
	}
	mc.Unlock()
}

func branches(mode int) {
	md.Lock() // lock:branches
	if mode&1 != 0 {
		md.Unlock()
		return
	}
	if mode&2 != 0 {
		md.Unlock()
	} else {
		md.Unlock()
	}
}

func neverHere(mode int) {
	me.Lock() // lock:never
	if mode&1 != 0 {
		return
	}
}

func inLoop(mode int) {
	for i := 0; i < 3; i++ {
		mf.Lock() // lock:loop
		if mode&1 != 0 && i == 2 {
			break
		}
		mf.Unlock()
	}
}

func readers(mode int) {
	rw.RLock() // lock:read
	defer rw.RUnlock()
	if mode&1 != 0 {
		return
	}
}

// Helpers whose summaries unlock: a package variable, and a parameter.
func unlockG() { mg.Unlock() }

func release(m *sync.Mutex) { m.Unlock() }

func noop() {}

func viaHelper(mode int) {
	mg.Lock() // lock:helper
	if mode&1 != 0 {
		unlockG()
		return
	}
	mg.Unlock()
}

func viaParam(mode int) {
	mh.Lock() // lock:param
	release(&mh)
}

func untouched(mode int) {
	mi.Lock() // lock:untouched
	noop()
}

func main() {
	type fn struct {
		tag string
		f   func(int)
		mu  interface{ TryLock() bool }
		un  func()
	}
	fns := []fn{
		{"deferred", deferred, &ma, ma.Unlock},
		{"closure", closure, &mb, mb.Unlock},
		{"early", earlyReturn, &mc, mc.Unlock},
		{"branches", branches, &md, md.Unlock},
		{"never", neverHere, &me, me.Unlock},
		{"loop", inLoop, &mf, mf.Unlock},
		{"read", readers, &rw, rw.Unlock},
		{"helper", viaHelper, &mg, mg.Unlock},
		{"param", viaParam, &mh, mh.Unlock},
		{"untouched", untouched, &mi, mi.Unlock},
	}
	for mode := 0; mode < 4; mode++ {
		for _, x := range fns {
			x.f(mode)
			if x.mu.TryLock() {
				fmt.Println("L", x.tag, "released")
				x.un()
			} else {
				fmt.Println("L", x.tag, "held")
				x.un() // release what the function left held (a Mutex is not tied to a goroutine)
			}
		}
	}
}
