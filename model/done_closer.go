package model

import (
	"go/ast"
	"go/token"
)

// The facts below describe a select that gives up on a done channel
// closed by a sibling goroutine (the timeoutleak check's error-path rule,
// checks/timeoutleak/errpath.go): which goroutine closes it and where,
// which work a sender skips when it sends, and the state the closer's
// early returns and the skipped work depend on (Provenance roots).

// DoneCloser finds the goroutine that closes the give-up case's channel
// before the select can run, and the index of its `close(done)` among its
// body's statements. It returns nil unless that close is the only one the
// select can see: done is a local channel made in f (fresh for the
// select's loop iteration), never sent on or set to nil, closed once by a
// plain close statement at the top level of a goroutine literal started
// in f, never passed or stored, and any other close of it is in a
// goroutine started after the select.
func (m *File) DoneCloser(f *Func, giveUp *SelectCase) (closer *Goroutine, at int) {
	if giveUp.Default || giveUp.Timeout != "" || giveUp.Op == nil || giveUp.Op.Kind != Recv {
		return nil, 0
	}
	d, sel := giveUp.Op.Chan, giveUp.Select
	if d == nil || d.IsParam || d.IsField || !d.Local || len(d.NilSets) > 0 || len(d.Makes) == 0 {
		return nil, 0
	}
	first := d.Makes[0]
	if first.Pos < f.Body.Pos() || first.Pos > sel.Pos || sel.InLoop && (!m.SameLoop(sel.Pos, first.Pos) || !m.SameLoop(sel.Pos, d.Decl)) {
		return nil, 0 // not a fresh channel for each run of the select
	}
	for _, u := range d.Refs() {
		if u.Ident.Pos() < f.Body.Pos() || u.Ident.Pos() >= f.Body.End() {
			continue // declared in an enclosing function: only f's mentions count
		}
		switch u.Kind {
		case RefRecv, RefClose, RefDef, RefLen:
		default:
			return nil, 0 // passed or stored: something else may close it
		}
	}
	for _, mk := range d.Makes[1:] {
		if mk.Pos < sel.End {
			return nil, 0
		}
	}
	for _, p := range d.Assigned {
		if p < sel.End {
			return nil, 0
		}
	}
	var closeOp *ChanOp
	for _, op := range d.Ops {
		switch op.Kind {
		case Recv:
			continue
		case Close:
			if op.InGo != nil && op.InGo.Pos > sel.End {
				continue // closes a later value of done
			}
			if closeOp != nil || op.InGo == nil || op.InGo.Func != f || op.InGo.Body == nil || op.Func != op.InGo.Body ||
				op.InLoop || op.Deferred || op.InGo.InLoop && !m.SameLoop(op.InGo.Pos, first.Pos) {
				return nil, 0
			}
			closeOp = op
		default:
			return nil, 0
		}
	}
	if closeOp == nil {
		return nil, 0
	}
	for i, st := range closeOp.InGo.Body.Body.List {
		if es, ok := st.(*ast.ExprStmt); ok && es.X == closeOp.Node {
			return closeOp.InGo, i
		}
	}
	return nil, 0
}

// SkippedBySends returns the statements a goroutine body skips when it
// sends: every send on c sits in one top-level statement whose sending
// paths all return, and the statements after it are the work skipped.
// It returns nil for any other shape.
func (m *File) SkippedBySends(c *Chan, stmts []ast.Stmt) []ast.Stmt {
	at := -1
	for i, st := range stmts {
		if c.SendsIn(st) {
			if at >= 0 {
				return nil
			}
			at = i
		}
	}
	if at < 0 {
		return nil
	}
	n, ok := m.StmtSends(c, stmts[at])
	if !ok || n.Returned <= 0 || n.Through > 0 {
		return nil
	}
	return stmts[at+1:]
}

// ReturnGuardRoots collects the roots (the model's Provenance.Roots) of the conditions under
// which the closer returns before its close: `if cond { …; return }` at
// the top level of its body, before the close.
func (m *File) ReturnGuardRoots(f *Func, before []ast.Stmt) map[token.Pos]bool {
	prov := m.Provenance(f)
	out := map[token.Pos]bool{}
	for _, st := range before {
		ifs, ok := st.(*ast.IfStmt)
		if !ok || ifs.Else != nil || len(ifs.Body.List) == 0 {
			continue
		}
		if _, ret := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); !ret {
			continue
		}
		if ifs.Init != nil {
			prov.Roots(ifs.Init, out)
		}
		prov.Roots(ifs.Cond, out)
	}
	return out
}

// OperandRoots collects the roots of the receivers and arguments of the
// calls in stmts: the state the skipped work acts on.
func (m *File) OperandRoots(f *Func, stmts []ast.Stmt) map[token.Pos]bool {
	prov := m.Provenance(f)
	out := map[token.Pos]bool{}
	for _, st := range stmts {
		ast.Inspect(st, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				prov.Roots(sel.X, out)
			}
			for _, a := range call.Args {
				prov.Roots(a, out)
			}
			return true
		})
	}
	return out
}
