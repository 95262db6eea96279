package nopartner

import "time"

// gaveuppool.go: a pool whose Submit starts another worker loop on the
// same jobs channel each time it grows. One loop giving up on its idle
// timer leaves the others receiving (truth/r12r_pool_grow_shrink).

type gpPool struct {
	jobs chan func()
	idle time.Duration
}

// RIGHT: Submit, exported, may run many times; each go p.work starts
// another receiver on p.jobs.
func (p *gpPool) Submit(f func()) {
	select {
	case p.jobs <- f:
		return
	default:
	}
	go p.work(f)
	p.jobs <- f
}

func (p *gpPool) work(f func()) {
	t := time.NewTimer(p.idle)
	defer t.Stop()
	for {
		f()
		t.Reset(p.idle)
		select {
		case f = <-p.jobs:
		case <-t.C:
			return
		}
	}
}

func newGpPool() *gpPool { return &gpPool{jobs: make(chan func()), idle: time.Second} }
