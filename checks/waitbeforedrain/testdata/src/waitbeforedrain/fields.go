package waitbeforedrain

import (
	"errors"
	"sync"
)

// ---- the Wait and the drain in methods of one type ----

// WRONG: an errgroup whose goroutines report on an unbuffered channel that
// Wait drains only after wg.Wait.
type taskGroup struct {
	wg   sync.WaitGroup
	errs chan error
}

func newTaskGroup() *taskGroup { return &taskGroup{errs: make(chan error)} }

func (g *taskGroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errs <- err
		}
	}()
}

func (g *taskGroup) Wait() error {
	g.wg.Wait() // want `deadlock: g.wg.Wait\(\) waits for the goroutine started at line 21, which sends on the unbuffered channel g.errs before it is done; g.errs is received from only after this Wait \(line 32\): once the goroutine sends, neither side can go on`
	select {
	case err := <-g.errs:
		return err
	default:
		return nil
	}
}

// WRONG: a Done after the send, and the results drained by a range.
type fetchPool struct {
	wg      sync.WaitGroup
	results chan string
}

func (p *fetchPool) start(urls []string) {
	p.results = make(chan string)
	for _, u := range urls {
		p.wg.Add(1)
		go func() {
			p.results <- u
			p.wg.Done()
		}()
	}
}

func (p *fetchPool) collect() []string {
	p.wg.Wait() // want `deadlock: p.wg.Wait\(\) waits for the goroutine started at line 49`
	var out []string
	for {
		select {
		case r := <-p.results:
			out = append(out, r)
		default:
			return out
		}
	}
}

// RIGHT: a goroutine started by the constructor drains the channel while
// Wait waits.
type drainedGroup struct {
	wg    sync.WaitGroup
	errs  chan error
	first error
	done  chan struct{}
}

func newDrainedGroup() *drainedGroup {
	g := &drainedGroup{errs: make(chan error), done: make(chan struct{})}
	go func() {
		defer close(g.done)
		for err := range g.errs {
			if g.first == nil {
				g.first = err
			}
		}
	}()
	return g
}

func (g *drainedGroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errs <- err
		}
	}()
}

func (g *drainedGroup) Wait() error {
	g.wg.Wait()
	return g.first
}

// RIGHT: the channel has a buffer, and the goroutine gives up when it is
// full: nothing waits for a receiver.
type bufferedGroup struct {
	wg   sync.WaitGroup
	errs chan error
}

func newBufferedGroup() *bufferedGroup { return &bufferedGroup{errs: make(chan error, 1)} }

func (g *bufferedGroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			select {
			case g.errs <- err:
			default:
			}
		}
	}()
}

func (g *bufferedGroup) Wait() error {
	g.wg.Wait()
	select {
	case err := <-g.errs:
		return err
	default:
		return nil
	}
}

// Silent: Done runs before the send, so Wait does not wait for the
// sender; the receive after it completes the send (one task per group).
type doneFirstGroup struct {
	wg   sync.WaitGroup
	errs chan error
}

func newDoneFirstGroup() *doneFirstGroup { return &doneFirstGroup{errs: make(chan error)} }

func (g *doneFirstGroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		err := f()
		g.wg.Done()
		g.errs <- err
	}()
}

func (g *doneFirstGroup) Wait() error {
	g.wg.Wait()
	return <-g.errs
}

var errTask = errors.New("task failed")

// WRONG: the Wait is in a method the receiving function calls before it
// drains.
type resizeBatch struct {
	wg   sync.WaitGroup
	done chan int
}

func (b *resizeBatch) run(sizes []int) {
	for _, n := range sizes {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			b.done <- n / 2
		}()
	}
	b.wg.Wait() // want `deadlock: b.wg.Wait\(\) waits for the goroutine started at line 173, which sends on the unbuffered channel b.done before it is done; b.done is received from only after the call of b.run returns \(the call at line 184, the receive at line 185\)`
	close(b.done)
}

func resizeAll(sizes []int) (total int) {
	b := &resizeBatch{done: make(chan int)}
	b.run(sizes)
	for n := range b.done {
		total += n
	}
	return total
}

// RIGHT: the receiver drains in a goroutine it starts before the call.
type streamBatch struct {
	wg   sync.WaitGroup
	done chan int
}

func (b *streamBatch) run(sizes []int) {
	for _, n := range sizes {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			b.done <- n / 2
		}()
	}
	b.wg.Wait()
	close(b.done)
}

func streamAll(sizes []int) int {
	b := &streamBatch{done: make(chan int)}
	total := make(chan int)
	go func() {
		t := 0
		for n := range b.done {
			t += n
		}
		total <- t
	}()
	b.run(sizes)
	return <-total
}
