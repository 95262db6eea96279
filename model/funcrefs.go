package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// FuncRefs records how a function of the package is referred to across the
// package's files: recover's check reads it to tell a helper that is only
// ever called directly (recover there returns nil) from one that may be
// deferred.
type FuncRefs struct {
	Calls    []token.Pos // plain calls f(...), in file order
	Deferred bool        // defer f(...)
	Value    bool        // any other use: may be deferred through a variable
	// FromDeferred is set when a plain call is made by a deferred function
	// literal: the helper then runs during the panic, one level too deep
	// for recover.
	FromDeferred bool
	// Refs holds every identifier that names the function (calls, method
	// calls, values), by position: RefersIn reads it.
	Refs []token.Pos
}

// FuncRefs indexes the references to the package's own functions,
// computed on first read.
func (p *Package) FuncRefs() map[*types.Func]*FuncRefs {
	p.funcRefsOnce.Do(func() {
		p.funcRefs = map[*types.Func]*FuncRefs{}
		var stack []ast.Node
		for _, file := range p.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				stack = append(stack, n)
				if id, ok := n.(*ast.Ident); ok {
					p.noteFuncRef(id, stack)
				}
				return true
			})
		}
		for _, u := range p.funcRefs {
			slices.Sort(u.Refs) // files need not be in position order
		}
	})
	return p.funcRefs
}

// RefersIn reports whether an identifier inside n (a function body with
// its literals, say) names fn, one of the package's functions: a call, a
// method call, a method value. The nopartner check asks it before it
// treats two methods as independent goroutine bodies.
func (p *Package) RefersIn(fn *types.Func, n ast.Node) bool {
	u := p.FuncRefs()[fn]
	if u == nil || n == nil {
		return false
	}
	i, _ := slices.BinarySearch(u.Refs, n.Pos())
	return i < len(u.Refs) && u.Refs[i] < n.End()
}

// noteFuncRef records the use id (stack ends with it) if it names one of
// the package's functions.
func (p *Package) noteFuncRef(id *ast.Ident, stack []ast.Node) {
	fn, ok := p.Info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() != p.Types {
		return
	}
	u := p.funcRefs[fn]
	if u == nil {
		u = &FuncRefs{}
		p.funcRefs[fn] = u
	}
	u.Refs = append(u.Refs, id.Pos())
	// The parent must be the call whose Fun is id.
	var call *ast.CallExpr
	if len(stack) >= 2 {
		call, _ = stack[len(stack)-2].(*ast.CallExpr)
	}
	if call == nil || ast.Unparen(call.Fun) != id {
		u.Value = true
		return
	}
	if len(stack) >= 3 {
		if s, ok := stack[len(stack)-3].(*ast.DeferStmt); ok && s.Call == call {
			u.Deferred = true
			return
		}
	}
	u.Calls = append(u.Calls, call.Pos())
	for i := len(stack) - 2; i >= 1; i-- {
		if lit, ok := stack[i].(*ast.FuncLit); ok {
			if c, ok := stack[i-1].(*ast.CallExpr); ok && c.Fun == lit && i >= 2 {
				if _, ok := stack[i-2].(*ast.DeferStmt); ok {
					u.FromDeferred = true
				}
			}
			break
		}
	}
}
