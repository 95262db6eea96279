// Package snippets is golens's catalogue of concurrency patterns and the
// completion logic that offers them.
//
// # The catalogue
//
// Each pattern is a data file patterns/NAME.snippet, embedded into the
// binary. A header of "key: value" lines ends at a line "---"; the body
// follows, written from column 0 with tabs, in LSP snippet syntax: ${1:name}
// placeholders (whose defaults may mirror other stops, as in
// ${3:process($1)}), $1 mirrors, $0 for the final cursor. Header keys:
//
//	name         the file name, unique
//	label        what the user types ("wg"); several patterns may share
//	             one if their Go version ranges do not overlap
//	filter       more words completion should match
//	description  one line, the completion item's detail
//	when         when to use it and why it is written this way
//	imports      comma-separated import paths the body uses
//	go           lowest go line of go.mod the body needs
//	before       offered only below this go version
//	requires     a module path go.mod must require (golang.org/x/sync)
//	scope        statement (inside a function body) or toplevel
//	see          spec#Anchor and "doc pkg.Name" references
//
// Every body must compile as inserted with its placeholders at their
// defaults; the package's tests complete each one into host files, build,
// vet and gofmt them.
//
// # Completion
//
// Complete decides from the raw, possibly half-typed buffer whether the
// cursor is at the start of a statement inside a function body (or between
// top-level declarations) and returns the patterns that fit there, with their
// text re-indented to the cursor's line and the import edits they need.
// Everything works on byte offsets into the source; converting to LSP
// positions (UTF-16) and types is the server's job, so this package imports
// no LSP code.
package snippets
