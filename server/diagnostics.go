package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/model"
)

// finding is one check result of a document version, in byte offsets.
type finding struct {
	model     *model.File // the model the positions belong to
	check     checks.Check
	diag      analysis.Diagnostic
	start     int
	end       int
	published bool // false when gopls already shows the same warning
}

// findings runs the checks on a document version. The typed-tier model is
// used when one is current for exactly this text; otherwise the syntax
// model. Results are cached per version.
func (s *Server) findings(d *document) []finding {
	out, _ := s.findingsUnless(d, nil)
	return out
}

// findingsUnless is findings, given up between two checks once stop
// reports true (the document was superseded by a newer version): ok is
// then false and nothing is cached.
func (s *Server) findingsUnless(d *document, stop func() bool) (_ []finding, ok bool) {
	if d.large() {
		s.sayLarge(d)
		return nil, true // no checks above the limit
	}
	m, typedDiags := s.typedFor(d)
	if m == nil {
		m = d.syntaxModel()
	}
	d.findingsMu.Lock()
	defer d.findingsMu.Unlock()
	if d.findingsModel == m && d.findingsGen == s.settingsGen.Load() {
		return d.findings, true
	}
	gen := s.settingsGen.Load()
	var found []finding
	settings := s.currentSettings()
	add := func(c checks.Check, diag analysis.Diagnostic) {
		f := finding{model: m, check: c, diag: diag, start: m.Offset(diag.Pos), published: true}
		f.end = f.start
		if diag.End.IsValid() {
			f.end = m.Offset(diag.End)
		}
		if c.DuplicatesGopls != nil && settings.SkipGoplsDuplicates && c.DuplicatesGopls(diag) {
			f.published = false
		}
		found = append(found, f)
	}
	for _, c := range all.Checks() {
		if !settings.CheckEnabled(c.Analyzer.Name) {
			continue
		}
		if stop != nil && stop() {
			return nil, false
		}
		if s.beforeCheck != nil {
			s.beforeCheck()
		}
		if typedDiags != nil {
			// The analyzers ran on the typed package: their results
			// are authoritative, including checks that need types.
			for _, td := range typedDiags {
				if td.analyzer == c.Analyzer.Name {
					add(c, td.diag)
				}
			}
			continue
		}
		if c.Syntax == nil {
			continue
		}
		for _, diag := range runCheck(c, m, s) {
			add(c, diag)
		}
	}
	d.findingsModel, d.findingsGen, d.findings = m, gen, found
	return found, true
}

// runCheck runs one check, turning a panic into a logged error so one
// broken check never silences the others.
func runCheck(c checks.Check, m *model.File, s *Server) (out []analysis.Diagnostic) {
	defer func() {
		if r := recover(); r != nil {
			s.logOnce(protocol.MessageTypeError, "check %s failed: %v", c.Analyzer.Name, r)
			out = nil
		}
	}()
	return c.Syntax(m)
}

// bestModel returns the typed model of d when the typed tier has one for
// exactly this text, else the syntax model.
func (s *Server) bestModel(d *document) *model.File {
	if tm := s.typedModel(d); tm != nil {
		return tm
	}
	return d.syntaxModel()
}

func (s *Server) typedModel(d *document) *model.File { return s.typedModelFor(d) }

func (s *Server) toDiagnostic(d *document, f finding) protocol.Diagnostic {
	severity := protocol.DiagnosticSeverityWarning
	if f.check.Severity == checks.Information {
		severity = protocol.DiagnosticSeverityInformation
	}
	out := protocol.Diagnostic{
		Range:           d.rangeOf(f.start, f.end),
		Severity:        severity,
		Code:            protocol.String(f.check.Analyzer.Name),
		CodeDescription: protocol.CodeDescription{Href: uri.URI(checks.DocURL(f.check.Analyzer.Name))},
		Source:          protocol.NewOptional("golens"),
		Message:         protocol.String(f.diag.Message),
	}
	bm := f.model
	for _, r := range f.diag.Related {
		start := bm.Offset(r.Pos)
		end := start
		if r.End.IsValid() {
			end = bm.Offset(r.End)
		}
		out.RelatedInformation = append(out.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: d.uri, Range: d.rangeOf(start, end)},
			Message:  r.Message,
		})
	}
	return out
}

// publisher debounces diagnostics per document: after an edit, checks run
// once typing pauses, and results for a superseded version are dropped.
type publisher struct {
	mu      sync.Mutex
	timers  map[uri.URI]*time.Timer
	running map[uri.URI]*sync.Mutex // one computation per document at a time
}

// lockFor returns the mutex that serializes u's diagnostics computations.
func (p *publisher) lockFor(u uri.URI) *sync.Mutex {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running == nil {
		p.running = map[uri.URI]*sync.Mutex{}
	}
	m := p.running[u]
	if m == nil {
		m = &sync.Mutex{}
		p.running[u] = m
	}
	return m
}

const diagnosticsDelay = 150 * time.Millisecond

func (s *Server) scheduleDiagnostics(u uri.URI, delay time.Duration) {
	s.pub.mu.Lock()
	defer s.pub.mu.Unlock()
	if s.pub.timers == nil {
		s.pub.timers = map[uri.URI]*time.Timer{}
	}
	if t := s.pub.timers[u]; t != nil {
		t.Stop()
	}
	s.pub.timers[u] = time.AfterFunc(delay, func() { s.publishDiagnostics(u) })
}

func (s *Server) publishDiagnostics(u uri.URI) {
	defer func() {
		if r := recover(); r != nil {
			s.logOnce(protocol.MessageTypeError, "diagnostics for %s failed: %v", u, r)
		}
	}()
	// One computation per document at a time, for its latest version: a
	// computation for a version that an edit supersedes stops at the next
	// check, so ten quick edits to a large file cost one analysis, not ten
	// running side by side.
	running := s.pub.lockFor(u)
	running.Lock()
	defer running.Unlock()
	d, ok := s.docs.get(u)
	if !ok || s.exited.Load() {
		return
	}
	superseded := func() bool {
		cur, ok := s.docs.get(u)
		return !ok || cur != d || s.exited.Load()
	}
	found, complete := s.findingsUnless(d, superseded)
	if !complete {
		return // the newer version has its own publication scheduled
	}
	diags := []protocol.Diagnostic{}
	for _, f := range found {
		if f.published {
			diags = append(diags, s.toDiagnostic(d, f))
		}
	}
	diags = s.withLeaks(d, diags) // leaks.go: runtime leaks of this exact text
	// Drop the result if the document changed meanwhile: the newer
	// version has its own publication scheduled.
	if cur, ok := s.docs.get(u); !ok || cur != d {
		return
	}
	// involved.go: hover and hints explain the deadlock findings of this
	// version from now on, before the client sees the diagnostics.
	refresh := s.keepInvolved(d, found)
	version := d.version
	err := s.client.PublishDiagnostics(context.Background(), &protocol.PublishDiagnosticsParams{URI: u, Version: protocol.NewOptional(version), Diagnostics: diags})
	if err != nil {
		s.logOnce(protocol.MessageTypeWarning, "publishing diagnostics: %v", err)
	}
	if refresh {
		s.refreshHints() // involved.go: the deadlock findings changed
	}
}

// clearDiagnostics removes a closed document's diagnostics.
func (s *Server) clearDiagnostics(u uri.URI) {
	s.pub.mu.Lock()
	if t := s.pub.timers[u]; t != nil {
		t.Stop()
		delete(s.pub.timers, u)
	}
	delete(s.pub.running, u)
	s.pub.mu.Unlock()
	s.involved.forget(u)
	_ = s.client.PublishDiagnostics(context.Background(), &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: []protocol.Diagnostic{}})
}

// quickFixes returns the fixes of the findings overlapping [start, end],
// and of the findings the client names in the request's context: a client
// asks with the cursor's position, which may sit just before the finding's
// range (Neovim 0.7 at the start of the line, and it rebuilds the
// diagnostics' columns in bytes, so they are matched by code and line).
func (s *Server) quickFixes(d *document, start, end int, context []protocol.Diagnostic, only func(protocol.CodeActionKind) bool) []protocol.CommandOrCodeAction {
	if !only(protocol.CodeActionKindQuickFix) {
		return nil
	}
	named := func(f finding) bool {
		line := d.position(f.start).Line
		for _, c := range context {
			if code, ok := c.Code.(protocol.String); ok && string(code) == f.check.Analyzer.Name && c.Range.Start.Line == line {
				return true
			}
		}
		return false
	}
	var out []protocol.CommandOrCodeAction
	for _, f := range s.findings(d) {
		if (f.end < start || f.start > end) && !named(f) {
			continue
		}
		m := f.model
		diag := s.toDiagnostic(d, f)
		for i, fix := range f.diag.SuggestedFixes {
			var elems []protocol.TextDocumentEditElement
			ok := true
			for _, e := range fix.TextEdits {
				a := m.Offset(e.Pos)
				b := a
				if e.End.IsValid() {
					b = m.Offset(e.End)
				}
				if a < 0 || b > len(d.text) || a > b {
					ok = false
					break
				}
				elems = append(elems, &protocol.TextEdit{Range: d.rangeOf(a, b), NewText: string(e.NewText)})
			}
			if !ok || len(elems) == 0 {
				continue
			}
			kind := protocol.CodeActionKindQuickFix
			ca := &protocol.CodeAction{
				Title:       fix.Message,
				Kind:        &kind,
				Diagnostics: []protocol.Diagnostic{diag},
				Edit:        s.documentEdit(d, elems),
			}
			if i == 0 {
				preferred := true
				ca.IsPreferred = &preferred
			}
			if ca.Title == "" {
				ca.Title = fmt.Sprintf("Fix: %s", f.diag.Message)
			}
			out = append(out, ca)
		}
	}
	return out
}
