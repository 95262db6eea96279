package model

import (
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// A close that runs only once a range over another channel has ended —
// `defer close(out)` in a stage whose body is `for s := range in { ... }`
// — closes its channel only if that range ends, which needs in's close.
// "Closed at line 11" said of it where golens cannot tell whether in is
// ever closed would promise a close the program may never make
// (r21l_range_unclosed_stage: main never closes in).

// AfterOpenRange is, for a close op, the range it waits behind, when the
// model cannot tell whether that range ends; nil otherwise. The close
// waits behind a range over a channel (not its own) that is a statement
// of its function's top-level list, with no break, return or goto out of
// the loop (LoopExit), when the close is deferred by that function (the
// range after the defer) or is a statement of the same list after the
// range. A range the model proves ends, or never ends (other facts say
// that), is not returned.
func (m *File) AfterOpenRange(op *ChanOp) *ChanOp {
	if r := m.behindRange(op); r != nil && m.RangeEnds(r).Certainty == Unknown {
		return r
	}
	return m.behindUnknownRange(op)
}

// behindUnknownRange is, on the syntax tier, a range AfterOpenRange would
// name whose operand golens does not know to be a channel: a local set
// by `x := pkg.F(...)` from a call of a function this file does not
// declare (another package's stage: r22g_stage_noclose). Whether that
// range ends is not known, so neither is the close after it. A range
// over a slice would end, and the texts only say the close waits for it. The result
// has no Chan; nil when there is none.
func (m *File) behindUnknownRange(op *ChanOp) *ChanOp {
	if m.Info != nil || op == nil || op.Kind != Close || op.Deferred || op.Func == nil || op.Func.Body == nil {
		return nil
	}
	fn := op.Func
	list := fn.Body.List
	i := slices.IndexFunc(list, func(st ast.Stmt) bool { return st.Pos() <= op.Pos && op.Pos < st.End() })
	if i < 0 {
		return nil
	}
	for _, st := range list[:i] {
		rs, ok := st.(*ast.RangeStmt)
		if !ok {
			continue
		}
		id, ok := ast.Unparen(rs.X).(*ast.Ident)
		if !ok || slices.ContainsFunc(m.ChanOps, func(o *ChanOp) bool { return o.Node == ast.Node(rs) }) {
			continue
		}
		if _, exits := m.LoopExit(rs); exits || !m.setFromOtherCall(id.Name, m.FuncAt(fn.Body.Lbrace+1)) {
			continue
		}
		return &ChanOp{Kind: Range, Pos: rs.For, End: rs.End(), Node: rs, ChanExpr: id.Name, Func: fn, InGo: op.InGo}
	}
	return nil
}

// setFromOtherCall reports whether the function enclosing fn (or fn)
// declares name by `name := pkg.F(...)`, a call into an imported package,
// and nothing else declares or assigns name there.
func (m *File) setFromOtherCall(name string, fn *Func) bool {
	for fn != nil && fn.Lit && fn.Parent != nil {
		fn = fn.Parent
	}
	if fn == nil || fn.Body == nil {
		return false
	}
	found, other := false, false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == name {
				if as.Tok != token.DEFINE || len(as.Rhs) != 1 || found {
					other = true
					continue
				}
				call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
				if !ok {
					other = true
					continue
				}
				var pkg *ast.Ident
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					pkg, _ = sel.X.(*ast.Ident)
				}
				if pkg == nil || !m.importsName(pkg.Name) {
					other = true
					continue
				}
				found = true
			}
		}
		return true
	})
	return found && !other
}

// importsName reports whether the file imports a package under name.
func (m *File) importsName(name string) bool {
	for _, im := range m.AST.Imports {
		path := strings.Trim(im.Path.Value, `"`)
		local := path[strings.LastIndex(path, "/")+1:]
		if im.Name != nil {
			local = im.Name.Name
		}
		if local == name {
			return true
		}
	}
	return false
}

// behindRange is the range AfterOpenRange names, whatever the model knows
// of its end: syntax and the loop's exits only, no channel facts, so that
// the summaries may ask it while they are made.
func (m *File) behindRange(op *ChanOp) *ChanOp {
	if op == nil || op.Kind != Close || op.Func == nil {
		return nil
	}
	fn, deferred := op.Func, op.Deferred
	if !deferred && fn.Lit && fn.Deferred && fn.Parent != nil {
		fn, deferred = fn.Parent, true // defer func() { close(out) }()
	}
	if fn.Body == nil {
		return nil
	}
	top := slices.ContainsFunc(fn.Body.List, func(st ast.Stmt) bool { return st.Pos() <= op.Pos && op.Pos < st.End() })
	if !top && !deferred {
		return nil
	}
	for _, r := range m.ChanOps {
		if r.Kind != Range || r.Func != fn || r.Chan == op.Chan || deferred && r.Pos < op.Pos || !deferred && r.Pos > op.Pos {
			continue
		}
		rs, ok := r.Node.(*ast.RangeStmt)
		if !ok || !slices.Contains(fn.Body.List, ast.Stmt(rs)) {
			continue
		}
		if _, exits := m.LoopExit(rs); exits {
			continue
		}
		return r
	}
	return nil
}
