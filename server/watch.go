package server

import (
	"context"
	"time"

	"go.lsp.dev/protocol"
)

// watchedFiles are the files whose change outside the editor can change
// the typed results of open files: Go sources of other packages (a
// dependency edited elsewhere, a git checkout) and the module files.
var watchedFiles = []string{"**/*.go", "**/go.mod", "**/go.sum", "**/go.work"}

// registerFileWatchers asks the client, if it can, to send
// workspace/didChangeWatchedFiles for watchedFiles. It runs on its own
// goroutine: the client's reply arrives on the read loop that runs the
// notification calling it.
func (s *Server) registerFileWatchers() {
	s.mu.Lock()
	dynamic := s.caps.watchedFilesDynamic
	s.mu.Unlock()
	if !dynamic {
		return
	}
	var opts protocol.DidChangeWatchedFilesRegistrationOptions
	for _, g := range watchedFiles {
		opts.Watchers = append(opts.Watchers, protocol.FileSystemWatcher{GlobPattern: protocol.Pattern(g)})
	}
	raw, err := protocol.Marshal(opts)
	if err != nil {
		s.logOnce(protocol.MessageTypeError, "file watchers: %v", err)
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
			ID:              "golens-watched-files",
			Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
			RegisterOptions: protocol.LSPAny(raw),
		}}})
		if err != nil {
			s.logOnce(protocol.MessageTypeWarning, "the client did not register golens's file watchers (%v): typed results may lag files changed outside the editor until they are reopened", err)
		}
	}()
}

// DidChangeWatchedFiles implements protocol.Server: a file changed outside
// the editor. Changes to open documents are the editor's own (their
// content comes from the buffer); any other change may be in a dependency
// of an open file, so the typed tier's cached packages are dropped and
// every open file's package is loaded again.
func (s *Server) DidChangeWatchedFiles(ctx context.Context, params *protocol.DidChangeWatchedFilesParams) error {
	outside := false
	for _, c := range params.Changes {
		if _, open := s.docs.get(c.URI); !open {
			outside = true
			break
		}
	}
	if !outside {
		return nil
	}
	s.typed.loader.Invalidate()
	for _, d := range s.docs.all() {
		s.scheduleTypedLoad(d.uri, typedDelay)
	}
	return nil
}
