package nopartner

import "context"

// ---- the only receiver gives up ----

type server struct {
	reqs chan int
	quit chan struct{}
}

func newServer() *server {
	s := &server{reqs: make(chan int), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *server) loop() {
	for {
		select {
		case r := <-s.reqs:
			_ = r
		case <-s.quit:
			return
		}
	}
}

func (s *server) Stop() { close(s.quit) }

// Submit and Stop are exported from a package other packages can import:
// whether a caller submits after Stop is not in view, so the finding says
// what a Submit after Stop does, not that this send blocks (the same
// server in a package main, whose goroutine submits after Stop, is
// reported plainly: nopartnermain).
func (s *server) Submit(r int) {
	s.reqs <- r // want `after that nothing receives, and a call of \(\*server\).Submit made after that \(by callers outside the package, which golens does not see\) blocks forever at this send`
}

// A context case that breaks out of the labeled loop gives up just the same.
type ctxServer struct{ work chan string }

func newCtxServer(ctx context.Context) *ctxServer {
	s := &ctxServer{work: make(chan string)}
	go s.run(ctx)
	return s
}

func (s *ctxServer) run(ctx context.Context) {
loop:
	for {
		select {
		case w := <-s.work:
			_ = w
		case <-ctx.Done():
			break loop
		}
	}
}

func (s *ctxServer) do(w string) {
	s.work <- w // want `every receive from s.work .* whose loop ends when its <-ctx.Done\(\) case is taken`
}

// ---- correct code: silent ----

// The sender selects on the same stop channel.
type goodServer struct {
	reqs chan int
	quit chan struct{}
}

func newGoodServer() *goodServer {
	return &goodServer{reqs: make(chan int), quit: make(chan struct{})}
}

func (s *goodServer) loop() {
	for {
		select {
		case r := <-s.reqs:
			_ = r
		case <-s.quit:
			return
		}
	}
}

func (s *goodServer) Submit(r int) {
	select {
	case s.reqs <- r:
	case <-s.quit:
	}
}

// A buffered channel: the check cannot count how many sends fit.
type bufServer struct {
	reqs chan int
	quit chan struct{}
}

func newBufServer() *bufServer {
	return &bufServer{reqs: make(chan int, 8), quit: make(chan struct{})}
}

func (s *bufServer) loop() {
	for {
		select {
		case <-s.reqs:
		case <-s.quit:
			return
		}
	}
}

func (s *bufServer) Submit(r int) { s.reqs <- r }

// Another receive, outside the select, may still take the value.
type drained struct {
	reqs chan int
	quit chan struct{}
}

func newDrained() *drained { return &drained{reqs: make(chan int), quit: make(chan struct{})} }

func (s *drained) loop() {
	for {
		select {
		case <-s.reqs:
		case <-s.quit:
			return
		}
	}
}

func (s *drained) drain() { <-s.reqs }

func (s *drained) Submit(r int) { s.reqs <- r }

// The other case only continues the loop: the receiver never gives up.
type ticker struct {
	reqs chan int
	tick chan struct{}
}

func newTicker() *ticker { return &ticker{reqs: make(chan int), tick: make(chan struct{})} }

func (s *ticker) loop() {
	for {
		select {
		case <-s.reqs:
		case <-s.tick:
			continue
		}
	}
}

func (s *ticker) Submit(r int) { s.reqs <- r }

// A polling loop with a default case is entered again by its caller.
type poller struct{ reqs chan int }

func newPoller() *poller { return &poller{reqs: make(chan int)} }

func (s *poller) poll() {
	for {
		select {
		case <-s.reqs:
		default:
			return
		}
	}
}

func (s *poller) Submit(r int) { s.reqs <- r }

// Closed by someone: the receiver may be woken by the close instead.
type closer struct {
	reqs chan int
	quit chan struct{}
}

func newCloser() *closer { return &closer{reqs: make(chan int), quit: make(chan struct{})} }

func (s *closer) loop() {
	for {
		select {
		case <-s.reqs:
		case <-s.quit:
			return
		}
	}
}

func (s *closer) Submit(r int) { s.reqs <- r }

func (s *closer) Close() { close(s.reqs) }

// ---- the only sender gives up ----

type producer struct {
	out  chan int
	quit chan struct{}
}

func newProducer() *producer {
	return &producer{out: make(chan int), quit: make(chan struct{})}
}

func (p *producer) run() {
	for i := 0; ; i++ {
		select {
		case p.out <- i:
		case <-p.quit:
			return
		}
	}
}

func (p *producer) next() int {
	// A receive whose only sender gives up is not reported: it usually runs
	// while the producer is alive (a test, a caller tied to its lifecycle).
	return <-p.out
}

// The producer closes the channel when it stops: silent.
type closingProducer struct {
	out  chan int
	quit chan struct{}
}

func newClosingProducer() *closingProducer {
	return &closingProducer{out: make(chan int), quit: make(chan struct{})}
}

func (p *closingProducer) run() {
	defer close(p.out)
	for i := 0; ; i++ {
		select {
		case p.out <- i:
		case <-p.quit:
			return
		}
	}
}

func (p *closingProducer) next() (int, bool) {
	v, ok := <-p.out
	return v, ok
}

// ---- a select that runs once gives up too ----

func produce(out chan int) {
	out <- 42 // want `every receive from out \(made at line 267, unbuffered\) is a case of the select at line 258, which can take its <-ctx.Done\(\) case instead \(line 261\): after that nothing receives, and this send blocks forever`
}

func consumeOnce(ctx context.Context, in chan int) int {
	select {
	case v := <-in:
		return v
	case <-ctx.Done():
		return 0
	}
}

func pipeline(ctx context.Context) int {
	ch := make(chan int)
	go produce(ch)
	return consumeOnce(ctx, ch)
}

// Called in a loop: a later call may take the value.
func produce2(out chan int) { out <- 1 }

func consumeAgain(ctx context.Context, in chan int) int {
	select {
	case v := <-in:
		return v
	case <-ctx.Done():
		return 0
	}
}

func pipeline2(ctx context.Context) int {
	ch := make(chan int)
	go produce2(ch)
	sum := 0
	for i := 0; i < 3; i++ {
		sum += consumeAgain(ctx, ch)
	}
	return sum
}

// The loop ends only under a condition (the last worker gone): silent.
type coordinator struct {
	results chan int
	errs    chan error
}

func newCoordinator() *coordinator {
	return &coordinator{results: make(chan int), errs: make(chan error)}
}

func (c *coordinator) loop(workers int) {
	for {
		select {
		case <-c.errs:
			workers--
			if workers == 0 {
				return
			}
		case r := <-c.results:
			_ = r
		}
	}
}

func (c *coordinator) report(r int) { c.results <- r }

// The loop is a handler the framework calls for every stream: after one
// stream ends, the next one receives.
type streamer struct {
	fallback chan struct{}
}

func newStreamer() *streamer { return &streamer{fallback: make(chan struct{})} }

func (s *streamer) Serve(ctx context.Context) error {
	for {
		select {
		case <-s.fallback:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *streamer) fallbackNow() { s.fallback <- struct{}{} }

// The receiving loop is an exported method: code outside the package may
// call it again (a gRPC server calls a streaming handler once per stream,
// grpclb's remoteBalancer.BalanceLoad), and the new loop receives.
type balancer struct{ fallback chan struct{} }

func newBalancer() *balancer { return &balancer{fallback: make(chan struct{})} }

func (b *balancer) BalanceLoad(ctx context.Context) error {
	for {
		select {
		case <-b.fallback:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (b *balancer) fallbackNow() { b.fallback <- struct{}{} }

// The loops above run: something starts them.
func startLoops() {
	go newBufServer().loop()
	go newTicker().loop()
	go newCloser().loop()
	d := newDrained()
	go d.loop()
	d.drain()
	go newPoller().poll()
	go newCoordinator().loop(2)
}

// The sender cancels the context the loop ends on only after its send and
// the reply: the loop is still running when the send comes (a run of
// truth/r9c_ctx_value_of_cancel prints the reply and ends).
func serveUntilCancel(ctx context.Context, in <-chan string, out chan<- string) {
	for {
		select {
		case <-ctx.Done():
			close(out)
			return
		case s := <-in:
			out <- s
		}
	}
}

func requestThenCancel() string {
	ctx, cancel := context.WithCancel(context.Background())
	in, out := make(chan string), make(chan string)
	go serveUntilCancel(ctx, in, out)
	in <- "ping"
	reply := <-out
	cancel()
	return reply
}

// The loop's only way out is the Done of a context made by
// context.WithoutCancel: Done is nil, the case never fires, and the loop
// receives every send.
type detachedServer struct {
	work chan string
}

func newDetachedServer(req context.Context) *detachedServer {
	s := &detachedServer{work: make(chan string)}
	bg := context.WithoutCancel(req)
	go s.run(bg)
	return s
}

func (s *detachedServer) run(ctx context.Context) {
	for {
		select {
		case w := <-s.work:
			_ = w
		case <-ctx.Done():
			return
		}
	}
}

func (s *detachedServer) do(w string) {
	s.work <- w
}
