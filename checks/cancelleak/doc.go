// Package cancelleak defines an Analyzer that reports a context's cancel
// function stored where nobody can call it.
//
// # Analyzer cancelleak
//
// cancelleak: report a context cancel function stored where nobody can call it
//
// context.WithCancel, WithTimeout and WithDeadline return a derived context
// and a cancel function. Calling it closes the context's Done channel,
// releases the context's resources and wakes every goroutine waiting on
// ctx.Done(); otherwise the context lives until its parent is cancelled,
// or, for WithTimeout and WithDeadline, until the deadline passes
// (https://pkg.go.dev/context#WithCancel). go vet's lostcancel check sees a
// cancel function dropped inside one function; this check follows it into
// struct fields and results.
//
// WRONG: the cancel function goes into a field nothing ever calls, so the
// goroutine waits on ctx.Done() for as long as the parent lives (forever
// for context.Background()):
//
//	func (r *Rows) start(ctx context.Context) {
//		ctx, r.cancel = context.WithCancel(ctx)
//		go r.awaitDone(ctx)
//	}
//	func (r *Rows) awaitDone(ctx context.Context) { <-ctx.Done(); r.release() }
//	func (r *Rows) Close() { r.release() } // r.cancel is never called
//
// RIGHT: Close cancels the context, which ends awaitDone:
//
//	func (r *Rows) Close() { r.cancel() }
//
// WRONG: begin returns the transaction that holds the cancel function, and
// the caller drops it; nobody can end the goroutine begin started:
//
//	func (db *DB) begin(ctx context.Context) *Tx {
//		ctx, cancel := context.WithCancel(ctx)
//		tx := &Tx{ctx: ctx, cancel: cancel}
//		go tx.awaitDone()
//		return tx
//	}
//	db.begin(context.Background())
//
// RIGHT: keep the result and end it:
//
//	tx := db.begin(ctx)
//	defer tx.Rollback()
//
// The first form is reported when every place the cancel function is
// stored is an unexported field of the package that no code reads (a call,
// a copy, a comparison or passing it on all count as reads). The second is
// reported at a call statement that discards the result of a function of
// the package whose every return is the composite literal holding the
// cancel function. Either finding names the goroutine, started after the
// cancel function is made, that receives from the context's Done channel,
// when there is one. A cancel function that is called, deferred, passed or
// returned anywhere in its function is left alone; so is one dropped with
// _ (vet reports that). There is no suggested fix: where to cancel depends
// on the program.
package cancelleak
