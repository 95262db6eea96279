package model

import (
	"go/ast"
	"go/types"
)

// LiteralParams pairs the keys of the composite literal lit with the
// parameters of fn, the function lit is written in: for each keyed element
// `f: x` whose value is, parentheses aside, a plain use of one of fn's
// parameters, the field f maps to that parameter. A constructor's
// `&node{peers: peers}` gives peers → peers: the field holds whatever the
// constructor's caller passed. Computed once per literal and function. The
// nopartner check reads it for a goroutine's early return on such a field.
func (p *Package) LiteralParams(lit *ast.CompositeLit, fn *ast.FuncDecl) map[*types.Var]*types.Var {
	if p == nil || p.Info == nil || lit == nil || fn == nil || fn.Type == nil || fn.Type.Params == nil {
		return nil
	}
	return memo(&p.ifFacts.mu, &p.ifFacts.litParams, litFuncKey{lit, fn}, func() map[*types.Var]*types.Var {
		params := map[types.Object]bool{}
		for _, f := range fn.Type.Params.List {
			for _, n := range f.Names {
				if obj := p.Info.Defs[n]; obj != nil {
					params[obj] = true
				}
			}
		}
		var out map[*types.Var]*types.Var
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, ok := kv.Key.(*ast.Ident)
			if !ok {
				continue
			}
			field, ok := p.Info.Uses[key].(*types.Var)
			if !ok || !field.IsField() {
				continue
			}
			arg, ok := ast.Unparen(kv.Value).(*ast.Ident)
			if !ok {
				continue
			}
			param, ok := p.Info.Uses[arg].(*types.Var)
			if !ok || !params[param] {
				continue
			}
			if out == nil {
				out = map[*types.Var]*types.Var{}
			}
			if _, dup := out[field]; !dup {
				out[field] = param
			}
		}
		return out
	})
}

type litFuncKey struct {
	lit *ast.CompositeLit
	fn  *ast.FuncDecl
}
