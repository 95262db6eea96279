package lockleak

import "sync"

type hoConn struct {
	subsMu sync.Mutex
	subs   map[int]*hoSub
}

type hoSub struct {
	mu   sync.Mutex
	conn *hoConn
	sid  int
}

// swap is entered holding s.mu and returns holding it: it lets go of it
// while it takes the connection's lock. Calling it under s.mu is not a
// second Lock (a run returns true).
func (s *hoSub) swap() bool {
	c := s.conn
	s.mu.Unlock()
	c.subsMu.Lock()
	if c.subs[s.sid] != s {
		c.subsMu.Unlock()
		s.mu.Lock()
		return false
	}
	s.sid++
	c.subsMu.Unlock()
	s.mu.Lock()
	return true
}

func hoUse(s *hoSub) bool {
	s.mu.Lock()
	ok := s.swap()
	s.mu.Unlock()
	return ok
}
