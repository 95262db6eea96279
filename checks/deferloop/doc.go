// Package deferloop defines an Analyzer that reports defer statements in
// loops that hold a resource until the function returns.
//
// # Analyzer deferloop
//
// deferloop: report a defer in a loop that releases a resource only at return
//
// A deferred call runs when the surrounding function returns, not at the
// end of the loop iteration (https://go.dev/ref/spec#Defer_statements). A
// `defer f.Close()`, `defer resp.Body.Close()` or `defer mu.Unlock()` in a
// loop body therefore keeps every file, connection or lock of every
// iteration until the function returns: files run out, and a mutex locked
// in the next iteration deadlocks.
//
// WRONG: all the files stay open until process returns:
//
//	func process(paths []string) error {
//		for _, p := range paths {
//			f, err := os.Open(p)
//			if err != nil {
//				return err
//			}
//			defer f.Close()
//			use(f)
//		}
//		return nil
//	}
//
// RIGHT: give each iteration its own function, so the defer runs at the end
// of the iteration (the suggested fix; a continue becomes a return from the
// literal, which is equivalent):
//
//	for _, p := range paths {
//		func() {
//			f, err := os.Open(p)
//			...
//			defer f.Close()
//			use(f)
//		}()
//	}
//
// Before go 1.22 (go.mod's go line, or the file's //go:build line), a
// deferred closure that releases the loop variable itself (`defer func() {
// l.Close() }()` in `for _, l := range ls`) is worse: the loop has one `l`
// for all its passes, so every deferred call releases the last value, once
// per pass, and the earlier values are never released. The message says so
// (https://go.dev/blog/loopvar-preview).
//
// The fix is offered only when the loop body has no return, break or goto
// that would change meaning inside a function literal; otherwise move the
// body into a named function that returns an error.
//
// Only deferred releases of descriptors and locks are reported: Close,
// Unlock, RUnlock, Release and Rollback, directly or inside a deferred
// function literal (a deferred cancel or timer Stop in a loop keeps only
// memory until return). It stays silent for a defer that runs at most once
// per call, as in a retry loop: golens's model follows the function's
// control flow (the same defer order the hover and the defer-order hint
// show), so a defer followed on every path by a return, panic, os.Exit,
// runtime.Goexit, t.Fatal or a break of its loop, or in a loop proven to
// make one pass, is not reported; a break of an inner loop that an outer
// loop comes back to is, with the outer loop named. Also silent for a defer in a select case of an event loop (a case such as
// a timer's usually fires once); for an Unlock of a mutex that changes each
// iteration (walking a chain of parents); and, in _test.go files, for
// everything but Unlock, since a test's loop over a small table may hold
// its files until the test ends.
//
// Also silent: a defer behind a run-once guard, as the model's defer order
// has it (DeferOrder.Once: `if !opened { opened = true; defer f.Close() }`
// with a local flag nothing else writes, proven to register one call per
// call, which the hover and the hint say too; DeferOrder.Guard: an if that
// assigns a variable its condition reads, a lazy initialisation, most
// likely run once but not proven); an Unlock or RUnlock that the model
// does not record as a sync.Mutex or RWMutex release (another type's
// Unlock may do anything); a deferred
// receiver the loop hands on beyond the iteration (to a goroutine, into a
// slice or map, to a variable declared outside the loop: it must stay open
// until return), and a deferred closure that returns early before its
// release (it closes only on the error path, on purpose).
package deferloop
