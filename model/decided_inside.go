package model

import (
	"go/ast"
	"go/types"
)

// Whether a function decides a condition itself: the condition calls a
// function (not a conversion, not a builtin) or reads a variable declared
// in the function's body, so its value is computed where it is tested and
// no caller or starter can have ruled it out beforehand. The nopartner
// check reads it for the early return of a goroutine that should send or
// close: `data, err := load(path); if err != nil { return }` is the
// goroutine's own, `if n == 0 { return }` on a captured n is not.

type decidedKey struct {
	cond ast.Expr
	body *ast.BlockStmt
}

// DecidedInside says whether cond, a condition of the function whose body
// is body, is decided inside that function, and why ("it calls `load`",
// "it reads `err`, declared in the function"). Function literals in the
// condition are not looked into. Proven either way (it reads the syntax
// and the types); Unknown without type information. Computed once per
// condition.
func (p *Package) DecidedInside(cond ast.Expr, body *ast.BlockStmt) Fact {
	if p == nil || p.Info == nil || cond == nil || body == nil {
		return Fact{}
	}
	return memo(&p.ifFacts.mu, &p.ifFacts.decided, decidedKey{cond, body}, func() Fact { return p.decidedInside(cond, body) })
}

func (p *Package) decidedInside(cond ast.Expr, body *ast.BlockStmt) Fact {
	why := ""
	ast.Inspect(cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if tv, ok := p.Info.Types[n.Fun]; ok && !tv.IsType() && !tv.IsBuiltin() {
				why = "it calls `" + ExprText(n.Fun) + "`"
				if _, lit := ast.Unparen(n.Fun).(*ast.FuncLit); lit {
					why = "it calls a function literal"
				}
			}
		case *ast.Ident:
			if v, ok := p.Info.Uses[n].(*types.Var); ok && body.Pos() <= v.Pos() && v.Pos() < body.End() {
				why = "it reads `" + n.Name + "`, declared in the function"
			}
		}
		return why == ""
	})
	if why == "" {
		return Fact{Certainty: Proven, Why: "it calls no function and reads no variable the function declares"}
	}
	return Fact{Certainty: Proven, Holds: true, Why: why}
}
