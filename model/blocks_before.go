package model

import (
	"go/ast"
	"go/token"
)

// BlocksBefore says what the goroutine g can block on before it reaches
// the send op of its own body: an operation the goroutine's function
// summary reports (a receive, send or range that can block, a Lock or
// RLock, a WaitGroup or Cond Wait — Effect.MayBlock), written or called in
// a statement that completes before the send (StmtsBefore) or in the sent
// value, which is evaluated before the send. When there is none but such a
// statement calls a function golens cannot see into (Summary.Opaque),
// Opaque is set instead: golens cannot tell whether the goroutine reaches
// the send. Both empty: nothing golens sees blocks the goroutine before
// the send. A feature that says what a buffer would do for that send reads
// it: a buffer lets the send complete, not an earlier wait end.
//
// Operations of goroutines the function starts, deferred ones and those of
// function literals it only makes do not run before the send and are not
// counted.
func (m *File) BlocksBefore(g *Goroutine, op *ChanOp) (blocks, opaque string) {
	if g == nil || g.Body == nil || op == nil || op.Func != g.Body {
		return "", ""
	}
	var spans [][2]token.Pos
	for _, st := range m.StmtsBefore(op.Pos) {
		spans = append(spans, [2]token.Pos{st.Pos(), st.End()})
	}
	if send, ok := op.Node.(*ast.SendStmt); ok {
		spans = append(spans, [2]token.Pos{send.Value.Pos(), send.Value.End()})
	}
	in := func(p token.Pos) bool {
		for _, sp := range spans {
			if p >= sp[0] && p < sp[1] {
				return true
			}
		}
		return false
	}
	s := m.SummaryOf(g.Body)
	if s == nil {
		return "", ""
	}
	var first *Effect
	firstAt := token.NoPos
	for _, e := range s.Effects {
		if e.InGo || e.Deferred || e.Certainty != Proven || !e.MayBlock() {
			continue
		}
		at := e.At
		if !at.IsValid() {
			at = e.Pos
		}
		if !at.IsValid() || !in(at) || m.inNestedLit(g.Body, at) {
			continue
		}
		if first == nil || at < firstAt {
			first, firstAt = e, at
		}
	}
	if first != nil {
		what := blockNouns[first.Kind]
		if !first.At.IsValid() {
			return "it " + what + " at " + m.where(first.Pos), ""
		}
		callee := "`" + first.Via + "`"
		if first.Via == "func literal" {
			callee = "the function literal"
		}
		where := m.where(first.Pos)
		if first.In != "" && first.In != "`"+first.Via+"`" {
			where = "in " + first.In + ", " + where
		}
		return callee + ", called at line " + itoa(m.Line(first.At)) + ", " + what + " (" + where + ")", ""
	}
	for _, oc := range s.Opaque {
		if oc.Deferred || !in(oc.Pos) || m.inNestedLit(g.Body, oc.Pos) {
			continue
		}
		return "", "`" + oc.Callee + "` (line " + itoa(m.Line(oc.Pos)) + ")"
	}
	return "", ""
}

// inNestedLit reports whether p is inside a function literal (or a go or
// defer statement's call) nested in fn's body: code that does not run
// where it is written.
func (m *File) inNestedLit(fn *Func, p token.Pos) bool {
	nested := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if nested || n == nil || p < n.Pos() || p >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			nested = true
			return false
		}
		return true
	})
	return nested
}

// blockNouns says what an operation that can block waits on, for
// BlocksBefore's text.
var blockNouns = map[EffectKind]string{
	EffSend:     "sends on a channel",
	EffRecv:     "receives from a channel",
	EffRange:    "ranges over a channel",
	EffCtxDone:  "waits for a context's cancellation",
	EffLock:     "locks a mutex",
	EffRLock:    "read-locks a mutex",
	EffWait:     "waits on a WaitGroup",
	EffCondWait: "waits on a sync.Cond",
}
