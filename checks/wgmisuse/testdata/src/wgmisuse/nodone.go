package wgmisuse

import "sync"

type stopper struct {
	mu    sync.Mutex
	drain sync.WaitGroup
	tasks sync.WaitGroup
}

func (s *stopper) startTask() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drain.Add(1)
}

func (s *stopper) quiesce() {
	s.drain.Wait() // want `s.drain.Wait\(\) blocks forever once s.drain.Add has run \(line 14\): nothing in the package calls s.drain.Done`
}

// tasks is counted down: fine.
func (s *stopper) run(f func()) {
	s.tasks.Add(1)
	go func() {
		defer s.tasks.Done()
		f()
	}()
	s.tasks.Wait()
}
