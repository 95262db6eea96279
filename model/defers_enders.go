package model

import (
	"go/ast"
	"sort"
)

// A deferred call can end the program itself:
//
//	defer fmt.Println("cleanup")    // never runs
//	code := 0
//	defer func() { os.Exit(code) }() // runs first at return, and exits
//
// Deferred calls run last-registered first, so the calls registered before
// such a defer run after it, which is never: os.Exit and log.Fatal end the
// program without running the rest (https://pkg.go.dev/os#Exit).
// DeferOrder.EndedBy says so for each defer.

// deferEnders lists the defers of one function whose call ends the
// program on every path: a deferred os.Exit or log.Fatal (or a helper of
// this file that always exits), or a deferred function literal whose body
// ends with such a call and holds no return (a panic before it would
// unwind instead: the other defers then run, which golens does not claim
// either way). nil when there is none.
func (fb *flowBuilder) deferEnders(defers []*Defer) map[*Defer]*ast.CallExpr {
	var out map[*Defer]*ast.CallExpr
	for _, d := range defers {
		if d.Node == nil || d.Node.Call == nil {
			continue
		}
		_, isLit := ast.Unparen(d.Node.Call.Fun).(*ast.FuncLit)
		if !isLit && fb.endsProgram(d.Node.Call) { // a literal: named by its exit call, below
			if out == nil {
				out = map[*Defer]*ast.CallExpr{}
			}
			out[d] = d.Node.Call
			continue
		}
		lit, ok := ast.Unparen(d.Node.Call.Fun).(*ast.FuncLit)
		if !ok || lit.Body == nil || len(lit.Body.List) == 0 {
			continue
		}
		last, ok := lit.Body.List[len(lit.Body.List)-1].(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := ast.Unparen(last.X).(*ast.CallExpr)
		if !ok || !fb.endsProgram(call) || returnsIn(lit.Body) {
			continue
		}
		if out == nil {
			out = map[*Defer]*ast.CallExpr{}
		}
		out[d] = call
	}
	return out
}

// mayEnder is a deferred function literal that can end the program on
// some of its paths, with the first such call in it.
type mayEnder struct {
	d    *Defer
	call *ast.CallExpr
}

// deferMayEnders lists, in source order, the defers of one function whose
// literal calls os.Exit or log.Fatal (or a helper of this file that always
// exits) somewhere in its own body, outside nested literals, without being
// one of enders (those end it on every path): a defer registered before
// one of them runs only if that call does not happen. nil when there is
// none.
func (fb *flowBuilder) deferMayEnders(defers []*Defer, enders map[*Defer]*ast.CallExpr) []mayEnder {
	var out []mayEnder
	for _, d := range defers {
		if d.Node == nil || d.Node.Call == nil || enders[d] != nil {
			continue
		}
		lit, ok := ast.Unparen(d.Node.Call.Fun).(*ast.FuncLit)
		if !ok || lit.Body == nil {
			continue
		}
		var found *ast.CallExpr
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				if found == nil && fb.endsProgram(n) {
					found = n
				}
			}
			return found == nil
		})
		if found != nil {
			out = append(out, mayEnder{d, found})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].d.Pos < out[j].d.Pos })
	return out
}

// endsProgram reports a call that ends the process (ExitProcess).
func (fb *flowBuilder) endsProgram(call *ast.CallExpr) bool {
	k, ok := fb.exitCall(call)
	return ok && k == ExitProcess
}

// returnsIn reports whether body holds a return or a goto (outside
// function literals): a way to leave it before its last statement.
func returnsIn(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		case *ast.BranchStmt:
			found = found || n.Label != nil && n.Tok.String() == "goto"
		}
		return !found
	})
	return found
}

// firstEnder is the ending defer registered after d that golens names: the
// first of enders in source order after d, or else the first at all (a
// loop registers it again after d).
func firstEnder(defers []*Defer, d *Defer, enders map[*Defer]*ast.CallExpr) *Defer {
	var any *Defer
	for _, x := range defers {
		if enders[x] == nil || x == d {
			continue
		}
		if x.Pos > d.Pos {
			return x
		}
		if any == nil {
			any = x
		}
	}
	return any
}
