package nopartner

import "sync"

// The sender locks a mutex before its send: it may not reach the send, and
// the finding says what happens if it does.
type lockedFeeder struct {
	mu sync.Mutex
	in chan errItem
}

func newLockedFeeder() *lockedFeeder {
	f := &lockedFeeder{in: make(chan errItem)}
	go func() {
		for it := range f.in {
			if err := handleErrItem(it); err != nil {
				return
			}
		}
	}()
	return f
}

func (f *lockedFeeder) Feed(items []errItem) {
	for _, it := range items {
		f.mu.Lock()
		n := it.n
		f.mu.Unlock()
		f.in <- errItem{n} // want `the only loop that receives from f.in \(line 15\) returns at line 17 when err != nil: after that nothing receives, and if its goroutine reaches this send, it blocks there forever \(before the send, it locks a mutex at line 26\); let the sender give up`
	}
}

var lockedFeed = newLockedFeeder()
