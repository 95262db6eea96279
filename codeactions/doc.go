// Package codeactions computes golens's refactorings of concurrent code and
// its "insert pattern" actions, as pure functions from a file's source (and
// its concurrency model, see package model) and a selection to text edits.
//
// Every rewrite is offered only where it keeps the program compiling and
// where its meaning is the one its title promises; when the syntax leaves a
// doubt (an unknown element type, a channel that may escape, a statement
// sharing its line with another) the action is simply not offered. Rewritten
// text is produced in gofmt layout from slices of the original source, so
// comments inside moved code survive, and imports the new code needs are
// added with the same minimal edits completion uses (snippets.AddImports).
//
// Offsets are bytes into the source; the server converts them to LSP
// positions. No LSP types appear here.
package codeactions
