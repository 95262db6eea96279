package typed

import (
	"context"
	"sync"
	"time"
)

// Scheduler debounces and supersedes jobs by key: at most one job per key is
// pending or running. Scheduling a job for a key cancels the previous one —
// its timer if it has not started, its context if it is running — so a load
// started for an older document version stops as soon as a newer version
// asks for a load of the same package.
//
// The server's use: on every edit, Schedule(packageDir, 300*time.Millisecond,
// func(ctx) { pkg, err := loader.Load(ctx, req); if ctx.Err() != nil {
// return }; ... }).
type Scheduler struct {
	mu     sync.Mutex
	ctx    context.Context
	stop   context.CancelFunc
	jobs   map[string]*job
	seq    uint64
	wg     sync.WaitGroup
	closed bool
}

type job struct {
	seq    uint64
	timer  *time.Timer
	cancel context.CancelFunc
}

// NewScheduler returns a Scheduler whose jobs' contexts derive from parent.
func NewScheduler(parent context.Context) *Scheduler {
	ctx, stop := context.WithCancel(parent)
	return &Scheduler{ctx: ctx, stop: stop, jobs: map[string]*job{}}
}

// Schedule runs fn(ctx) after delay, unless another Schedule for the same
// key comes first; it cancels the job already scheduled or running for key.
// fn must return promptly once ctx is done. Jobs of different keys run
// independently.
func (s *Scheduler) Schedule(key string, delay time.Duration, fn func(ctx context.Context)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if old := s.jobs[key]; old != nil {
		old.cancel() // its watcher stops the timer, or its fn sees ctx done
	}
	s.seq++
	ctx, cancel := context.WithCancel(s.ctx)
	j := &job{seq: s.seq, cancel: cancel}
	s.jobs[key] = j
	s.wg.Add(1)
	j.timer = time.AfterFunc(delay, func() {
		defer s.wg.Done()
		defer s.finish(key, j)
		if ctx.Err() != nil {
			return
		}
		fn(ctx)
	})
	// The watcher: once the job is cancelled (superseded, Cancel, Close)
	// or done, stop the timer; if it had not fired, fn never runs and the
	// job is released here.
	go func() {
		<-ctx.Done()
		if j.timer.Stop() {
			// The timer had not fired: its func will never run.
			s.wg.Done()
			s.finish(key, j)
		}
	}()
}

func (s *Scheduler) finish(key string, j *job) {
	j.cancel()
	s.mu.Lock()
	if s.jobs[key] == j {
		delete(s.jobs, key)
	}
	s.mu.Unlock()
}

// Cancel cancels the pending or running job for key, if any.
func (s *Scheduler) Cancel(key string) {
	s.mu.Lock()
	j := s.jobs[key]
	s.mu.Unlock()
	if j != nil {
		j.cancel()
	}
}

// Pending reports whether a job for key is scheduled or running.
func (s *Scheduler) Pending(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[key] != nil
}

// Close cancels every job and waits for running ones to return.
func (s *Scheduler) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.stop()
	s.wg.Wait()
}
