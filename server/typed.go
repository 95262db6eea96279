package server

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/golens/golens/model"
	"github.com/golens/golens/typed"
)

// typedTier loads the packages of open files (debounced, superseded by
// newer edits) and keeps the latest result per package directory. Features
// use a typed model only while it was built from exactly the document's
// current bytes; otherwise they answer from the syntax tier.
type typedTier struct {
	loader *typed.Loader
	sched  *typed.Scheduler

	mu   sync.Mutex
	pkgs map[string]*typed.Package // by directory
}

const typedDelay = 300 * time.Millisecond

func newTypedTier() typedTier {
	return typedTier{
		loader: typed.NewLoader(typed.Config{}),
		sched:  typed.NewScheduler(context.Background()),
		pkgs:   map[string]*typed.Package{},
	}
}

// scheduleTypedLoad asks for a typed load of the package of u after delay.
func (s *Server) scheduleTypedLoad(u uri.URI, delay time.Duration) {
	if u.Scheme() != "file" || !s.currentSettings().TypedTier || !s.typedAllowed() {
		return
	}
	path := u.FsPath()
	dir := filepath.Dir(path)
	s.typed.sched.Schedule(dir, delay, func(ctx context.Context) {
		defer func() {
			if r := recover(); r != nil {
				s.logOnce(protocol.MessageTypeError, "typed load of %s failed: %v", dir, r)
			}
		}()
		overlay := map[string][]byte{}
		for _, d := range s.docs.all() {
			if d.uri.Scheme() == "file" && filepath.Dir(d.uri.FsPath()) == dir {
				overlay[d.uri.FsPath()] = d.text
			}
		}
		pkg, err := s.typed.loader.Load(ctx, typed.Request{File: path, Overlay: overlay})
		if ctx.Err() != nil {
			return // superseded by a newer edit
		}
		if err != nil {
			var le *typed.LoadError
			if errors.As(err, &le) && le.Repeated {
				return
			}
			s.logOnce(protocol.MessageTypeWarning, "typed tier unavailable for %s, using syntax only: %v", dir, err)
			return
		}
		s.typed.mu.Lock()
		s.typed.pkgs[dir] = pkg
		s.typed.mu.Unlock()
		s.typedLanded(dir)
	})
}

// typedAllowed: the typed tier runs the go command, so it stays off until
// the client has initialized and unless settings turn it off.
func (s *Server) typedAllowed() bool { return s.initialized.Load() && !s.exited.Load() }

// typedModelFor returns the typed model of d if the latest load of its
// package was built from exactly d's bytes.
func (s *Server) typedModelFor(d *document) *model.File {
	if d.uri.Scheme() != "file" || !s.currentSettings().TypedTier {
		return nil
	}
	s.typed.mu.Lock()
	pkg := s.typed.pkgs[filepath.Dir(d.uri.FsPath())]
	s.typed.mu.Unlock()
	if pkg == nil {
		return nil
	}
	return pkg.ModelFor(d.uri.FsPath(), d.text)
}

// typedLanded re-publishes what depends on types and asks the client to
// refresh its inlay hints.
func (s *Server) typedLanded(dir string) {
	for _, d := range s.docs.all() {
		if d.uri.Scheme() == "file" && filepath.Dir(d.uri.FsPath()) == dir {
			s.scheduleDiagnostics(d.uri, 0)
		}
	}
	s.mu.Lock()
	refresh := s.caps.inlayHintRefresh
	s.mu.Unlock()
	if refresh {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.client.InlayHintRefresh(ctx)
	}
}

func (s *Server) closeTyped() { go s.typed.sched.Close() }
