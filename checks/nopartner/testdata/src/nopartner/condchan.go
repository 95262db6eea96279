package nopartner

import "sync"

// ---- a channel and a condition variable waiting on each other ----

// WRONG: the loader receives its result only after the config is marked
// loaded, and the config is marked loaded only after the result is sent.
type configLoader struct {
	mu      sync.Mutex
	cond    *sync.Cond
	loaded  bool
	results chan string
}

func newConfigLoader() *configLoader {
	l := &configLoader{results: make(chan string)}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *configLoader) get() string {
	l.mu.Lock()
	for !l.loaded {
		l.cond.Wait()
	}
	l.mu.Unlock()
	return <-l.results
}

func (l *configLoader) load(v string) {
	l.results <- v // want `this send on l.results blocks forever: the only receive \(line 28\) runs only after the loop that waits until loaded is true \(line 24\), and loaded is set \(line 34\) only after a send on l.results: each waits for the other; set loaded and signal before sending, or receive before waiting`
	l.mu.Lock()
	l.loaded = true
	l.cond.Broadcast()
	l.mu.Unlock()
}

// RIGHT: mark it loaded and signal first, then send.
type signalledLoader struct {
	mu      sync.Mutex
	cond    *sync.Cond
	loaded  bool
	results chan string
}

func newSignalledLoader() *signalledLoader {
	l := &signalledLoader{results: make(chan string)}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *signalledLoader) get() string {
	l.mu.Lock()
	for !l.loaded {
		l.cond.Wait()
	}
	l.mu.Unlock()
	return <-l.results
}

func (l *signalledLoader) load(v string) {
	l.mu.Lock()
	l.loaded = true
	l.cond.Broadcast()
	l.mu.Unlock()
	l.results <- v
}

// Silent: another path sets the field without sending first.
type resetLoader struct {
	mu      sync.Mutex
	cond    *sync.Cond
	loaded  bool
	results chan string
}

func newResetLoader() *resetLoader {
	l := &resetLoader{results: make(chan string)}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *resetLoader) get() string {
	l.mu.Lock()
	for !l.loaded {
		l.cond.Wait()
	}
	l.mu.Unlock()
	return <-l.results
}

func (l *resetLoader) load(v string) {
	l.results <- v
	l.mu.Lock()
	l.loaded = true
	l.cond.Broadcast()
	l.mu.Unlock()
}

func (l *resetLoader) force() {
	l.mu.Lock()
	l.loaded = true
	l.cond.Broadcast()
	l.mu.Unlock()
}

// UseLoaders runs the loaders as the package's API would.
func UseLoaders() {
	a := newConfigLoader()
	go a.load("a")
	a.get()
	b := newSignalledLoader()
	go b.load("b")
	b.get()
	c := newResetLoader()
	go c.load("c")
	c.force()
	c.get()
}

// The wait loop and the receive in one case of a switch: the loop has
// completed whenever the receive runs just the same (a run: both
// goroutines block, "all goroutines are asleep").
type modeWatcher struct {
	mu      sync.Mutex
	cond    *sync.Cond
	ready   bool
	updates chan int
}

func newModeWatcher() *modeWatcher {
	w := &modeWatcher{updates: make(chan int)}
	w.cond = sync.NewCond(&w.mu)
	return w
}

func (w *modeWatcher) watch(mode int) int {
	switch mode {
	case 1:
		w.mu.Lock()
		for !w.ready {
			w.cond.Wait()
		}
		w.mu.Unlock()
		return <-w.updates
	}
	return 0
}

func (w *modeWatcher) notify(v int) {
	w.updates <- v // want `this send on w.updates blocks forever: the only receive \(line \d+\) runs only after the loop that waits until ready is true`
	w.mu.Lock()
	w.ready = true
	w.cond.Broadcast()
	w.mu.Unlock()
}
