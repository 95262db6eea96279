package server

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/golens/golens/checks/all"
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
	// diags holds the typed-tier check results of each loaded package,
	// by file name.
	diags map[*typed.Package]map[string][]typedDiag
}

// typedDiag is a diagnostic of a typed-tier analyzer.
type typedDiag struct {
	analyzer string
	diag     analysis.Diagnostic
}

const typedDelay = 300 * time.Millisecond

func newTypedTier() typedTier {
	return typedTier{
		loader: typed.NewLoader(typed.Config{}),
		sched:  typed.NewScheduler(context.Background()),
		pkgs:   map[string]*typed.Package{},
		diags:  map[*typed.Package]map[string][]typedDiag{},
	}
}

// scheduleTypedLoad asks for a typed load of the package of u after delay.
func (s *Server) scheduleTypedLoad(u uri.URI, delay time.Duration) {
	if u.Scheme() != "file" || !s.currentSettings().TypedTier || !s.typedAllowed() {
		return
	}
	if d, ok := s.docs.get(u); ok && d.large() {
		return // no typed tier above the size limit
	}
	path := fsPath(u)
	dir := filepath.Dir(path)
	s.typed.sched.Schedule(dir, delay, func(ctx context.Context) {
		defer func() {
			if r := recover(); r != nil {
				s.logOnce(protocol.MessageTypeError, "typed load of %s failed: %v", dir, r)
			}
		}()
		overlay := map[string][]byte{}
		for _, d := range s.docs.all() {
			if d.uri.Scheme() == "file" && filepath.Dir(fsPath(d.uri)) == dir {
				if d.large() {
					// Type-checking the package would parse the large
					// file whole: its package stays on the syntax tier.
					s.sayLarge(d)
					return
				}
				overlay[fsPath(d.uri)] = d.text
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
		diags := s.runTypedChecks(pkg)
		if ctx.Err() != nil {
			return
		}
		s.typed.mu.Lock()
		if old := s.typed.pkgs[dir]; old != nil && old != pkg {
			delete(s.typed.diags, old)
		}
		s.typed.pkgs[dir] = pkg
		s.typed.diags[pkg] = diags
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
	m, _ := s.typedFor(d)
	return m
}

// typedFor returns the typed model of d and its analyzers' diagnostics, or
// nil when no typed result is current for d's bytes. diags is nil when the
// analyzers did not run (a package with type errors): callers then run the
// syntax functions on the typed model.
func (s *Server) typedFor(d *document) (*model.File, []typedDiag) {
	if d.uri.Scheme() != "file" || !s.currentSettings().TypedTier {
		return nil, nil
	}
	s.typed.mu.Lock()
	pkg := s.typed.pkgs[filepath.Dir(fsPath(d.uri))]
	byFile := s.typed.diags[pkg]
	s.typed.mu.Unlock()
	if pkg == nil {
		return nil, nil
	}
	m := pkg.ModelFor(fsPath(d.uri), d.text)
	if m == nil || byFile == nil {
		return m, nil
	}
	return m, append([]typedDiag{}, byFile[fsPath(d.uri)]...)
}

// runTypedChecks runs every analyzer over a loaded package with
// go/analysis/checker. It returns nil when the package has type errors:
// analyzers assume well-typed code, so the syntax functions answer then.
func (s *Server) runTypedChecks(pkg *typed.Package) (out map[string][]typedDiag) {
	if len(pkg.TypeErrors) > 0 || pkg.Types == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			s.logOnce(protocol.MessageTypeError, "typed checks of %s failed: %v", pkg.PkgPath, r)
			out = nil
		}
	}()
	graph, err := all.AnalyzeTyped(pkg)
	if err != nil {
		s.logOnce(protocol.MessageTypeWarning, "typed checks of %s: %v", pkg.PkgPath, err)
		return nil
	}
	out = map[string][]typedDiag{}
	for _, act := range graph.Roots {
		if act.Err != nil {
			s.logOnce(protocol.MessageTypeWarning, "check %s on %s: %v", act.Analyzer.Name, pkg.PkgPath, act.Err)
			continue
		}
		for _, d := range act.Diagnostics {
			name := pkg.Fset.Position(d.Pos).Filename
			out[name] = append(out[name], typedDiag{analyzer: act.Analyzer.Name, diag: d})
		}
	}
	return out
}

// typedLanded re-publishes what depends on types and asks the client to
// refresh its inlay hints.
func (s *Server) typedLanded(dir string) {
	for _, d := range s.docs.all() {
		if d.uri.Scheme() == "file" && filepath.Dir(fsPath(d.uri)) == dir {
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

// closeTyped cancels every typed load and waits for their go commands to be
// killed (go/packages interrupts the command's process group, and kills it
// 5 s later if it is still there), so none outlives the server. The wait is
// bounded: exiting matters more.
func (s *Server) closeTyped() {
	done := make(chan struct{})
	go func() {
		s.typed.sched.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(closeTypedWait):
		s.logger.Printf("typed loads still running %v after exit was asked for", closeTypedWait)
	}
}

const closeTypedWait = 7 * time.Second
