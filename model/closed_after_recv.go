package model

import (
	"go/ast"
	"go/token"
)

// Closed only after this receive. `first := <-errc` in main, then main's
// own `close(errc)` further down (r18j_ctx_first_error): the close cannot
// end the receive, since it runs only once the receive is past, so "errc
// is closed at line 36: once closed and drained, this receive returns the
// zero value at once" would describe a wait this receive never has. It
// takes a value.
//
// ClosedAfter proves that for a receive (not a select case) op on a
// channel variable c declared in op's own function:
//   - every close of c written anywhere is a plain (not deferred) close in
//     op's function itself, not in a function literal, written after op;
//   - no loop of op's function holds op, and the function has no goto: the
//     function's flow never comes back from such a close to op;
//   - c is made in that function's call (declared there, never assigned a
//     value from elsewhere, not a parameter), so another call of the
//     function, with its own c, cannot close this one;
//   - nothing else can close c: the summaries see no close through a
//     call, no escape and no return (Indirect), and c is named only as a
//     receive, a send's channel, close/len/cap's argument, a range's
//     channel, a comparison, an assignment's left side or a call's argument
//     (which Indirect follows) — never stored under another name.
//
// It returns those closes; nil when any of this is not proven.
func (m *File) ClosedAfter(op *ChanOp) []*ChanOp {
	if op == nil || op.Kind != Recv || op.Select != nil || op.Func == nil || op.Func.Body == nil || op.Chan == nil {
		return nil
	}
	c, f := op.Chan, op.Func
	if !c.Local || c.IsParam || c.IsField || len(c.Assigned) > 0 || !c.Decl.IsValid() || len(c.Makes) == 0 || op.ChanExpr != c.Name {
		return nil
	}
	if c.Decl < f.Body.Pos() || c.Decl >= f.Body.End() || hasGoto(f.Body) {
		return nil
	}
	// The declaration's own function is f, not a literal inside it.
	if path, _ := EnclosingPath(m.AST, c.Decl, c.Decl); funcOfPath(path) != f.Node {
		return nil
	}
	closes := c.Closes()
	if len(closes) == 0 {
		return nil
	}
	for _, cl := range closes {
		if cl.Func != f || cl.Deferred || cl.Pos < op.End {
			return nil
		}
	}
	path, _ := EnclosingPath(m.AST, op.Pos, op.End)
	for _, n := range path {
		if n == f.Node {
			break
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return nil
		}
	}
	for _, u := range c.Indirect() {
		switch u.Effect.Kind {
		case EffClose, EffEscape, EffReturn:
			return nil
		}
	}
	if !m.keyBuilder().namedOnlyAsChannel(c, f.Body) {
		return nil
	}
	return closes
}

// funcOfPath is the function declaration or literal nearest the start
// of an enclosing path; nil when there is none.
func funcOfPath(path []ast.Node) ast.Node {
	for _, n := range path {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return n
		}
	}
	return nil
}

// namedOnlyAsChannel reports whether every use in body of a name that is
// (or may be) c is one ClosedAfter allows (see there): no alias, no
// address taken, no store into a struct, slice or map, no return, no send
// of c itself as a value.
func (b *builder) namedOnlyAsChannel(c *Chan, body *ast.BlockStmt) bool {
	ok := true
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		if !ok {
			return false
		}
		id, isID := n.(*ast.Ident)
		if !isID || id.Name != c.Name || len(stack) == 0 {
			return true
		}
		if k, known := b.keyOf(id); known && k != c.Key {
			return true // another variable of the same name
		}
		ok = b.channelUse(id, stack[len(stack)-1])
		return true
	})
	return ok
}

// channelUse reports whether the identifier id, a child of parent, is used
// as namedOnlyAsChannel allows.
func (b *builder) channelUse(id *ast.Ident, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.UnaryExpr:
		return p.Op == token.ARROW && p.X == id
	case *ast.SendStmt:
		return p.Chan == id
	case *ast.RangeStmt:
		return p.X == id
	case *ast.BinaryExpr:
		return p.Op == token.EQL || p.Op == token.NEQ
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == id {
				return true
			}
		}
	case *ast.ValueSpec:
		for _, n := range p.Names {
			if n == id {
				return true
			}
		}
	case *ast.CallExpr:
		// An argument: close, len and cap read it; any other call is one
		// the summaries follow (Indirect).
		if p.Fun == id {
			return false
		}
		for _, a := range p.Args {
			if a == id {
				return true
			}
		}
	}
	return false
}
