package wgmisuse

import (
	"errors"
	"sync"
)

func fetch(i int) error {
	if i > 2 {
		return errors.New("too far")
	}
	return nil
}

// ---- a return skips the Done ----

func fetchAll() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			if err := fetch(i); err != nil {
				return // want `this return skips wg.Done\(\) \(line 25\): the WaitGroup's counter never reaches zero and wg.Wait\(\) \(line 28\) blocks forever; defer wg.Done\(\) at the start of the goroutine`
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

type workerPool struct{ wg sync.WaitGroup }

func (p *workerPool) worker(i int) {
	if fetch(i) != nil {
		return // want `this return skips p.wg.Done\(\) \(line 37\): the WaitGroup's counter never reaches zero and p.wg.Wait\(\) \(line 45\) blocks forever`
	}
	p.wg.Done()
}

func (p *workerPool) run() {
	for i := 0; i < 3; i++ {
		p.wg.Add(1)
		go p.worker(i)
	}
	p.wg.Wait()
}

// ---- silent ----

func fetchDeferred() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fetch(i); err != nil {
				return
			}
		}()
	}
	wg.Wait()
}

func fetchBothPaths() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := fetch(1); err != nil {
			wg.Done()
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

type tracker struct{ wg sync.WaitGroup }

func (t *tracker) fail() { t.wg.Done() }

func (t *tracker) work() {
	if fetch(5) != nil {
		t.fail()
		return
	}
	t.wg.Done()
}

func (t *tracker) run() {
	t.wg.Add(1)
	go t.work()
	t.wg.Wait()
}

// A return inside a closure is not the goroutine's.
func closureReturn() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		check := func() bool { return fetch(1) == nil }
		_ = check()
		wg.Done()
	}()
	wg.Wait()
}
