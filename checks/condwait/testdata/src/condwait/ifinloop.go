package condwait

import "sync"

type jobs struct {
	mu    sync.Mutex
	c     *sync.Cond
	items []int
	done  bool
}

// serve waits under an if inside its loop and then takes items[0] at
// once: the loop checks again only on the next pass.
func (j *jobs) serve(out chan<- int) {
	for {
		j.mu.Lock()
		if len(j.items) == 0 {
			j.c.Wait() // want `j.c.Wait\(\) under an if, not a for: the loop around it checks the condition again only on its next pass, but line \d+ uses j.items first`
		}
		v := j.items[0]
		j.items = j.items[1:]
		j.mu.Unlock()
		out <- v
	}
}

// serveFor re-checks in a for: fine.
func (j *jobs) serveFor(out chan<- int) {
	for {
		j.mu.Lock()
		for len(j.items) == 0 {
			j.c.Wait()
		}
		v := j.items[0]
		j.items = j.items[1:]
		j.mu.Unlock()
		out <- v
	}
}

// serveContinue goes round the loop after the Wait: the next pass checks.
func (j *jobs) serveContinue(out chan<- int) {
	for {
		j.mu.Lock()
		if len(j.items) == 0 {
			j.c.Wait()
			j.mu.Unlock()
			continue
		}
		v := j.items[0]
		j.items = j.items[1:]
		j.mu.Unlock()
		out <- v
	}
}

// serveRecheck checks the state again before it uses it.
func (j *jobs) serveRecheck(out chan<- int) {
	for {
		j.mu.Lock()
		if len(j.items) == 0 {
			j.c.Wait()
		}
		if len(j.items) == 0 {
			j.mu.Unlock()
			continue
		}
		v := j.items[0]
		j.items = j.items[1:]
		j.mu.Unlock()
		out <- v
	}
}

// idle only waits in each pass and uses nothing the if checked.
func (j *jobs) idle(tick func()) {
	for i := 0; i < 3; i++ {
		j.mu.Lock()
		if !j.done {
			j.c.Wait()
		}
		j.mu.Unlock()
		tick()
	}
}

func (j *jobs) put(v int) {
	j.mu.Lock()
	j.items = append(j.items, v)
	j.mu.Unlock()
	j.c.Signal()
}
