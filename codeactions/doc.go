// Package codeactions computes golens's refactorings of concurrent code and
// its "insert pattern" actions, as pure functions from a file's concurrency
// model (see package model, which holds the source and syntax tree) and a
// selection to text edits.
//
// Rewrites (kind refactor.rewrite):
//
//   - a receive statement (<-ch, v = <-ch, v := <-ch, v, ok := <-ch) becomes
//     a select with a ctx.Done() case (when a context.Context parameter is in
//     scope), a time.After timeout, or a default case (non-blocking);
//     variables the receive declared are declared before the select;
//   - a send statement, likewise: ctx.Done(), timeout, non-blocking;
//   - a call statement, or a selection of call statements, runs in
//     goroutines joined by a sync.WaitGroup (WaitGroup.Go from Go 1.25);
//   - `defer close(ch)` is added to the goroutine literal that is the only
//     sender on ch;
//   - `defer f(x)` becomes `defer func() { f(x) }()` (arguments evaluated
//     when the deferred call runs) and back;
//   - `defer mu.Unlock()` (RUnlock) is added after a Lock (RLock) that the
//     function never releases;
//   - a for loop around a select with a single receive case becomes
//     `for v := range ch`.
//
// Every rewrite is offered only where it keeps the program compiling and
// means what its title says; when the syntax leaves a doubt (an unknown
// element type, a channel that may escape, a statement sharing its line with
// another) the action is not offered. Rewritten text is produced in gofmt
// layout from slices of the original source, so comments inside moved code
// survive, and imports the new code needs are added with the minimal edits
// completion uses (snippets.AddImports).
//
// Insert-pattern actions (kind refactor.insert.pattern) offer each catalogue
// pattern on an empty statement line, the same text completion inserts.
//
// Offsets are bytes into the source; the server converts them to LSP
// positions. No LSP types appear here.
package codeactions
