package deadlock

import (
	"fmt"
	"sync"
)

// A TryLock never blocks, but the Unlock after a successful one releases
// the function's own lock, not one its caller held: what the function
// locks afterwards still counts (go run: "all goroutines are asleep").

type Polled struct {
	mu    sync.Mutex
	n     int
	polls int
}

func (p *Polled) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

func (p *Polled) sample() int {
	if p.mu.TryLock() {
		p.polls++
		p.mu.Unlock()
	}
	return p.get()
}

func (p *Polled) report() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Println(p.sample()) // want `p.sample\(\) → get\(\) locks p.mu \(Lock at line 19\) while this goroutine already holds it`
}

// Called without p.mu held: no deadlock.
func (p *Polled) reportFree() {
	fmt.Println(p.sample())
}

// refresh releases the p.mu its caller holds before it reads: no
// deadlock.
func (p *Polled) refresh() {
	p.mu.Unlock()
	_ = p.get()
	p.mu.Lock()
}

func (p *Polled) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refresh()
}
