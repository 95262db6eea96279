package deadlock

import "sync"

// ---- a pointer mutex field that points at the held mutex ----

// Every tally stored in a hub points its lock at that hub's mu: Notify,
// run by the goroutines publish waits for, locks h.mu, which publish holds.
type Observer interface{ Notify(int) }

type tally struct {
	lock *sync.Mutex
	sum  int
}

func (t *tally) Notify(v int) {
	t.lock.Lock()
	t.sum += v
	t.lock.Unlock()
}

type hub struct {
	mu  sync.Mutex
	obs []Observer
}

func (h *hub) subscribe() {
	h.mu.Lock()
	h.obs = append(h.obs, &tally{lock: &h.mu})
	h.mu.Unlock()
}

func (h *hub) publish(v int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var wg sync.WaitGroup
	for _, o := range h.obs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.Notify(v)
		}()
	}
	wg.Wait() // want `wg.Wait\(\) can block while this goroutine holds h.mu \(locked on line \d+\), and the code that calls wg.Done\(\) does so when its function returns \(deferred\) and can lock h.mu before that`
}

// The pointer field points at another hub's mutex: no deadlock.
type sink interface{ Put(int) }

type meter struct {
	lock *sync.Mutex
	n    int
}

func (m *meter) Put(v int) {
	m.lock.Lock()
	m.n += v
	m.lock.Unlock()
}

type fanout struct {
	mu    sync.Mutex
	sinks []sink
}

func (f *fanout) attach(stats *fanout) {
	f.mu.Lock()
	f.sinks = append(f.sinks, &meter{lock: &stats.mu})
	f.mu.Unlock()
}

func (f *fanout) emit(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range f.sinks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Put(v)
		}()
	}
	wg.Wait()
}

// A mutex of its own: no deadlock.
type counterSink interface{ Count(int) }

type ownCounter struct {
	lock *sync.Mutex
	n    int
}

func (c *ownCounter) Count(v int) {
	c.lock.Lock()
	c.n += v
	c.lock.Unlock()
}

type relay struct {
	mu   sync.Mutex
	outs []counterSink
}

func (r *relay) add() {
	r.mu.Lock()
	r.outs = append(r.outs, &ownCounter{lock: new(sync.Mutex)})
	r.mu.Unlock()
}

func (r *relay) send(v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var wg sync.WaitGroup
	for _, o := range r.outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.Count(v)
		}()
	}
	wg.Wait()
}
