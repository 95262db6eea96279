package wgmisuse

import "sync"

type jobPool struct {
	wg   sync.WaitGroup
	jobs chan int
}

func (p *jobPool) worker() {
	for range p.jobs {
		p.wg.Done()
	}
}

func (p *jobPool) submit(j int) {
	p.wg.Add(1)
	p.jobs <- j
}

func runPool() {
	p := &jobPool{jobs: make(chan int, 10)}
	p.submit(1)
	p.wg.Wait() // want `p.wg.Wait\(\) waits for the counter raised by p.submit \(which calls p.wg.Add\(1\)\) \(line 23\), but the only p.wg.Done\(\) is in the goroutine started after it \(p.worker, line 25\): that goroutine is not running yet, so the counter never reaches zero and p.wg.Wait\(\) blocks forever`
	go p.worker()
}

func waitThenStart() {
	var wg sync.WaitGroup
	wg.Add(1)
	wg.Wait() // want `wg.Wait\(\) waits for the counter raised by wg.Add\(1\) \(line 30\), but the only wg.Done\(\) is in the goroutine started after it \(a function literal, line 32\)`
	go func() {
		defer wg.Done()
	}()
}

// ---- silent ----

type jobPool2 struct {
	wg   sync.WaitGroup
	jobs chan int
}

func (p *jobPool2) worker() {
	for range p.jobs {
		p.wg.Done()
	}
}

func (p *jobPool2) submit(j int) {
	p.wg.Add(1)
	p.jobs <- j
}

// The worker runs before the Wait.
func runPool2() {
	p := &jobPool2{jobs: make(chan int, 10)}
	go p.worker()
	p.submit(1)
	p.wg.Wait()
}

// Another Done runs before the Wait.
func doneBefore() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { wg.Done() }()
	wg.Wait()
	go func() { wg.Done() }()
}

// The WaitGroup escapes: code golens does not see may call Done.
func escapes(start func(*sync.WaitGroup)) {
	var wg sync.WaitGroup
	wg.Add(1)
	start(&wg)
	wg.Wait()
	go func() { wg.Done() }()
}

// Nothing was added: the Wait returns at once.
func nothingAdded() {
	var wg sync.WaitGroup
	wg.Wait()
	wg.Add(1)
	go func() { wg.Done() }()
	wg.Wait()
}

type jobPool4 struct {
	wg sync.WaitGroup
}

func (p *jobPool4) submit() { p.wg.Add(1) }
func (p *jobPool4) worker() { p.wg.Done() }

// The Add went to another pool's WaitGroup.
func otherPool() {
	p, q := &jobPool4{}, &jobPool4{}
	q.submit()
	p.wg.Wait()
	go p.worker()
}

type jobPool3 struct {
	wg sync.WaitGroup
}

func (p *jobPool3) maybeAdd(ok bool) {
	if !ok {
		return
	}
	p.wg.Add(1)
}

func (p *jobPool3) worker() { p.wg.Done() }

// The Add may not run.
func maybeAdded(ok bool) {
	p := &jobPool3{}
	p.maybeAdd(ok)
	p.wg.Wait()
	go p.worker()
}
