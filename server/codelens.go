package server

import (
	"context"

	"go.lsp.dev/protocol"
)

// codeLensProvider returns the code lenses one feature puts on a document
// version. It must be fast (it runs on every textDocument/codeLens) and
// must not run user code.
type codeLensProvider func(s *Server, d *document) []protocol.CodeLens

// codeLensProviders are the features' lens providers, in registration order.
var codeLensProviders []codeLensProvider

// registerCodeLenses adds a feature's lenses: one line in an init function
// of the file that implements the feature,
//
//	func init() { registerCodeLenses(leakLenses) }
func registerCodeLenses(p codeLensProvider) { codeLensProviders = append(codeLensProviders, p) }

// CodeLens implements protocol.Server: every registered provider's lenses.
// A provider that panics is logged once and skipped, so it never hides the
// others'.
func (s *Server) CodeLens(ctx context.Context, params *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	d, err := s.docs.readAt(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	out := []protocol.CodeLens{}
	for _, p := range codeLensProviders {
		out = append(out, s.lensesOf(p, d)...)
	}
	return out, ctx.Err()
}

func (s *Server) lensesOf(p codeLensProvider, d *document) (out []protocol.CodeLens) {
	defer func() {
		if r := recover(); r != nil {
			s.logOnce(protocol.MessageTypeError, "code lenses for %s failed: %v", d.uri, r)
			out = nil
		}
	}()
	return p(s, d)
}
