// Package snippets is golens's catalogue of concurrency patterns and the
// completion logic that offers them.
//
// Each pattern is a small data file under patterns/ (embedded into the binary)
// with a header — label, filter words, description, when to use it, imports,
// the Go version range and module requirement it needs, and whether it is a
// statement or a top-level declaration — followed by a body written in LSP
// snippet syntax (${1:name}, $1, $0).
//
// Complete decides from the raw, possibly half-typed buffer whether the cursor
// is at the start of a statement inside a function body (or at top level) and
// returns the patterns that fit there, with their text re-indented to the
// cursor's line and the import edits they need. Everything here works on byte
// offsets into the source; converting to LSP positions (UTF-16) and types is
// the server's job, so this package imports no LSP code.
package snippets
