package nopartner

// ---- nobody sends or closes ----

type watcher struct{ events []int }

func (w *watcher) watch(done chan bool) {
	for range w.events {
	}
}

func dial(w *watcher) {
	done := make(chan bool)
	go w.watch(done)
	<-done // want `nothing in the package sends on or closes done \(made at line 13\), and it does not leave the package: this receive blocks forever`
}

// The watcher closes it: fine.
func (w *watcher) watchAndClose(done chan bool) {
	defer close(done)
	for range w.events {
	}
}

func dial2(w *watcher) {
	done := make(chan bool)
	go w.watchAndClose(done)
	<-done
}

type Stopper struct{ quiesce chan struct{} }

func NewStopper() *Stopper { return &Stopper{quiesce: make(chan struct{})} }

func (s *Stopper) ShouldQuiesce() <-chan struct{} { return s.quiesce }

func process(s *Stopper) {
	<-s.ShouldQuiesce() // want `nothing in the package sends on or closes s.ShouldQuiesce\(\) .*leaves the package only as a receive-only channel: this receive blocks forever`
}

type Stopper2 struct{ quiesce chan struct{} }

func NewStopper2() *Stopper2 { return &Stopper2{quiesce: make(chan struct{})} }

func (s *Stopper2) ShouldQuiesce() <-chan struct{} { return s.quiesce }

func (s *Stopper2) Stop() { close(s.quiesce) }

func process2(s *Stopper2) { <-s.ShouldQuiesce() }

// ---- nobody receives ----

type stream struct{ events chan int }

func newStream() *stream { return &stream{events: make(chan int)} }

func (s *stream) push(v int) {
	s.events <- v // want `nothing in the package receives from s.events \(made at line 55\), and it does not leave the package: this send blocks forever`
}

// Buffered and never read: an error sink that may never fill; silent.
type sink struct{ errs chan error }

func newSink() *sink { return &sink{errs: make(chan error, 10)} }

func (s *sink) fail(err error) { s.errs <- err }

// A non-blocking send: fine.
type stream2 struct{ events chan int }

func newStream2() *stream2 { return &stream2{events: make(chan int, 1)} }

func (s *stream2) push(v int) {
	select {
	case s.events <- v:
	default:
	}
}

// It leaves the package: someone else may receive.
type stream3 struct{ events chan int }

func newStream3() *stream3 { return &stream3{events: make(chan int)} }

func (s *stream3) push(v int) { s.events <- v }

func (s *stream3) Events() chan int { return s.events }

// Exported field: silent.
type Stream4 struct{ Events chan int }

func (s *Stream4) push(v int) { s.Events <- v }

// Stored in a slice: silent.
func fanIn(n int) {
	var chans []chan int
	for i := 0; i < n; i++ {
		ch := make(chan int)
		chans = append(chans, ch)
		go func() { ch <- i }()
	}
	_ = chans
}

// The function that returns the channel is handed out as a value (in a
// template FuncMap, text/template's count): whoever calls it receives.
func count(n int) chan string {
	c := make(chan string)
	go func() {
		for i := 0; i < n; i++ {
			c <- "x"
		}
		close(c)
	}()
	return c
}

type funcMap map[string]any

func register(m funcMap) { _ = m }

func setup() {
	funcs := funcMap{"count": count}
	register(funcs)
}

// A send after a close panics, it does not block (runtime's crash tests
// make it panic on purpose).
func sendAfterClose() {
	ch := make(chan struct{})
	close(ch)
	ch <- struct{}{}
}
