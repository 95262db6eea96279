package server

import (
	"go/parser"
	"go/token"

	"go.lsp.dev/protocol"

	"github.com/golens/golens/model"
)

// sayWhyNoModel logs, once per document and reason, why a document has no
// model at all: go/parser gave up on it (scopes nested beyond its limit) and
// returned an empty file. Without the message a user sees hovers simply
// vanish on a valid `go f()`.
func (s *Server) sayWhyNoModel(d *document, m *model.File) {
	if len(d.text) == 0 || m.AST == nil || m.Fset.File(m.AST.Pos()) != nil {
		return
	}
	// Rare: parse once more for the parser's own reason.
	_, err := parser.ParseFile(token.NewFileSet(), filename(d.uri), d.text, parser.AllErrors|parser.ParseComments)
	reason := "the Go parser returned nothing"
	if err != nil {
		reason = err.Error()
	}
	s.logOnce(protocol.MessageTypeWarning, "%s cannot be parsed (%s): golens has no hovers, hints or checks for it", d.uri, reason)
}
