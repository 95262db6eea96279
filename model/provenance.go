package model

import (
	"go/ast"
	"go/token"
)

// Where a local variable's value comes from: the variables a value is
// computed from, followed back through the statements that assign them.
// The timeoutleak check asks it whether the work a goroutine skips acts on
// the state that decides whether another goroutine closes a channel (both
// ends of one io.Pipe, say).

// Provenance is the assignments of one function's local variables.
type Provenance struct {
	m    *File
	f    *Func
	defs map[token.Pos][]*definition
}

// definition is one statement that gives variables their values: the
// variables on its left and the expressions on its right.
type definition struct {
	lhs []token.Pos
	rhs []ast.Expr
}

// Provenance collects the assignments (=, :=, var) of f's body, function
// literals included, by the declaring position of each variable assigned.
// Computed on each call: one walk of the function.
func (m *File) Provenance(f *Func) *Provenance {
	p := &Provenance{m: m, f: f, defs: map[token.Pos][]*definition{}}
	if f == nil || f.Body == nil {
		return p
	}
	add := func(lhs []*ast.Ident, rhs []ast.Expr) {
		d := &definition{rhs: rhs}
		for _, id := range lhs {
			if at := m.DeclPos(id); at != token.NoPos {
				d.lhs = append(d.lhs, at)
				p.defs[at] = append(p.defs[at], d)
			}
		}
	}
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			var ids []*ast.Ident
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok {
					ids = append(ids, id)
				}
			}
			add(ids, n.Rhs)
		case *ast.ValueSpec:
			add(n.Names, n.Values)
		}
		return true
	})
	return p
}

// Roots adds to out (by declaring position) every local variable of the
// function that e's value is computed from, following assignments back: a
// variable e mentions, the variables on the right of the statements that
// assign it, and the other variables such a statement assigns (the two
// ends of `r, w := io.Pipe()`). Variables declared outside the function's
// body are not followed; the selected name of x.f is not a variable, and
// function literals inside e are not entered.
func (p *Provenance) Roots(e ast.Node, out map[token.Pos]bool) {
	f := p.f
	if f == nil || f.Body == nil {
		return
	}
	var visit func(at token.Pos)
	visit = func(at token.Pos) {
		if at < f.Body.Pos() || at >= f.Body.End() || out[at] {
			return
		}
		out[at] = true
		for _, d := range p.defs[at] {
			for _, q := range d.lhs {
				visit(q)
			}
			for _, r := range d.rhs {
				p.exprVars(r, visit)
			}
		}
	}
	p.exprVars(e, visit)
}

// exprVars calls visit with the declaring position of each variable e
// mentions (not the selected names of x.f, not inside function literals).
func (p *Provenance) exprVars(e ast.Node, visit func(token.Pos)) {
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectorExpr:
			p.exprVars(n.X, visit)
			return false
		case *ast.Ident:
			if at := p.m.DeclPos(n); at != token.NoPos {
				visit(at)
			}
		}
		return true
	})
}
