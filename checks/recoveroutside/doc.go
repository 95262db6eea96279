// Package recoveroutside defines an Analyzer that reports calls of recover
// that cannot stop a panic.
//
// # Analyzer recoveroutside
//
// recoveroutside: report recover() called where it does nothing
//
// recover stops a panic only when it is called directly by a deferred
// function that the panic runs: one deferred by a function that was
// running when the panic began (https://go.dev/ref/spec#Handling_panics). Everywhere else it returns nil
// and the panic goes on: in the body of a function that runs normally, in a
// goroutine or function literal that is not deferred, as the argument of a
// deferred call (evaluated at the defer statement), as the deferred call
// itself (defer recover()), and in a helper that a deferred function calls
// (recover must be called by the deferred function itself, not one level
// down).
//
// WRONG: recover runs before anything panics and returns nil:
//
//	func worker(jobs <-chan job) {
//		if r := recover(); r != nil {
//			log.Print(r)
//		}
//		for j := range jobs {
//			j.run()
//		}
//	}
//
// WRONG: the recover is one call below the deferred function:
//
//	func logPanic() {
//		if r := recover(); r != nil { log.Print(r) }
//	}
//	defer func() { logPanic() }()
//
// RIGHT: call recover in a deferred function literal (the suggested fix
// moves the statement into one at the top of the function), or defer the
// helper itself:
//
//	func worker(jobs <-chan job) {
//		defer func() {
//			if r := recover(); r != nil {
//				log.Print(r)
//			}
//		}()
//		...
//	}
//
//	defer logPanic()
//
// A named function that calls recover is reported only when it is
// unexported (or main) and every use of it in the package is a plain,
// non-deferred call: exported helpers are meant to be deferred by other
// packages, and a function used as a value may be deferred through it.
// Without type information only main, go statements, immediately called
// literals and deferred calls' arguments are checked.
package recoveroutside
