package selfdeadlock

import "context"

// ---- a method sends again before it starts the receiver ----

type compactor struct{ ch chan struct{} }

func newCompactor() *compactor { return &compactor{ch: make(chan struct{}, 1)} }

func (c *compactor) start(ctx context.Context) {
	c.ch <- struct{}{}
	go func() {
		for {
			select {
			case <-c.ch:
			case <-ctx.Done():
				return
			}
		}
	}()
}

func useCompactor() {
	c := newCompactor()
	c.ch <- struct{}{}
	c.start(context.Background()) // want `c.start\(\) sends on c.ch \(line 12\) when its buffer of 1 is already full \(sent on line 26\), and nothing can receive yet: the only receive from it is in start, after that send \(line 16\), so this goroutine blocks forever`
}

// Unbuffered: the first send through the call already blocks.
type kicker struct{ kick chan int }

func newKicker() *kicker { return &kicker{kick: make(chan int)} }

func (k *kicker) run() {
	k.kick <- 1
	go func() { <-k.kick }()
}

func useKicker() {
	k := newKicker()
	k.run() // want `k.run\(\) sends on k.kick \(line 36\) on an unbuffered channel, and nothing can receive yet`
}

// ---- correct code: silent ----

// The buffer has room for both sends.
type roomy struct{ ch chan struct{} }

func newRoomy() *roomy { return &roomy{ch: make(chan struct{}, 2)} }

func (r *roomy) start() {
	r.ch <- struct{}{}
	go func() { <-r.ch }()
}

func useRoomy() {
	r := newRoomy()
	r.ch <- struct{}{}
	r.start()
}

// The receiver is started first.
type ordered struct{ ch chan int }

func newOrdered() *ordered { return &ordered{ch: make(chan int)} }

func (o *ordered) start() { go func() { <-o.ch }() }

func (o *ordered) send() { o.ch <- 1 }

func useOrdered() {
	o := newOrdered()
	o.start()
	o.send()
}

// Another function receives too: it may already be running.
type shared struct{ ch chan int }

func newShared() *shared { return &shared{ch: make(chan int, 1)} }

func (s *shared) start() {
	s.ch <- 1
	go func() { <-s.ch }()
}

func (s *shared) drain() { <-s.ch }

func useShared() {
	s := newShared()
	go s.drain()
	s.ch <- 1
	s.start()
}

// start is called twice: the first call's receiver may drain.
type twice struct{ ch chan int }

func newTwice() *twice { return &twice{ch: make(chan int, 1)} }

func (t *twice) start() {
	t.ch <- 1
	go func() {
		for range t.ch {
		}
	}()
}

func useTwice() {
	t := newTwice()
	t.start()
	t.start()
}

// Declared here, called from crosspaths.go: the steps follow calls into
// the package's other files.
type split struct{ ch chan int }

func newSplit() *split { return &split{ch: make(chan int, 1)} }

func (s *split) start() {
	s.ch <- 1
	go func() { <-s.ch }()
}
