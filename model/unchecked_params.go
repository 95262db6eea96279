package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// Which parameters of a started function carry a value its starter's
// caller chose, unchecked: the go statement passes, for the parameter, a
// parameter of the starting function (a declaration), as a plain
// identifier, and the starting function tests it nowhere before the go
// statement (TestedBefore). An early return of the goroutine on such a
// parameter (`go r.exec(cmd)` while exec returns when cmd == "") is then
// the caller's to decide: the starter cannot have ruled it out. The
// nopartner check reads it.

type goFuncKey struct {
	g  *ast.GoStmt
	fn ast.Node
}

// UncheckedParams maps each parameter of fn, the function g starts (a
// *ast.FuncLit or *ast.FuncDecl), for which g passes a parameter of the
// function declaration holding g (FuncAt) to a fact: it holds when that
// function tests its parameter nowhere before g; why says which parameter,
// or what tests it. Parameters g passes anything else for are absent, and
// so is every parameter when g's arguments do not line up with fn's
// parameters (a variadic one) or g is not in a function declaration.
// Computed once per go statement.
func (p *Package) UncheckedParams(g *ast.GoStmt, fn ast.Node) map[types.Object]Fact {
	if p == nil || p.Info == nil || g == nil || fn == nil {
		return nil
	}
	return memo(&p.ifFacts.mu, &p.ifFacts.unchecked, goFuncKey{g, fn}, func() map[types.Object]Fact { return p.uncheckedParams(g, fn) })
}

func (p *Package) uncheckedParams(g *ast.GoStmt, fn ast.Node) map[types.Object]Fact {
	info := p.Info
	var params *ast.FieldList
	switch f := fn.(type) {
	case *ast.FuncLit:
		params = f.Type.Params
	case *ast.FuncDecl:
		params = f.Type.Params
	}
	if params == nil {
		return nil
	}
	// The go statement's argument for each of fn's parameters.
	arg := map[types.Object]ast.Expr{}
	i := 0
	for _, f := range params.List {
		if _, variadic := f.Type.(*ast.Ellipsis); variadic {
			break
		}
		for _, n := range f.Names {
			if i < len(g.Call.Args) {
				if obj := info.Defs[n]; obj != nil {
					arg[obj] = g.Call.Args[i]
				}
			}
			i++
		}
		if len(f.Names) == 0 {
			i++
		}
	}
	if i != len(g.Call.Args) {
		return nil
	}
	starter, ok := p.funcNodeAt(g.Pos()).(*ast.FuncDecl)
	if !ok || starter.Body == nil {
		return nil
	}
	var starterParams []types.Object
	for _, f := range starter.Type.Params.List {
		for _, n := range f.Names {
			starterParams = append(starterParams, info.Defs[n])
		}
	}
	out := map[types.Object]Fact{}
	for param, a := range arg {
		id, ok := ast.Unparen(a).(*ast.Ident)
		if !ok {
			continue
		}
		sp := info.Uses[id]
		if sp == nil || !slices.Contains(starterParams, sp) {
			continue
		}
		if tested := TestedBefore(info, starter.Body, sp, g.Pos()); tested.ProvenTrue() {
			out[param] = Fact{Certainty: Proven, Why: tested.Why}
		} else {
			out[param] = Fact{Certainty: Proven, Holds: true, Why: "passed on from `" + starter.Name.Name + "`'s parameter `" + sp.Name() + "`, which it tests nowhere before the go statement"}
		}
	}
	return out
}

// funcNodeAt is the function declaration or literal whose body holds pos,
// in the model of the package file holding it (File.FuncAt); nil when no
// model of that file is known (SetFileModels).
func (p *Package) funcNodeAt(pos token.Pos) ast.Node {
	if m := p.fileModelAt(pos); m != nil {
		if fn := m.FuncAt(pos); fn != nil {
			return fn.Node
		}
	}
	return nil
}
