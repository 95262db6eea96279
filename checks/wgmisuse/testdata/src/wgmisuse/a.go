package wgmisuse

import (
	"fmt"
	"sync"
)

func run(int) {}

// ---- buggy: Add inside the goroutine ----

func addInside(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		go func() {
			wg.Add(1) // want `wg.Add inside the goroutine it counts \(first statement\): wg.Wait may run before this Add`
			defer wg.Done()
			run(j)
		}()
	}
	wg.Wait()
}

type pool struct {
	wg sync.WaitGroup
}

func (p *pool) start(n int) {
	for i := 0; i < n; i++ {
		go func() {
			fmt.Println("starting", i)
			p.wg.Add(1) // want `p.wg.Add inside the goroutine it counts: p.wg.Wait may run`
			defer p.wg.Done()
			run(i)
		}()
	}
	p.wg.Wait()
}

// ---- buggy: Done without Add ----

func doneOnly(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		go func() {
			defer wg.Done() // want `wg.Done\(\) but nothing in the package calls wg.Add: the counter goes negative and Done panics`
			run(j)
		}()
	}
	wg.Wait()
}

type server struct {
	conns sync.WaitGroup
}

func (s *server) handle() {
	defer s.conns.Done() // want `s.conns.Done\(\) but nothing in the package calls s.conns.Add`
}

// ---- buggy: by value ----

func worker(id int, wg sync.WaitGroup) { // want `wg is received by value: the function gets a copy of the sync.WaitGroup, so Done on the copy never reaches the caller's Wait; use \*sync.WaitGroup`
	defer wg.Done()
	run(id)
}

func startWorkers(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go worker(i, wg)
	}
	wg.Wait()
}

type counter struct {
	mu sync.Mutex
	n  int
}

func incr(c *counter, mu sync.Mutex) { // want `mu is received by value: the function gets a copy of the sync.Mutex, so locking the copy excludes nobody else`
	mu.Lock()
	c.n++
	mu.Unlock()
}

func useIncr(c *counter) { incr(c, c.mu) }

func rw(m sync.RWMutex) { // want `m is received by value`
	m.RLock()
	m.RUnlock()
}

var rwCallback = rw

// ---- correct ----

func addBefore(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(j)
		}()
	}
	wg.Wait()
}

func goMethod(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() { run(j) })
	}
	wg.Wait()
}

func pointerParam(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	run(id)
}

func addInsideForInner(jobs []int) {
	var wg sync.WaitGroup
	go func() {
		for _, j := range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				run(j)
			}()
		}
	}()
	wg.Wait()
}

type group struct{ wg sync.WaitGroup }

func (g *group) spawn(f func()) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		f()
	}()
}

func (g *group) wait() { g.wg.Wait() }

func passedAddress(n int) {
	var wg sync.WaitGroup
	addAll(&wg, n)
	for i := 0; i < n; i++ {
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

func addAll(wg *sync.WaitGroup, n int) { wg.Add(n) }

// Exported field: another package may Add.
type Tracker struct{ WG sync.WaitGroup }

func (t *Tracker) Finish() { t.WG.Done() }

type lockedMap struct {
	sync.Mutex
	m map[string]int
}

func viaPointer(l *lockedMap) {
	l.Lock()
	l.m["a"]++
	l.Unlock()
}

// The Add counts the nested goroutine started right after it (found in
// net/http's tests).
func nestedAdd(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wg.Add(1)
			go func() {
				defer wg.Done()
				run(i)
			}()
		}()
	}
	wg.Wait()
}
