package deadlock

import "sync"

// WaitGroup operations are the model's (model.File.WaitGroups): wg.Go(f)
// calls Done when f returns, and Wait and Done promoted from an embedded
// WaitGroup are the embedded WaitGroup's. Each positive case stops with
// "fatal error: all goroutines are asleep - deadlock!" when run.

type Fetcher struct {
	mu sync.Mutex
	wg sync.WaitGroup
	m  map[string]int
}

// refresh holds l.mu while it waits for loaders that need l.mu.
func (l *Fetcher) refresh(keys []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		l.wg.Go(func() {
			l.mu.Lock()
			l.m[k]++
			l.mu.Unlock()
		})
	}
	l.wg.Wait() // want `l.wg.Wait\(\) can block while this goroutine holds l.mu`
}

// refreshUnlocked waits without holding l.mu: no deadlock.
func (l *Fetcher) refreshUnlocked(keys []string) {
	for _, k := range keys {
		l.wg.Go(func() {
			l.mu.Lock()
			l.m[k]++
			l.mu.Unlock()
		})
	}
	l.wg.Wait()
}

// count's goroutines never lock l.mu: no deadlock.
func (l *Fetcher) count(keys []string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wg sync.WaitGroup
	n := make([]int, len(keys))
	for i := range keys {
		wg.Go(func() { n[i] = len(keys[i]) })
	}
	wg.Wait()
	return len(n)
}

type Crew struct {
	sync.WaitGroup
	mu   sync.Mutex
	done int
}

func (w *Crew) work() {
	w.mu.Lock()
	w.done++
	w.mu.Unlock()
	w.Done()
}

// Close holds w.mu while it waits for workers that need w.mu.
func (w *Crew) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.Wait() // want `w.WaitGroup.Wait\(\) can block while this goroutine holds w.mu`
}

// Drain waits first, then locks: no deadlock.
func (w *Crew) Drain() int {
	w.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done
}
