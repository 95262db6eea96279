package deadlock

import (
	"sync"
	"sync/atomic"
)

// ---- held past a call golens cannot see into ----

// A callback handed the subscription (onErr) could in principle unlock
// it; deadlock assumes it does not, as it always has (nats.go's push
// consumer: the handler holds sub.Mutex, calls ErrHandler(sub, err), then
// sub.Stop(), which locks it again). Run: with a callback that does not
// unlock, handle blocks forever in stop's Lock.
type subscription struct {
	sync.Mutex
	closed atomic.Bool
	onErr  func(*subscription, error)
}

func (s *subscription) stop() {
	if !s.closed.CompareAndSwap(false, true) {
		return
	}
	s.Lock()
	defer s.Unlock()
}

func (s *subscription) handle(err error) {
	s.Lock()
	if err != nil {
		if s.onErr != nil {
			s.onErr(s, err)
		}
		s.stop() // want `s.stop\(\) locks s.Mutex \(Lock at line \d+\) while this goroutine already holds it`
	}
	s.Unlock()
}
