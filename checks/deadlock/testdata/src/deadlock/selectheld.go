package deadlock

import "sync"

// A send that is the only case of a select waits exactly like a plain
// send (model: ChanOp.MayBlock, one case): reported as publish above is.
// With a default the select never waits (ChanOp.MayBlock is false), and
// with a second case that can proceed it need not wait on this one:
// silent.
type OneCase struct {
	mu      sync.Mutex
	updates chan int
	n       int
}

func NewOneCase() *OneCase { return &OneCase{updates: make(chan int)} }

func (p *OneCase) publish(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case p.updates <- v: // want `the send on p.updates can block while this goroutine holds p.mu`
	}
}

func (p *OneCase) bump() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

func (p *OneCase) watch() {
	for range p.updates {
		p.bump()
	}
}

type WithDefault struct {
	mu      sync.Mutex
	updates chan int
	n       int
}

func NewWithDefault() *WithDefault { return &WithDefault{updates: make(chan int)} }

func (p *WithDefault) publish(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case p.updates <- v:
	default:
	}
}

func (p *WithDefault) bump() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

func (p *WithDefault) watch() {
	for range p.updates {
		p.bump()
	}
}
