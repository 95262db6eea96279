// Package nopartner defines an Analyzer that reports channel operations
// that nothing in the package can complete.
//
// # Analyzer nopartner
//
// nopartner: report a receive from a channel nothing sends on or closes, and a send on a channel nothing receives from
//
// A receive waits for a send or a close (https://go.dev/ref/spec#Receive_operator);
// a send on an unbuffered channel waits for a receive, and on a buffered one
// once the buffer is full (https://go.dev/ref/spec#Send_statements). When the
// channel never leaves the package, its whole life is in view: if no code
// sends on it or closes it, every receive blocks forever; if no code
// receives from it, every send blocks forever (after the buffer fills).
//
// WRONG: watch never signals done, so the caller waits forever:
//
//	done := make(chan bool)
//	go watch(done)
//	<-done
//	...
//	func watch(done chan bool) { for range events { ... } }
//
// RIGHT: the watcher closes the channel when it finishes:
//
//	func watch(done chan bool) { defer close(done); for range events { ... } }
//
// WRONG: nothing ever reads s.events; the first Push blocks forever:
//
//	s.events = make(chan Event)
//	func (s *Stream) Push(e Event) { s.events <- e }
//
// RIGHT: start the consumer that ranges over s.events, or drop the channel.
//
// WRONG: the loop's only way out is its stop case; a Submit after Stop
// (here by a goroutine of the program's own, started before Stop and not
// waited for) finds nobody receiving and blocks forever (etcd's
// node.Status after Stop):
//
//	func (s *server) loop() {
//		for {
//			select {
//			case r := <-s.reqs:
//				s.handle(r)
//			case <-s.quit:
//				return
//			}
//		}
//	}
//	func (s *server) Submit(r int) { s.reqs <- r }
//
// RIGHT: the sender gives up on the same signal:
//
//	func (s *server) Submit(r int) {
//		select {
//		case s.reqs <- r:
//		case <-s.quit:
//		}
//	}
//
// A select in no loop gives up the same way when it takes another case
// (not a default): the receiving function is then done with the channel.
// Either way the function holding the select must run once: a go
// statement's literal outside loops, or an unexported function called
// from one place outside loops; otherwise a later call (a new stream's
// handler, a restarted loop) may still take the value. The mirror image, a
// receive whose only sender gives up, is not reported: such receives
// usually run while the sender is alive. A test function (TestXxx) and
// main run once too. A sender that itself closes or sends on the
// channel of the case that ends the loop (directly or through a function
// it calls), as in `for ... { out <- v }; close(done)`, decides when the
// loop gives up: nothing is left to send then, and it is not reported.
// A send whose function is called, directly or up its callers, by an
// exported function of a package other packages can import (not main)
// is another matter: whether those callers send after the stop is not in
// view, so the finding says what a call of that function made after the
// stop does, not that this send blocks. Neither is a give-up case that fails a test (t.Fatal, t.Error): what
// a failing test leaves blocked is the failure's consequence. The same
// holds for the other rules' early exits below.
//
// The case that ends the loop must always end it: a return or a labeled
// break among its own statements (a return under a condition, such as the
// last worker gone, may never be taken while senders remain). A send or
// receive in the body of a select case (after its communication) blocks
// like any other statement.
//
// WRONG: two loops send to each other: the producer queues jobs between
// replies, the consumer replies from each job's callback. When both send
// at once, each waits for the other's receive (cockroach's multiraft):
//
//	func (p *P) produce() {
//		for {
//			select {
//			case f := <-p.replies:
//				f()
//			default:
//				p.jobs <- newJob() // waits for consume
//			}
//		}
//	}
//	func (p *P) consume() {
//		for j := range p.jobs {
//			p.replies <- j.done // waits for produce
//		}
//	}
//
// RIGHT: break the cycle: queue jobs in a slice the producer drains, or
// send the reply from a goroutine of its own.
//
// The cycle is reported when each channel is unbuffered, never closed,
// and received from only in one loop of a function a go statement runs;
// each loop can send on the other's channel (followed through the
// package's functions and through func-typed fields and locals to every
// function the package stores there) with no way out but a stop case both
// loops leave on; and one loop can send without first receiving (the send
// is reached from another case or the default of the select that holds
// its receive). Two loops that each answer what they received take turns
// (ping-pong) and are not reported.
//
// This is reported when the channel is unbuffered, never closed, and every
// receive from it is a case of one select inside a loop that another case
// (not a default) ends with a return or a labeled break; the send is in
// another function than that loop, or in a goroutine started next to a
// select in a loop (next to a select that runs once it is timeoutleak's
// case).
//
// A receive in a function nothing can call never runs, and does not count
// as a receiver for the rules about sends: a function or method that only
// the package can name (unexported, or declared in a test file), that no
// code refers to, and whose name no interface of the package or of its
// imports declares (a call through the interface might run it). A send in
// such a function never runs either, and is not reported.
//
// Declarations in _test.go files count as the package's own even when
// exported: no other package can import them, except the package's
// external tests (package p_test), so an exported name that an external
// test file of the directory mentions stays public. A receive through an interface method counts as a
// possible receive from the channel of every method of the package that
// implements it.
//
// A channel is followed through assignments, composite literal fields,
// arguments to the package's own functions and to function literals called
// where they are written (`go func(c chan T) { ... }(ch)`), into their
// parameters, and results (a function whose every return is the channel,
// as in `func (s *S) Done() <-chan struct{} { return s.done }`): the
// model's channel classes (model.ChanClass), which the hover's "nothing
// closes it" agrees with. It is silent as soon as the package loses sight
// of the channel: an exported variable or field (an exported field of an
// unexported struct type counts as the package's own when no exported
// function, method, variable or type mentions that type), a parameter of
// an exported function, a channel stored in a map, slice or interface,
// sent on another channel, passed to another package, to a function value
// or to a parameter that is not itself a channel (a type parameter such as
// C ~chan int, an interface, a variadic one). len, cap and a comparison
// with nil only read the channel: a receive from a channel they read and
// nothing sends on or closes still blocks forever (a run deadlocks), unless
// a len read guards it (for len(ch) > 0 { <-ch } never receives); the
// rules about a send with no receiver stay silent on a channel read by len
// or cap (if len(q) < cap(q) { q <- v } never blocks). A channel returned as
// <-chan by an exported function may be received from elsewhere, so only
// its missing sender is reported. Operations in a select with another case
// or a default are not reported (they need not block), nor are channels
// that are never made (nilchan reports those). On a buffered channel a
// send with no receiver blocks only once the buffer is full, and an error
// sink made next to its one send never fills; such a send is reported
// only when it can run more often than the buffer holds: it sits in a
// function that does not make the channel, and that function is exported
// (callers call it as often as they like) or called from two places or
// from a loop of the package, and not under a callback such as once.Do.
// There is no suggested fix.
//
// WRONG: nothing ever reads rc.data, made once with room for n; the
// n+1-th Push blocks forever (cockroach's RowChannel.Push):
//
//	func (rc *RowChannel) init(n int) { rc.data = make(chan Row, n) }
//	func (rc *RowChannel) Push(r Row) { rc.data <- r }
//
// RIGHT: a consumer drains it, or Push gives up when it is full:
//
//	func (rc *RowChannel) Push(r Row) bool {
//		select {
//		case rc.data <- r:
//			return true
//		default:
//			return false
//		}
//	}
//
// WRONG: the only sender returns early on its error path, and the
// goroutine that started it waits for a value that never comes:
//
//	ch := make(chan string)
//	go func() {
//		data, err := load(path)
//		if err != nil {
//			return
//		}
//		ch <- data
//	}()
//	return <-ch
//
// RIGHT: send on every path (the error too), or close the channel with
// defer and check what was received:
//
//	go func() {
//		data, err := load(path)
//		ch <- result{data, err}
//	}()
//
// This is reported when every send and close of the channel is in that
// one goroutine's function (not deferred), the function runs only through
// that go statement, the early return is an if before the first send whose
// condition the goroutine computes itself (a call, or a variable it
// declares) or takes from the starter's caller (a parameter the go
// statement passes straight from the starter's own parameter, which the
// starter tests nowhere before it: `go r.exec(cmd)` in `Run(cmd string)`
// while exec returns when cmd == "") and that reports nothing (no test failure, as a test
// goroutine's `t.Error(err); return`, and no send or close on another
// channel, which the starter may wait on first), and the starter receives in a plain statement of the go
// statement's block, from the same channel instance: the goroutine's
// channel expression with its receiver, parameters and captured variables
// replaced by what the go statement passes.
//
// The waiter may also be another method of the same type, receiving from
// the same field of its own receiver, when the goroutine is a method whose
// every send or close is on that field of its receiver and that does not
// call the waiter itself (`func (s *S) WaitReady() { <-s.ready }` while
// `run` returns early before `close(s.ready)`): on that instance nothing
// else can complete the receive.
//
// The same holds for a range over the channel when the goroutine's one
// close is skipped by its early return: the range waits forever after the
// last value (RIGHT: defer close(ch)).
//
// WRONG: the only loop that receives quits on an error, and the sender
// goes on sending:
//
//	go func() {
//		for it := range p.in {
//			if err := handle(it); err != nil {
//				return
//			}
//		}
//	}()
//	for _, it := range items {
//		p.in <- it
//	}
//
// RIGHT: the loop closes a quit channel as it leaves, and the sender
// selects on it; or the loop keeps receiving (and drops) after an error.
//
// This is reported when the channel is unbuffered, every receive is in
// that one loop of a function that runs once, the loop's way out is an if
// whose condition reads an error value, or whose body reports an error on
// a channel of errors (`if n <= 0 { errc <- errBadSize; return }`), and
// whose body returns or breaks out of the loop, and the plain send can run
// after another send: it is in a loop, follows another send in its
// function, or its function can be called again; or any plain send, when
// the exit is in a select case of another channel (`case b := <-f.batch:`
// whose handling fails ends the loop before anything was sent on
// f.stop, and Stop's `f.stop <- struct{}{}` waits forever). The loop may be in a
// function the goroutine calls (`go func() { worker(jobs, errc) }()`). A
// loop that quits on a value the sender chooses (a sentinel, reported on
// no error channel) is not reported.
//
// WRONG: a goroutine sends in a loop that never ends on its own, and the
// only loop that receives stops once it has what it wanted; the producer's
// next send blocks forever and the goroutine leaks:
//
//	func ticks(ctx context.Context, d time.Duration) <-chan time.Time {
//		out := make(chan time.Time)
//		go func() {
//			t := time.NewTicker(d)
//			for {
//				select {
//				case now := <-t.C:
//					out <- now
//				case <-ctx.Done():
//					return
//				}
//			}
//		}()
//		return out
//	}
//	func waitReady(ctx context.Context, ready func() bool) {
//		for range ticks(ctx, time.Second) {
//			if ready() {
//				return
//			}
//		}
//	}
//
// RIGHT: the producer selects on its send together with a done channel
// the receiver closes as it leaves (`defer close(done)`).
//
// This is reported when the channel is made afresh for each run of the
// receiving function (in it, or in an unexported function only it calls)
// and held only in locals, parameters and results; every send is a plain
// send of one goroutine's `for { ... }` loop whose only ways out are in
// select cases that receive (a stop or ctx.Done() case); every close is
// that goroutine's own; every receive is in one loop of another function
// with a return or break of its own (not in a select case on another
// channel); and that function closes nothing, sends nothing and calls no
// context cancel function, so its leaving does not stop the producer.
//
// WRONG: a channel and a condition variable wait on each other: the
// receive runs only after a wait until a field is true, and the field is
// set only after the send:
//
//	func (l *loader) get() string {
//		l.mu.Lock()
//		for !l.loaded {
//			l.cond.Wait()
//		}
//		l.mu.Unlock()
//		return <-l.results
//	}
//	func (l *loader) load(v string) {
//		l.results <- v // blocks forever
//		l.mu.Lock()
//		l.loaded = true
//		l.cond.Broadcast()
//		l.mu.Unlock()
//	}
//
// RIGHT: set the field and signal first, then send (or receive before
// waiting).
//
// This is reported when the channel is unbuffered, made, never closed and
// kept in view; every receive has such a wait loop (`for !x.f {
// x.cond.Wait() }`, nothing else in its body) among the statements that
// run before it in its function; every assignment of the field other than
// `= false` has a plain send of the channel among the statements before it
// in its function; no composite literal sets the field other than to
// false; and the field's address is never taken.
//
// WRONG: each side sends before it receives, so neither receive is ever
// reached (both channels unbuffered, never closed):
//
//	func (p *peer) a() { p.ping <- 1; <-p.pong }
//	func (p *peer) b() { p.pong <- 1; <-p.ping }
//
// RIGHT: one side receives first (func (p *peer) b() { <-p.ping; p.pong <-
// 1 }), or one channel has a buffer.
//
// The same holds when each side receives first (`<-p.pong; p.ping <- 1`
// against `<-p.ping; p.pong <- 1`): no send is ever reached.
//
// This is reported from the largest set of channels that can never
// communicate: start from every unbuffered, never closed channel the
// package keeps in view (one with no receive, or no send, never leaves
// the set; it is reported by the rules above), and drop each one
// that has a receive and a send whose dominating operations (plain sends
// and receives before it in the blocks enclosing it, in its function, and
// the top-level ones of the package functions those statements call) are
// all on channels outside the set, until nothing changes. Each reached
// operation on a channel left in the set blocks forever, whatever
// goroutines and instances run it: the first of them to complete would
// need another completed before it.
//
// WRONG: one value is sent, but two goroutines each wait for one; one of
// them blocks forever:
//
//	go s.serve()   // <-s.done
//	go s.monitor() // <-s.done
//	s.done <- struct{}{}
//
// RIGHT: close(s.done) wakes every waiter.
//
// This is reported when the function starting the waiters runs once, each
// waiter is started by a go statement among its top-level statements and
// receives among its own top-level statements (nothing before either can
// return), the channel has one send, not in a loop, in that function or
// in a function it calls once, and no close; every operation, seen from
// the starter, is on the same channel instance.
//
// WRONG: the goroutine's early return tests a field the constructor copied
// from its caller unchecked; with no peers, ready is never closed and
// WaitReady blocks forever:
//
//	func newNode(peers []string) *node {
//		n := &node{ready: make(chan struct{}), peers: peers}
//		go n.start() // start: if len(n.peers) == 0 { return }; close(n.ready)
//		return n
//	}
//	func (n *node) WaitReady() { <-n.ready }
//
// RIGHT: close with defer in start (every return closes), or rule the
// empty list out in newNode before the goroutine starts.
//
// This is the partner that returns early (above) when the return's
// condition reads a field of the goroutine's receiver that the
// constructor's composite literal set from one of its own parameters,
// tested nowhere before the go statement, and that nothing in the package
// assigns again.
//
// WRONG: a goroutine sends each value of a slice; the consumer returns at
// the first match, and the producer blocks forever on the next send:
//
//	go func() { for _, e := range w.src { w.events <- e }; close(w.events) }()
//	func (w *watcher) waitFor(name string) bool {
//		for e := range w.events {
//			if e == name {
//				return true
//			}
//		}
//		return false
//	}
//
// RIGHT: the producer selects on its send together with a done channel
// the consumer closes as it leaves (defer close(w.done)).
//
// This is reported at the producer's send when every send is a plain send
// in one range (over a slice, array, map, string or count) of one
// goroutine's function, every receive is in one loop of another function
// that has a way out of its own and stops nothing (closes, sends or
// cancels nothing), and each run of that function has a channel of its
// own: made in it, or a field made by the constructor that starts the
// producer, with the receiving method (not callable from outside the
// package) called once, outside any loop, on a value just returned by that
// constructor and used for nothing but method calls.
//
// WRONG: goroutines started in a loop each send one result on an
// unbuffered channel; the collector returns at the first error, and the
// goroutines not yet received from block forever:
//
//	errCh := make(chan error)
//	for _, x := range xs {
//		go func() { errCh <- do(x) }()
//	}
//	for range xs {
//		if err := <-errCh; err != nil {
//			return err
//		}
//	}
//
// RIGHT: make(chan error, len(xs)), so every send completes, or keep
// receiving after the first error (or errgroup.Group).
//
// This is reported at the send when the channel is made in the function,
// unbuffered and never leaves it; every send is a plain send of one
// function literal started by one go statement in a loop of the function;
// every receive is a plain receive in one later loop of the function whose
// exit is an error path; and nothing closes the channel.
//
// WRONG: the constructor's goroutine sends one value on an unbuffered
// field; the only method that receives it can return first, and the
// goroutine blocks forever:
//
//	func newJob(n int) *job {
//		j := &job{result: make(chan int), n: n}
//		go j.run() // run: j.result <- j.n * 2
//		return j
//	}
//	func (j *job) wait(check func() error) (int, error) {
//		if err := check(); err != nil {
//			return 0, err
//		}
//		return <-j.result, nil
//	}
//
// RIGHT: make(chan int, 1): the send completes whether or not wait
// receives.
//
// This is reported at the send when the goroutine the constructor starts
// sends, outside any loop, on a field the constructor makes; nothing
// closes it; every receive is a plain one among the method's top-level
// statements after an if that returns on a condition the method computes;
// and the method is called once, outside any loop, on a value just
// returned by the constructor.
package nopartner
