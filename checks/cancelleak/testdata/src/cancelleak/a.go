package cancelleak

import (
	"context"
	"time"
)

// ---- a cancel function in a field nobody reads ----

type rows struct {
	cancel context.CancelFunc
	n      int
}

func (r *rows) start(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx) // want `the cancel function of this context.WithCancel context is stored only in field cancel, which nothing in the package reads or calls \(and it is unexported\): the context is never cancelled, it ends only when its parent does, and the goroutine started on line 17 waits on its Done channel \(line 21\) until then; call the cancel function when the work is finished`
	go r.awaitDone(ctx)
}

func (r *rows) awaitDone(ctx context.Context) {
	<-ctx.Done()
	r.n++
}

func (r *rows) Close() { r.n = 0 }

// A local cancel stored in a literal's field that nobody reads.
type job struct {
	ctx  context.Context
	stop func()
}

func newJob() *job {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	j := &job{ctx: ctx, stop: cancel} // want `the cancel function of this context.WithTimeout context is stored only in field stop, which nothing in the package reads.* it ends only when its deadline passes or its parent ends, and the goroutine started on line 36 waits on its Done channel \(line 41\) until then`
	go j.watch()
	return j
}

func (j *job) watch() {
	<-j.ctx.Done()
}

// ---- the result holding it is dropped ----

type DB struct{}

type Tx struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (db *DB) begin(ctx context.Context) *Tx {
	ctx, cancel := context.WithCancel(ctx)
	tx := &Tx{ctx: ctx, cancel: cancel}
	go tx.awaitDone()
	return tx
}

func (tx *Tx) awaitDone() { <-tx.ctx.Done() }

func (tx *Tx) Rollback() { tx.cancel() }

func use(db *DB) {
	db.begin(context.Background()) // want `begin returns the only way to cancel the context.WithCancel context it makes \(line 54\), in field cancel of its result, and this call discards the result: the context is never cancelled, it ends only when its parent does, and the goroutine started on line 56 in begin waits on its Done channel \(line 60\) until then; keep the result and cancel it when done`
}

// ---- correct code: silent ----

// The parent of the dropped context is this function's own, and it cancels
// it: the dropped one ends with it (x/net's http2 transport tests).
func useParent(db *DB) {
	ctx, cancel := context.WithCancel(context.Background())
	parent := context.WithValue(ctx, key{}, 1)
	db.begin(parent)
	cancel()
}

type key struct{}

// A call made to see it panic (a test of invalid arguments, under a
// deferred recover) returns nothing to keep (kafka-go's NewReader test).
func expectPanic(db *DB) (boom bool) {
	defer func() {
		if recover() != nil {
			boom = true
		}
	}()
	db.begin(nil)
	return false
}

// The recover is deferred first and another defer after it: the function
// still recovers (a run: begin(nil) panics in context.WithCancel, and
// expectPanicLogged returns true).
func expectPanicLogged(db *DB) (boom bool) {
	defer func() {
		if recover() != nil {
			boom = true
		}
	}()
	defer println("checked")
	db.begin(nil)
	return false
}

func useRight(db *DB) {
	tx := db.begin(context.Background())
	defer tx.Rollback()
}

type conn struct {
	cancel context.CancelFunc
}

// The field is called by Close.
func (c *conn) start(ctx context.Context) {
	ctx, c.cancel = context.WithCancel(ctx)
	go func() { <-ctx.Done() }()
}

func (c *conn) Close() { c.cancel() }

// The local cancel is deferred: not stored.
func local(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { <-ctx.Done() }()
}

// An exported field: callers elsewhere may call it.
type Handle struct {
	Cancel context.CancelFunc
}

func newHandle() *Handle {
	_, cancel := context.WithCancel(context.Background())
	return &Handle{Cancel: cancel}
}

// The field is handed on: read.
type pool struct{ cancels []context.CancelFunc }

type worker struct{ cancel context.CancelFunc }

func (p *pool) add(w *worker) {
	_, w.cancel = context.WithCancel(context.Background())
	p.cancels = append(p.cancels, w.cancel)
}

// Stored in a field and also called: not lost.
type both struct{ cancel func() }

func (b *both) run() {
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	defer cancel()
	<-ctx.Done()
}

// The context stored by a later assignment (the model's ContextFields):
// the goroutine waits on that field's Done.
type feed struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (f *feed) open() {
	ctx, cancel := context.WithCancel(context.Background())
	f.ctx = ctx
	f.cancel = cancel // want `the cancel function of this context.WithCancel context is stored only in field cancel, .* and the goroutine started on line 172 waits on its Done channel \(line 175\) until then`
	go f.pump()
}

func (f *feed) pump() { <-f.ctx.Done() }
