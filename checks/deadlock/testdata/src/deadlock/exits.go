package deadlock

import (
	"log"
	"sync"
)

// ---- a branch that ends the process is not a path past the if ----

// Ledger.Load's !ok branch unlocks and then ends the process (log.Fatal,
// like os.Exit): every path that reaches bump holds s.mu, and bump locks
// it again. Run with ok true, the program stops with "fatal error: all
// goroutines are asleep - deadlock!".
type Ledger struct {
	mu sync.Mutex
	n  int
}

func (s *Ledger) Load(ok bool) {
	s.mu.Lock()
	if !ok {
		s.mu.Unlock()
		log.Fatal("not ok")
	}
	s.bump() // want `s.bump\(\) locks s.mu \(Lock at line \d+\) while this goroutine already holds it`
	s.mu.Unlock()
}

func (s *Ledger) bump() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

// ledgerLogger's Fatal only logs and returns: with ok false, LoadLogged
// reaches bump without s.mu, so s.mu is not held on every path there and
// golens, which reports a mutex held on every path, says nothing. Counting
// a call only named like an exit as one would claim s.mu held at bump.
type ledgerLogger struct{}

func (ledgerLogger) Fatal(msg string) {}

func (s *Ledger) LoadLogged(ok bool, l ledgerLogger) {
	s.mu.Lock()
	if !ok {
		s.mu.Unlock()
		l.Fatal("not ok")
	}
	s.bump()
}
