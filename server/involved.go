package server

import (
	"bytes"
	"go/ast"
	"go/token"
	"path/filepath"
	"strconv"

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
	"unclosedrange": true, "waitbeforedrain": true, "wgmisuse": true, "condwait": true,
}

// involvedFindings returns the deadlock-class findings of d's current text,
// with every position they involve, for hover and hints. They come from
// the same findings the diagnostics publish (cached per version), so they
// always belong to exactly this text: a finding of an older version is
// never shown at shifted positions.
func (s *Server) involvedFindings(d *document) []involved.Finding {
	if d.large() {
		return nil
	}
	var out []involved.Finding
	for _, f := range s.findings(d) {
		name := f.check.Analyzer.Name
		m := f.model
		if !deadlockClass[name] || m == nil || m.AST == nil || !bytes.Equal(m.Src, d.text) {
			continue
		}
		self := m.Position(f.diag.Pos).Filename
		inv := involved.Finding{Check: name, DocURL: checks.DocURL(name), Message: f.diag.Message}
		inv.Places = append(inv.Places, place(d, m, self, "", f.diag.Pos, f.diag.End))
		for _, r := range f.diag.Related {
			inv.Places = append(inv.Places, place(d, m, self, r.Message, r.Pos, r.End))
		}
		out = append(out, inv)
	}
	return out
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
