package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
)

// LocalWrite is one assignment to a local variable (a variable or
// parameter of a function, not a package-level one): a target of an
// assignment statement (=, :=, op=) or a name of a var declaration. A
// write through a pointer, an increment and a range clause are not
// listed.
type LocalWrite struct {
	// Stmt is the *ast.AssignStmt or the *ast.ValueSpec.
	Stmt ast.Node
	// Defines: the statement declares the variable (:=, var), rather
	// than assigning one declared before.
	Defines bool
	// Value is the value written, when the statement pairs its targets
	// and values one to one; nil when one call returns them all (v, err
	// := f()) or a var declaration has no value.
	Value ast.Expr
}

// LocalWrites lists, in the order of a walk of the files, the writes of
// the package to the local variable v. Computed on first read for every
// local, in one walk of the package.
func (p *Package) LocalWrites(v *types.Var) []LocalWrite {
	p.localSetsOnce.Do(p.collectLocalWrites)
	return p.localSets[v]
}

// LocalValues lists, in the order of a walk of the files, the values the
// package assigns to the local variable v (a variable or parameter of a
// function, not a package-level one): the value of each v = x, v := x and
// var v = x in which the targets and values pair one to one (LocalWrites
// with a Value). The nopartner check follows a called local func variable
// to the functions it may hold (CallTargets).
func (p *Package) LocalValues(v *types.Var) []ast.Expr {
	var out []ast.Expr
	for _, w := range p.LocalWrites(v) {
		if w.Value != nil {
			out = append(out, w.Value)
		}
	}
	return out
}

func (p *Package) collectLocalWrites() {
	p.localSets = map[*types.Var][]LocalWrite{}
	local := func(id *ast.Ident) *types.Var {
		obj, _ := p.Info.Defs[id].(*types.Var)
		if obj == nil {
			obj, _ = p.Info.Uses[id].(*types.Var)
		}
		if obj == nil || obj.IsField() || obj.Parent() == nil || obj.Parent() == p.Types.Scope() {
			return nil
		}
		return obj
	}
	for _, file := range p.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					id, ok := l.(*ast.Ident)
					if !ok {
						continue
					}
					if obj := local(id); obj != nil {
						w := LocalWrite{Stmt: n, Defines: p.Info.Defs[id] == obj}
						if len(n.Lhs) == len(n.Rhs) {
							w.Value = n.Rhs[i]
						}
						p.localSets[obj] = append(p.localSets[obj], w)
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if obj, _ := p.Info.Defs[id].(*types.Var); obj != nil && local(id) == obj {
						w := LocalWrite{Stmt: n, Defines: true}
						if len(n.Values) == len(n.Names) {
							w.Value = n.Values[i]
						}
						p.localSets[obj] = append(p.localSets[obj], w)
					}
				}
			}
			return true
		})
	}
}

// DeclaredLiteral is the composite literal the local variable v holds
// just before pos: v is declared by v := &T{...} (or v := T{...}) and no
// assignment statement before pos assigns it again. Proven, with the
// literal, when so; Unknown, with nil, otherwise. Positions order the
// statements: a write in a loop after pos is not seen (the reader asks
// about a go statement straight after the declaration).
func (p *Package) DeclaredLiteral(v *types.Var, pos token.Pos) (*ast.CompositeLit, Fact) {
	var lit *ast.CompositeLit
	for _, w := range p.LocalWrites(v) {
		as, ok := w.Stmt.(*ast.AssignStmt)
		if !ok || as.Pos() >= pos {
			continue
		}
		if !w.Defines {
			return nil, Fact{Certainty: Unknown, Why: v.Name() + " is assigned again at line " + p.lineOf(as.Pos())}
		}
		if w.Value == nil {
			continue
		}
		x := ast.Unparen(w.Value)
		if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
			x = ast.Unparen(u.X)
		}
		lit, _ = x.(*ast.CompositeLit)
	}
	if lit == nil {
		return nil, Fact{Certainty: Unknown, Why: v.Name() + " is not declared by a composite literal"}
	}
	return lit, Fact{Certainty: Proven, Holds: true,
		Why: v.Name() + " is declared by the composite literal at line " + p.lineOf(lit.Pos()) + " and not assigned again"}
}

func (p *Package) lineOf(pos token.Pos) string {
	return strconv.Itoa(p.Fset.Position(pos).Line)
}
