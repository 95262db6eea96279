// Held facts the lock flow must get right where a mutex may be reached
// under two names (a.mu, b.mu of two pointers that may be equal). Each
// function prints whether a.mu is free (TryLock) at the point
// TestHeldFacts asks about; `go run .` prints:
//
//	transfer: a.mu free after b.mu.Unlock: false
//	rebound: a.mu free after b = a; b.mu.Unlock: true
//	unlockOnly: a.mu free after b.mu.Unlock: true
package main

import (
	"fmt"
	"sync"
)

type T struct {
	mu sync.Mutex
	n  int
}

// b.mu locked while a.mu is held is another mutex: its Unlock leaves
// a.mu held.
func transfer(a, b *T) {
	a.mu.Lock()
	b.mu.Lock()
	b.n = a.n
	b.mu.Unlock()
	fmt.Println("transfer: a.mu free after b.mu.Unlock:", a.mu.TryLock())
	a.mu.Unlock()
}

// After b = a, b.mu is a.mu: its Unlock releases a.mu (and the first
// b's mutex stays locked).
func rebound(a, b *T) {
	a.mu.Lock()
	b.mu.Lock()
	b = a
	b.mu.Unlock()
	fmt.Println("rebound: a.mu free after b = a; b.mu.Unlock:", a.mu.TryLock())
	a.mu.Unlock()
}

// b.mu never locked here: b may be a, and its Unlock may release a.mu.
func unlockOnly(a, b *T) {
	a.mu.Lock()
	b.mu.Unlock()
	fmt.Println("unlockOnly: a.mu free after b.mu.Unlock:", a.mu.TryLock())
	a.mu.Unlock()
}

func main() {
	transfer(&T{}, &T{})
	rebound(&T{}, &T{})
	a := &T{}
	unlockOnly(a, a)
}
