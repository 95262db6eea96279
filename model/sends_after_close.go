package model

import (
	"go/ast"
	"strings"
)

// OtherCloses lists the closes of cl's channel, other than cl, that can
// both run with it and so close it twice: in cl's function, those the
// flow (ReachAfter, either way) puts on one path with cl, so not one in
// the other branch of an if; in another function, all of them (when that
// runs relative to cl is not known here). A close whose statement the
// flow does not place (`go close(ch)`) is kept. The close hover reads it.
func (m *File) OtherCloses(cl *ChanOp) []*ChanOp {
	if cl == nil || cl.Chan == nil {
		return nil
	}
	var out []*ChanOp
	for _, c := range cl.Chan.Closes() {
		if c == cl || m.CloseOfOtherValue(cl, c) {
			continue // the same field of another value: another channel
		}
		if o := m.onceGuard(c); o != "" && o == m.onceGuard(cl) {
			continue // both in functions run by Do of one sync.Once: at most one runs (r21c_group)
		}
		if c.Func == cl.Func {
			a, b := closeStmt(c), closeStmt(cl)
			if a != nil && b != nil && m.ReachAfter(b, c.Pos) == ReachNever && m.ReachAfter(a, cl.Pos) == ReachNever {
				continue // never on one path
			}
		}
		out = append(out, c)
	}
	return out
}

// closeStmt is the node the flow knows a close by: the defer statement of
// `defer close(ch)`, the call of a close statement; nil otherwise.
func closeStmt(op *ChanOp) ast.Node {
	if op.Deferred && op.Func != nil {
		for _, d := range op.Func.Defers {
			if d.Node != nil && d.Node.Call == op.Node {
				return d.Node
			}
		}
		return nil
	}
	call, _ := op.Node.(*ast.CallExpr)
	if call == nil {
		return nil
	}
	return call
}

// onceGuard is the sync.Once, as written ("g.once"), whose Do runs the
// function literal op is written in (`g.once.Do(func() { close(g.done)
// })`); "" otherwise. On the syntax tier the name must be declared in the
// file with type sync.Once.
func (m *File) onceGuard(op *ChanOp) string {
	fn := op.Func
	if fn == nil || !fn.Lit || fn.Parent == nil || fn.Parent.Body == nil {
		return ""
	}
	var recv ast.Expr
	ast.Inspect(fn.Parent.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || recv != nil {
			return recv == nil
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if ok && sel.Sel.Name == "Do" && len(call.Args) == 1 && ast.Unparen(call.Args[0]) == fn.Node {
			recv = sel.X
		}
		return true
	})
	if recv == nil || !m.isOnce(recv) {
		return ""
	}
	return m.Text(recv.Pos(), recv.End())
}

// isOnce reports whether x is a sync.Once: by its type on the typed tier,
// by a declaration of its name with that type in the file otherwise.
func (m *File) isOnce(x ast.Expr) bool {
	if m.Info != nil {
		t := m.Info.TypeOf(x)
		return t != nil && strings.TrimPrefix(t.String(), "*") == "sync.Once"
	}
	var name string
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		name = x.Name
	case *ast.SelectorExpr:
		name = x.Sel.Name
	default:
		return false
	}
	found := false
	ast.Inspect(m.AST, func(n ast.Node) bool {
		var names []*ast.Ident
		var typ ast.Expr
		switch n := n.(type) {
		case *ast.Field:
			names, typ = n.Names, n.Type
		case *ast.ValueSpec:
			names, typ = n.Names, n.Type
		default:
			return !found
		}
		if typ == nil || strings.TrimPrefix(m.Text(typ.Pos(), typ.End()), "*") != "sync.Once" {
			return !found
		}
		for _, id := range names {
			found = found || id.Name == name
		}
		return !found
	})
	return found
}
