package server

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/uri"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/involved"
	"github.com/golens/golens/model"
)

// deadlockClass names the checks whose findings are deadlocks or goroutines
// blocked forever: their hovers and hints explain the finding at every
// position it involves (golens explain deadlock lists the same checks).
var deadlockClass = map[string]bool{
	"deadlock": true, "lockleak": true, "selfdeadlock": true, "nopartner": true, "timeoutleak": true,
	"unclosedrange": true, "waitbeforedrain": true, "wgmisuse": true, "condwait": true, "cancelleak": true,
}

// involvedFindings returns the deadlock-class findings of d's text, with
// every position they involve, for hover and hints. They are the findings
// the diagnostics last published for this very document version (d is one
// version: an edit makes a new document), so they always belong to exactly
// this text: a finding of an older version is never shown at shifted
// positions. Hover and hints never run the checks themselves: until this
// version's diagnostics are published they say nothing about deadlocks,
// and keepInvolved then has the client refresh its hints.
func (s *Server) involvedFindings(d *document) []involved.Finding {
	if d.large() {
		return nil
	}
	s.involved.mu.Lock()
	own := s.involved.byURI[d.uri]
	var others []published
	for u, e := range s.involved.byURI {
		if u != d.uri && e.typed && len(e.found) > 0 {
			others = append(others, e)
		}
	}
	s.involved.mu.Unlock()
	var out []involved.Finding
	if own.doc == d {
		// They were computed for d (its syntax model, or a typed model
		// built from exactly its bytes): the length check is a cheap guard.
		for _, f := range own.found {
			if f.model != nil && len(f.model.Src) == len(d.text) {
				out = appendInvolved(out, d, f.model, f, false)
			}
		}
	}
	if len(others) == 0 {
		return out
	}
	// Findings of other open files of the package whose related positions
	// are in this file (the callee's Lock of a double lock across files):
	// only when they come from the same typed load as this file's current
	// model, so their positions are positions in exactly this text.
	dm := s.typedModelFor(d)
	if dm == nil {
		return out
	}
	sort.Slice(others, func(i, j int) bool { return others[i].doc.uri < others[j].doc.uri })
	for _, e := range others {
		if cur, ok := s.docs.get(e.doc.uri); !ok || cur != e.doc || e.model == nil || e.model.Fset != dm.Fset {
			continue
		}
		for _, f := range e.found {
			out = appendInvolved(out, d, dm, f, true)
		}
	}
	return out
}

// appendInvolved converts one finding for document d, whose model dm shares
// the finding's file set. With touching, a finding with no position in d's
// file is left out.
func appendInvolved(out []involved.Finding, d *document, dm *model.File, f finding, touching bool) []involved.Finding {
	name := f.check.Analyzer.Name
	if !deadlockClass[name] || dm == nil || dm.AST == nil {
		return out
	}
	self := dm.Position(dm.AST.Pos()).Filename
	inv := involved.Finding{Check: name, DocURL: checks.DocURL(name), Message: f.diag.Message}
	inv.Places = append(inv.Places, place(d, dm, self, "", f.diag.Pos, f.diag.End))
	here := inv.Places[0].Start >= 0
	for _, r := range f.diag.Related {
		p := place(d, dm, self, r.Message, r.Pos, r.End)
		here = here || p.Start >= 0
		inv.Places = append(inv.Places, p)
	}
	if touching && !here {
		return out
	}
	return append(out, inv)
}

// place converts one position of a finding. In d's own file it gets the
// byte range of the construct there; in another file of the package only
// a link.
func place(d *document, m *model.File, self, role string, pos, end token.Pos) involved.Place {
	p := m.Position(pos)
	if p.Filename != self {
		return involved.Place{Role: role, Line: p.Line, File: filepath.Base(p.Filename),
			Link: string(uri.File(p.Filename)) + "#L" + strconv.Itoa(p.Line), Start: -1, End: -1}
	}
	start, stop := extent(m, pos, end)
	return involved.Place{Role: role, Line: p.Line, Link: string(d.uri) + "#L" + strconv.Itoa(p.Line), Start: start, End: stop}
}

// extent is the byte range of the construct a finding names at pos: its
// own end when the check gave one on the same line; else the largest node
// that starts at pos and ends on its line (the whole `l.mu.Lock()`, not
// just `l`); else the rest of the line (a `for ... range` or `select`
// header, whose node spans its body).
func extent(m *model.File, pos, end token.Pos) (int, int) {
	start := m.Offset(pos)
	line := m.Line(pos)
	if end.IsValid() && end > pos && m.Line(end) == line {
		return start, m.Offset(end)
	}
	stop := -1
	path, _ := astutil.PathEnclosingInterval(m.AST, pos, pos)
	for _, n := range path {
		if n.Pos() != pos {
			continue
		}
		if _, ok := n.(*ast.BlockStmt); ok {
			break
		}
		if m.Line(n.End()) == line {
			stop = m.Offset(n.End())
		}
	}
	if stop < 0 {
		stop = start
		for stop < len(m.Src) && m.Src[stop] != '\n' {
			stop++
		}
		for stop > start && (m.Src[stop-1] == ' ' || m.Src[stop-1] == '\t' || m.Src[stop-1] == '\r' || m.Src[stop-1] == '{') {
			stop--
		}
	}
	return start, stop
}

// involvedState keeps, per document, the deadlock-class findings last
// published and the document version they were computed for.
type involvedState struct {
	mu    sync.Mutex
	byURI map[uri.URI]published
}

type published struct {
	doc   *document
	model *model.File // the model the checks ran on (typed or syntax)
	typed bool        // model is a typed-tier model
	found []finding   // deadlock-class findings only
	key   string      // what they are, to notice a change
}

func (st *involvedState) forget(u uri.URI) {
	st.mu.Lock()
	delete(st.byURI, u)
	st.mu.Unlock()
}

// keepInvolved keeps the deadlock-class findings about to be published for
// d, so a hover sent as soon as the client shows the diagnostics finds
// them. It reports whether the client should refresh its inlay hints: the
// findings changed (the typed tier landed, or an edit added or removed
// one) or belong to a new version; the hints the client fetched before
// were drawn without them.
func (s *Server) keepInvolved(d *document, found []finding) (refresh bool) {
	e := published{doc: d}
	var key strings.Builder
	for _, f := range found {
		if deadlockClass[f.check.Analyzer.Name] {
			e.found = append(e.found, f)
			fmt.Fprintf(&key, "%s@%d:%d;", f.check.Analyzer.Name, f.start, len(f.diag.Related))
		}
	}
	e.key = key.String()
	d.findingsMu.Lock()
	e.model = d.findingsModel
	d.findingsMu.Unlock()
	e.typed = e.model != nil && e.model == s.typedModelFor(d)
	s.involved.mu.Lock()
	defer s.involved.mu.Unlock()
	if s.involved.byURI == nil {
		s.involved.byURI = map[uri.URI]published{}
	}
	prev := s.involved.byURI[d.uri]
	// A new version with findings needs a refresh even when they are the
	// same as before: the client may have fetched this version's hints
	// before they were published, without them.
	refresh = prev.key != e.key || prev.doc != d && len(e.found) > 0
	s.involved.byURI[d.uri] = e
	return refresh
}

// refreshHints asks the client to fetch its inlay hints again, if it can.
func (s *Server) refreshHints() {
	s.mu.Lock()
	can := s.caps.inlayHintRefresh
	s.mu.Unlock()
	if can {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.client.InlayHintRefresh(ctx)
	}
}
