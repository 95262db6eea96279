package lockfacts

import (
	"go/ast"
	"go/types"
)

// ParamCall is a call of a function-typed parameter with mutexes held.
type ParamCall struct {
	Call  *ast.CallExpr
	Param int
	Held  []Held
}

// recordParamCall notes a call of one of u's function-typed parameters.
func (w *walker) recordParamCall(c *ast.CallExpr, h []Held) bool {
	id, ok := ast.Unparen(c.Fun).(*ast.Ident)
	if !ok || w.u.Fn == nil {
		return false
	}
	v, ok := w.st.Pkg.Info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	sig := w.u.Fn.Type().(*types.Signature)
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == v {
			if len(h) > 0 {
				w.u.ParamCalls = append(w.u.ParamCalls, ParamCall{Call: c, Param: i, Held: h})
			}
			return true
		}
	}
	return false
}
