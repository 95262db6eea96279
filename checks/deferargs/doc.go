// Package deferargs defines an Analyzer that reports deferred calls whose
// arguments are variables assigned again after the defer statement.
//
// # Analyzer deferargs
//
// deferargs: report deferred call arguments that change after the defer
//
// The arguments of a deferred call, and the receiver of a deferred method
// call, are evaluated when the defer statement runs, not when the deferred
// call runs (https://go.dev/ref/spec#Defer_statements). A later assignment
// to an argument's variable is therefore invisible to the deferred call.
// This is usually what the author wanted (restore a saved value, log the
// start state), so the finding is informational; it is reported only when a
// reassignment can actually run after the defer.
//
// WRONG: the deferred call prints the error as it was at the defer, always
// nil:
//
//	func save(path string) (err error) {
//		defer log.Printf("save %s: %v", path, err)
//		err = write(path)
//		return err
//	}
//
// RIGHT: wrap the call in a function literal, which reads err when it runs
// at return (the suggested fix "evaluate at return"):
//
//	func save(path string) (err error) {
//		defer func() { log.Printf("save %s: %v", path, err) }()
//		err = write(path)
//		return err
//	}
//
// The check stays silent for calls without variable arguments (defer
// mu.Unlock(), defer cancel(), defer trace(time.Now())), for deferred
// function literals (their parameters are evaluated at the defer on
// purpose), for arguments of pointer, map, slice, channel or function type
// (the deferred call sees what they point to when it runs), for defers in
// loops, for the save-and-restore idiom (the deferred function is a setter
// such as SetX or restore, or the function calls it again itself with the
// new value, as in defer SetLabels(old); labels = ...; SetLabels(labels)),
// and when no path leads from the defer to the assignment (the defer is in a
// branch that returns first, or the assignment follows a panic, os.Exit,
// log.Fatal, runtime.Goexit or t.Fatal). golens's model decides, over the
// function's control-flow graph: a break out of a switch or a goto forward
// does not leave the function.
//
// An assignment that derives the new value from the old one through a call
// (ctx, cancel := context.WithTimeout(ctx, d); sp = sp.Child()) is not
// reported: capturing the value before it is re-pointed is then the point.
package deferargs
