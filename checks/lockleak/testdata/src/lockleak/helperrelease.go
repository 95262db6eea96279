package lockleak

import "sync"

type ledger struct {
	mu   sync.Mutex
	open bool
}

// settle releases the lock and resets state: a deferred Unlock beside it
// would unlock twice (fatal error: sync: unlock of unlocked mutex), so the
// leak gets no quick fix.
func (t *ledger) settle() { t.open = false; t.mu.Unlock() }

func (t *ledger) post(v int) bool {
	t.mu.Lock() // want `t.mu stays locked if \(\*ledger\).post returns on line 18: the t.settle\(\) on line 20 is skipped on that path`
	if v < 0 {
		return false
	}
	t.settle()
	return true
}
