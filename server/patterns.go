package server

import (
	"context"
	"os"
	"path/filepath"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/golens/golens/codeactions"
	"github.com/golens/golens/snippets"
)

// moduleEnvs caches, per directory, the requirements of the enclosing
// go.mod: patterns depend on them (errgroup needs golang.org/x/sync). The Go
// version is not read here but from the model (model.File.GoVersion).
type moduleEnvs struct {
	mu    sync.Mutex
	byDir map[string]moduleEnv
}

type moduleEnv struct {
	env     snippets.Env
	modTime int64
	gomod   string
}

func (c *moduleEnvs) lookup(u uri.URI) snippets.Env {
	if u.Scheme() != "file" {
		return snippets.Env{}
	}
	dir := filepath.Dir(fsPath(u))
	for d := dir; ; d = filepath.Dir(d) {
		gomod := filepath.Join(d, "go.mod")
		fi, err := os.Stat(gomod)
		if err == nil {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.byDir == nil {
				c.byDir = map[string]moduleEnv{}
			}
			if e, ok := c.byDir[dir]; ok && e.gomod == gomod && e.modTime == fi.ModTime().UnixNano() {
				return e.env
			}
			data, err := os.ReadFile(gomod)
			if err != nil {
				return snippets.Env{}
			}
			env := snippets.ParseGoMod(data)
			c.byDir[dir] = moduleEnv{env: env, modTime: fi.ModTime().UnixNano(), gomod: gomod}
			return env
		}
		if filepath.Dir(d) == d {
			return snippets.Env{}
		}
	}
}

// Completion implements protocol.Server: pattern snippets in statement
// position.
func (s *Server) Completion(ctx context.Context, params *protocol.CompletionParams) (protocol.CompletionResult, error) {
	d, err := s.docs.readAt(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	off, err := d.offset(params.Position)
	if err != nil {
		return protocol.CompletionItemSlice{}, nil
	}
	env := s.envs.lookup(d.uri)
	// The Go version is the model's, the one hovers and code actions read.
	env.GoVersion = s.modelAround(d, off, off).model.GoVersion()
	s.mu.Lock()
	env.SnippetSupport = s.caps.completionSnippets
	s.mu.Unlock()
	items := snippets.Complete(d.text, off, env)
	out := make(protocol.CompletionItemSlice, 0, len(items))
	for _, it := range items {
		format := protocol.InsertTextFormatPlainText
		if it.IsSnippet {
			format = protocol.InsertTextFormatSnippet
		}
		ci := protocol.CompletionItem{
			Label:            it.Label,
			Kind:             protocol.CompletionItemKindSnippet,
			Detail:           protocol.NewOptional(it.Detail),
			Documentation:    &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: it.Documentation},
			FilterText:       protocol.NewOptional(it.FilterText),
			SortText:         protocol.NewOptional("~golens " + it.Label), // after gopls's own items
			InsertTextFormat: format,
			// The text is already indented for the cursor's line.
			InsertTextMode: protocol.InsertTextModeAsIs,
			TextEdit:       &protocol.TextEdit{Range: d.rangeOf(it.ReplaceStart, it.ReplaceEnd), NewText: it.InsertText},
		}
		for _, e := range it.AdditionalEdits {
			ci.AdditionalTextEdits = append(ci.AdditionalTextEdits, protocol.TextEdit{Range: d.rangeOf(e.Start, e.End), NewText: e.NewText})
		}
		out = append(out, ci)
	}
	return out, nil
}

// rewriteActions converts the rewrite and insert-pattern actions at a range.
func (s *Server) rewriteActions(d *document, start, end int, only func(protocol.CodeActionKind) bool) []protocol.CommandOrCodeAction {
	env := s.envs.lookup(d.uri)
	s.mu.Lock()
	env.SnippetSupport = s.caps.snippetEdits
	s.mu.Unlock()
	var out []protocol.CommandOrCodeAction
	v := s.modelAround(d, start, end)
	for _, a := range codeactions.Actions(v.model, v.toModel(start), v.toModel(end), env) {
		kind := protocol.CodeActionKind(a.Kind)
		if !only(kind) {
			continue
		}
		var elems []protocol.TextDocumentEditElement
		for _, e := range a.Edits {
			r := d.rangeOf(v.toDoc(e.Start), v.toDoc(e.End))
			if a.Snippet {
				elems = append(elems, &protocol.SnippetTextEdit{Range: r, Snippet: protocol.StringValue{Kind: "snippet", Value: e.NewText}})
			} else {
				elems = append(elems, &protocol.TextEdit{Range: r, NewText: e.NewText})
			}
		}
		ca := &protocol.CodeAction{Title: a.Title, Kind: &kind, Edit: s.documentEdit(d, elems)}
		if a.IsPreferred {
			preferred := true
			ca.IsPreferred = &preferred
		}
		out = append(out, ca)
		if len(out) == maxRewriteActions {
			break
		}
	}
	return out
}

// maxRewriteActions bounds the rewrites offered for one range: a whole-file
// selection of 200,000 go statements once produced a 71 MB reply, and no
// menu shows more than a screenful.
const maxRewriteActions = 100

// documentEdit wraps edits of one document version in a workspace edit.
// Versioned document changes let the client refuse an edit computed for a
// version it no longer has.
func (s *Server) documentEdit(d *document, elems []protocol.TextDocumentEditElement) *protocol.WorkspaceEdit {
	s.mu.Lock()
	versioned := s.caps.documentChanges
	s.mu.Unlock()
	if !versioned {
		var plain []protocol.TextEdit
		for _, e := range elems {
			switch e := e.(type) {
			case *protocol.TextEdit:
				plain = append(plain, *e)
			case *protocol.SnippetTextEdit:
				plain = append(plain, protocol.TextEdit{Range: e.Range, NewText: e.Snippet.Value})
			}
		}
		return &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{d.uri: plain}}
	}
	version := d.version
	return &protocol.WorkspaceEdit{DocumentChanges: []protocol.DocumentChange{&protocol.TextDocumentEdit{
		TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: d.uri}, Version: &version},
		Edits:        elems,
	}}}
}

// kindFilter implements CodeActionContext.only: a requested kind matches
// itself and its sub-kinds ("refactor" matches "refactor.rewrite").
func kindFilter(only []protocol.CodeActionKind) func(protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return func(protocol.CodeActionKind) bool { return true }
	}
	return func(k protocol.CodeActionKind) bool {
		for _, o := range only {
			if k == o || len(k) > len(o) && k[:len(o)] == o && k[len(o)] == '.' {
				return true
			}
		}
		return false
	}
}

// CodeAction implements protocol.Server.
func (s *Server) CodeAction(ctx context.Context, params *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	d, err := s.docs.readAt(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	start, err1 := d.offset(params.Range.Start)
	end, err2 := d.offset(params.Range.End)
	if err1 != nil || err2 != nil || end < start {
		return []protocol.CommandOrCodeAction{}, nil
	}
	only := kindFilter(params.Context.Only)
	out := s.quickFixes(d, start, end, params.Context.Diagnostics, only)
	out = append(out, s.rewriteActions(d, start, end, only)...)
	if out == nil {
		out = []protocol.CommandOrCodeAction{}
	}
	return out, ctx.Err()
}
