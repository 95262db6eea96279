package closedsend

type notifier struct {
	events chan int
	done   chan struct{}
}

func newNotifier() *notifier {
	return &notifier{events: make(chan int, 8), done: make(chan struct{})}
}

func (n *notifier) stop() { close(n.events) }

func (n *notifier) notify(v int) { n.events <- v }

func (n *notifier) finish() { close(n.done) }

// ---- close in one method, send in another, in that order ----

func shutdown(n *notifier) {
	n.stop()
	n.notify(1) // want `n.notify\(\) sends on n.events \(line 14\), which n.stop\(\) closed \(line 12\) earlier on this path: a send on a closed channel panics`
}

func shutdownDirect(n *notifier) {
	n.stop()
	n.events <- 2 // want `this statement sends on n.events \(line 27\), which n.stop\(\) closed \(line 12\) earlier on this path`
}

func closeThenCall(n *notifier) {
	close(n.events)
	n.notify(3) // want `n.notify\(\) sends on n.events \(line 14\), which this function closed \(line 31\) earlier on this path`
}

func finishTwice(n *notifier) {
	n.finish()
	n.finish() // want `n.finish\(\) closes n.done \(line 16\), which n.finish\(\) already closed \(line 16\) on this path: closing a closed channel panics`
}

// ---- correct code: silent ----

// Different notifiers.
func two(a, b *notifier) {
	a.stop()
	b.notify(1)
}

// Send before close.
func ordered(n *notifier) {
	n.notify(1)
	n.stop()
}

// A guarded close is not a certain close.
type guarded struct {
	ch     chan int
	closed bool
}

func (g *guarded) Close() {
	if g.closed {
		return
	}
	g.closed = true
	close(g.ch)
}

func (g *guarded) send() { g.ch <- 1 }

func useGuarded(g *guarded) {
	g.Close()
	g.Close()
}

// The channel is made again in between.
type restartable struct{ ch chan int }

func (r *restartable) stop()  { close(r.ch) }
func (r *restartable) reset() { r.ch = make(chan int, 1) }
func (r *restartable) send()  { r.ch <- 1 }

func restart(r *restartable) {
	r.stop()
	r.reset()
	r.send()
}

// Another object under the same name.
func renamed(n *notifier) {
	n.stop()
	n = newNotifier()
	n.notify(1)
}

// Recovers from the panic on purpose.
func recoveredCross(n *notifier) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	n.stop()
	n.notify(1)
	return true
}
