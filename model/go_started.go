package model

import (
	"go/ast"
	"go/types"
	"strconv"
	"sync"
)

// The functions the package's go statements run at the top level of the
// goroutine: the go statement's function (a literal, or a function of the
// package it names), and, for a literal, the functions its body calls as
// statements of their own (go func() { defer wg.Done(); s.loop() }() runs
// s.loop in the goroutine). The nopartner check's send-cycle rule asks
// whether a receiving loop's function is one.

// goStarted memoizes StartedByGo.
type goStarted struct {
	once sync.Once
	by   map[ast.Node]GoStart // fn (*ast.FuncDecl or *ast.FuncLit) → the go statement
}

// StartedByGo is whether a go statement of the package runs fn (a
// *ast.FuncDecl or *ast.FuncLit) at the top level of its goroutine (see
// above): Proven true, with the go statement's line; Proven false when
// none does and code outside the package cannot name fn; Unknown when it
// can (exported says which objects code outside the package can name), as
// another package may start it. Computed for every function on first read.
func (p *Package) StartedByGo(fn ast.Node, exported func(types.Object) bool) Fact {
	gb := &p.goStarted
	gb.once.Do(func() {
		gb.by = map[ast.Node]GoStart{}
		for _, g := range p.runs().goStmts {
			p.markStartedByGo(gb.by, g, g.Stmt.Call)
		}
	})
	if g, ok := gb.by[fn]; ok {
		return Fact{Certainty: Proven, Holds: true,
			Why: "the go statement at line " + strconv.Itoa(p.Fset.Position(g.Stmt.Pos()).Line) + " runs it"}
	}
	if fd, ok := fn.(*ast.FuncDecl); ok {
		if obj := p.Info.Defs[fd.Name]; obj != nil && exported(obj) {
			return Fact{Certainty: Unknown, Why: fd.Name.Name + " may be started by code outside the package"}
		}
	}
	return Fact{Certainty: Proven, Why: "no go statement of the package runs it"}
}

func (p *Package) markStartedByGo(by map[ast.Node]GoStart, g GoStart, call *ast.CallExpr) {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		by[lit] = g
		for _, s := range lit.Body.List {
			if es, ok := s.(*ast.ExprStmt); ok {
				if c, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
					p.markStartedByGo(by, g, c)
				}
			}
		}
		return
	}
	if fn := PackageCallee(p.Info, p.Types, call); fn != nil {
		if fd := p.FuncDecl(fn); fd != nil {
			by[fd] = g
		}
	}
}
