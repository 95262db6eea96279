package nopartner

import "errors"

// ---- the only receiver quits on an error ----

type errItem struct{ n int }

func handleErrItem(it errItem) error {
	if it.n < 0 {
		return errors.New("bad errItem")
	}
	return nil
}

type errPipeline struct{ in chan errItem }

func newErrPipeline() *errPipeline {
	p := &errPipeline{in: make(chan errItem)}
	go p.consume()
	return p
}

func (p *errPipeline) consume() {
	for it := range p.in {
		if err := handleErrItem(it); err != nil {
			return
		}
	}
}

func (p *errPipeline) Feed(items []errItem) {
	for _, it := range items {
		p.in <- it // want `the only loop that receives from p.in \(line 25\) returns at line 27 when err != nil: after that nothing receives, and this send blocks forever; let the sender give up when the loop ends \(select on a channel the loop closes as it leaves\), or keep receiving after an error`
	}
}

// A break out of the loop ends it just as well; the second send can run
// after the first one made the loop quit.
func twoSends() {
	ch := make(chan errItem)
	go func() {
		for {
			it := <-ch
			if err := handleErrItem(it); err != nil {
				break
			}
		}
	}()
	ch <- errItem{-1}
	ch <- errItem{1} // want `the only loop that receives from ch \(line 43\) breaks out at line 46 when err != nil`
}

// RIGHT: the sender gives up when the loop has quit.
type guarded struct {
	in   chan errItem
	quit chan struct{}
}

func newGuarded() *guarded {
	g := &guarded{in: make(chan errItem), quit: make(chan struct{})}
	go g.consume()
	return g
}

func (g *guarded) consume() {
	defer close(g.quit)
	for it := range g.in {
		if err := handleErrItem(it); err != nil {
			return
		}
	}
}

func (g *guarded) Feed(it errItem) {
	select {
	case g.in <- it:
	case <-g.quit:
	}
}

// Silent: the loop quits on a sentinel the sender sends last, not on an
// error: that is the protocol.
type sentinel struct{ in chan int }

func newSentinel() *sentinel {
	s := &sentinel{in: make(chan int)}
	go s.consume()
	return s
}

func (s *sentinel) consume() {
	for v := range s.in {
		if v < 0 {
			return
		}
	}
}

func (s *sentinel) Feed(vs []int) {
	for _, v := range vs {
		s.in <- v
	}
	s.in <- -1
}

// Silent: a send that runs once, in a function called once, cannot follow
// the value that made the loop quit.
func oneSend() {
	ch := make(chan errItem)
	go func() {
		for it := range ch {
			if err := handleErrItem(it); err != nil {
				return
			}
		}
	}()
	ch <- errItem{1}
}

// Silent: the break leaves only the inner switch, not the loop.
func switchBreak(vs []errItem) {
	ch := make(chan errItem)
	go func() {
		for it := range ch {
			switch {
			case it.n > 0:
				if err := handleErrItem(it); err != nil {
					break
				}
			}
		}
	}()
	for _, v := range vs {
		ch <- v
	}
	close(ch)
}

// The loop's error path need not read an error value: a bad value that it
// reports on an error channel ends it just the same. The loop is in a
// function the goroutine literal calls.
func resizeWorker(sizes <-chan int, errc chan<- error) {
	for n := range sizes {
		if n <= 0 {
			errc <- errors.New("bad size")
			return
		}
	}
}

func resizeAll(sizes []int) error {
	in := make(chan int)
	errc := make(chan error, 1)
	go func() {
		resizeWorker(in, errc)
	}()
	for _, n := range sizes {
		in <- n // want `the only loop that receives from in \(line 144\) returns at line 147 when n <= 0`
	}
	close(in)
	return nil
}

// RIGHT: the feeder selects on the error channel too, so it learns that
// the worker has quit.
func resizeAllWatched(sizes []int) error {
	in := make(chan int)
	errc := make(chan error, 1)
	go func() {
		resizeWorker2(in, errc)
	}()
	for _, n := range sizes {
		select {
		case in <- n:
		case err := <-errc:
			return err
		}
	}
	close(in)
	return nil
}

func resizeWorker2(sizes <-chan int, errc chan<- error) {
	for n := range sizes {
		if n <= 0 {
			errc <- errors.New("bad size")
			return
		}
	}
}

// The loop ends on an error while handling another channel's value: the
// stop channel loses its only receiver before anyone sent on it, so even
// Stop's first send blocks.
type flusher struct {
	stop  chan struct{}
	batch chan []byte
}

func newFlusher() *flusher {
	f := &flusher{stop: make(chan struct{}), batch: make(chan []byte, 16)}
	go f.run()
	return f
}

func writeBatch(b []byte) error {
	if len(b) == 0 {
		return errors.New("empty batch")
	}
	return nil
}

func (f *flusher) run() {
	for {
		select {
		case <-f.stop:
			return
		case b := <-f.batch:
			if err := writeBatch(b); err != nil {
				return
			}
		}
	}
}

func (f *flusher) Stop() {
	f.stop <- struct{}{} // want `the only loop that receives from f.stop \(line 215\) returns at line 221 when err != nil: after that nothing receives, and this send blocks forever`
}

// RIGHT: Stop closes the stop channel: a close never waits for a
// receiver.
type closingFlusher struct {
	stop  chan struct{}
	batch chan []byte
}

func newClosingFlusher() *closingFlusher {
	f := &closingFlusher{stop: make(chan struct{}), batch: make(chan []byte, 16)}
	go f.run()
	return f
}

func (f *closingFlusher) run() {
	for {
		select {
		case <-f.stop:
			return
		case b := <-f.batch:
			if err := writeBatch(b); err != nil {
				return
			}
		}
	}
}

func (f *closingFlusher) Stop() { close(f.stop) }

// RIGHT: the loop keeps going after a failed batch.
type patientFlusher struct {
	stop  chan struct{}
	batch chan []byte
	fails int
}

func newPatientFlusher() *patientFlusher {
	f := &patientFlusher{stop: make(chan struct{}), batch: make(chan []byte, 16)}
	go f.run()
	return f
}

func (f *patientFlusher) run() {
	for {
		select {
		case <-f.stop:
			return
		case b := <-f.batch:
			if err := writeBatch(b); err != nil {
				f.fails++
				continue
			}
		}
	}
}

func (f *patientFlusher) Stop() { f.stop <- struct{}{} }

// A break naming the loop's own label ends it like a plain break (a run:
// the second send blocks, "all goroutines are asleep").
func labelledBreak() {
	ch := make(chan errItem)
	go func() {
	recv:
		for it := range ch {
			if err := handleErrItem(it); err != nil {
				break recv
			}
		}
	}()
	ch <- errItem{-1}
	ch <- errItem{1} // want `the only loop that receives from ch \(line \d+\) breaks out at line \d+ when err != nil`
}
