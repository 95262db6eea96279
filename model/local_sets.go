package model

import (
	"go/ast"
	"go/types"
)

// LocalValues lists, in the order of a walk of the files, the values the
// package assigns to the local variable v (a variable or parameter of a
// function, not a package-level one): the value of each v = x, v := x and
// var v = x in which the targets and values pair one to one. A value
// returned with others by one call (v, err := f()) is not listed, nor is
// a write through a pointer. Computed on first read for every local, in
// one walk of the package: the nopartner check follows a called local
// func variable to the functions it may hold.
func (p *Package) LocalValues(v *types.Var) []ast.Expr {
	p.localSetsOnce.Do(func() {
		p.localSets = map[*types.Var][]ast.Expr{}
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
					if len(n.Lhs) != len(n.Rhs) {
						return true
					}
					for i, l := range n.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							if obj := local(id); obj != nil {
								p.localSets[obj] = append(p.localSets[obj], n.Rhs[i])
							}
						}
					}
				case *ast.ValueSpec:
					if len(n.Values) != len(n.Names) {
						return true
					}
					for i, id := range n.Names {
						if obj, _ := p.Info.Defs[id].(*types.Var); obj != nil && local(id) == obj {
							p.localSets[obj] = append(p.localSets[obj], n.Values[i])
						}
					}
				}
				return true
			})
		}
	})
	return p.localSets[v]
}
