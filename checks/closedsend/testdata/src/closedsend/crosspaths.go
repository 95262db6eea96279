package closedsend

import "fmt"

// Close and send through calls, where the callee's send follows a print
// or an if and still runs on every path, or the close is deferred and runs
// as stop returns. Each was run: it panics with "send on closed channel".

func (n *notifier) notifyLogged(v int) {
	fmt.Println("notify", v)
	n.events <- v
}

func (n *notifier) notifyVerbose(v int, verbose bool) {
	if verbose {
		println("notify", v)
	}
	n.events <- v
}

func (n *notifier) stopDeferred() {
	defer close(n.events)
	println("stopping")
}

func shutdownLogged(n *notifier) {
	n.stop()
	n.notifyLogged(1) // want `n.notifyLogged\(\) sends on n.events \(line 11\), which n.stop\(\) closed \(crossmethod.go:12\) earlier on this path`
}

func shutdownVerbose(n *notifier, verbose bool) {
	n.stop()
	n.notifyVerbose(1, verbose) // want `n.notifyVerbose\(\) sends on n.events \(line 18\), which n.stop\(\) closed`
}

func shutdownDeferred(n *notifier) {
	n.stopDeferred()
	n.notify(1) // want `n.notify\(\) sends on n.events \(crossmethod.go:14\), which n.stopDeferred\(\) closed \(line 22\)`
}

// ---- correct code: silent ----

// n is given a new notifier under an if: the send goes to its channel
// (run with fresh true: no panic).
func renamedUnderIf(n *notifier, fresh bool) {
	n.stop()
	if fresh {
		n = newNotifier()
	}
	n.notify(1)
}

// Push panics with its own message before it would send: run, it panics
// with "push on closed queue", not "send on closed channel".
type queue struct {
	ch     chan int
	closed bool
}

func (q *queue) Close() {
	q.closed = true
	close(q.ch)
}

func (q *queue) Push(v int) {
	if q.closed {
		panic("push on closed queue")
	}
	q.ch <- v
}

func pushAfterClose(q *queue) {
	q.Close()
	q.Push(1)
}

// One method closes and then sends: reported there, by the per-function
// check, and not again at each call.
func (n *notifier) closeAndSend() {
	close(n.events)
	n.events <- 1 // want `send on channel n.events after it was closed on line 80`
}

func callsCloseAndSend(n *notifier) {
	n.closeAndSend()
}

// A method promoted from an embedded field closes the channel the
// promoted field names (run: it panics with "send on closed channel").
type service struct{ *notifier }

func stopService(s service) {
	s.stop()
	s.events <- 1 // want `this statement sends on s.events \(line 94\), which s.stop\(\) closed \(crossmethod.go:12\) earlier on this path`
}

// A path of fields holds the notifier (run: it panics).
type server struct{ n *notifier }

func stopServer(s *server) {
	s.n.stop()
	s.n.notify(1) // want `s.n.notify\(\) sends on s.n.events \(crossmethod.go:14\), which s.n.stop\(\) closed`
}

// ---- correct code: silent ----

// The server is given a new notifier between, by a method or directly
// (run: no panic; chaneffects reported the first).
func (s *server) swap() { s.n = newNotifier() }

func swapServer(s *server) {
	s.n.stop()
	s.swap()
	s.n.notify(1)
	s.n.stop()
	s.n = newNotifier()
	s.n.notify(2)
}
