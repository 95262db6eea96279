// Package deadlock defines an Analyzer that reports deadlocks between
// mutexes, and between a mutex and a channel or WaitGroup, that show only
// across the functions of a package.
//
// # Analyzer deadlock
//
// deadlock: report deadlocks through calls: a mutex locked again by a callee, an AB-BA lock order, a lock held across a wait whose partner needs it
//
// Go's mutexes are not reentrant (go doc sync.Mutex): a goroutine that
// holds a mutex and calls a function that locks it again, however deep the
// call chain, blocks forever. An RWMutex cannot be upgraded: Lock waits
// for every reader, including the caller's own RLock. A second RLock by
// the goroutine that holds a read lock blocks forever as soon as another
// goroutine calls Lock in between (go doc sync.RWMutex forbids recursive
// read locking); fmt.Printf("%v", x) calls x.String(), which counts.
//
// WRONG: Flush holds c.mu and calls size, which locks it again:
//
//	func (c *Cache) Flush() {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		if c.size() > 0 { ... }
//	}
//	func (c *Cache) size() int { c.mu.Lock(); defer c.mu.Unlock(); return len(c.m) }
//
// RIGHT: size expects the lock to be held (name it sizeLocked); only the
// exported methods lock.
//
// Two paths that take the same two mutexes in opposite orders deadlock
// when two goroutines run them at once, each holding one and waiting for
// the other (an AB-BA deadlock). Mutexes are compared by field (a.mu and
// b.mu of one struct type are the same lock class), so the check reports
// an order, not a proof that the two instances meet.
//
// WRONG: Transfer locks a then b; Audit locks b then a:
//
//	func (s *Bank) Transfer() { s.a.Lock(); s.b.Lock(); ...; s.b.Unlock(); s.a.Unlock() }
//	func (s *Bank) Audit()    { s.b.Lock(); s.a.Lock(); ...; s.a.Unlock(); s.b.Unlock() }
//
// RIGHT: take them in one order everywhere.
//
// A goroutine that holds a mutex while it waits (a send or receive outside
// a select, or wg.Wait) blocks forever when every partner that could end
// the wait must first lock the same mutex (on every path, or on some path
// before its operation: on that path it waits for the mutex instead). Channel waits count only for a
// channel whose every make in the package is unbuffered: a buffered one
// may take the send, or hold the value, without its partner.
//
// WRONG: Stop waits for the worker with s.mu held; the worker locks s.mu
// before it calls Done:
//
//	func (s *Server) Stop() { s.mu.Lock(); defer s.mu.Unlock(); s.wg.Wait() }
//	func (s *Server) work() { defer s.wg.Done(); s.mu.Lock(); ...; s.mu.Unlock() }
//
// RIGHT: unlock before waiting, or let the worker finish without the lock.
//
// The partner may also be a loop: a goroutine that receives (or sends)
// in a loop and can lock the mutex between two of its operations (in the
// range body, or in another case of its select) stops receiving while it
// waits for the lock, and the goroutine holding the lock waits for it to
// receive. This counts for unbuffered channels and buffers of one (full
// after one value the loop has not taken); a larger buffer is sized so
// that it rarely fills, which golens cannot judge.
//
// WRONG: publish holds b.mu across the send; the watcher may call down,
// which locks b.mu, before it receives again:
//
//	func (b *Balancer) publish(v int) { b.mu.Lock(); defer b.mu.Unlock(); b.updates <- v }
//	func (b *Balancer) watch() {
//		for v := range b.updates {
//			if v < 0 { b.down() } // b.down locks b.mu
//		}
//	}
//
// RIGHT: send after unlocking, or give the channel room and drain it
// before sending (grpc's fix).
//
// The loop may also be a function something runs over and over: a
// method value handed to a helper that calls it in a loop
// (go until(c.worker, stop)), or a direct call in a loop. A Lock anywhere
// in it comes between two of its operations. The channel must be the same
// on every run (reached from the receiver or a package variable): one made
// per run carries one value and makes no later run wait.
//
// WRONG: enqueue holds c.mu across the send; worker, run by until's loop,
// locks c.mu after each receive:
//
//	func until(f func(), stop <-chan struct{}) { for { ...; f() } }
//	func (c *ctrl) worker()     { v := <-c.queue; c.mu.Lock(); c.n += v; c.mu.Unlock() }
//	func (c *ctrl) enqueue(v int) { c.mu.Lock(); defer c.mu.Unlock(); c.queue <- v }
//
// RIGHT: send after unlocking (or let worker finish its update before it
// receives again without the lock).
//
// Channels are matched by class: a field, a variable, and also every
// channel kept in a container field (for _, c := range s.clients { c <- m }
// sends on the channels stored in s.clients), and a channel parameter
// that every call of its function binds to one channel (go s.serve(c)
// after s.clients[id] = c; go s.apply(ch)), an element reached by index
// (s.pending[id] <- v, ch := s.pending[id]), and a local defined once
// from a call whose function returns one channel (ch := b.Events()). Such
// a class is unbuffered when every channel stored there is made
// unbuffered. A Lock in the function that stores the channel into the
// container is not one the holder can wait behind: the holder finds the
// channel only after it.
//
// WRONG: broadcast holds s.mu while it sends to each client; a client's
// loop calls remove, which locks s.mu, before it receives again:
//
//	func (s *server) broadcast(m string) {
//		s.mu.Lock(); defer s.mu.Unlock()
//		for _, c := range s.clients { c <- m }
//	}
//	func (s *server) serve(id int, c chan string) {
//		for m := range c { if m == "bye" { s.remove(id) } } // remove locks s.mu
//	}
//
// RIGHT: copy the clients under the lock and send after Unlock.
//
// A Cond's Wait unlocks only the Cond's L (go doc sync.Cond.Wait); every
// other mutex the goroutine holds stays held while it waits. When every
// Signal and Broadcast of the Cond comes after a Lock of such a mutex, the
// signaller waits for it and the waiter for the signal.
//
// WRONG: take keeps b.outer while it waits on b.cond (L is b.mu); give
// locks b.outer before it signals:
//
//	func (b *buf) take() { b.outer.Lock(); defer b.outer.Unlock(); b.mu.Lock(); for b.n == 0 { b.cond.Wait() }; ... }
//	func (b *buf) give() { b.outer.Lock(); defer b.outer.Unlock(); b.mu.Lock(); b.n++; b.mu.Unlock(); b.cond.Signal() }
//
// RIGHT: release b.outer before waiting, or signal without it.
//
// A *sync.Mutex field locks what it points to: when every store into it
// is &R.mu of the value it is stored into (f.handlers = append(f.handlers,
// &counter{mu: &f.mu})), it is R.mu's lock class, so a partner locking
// c.mu needs f.mu. A field pointed at another value's mutex, or at one of
// its own (new(sync.Mutex)), stays a class of its own.
//
// WRONG: Broadcast waits with f.mu held for handlers that lock it through
// their pointer:
//
//	func (c *counter) Handle(v int) { c.mu.Lock(); c.n += v; c.mu.Unlock() } // c.mu == &f.mu
//	func (f *fanout) Broadcast(v int) {
//		f.mu.Lock(); defer f.mu.Unlock()
//		for _, h := range f.handlers { wg.Add(1); go func() { defer wg.Done(); h.Handle(v) }() }
//		wg.Wait()
//	}
//
// RIGHT: copy the handlers under the lock, unlock, then run them and wait.
//
// A read lock counts too when the mutex is write-locked anywhere in the
// package: readers share it, but once another goroutine waits in Lock, a
// new RLock waits behind it (go doc sync.RWMutex), so a partner that only
// read-locks before its operation waits for the holder as well.
//
// WRONG: announce sends with r.mu read-locked; watch read-locks r.mu
// before each receive, and set write-locks it:
//
//	func (r *Reg) announce(n string) { r.mu.RLock(); defer r.mu.RUnlock(); r.updates <- n }
//	func (r *Reg) watch()            { for { r.mu.RLock(); ...; r.mu.RUnlock(); <-r.updates } }
//
// RIGHT: send after RUnlock.
//
// A select without a default waits for one of its cases: with a mutex
// held, it blocks forever when the partners of every case must lock that
// mutex first. A case golens cannot follow (a timer, ctx.Done()) or on a
// buffered channel may proceed: then nothing is reported.
//
// WRONG: write selects between the reader and shutdown with c.mu held;
// both lock c.mu first:
//
//	func (c *conn) write(b []byte) {
//		c.mu.Lock(); defer c.mu.Unlock()
//		select { case c.out <- b: case <-c.closed: }
//	}
//	func (c *conn) shutdown() { c.mu.Lock(); close(c.closed); c.mu.Unlock() }
//
// RIGHT: close c.closed without the lock (or select outside it).
//
// The wait may be in a function called with the mutex held
// (s.keeper.add() sends), and the partner may be code that runs only
// where its callers hold the mutex: a function literal stored in a
// func-typed field, read only by calls of that field, each made with the
// mutex held.
//
// Calls are followed through the package's own functions and methods
// (receivers and arguments map the callee's mutexes to the caller's);
// through callbacks stored in func-typed fields (owner.f = func() {...},
// a local holding a literal, a method value, a parameter whose callers
// pass one, or the literal a function returns); through an interface
// method when the package has one type that implements the interface;
// and through a local assigned once from a constructor whose every return
// is &T{f: param}, so v.f is the argument (when nothing assigns f later).
// Not through other packages.
//
// WRONG: Renew holds l.mu and calls the stored checkpointer, which locks
// l.mu again:
//
//	l.SetCheckpointer(func() { l.Checkpoint() }) // Checkpoint locks l.mu
//	func (l *Lessor) Renew() { l.mu.Lock(); defer l.mu.Unlock(); l.cp() }
//
// RIGHT: copy the callback under the lock and call it after Unlock.
//
// A function that holds a mutex while it calls a function it was passed
// (func (x *Index) update(fn func()) { x.mu.Lock(); defer x.mu.Unlock();
// fn() }) deadlocks when a caller passes one that locks the same mutex:
// x.update(func() { x.Len() }), or x.update(x.reset).
//
// A sync.Cond's L is the mutex it was made with: when every Cond stored
// in a field is sync.NewCond(&owner.mu) (or owner.mu.RLocker()) of the
// same owner, owner.cond.L.Lock() is a Lock (or RLock) of owner.mu, and a
// second lock through either name counts.
//
// sync.Once.Do(f) does not return until f has returned (go doc
// sync.Once.Do: "if f causes Do to be called, it will deadlock"): a Do of
// the same Once reached from f is reported.
//
// WRONG: load, run by l.once.Do, calls Get, which calls l.once.Do again:
//
//	func (l *Loader) Get(k string) string { l.once.Do(l.load); return l.conf[k] }
//	func (l *Loader) load() { ...; l.Get("include") }
//
// RIGHT: load reads l.conf directly; only the exported entry points call
// Do.
//
// What a call of the package's own lock helper leaves held is the model's
// lock summary: after s.lock() (func (s *S) lock() { s.mu.Lock() }) the
// caller holds s.mu, after s.unlock() it no longer does. A TryLock never
// blocks, but an Unlock after it releases the function's own lock, not its
// caller's. wg.Go(f) calls Done when f returns, so f is the partner of
// wg.Wait; Wait and Done promoted from an embedded sync.WaitGroup count.
//
// WRONG: Refresh waits with c.mu held for loaders that need c.mu:
//
//	func (c *Cache) Refresh(keys []string) {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		for _, k := range keys {
//			c.wg.Go(func() { c.mu.Lock(); c.m[k]++; c.mu.Unlock() })
//		}
//		c.wg.Wait()
//	}
//
// RIGHT: start and wait for the loaders before taking c.mu, or unlock
// before Wait.
//
// A lock order taken in a block that ends in a panic is not an edge: that
// code runs only where its author says the program already went wrong.
//
// The facts all of this is decided from (what each function holds at each
// point, what it locks and waits for through calls, stored callbacks,
// Cond locks, constructor fields, parent pointers) are the model's
// (package model/lockfacts, built once per package); this check decides
// only what to report.
//
// A double lock is reported only when the callee locks the same instance:
// the same variable and field path, never just the same type. A function
// that unlocks a mutex before locking it (it expects its caller to hold
// it) is not counted as locking it. Direct double locks in one function
// are lockleak's; test functions that lock twice to block a goroutine on
// purpose are not reported. There is no suggested fix: the remedy (an
// unexported *Locked variant, a consistent order, unlocking before the
// wait) needs a decision.
package deadlock
