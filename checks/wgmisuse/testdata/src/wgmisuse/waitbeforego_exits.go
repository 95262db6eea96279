package wgmisuse

import (
	"os"
	"sync"
)

type jobPool5 struct {
	wg sync.WaitGroup
}

// An os.Exit before the Add ends the program: every run that returns has
// added (run: exit status 3, or the Wait deadlocks).
func (p *jobPool5) addOrExit(bad bool) {
	if bad {
		os.Exit(3)
	}
	p.wg.Add(1)
}

func (p *jobPool5) worker() { p.wg.Done() }

func exitBeforeAdd(bad bool) {
	p := &jobPool5{}
	p.addOrExit(bad)
	p.wg.Wait() // want `p.wg.Wait\(\) waits for the counter raised by p.addOrExit \(which calls p.wg.Add\(1\)\)`
	go p.worker()
}

type jobPool6 struct {
	wg sync.WaitGroup
}

// A return inside a switch leaves without the Add.
func (p *jobPool6) addUnless(n int) {
	switch n {
	case 0:
		return
	}
	p.wg.Add(1)
}

func (p *jobPool6) worker() { p.wg.Done() }

func switchReturnBeforeAdd(n int) {
	p := &jobPool6{}
	p.addUnless(n)
	p.wg.Wait()
	go p.worker()
}
