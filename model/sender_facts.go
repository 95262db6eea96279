package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Facts about who sends on a channel and how often, for the timeoutleak
// check's "more sends than receives" rules: whether the channel is used
// only by its sends and receives, how many sends every run of a goroutine
// makes, which goroutine sends in a loop, and whether two loops range over
// the same unchanged value. They were written inside the check, with the
// ranged value matched by name.

// OnlySendsRecvs reports whether every mention of c is a send on it or a
// receive from it, its one declaration aside (ChanRef kinds): it is not
// closed, ranged over, passed, stored, measured with len or cap, or
// redeclared, so the sends and receives the model lists are all there is.
func (c *Chan) OnlySendsRecvs() bool {
	for _, u := range c.Refs() {
		switch u.Kind {
		case RefSend, RefRecv:
		case RefDef:
			if u.Ident.Pos() != c.Decl {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// CertainSends counts the sends on c that every run of the goroutine g
// makes before it can end in any way, a call that may exit included
// (OpCertain): those in its own body (a literal's), outside loops.
func (m *File) CertainSends(c *Chan, g *Goroutine) int {
	if g == nil || g.Body == nil {
		return 0
	}
	n := 0
	for _, op := range c.Sends() {
		if op.Func == g.Body && !op.InLoop && m.OpCertain(op) {
			n++
		}
	}
	return n
}

// LoopSend finds a send on c, in a loop and not in a select, made by a
// goroutine that f starts: in the goroutine's literal, or in a function of
// this file it calls with c, as the summaries prove (an EffSend that is
// Proven: a send in a loop that may run zero times is only Possible, and
// then the goroutine may send nothing). The send is one of the model's
// ChanOps; nil when there is none.
func (m *File) LoopSend(c *Chan, f *Func) (*ChanOp, *Goroutine) {
	for _, op := range c.Ops {
		if op.Kind == Send && op.InGo != nil && op.InGo.Func == f && op.Select == nil && op.InLoop {
			return op, op.InGo
		}
	}
	for _, u := range c.Indirect() {
		e := u.Effect
		if e.Kind != EffSend || e.Certainty != Proven {
			continue
		}
		var g *Goroutine
		for _, gr := range m.Goroutines {
			if gr.Func == f && e.At >= gr.Pos && e.At < gr.End {
				g = gr
			}
		}
		if g == nil {
			continue
		}
		for _, op := range m.ChanOps {
			if op.Pos == e.Pos && op.Kind == Send && op.Select == nil && op.InLoop {
				return op, g
			}
		}
	}
	return nil, nil
}

// SameRangeValue reports whether the range statements a and b of f range
// over the same variable (the model's key for it: the same variable, not
// one of the same name), which nothing in f assigns, increments or takes
// the address of, and which is not a channel or an iterator function (on
// the typed tier): both loops make the same number of passes, whatever it
// is.
func (m *File) SameRangeValue(f *Func, a, b ast.Stmt) bool {
	ra, ok1 := a.(*ast.RangeStmt)
	rb, ok2 := b.(*ast.RangeStmt)
	if f == nil || f.Body == nil || !ok1 || !ok2 {
		return false
	}
	xa, ok1 := ast.Unparen(ra.X).(*ast.Ident)
	xb, ok2 := ast.Unparen(rb.X).(*ast.Ident)
	if !ok1 || !ok2 {
		return false
	}
	ka, ok1 := m.KeyOf(xa)
	kb, ok2 := m.KeyOf(xb)
	if !ok1 || !ok2 || !ka.Valid() || ka != kb {
		return false
	}
	if m.Info != nil {
		obj := m.Info.Uses[xa]
		if obj == nil {
			return false
		}
		switch obj.Type().Underlying().(type) {
		case *types.Chan:
			return false
		case *types.Signature:
			return false // a range-over-func iterator may yield differently each time
		}
	}
	written := func(e ast.Expr) bool {
		root := rootIdent(e)
		if root == nil {
			return false
		}
		k, ok := m.KeyOf(root)
		return ok && k == ka
	}
	changed := false
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if written(l) {
					changed = true
				}
			}
		case *ast.IncDecStmt:
			changed = changed || written(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND && written(n.X) {
				changed = true // its address is taken
			}
		}
		return !changed
	})
	return !changed
}
