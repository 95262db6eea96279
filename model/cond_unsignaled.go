package model

import (
	"go/ast"
	"go/types"
)

// A Cond nothing signals. Wait "cannot return unless awoken by Broadcast
// or Signal" (https://pkg.go.dev/sync#Cond.Wait): a Cond that no code
// signals or broadcasts never wakes its waiters, so every Wait on it that
// runs blocks forever. Whether any code can signal it is decided only
// where all that code is in view: the Cond is a local variable, or an
// unexported variable or field of the package, and every mention of it in
// the package is a Wait, its L, or a store of a new Cond (sync.NewCond,
// &sync.Cond{...}); any other mention (passed on, returned, assigned to
// another variable, its address taken, a method value) lets code golens
// does not follow signal it.

// UnsignaledConds lists the package's Cond variables and fields (their
// generic origin) that nothing in the package can signal or broadcast.
// The caller must give the package with its test files (the test
// variant), or code in them could signal it.
func (p *Package) UnsignaledConds() map[types.Object]bool {
	p.unsignaledOnce.Do(func() { p.unsignaled = p.unsignaledConds() })
	return p.unsignaled
}

func (p *Package) unsignaledConds() map[types.Object]bool {
	if p.Info == nil {
		return nil
	}
	candidate := func(o types.Object) bool {
		v, ok := o.(*types.Var)
		if !ok || !isCondType(v.Type()) || v.Exported() || v.Embedded() {
			return false
		}
		if v.IsField() {
			return true
		}
		return v.Parent() != nil // a local or package variable
	}
	waited := map[types.Object]bool{}
	out := map[types.Object]bool{} // false: signaled or escapes
	// Parameters and results: the caller holds the Cond and may signal it.
	for _, f := range p.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			ft, ok := n.(*ast.FuncType)
			if !ok {
				return true
			}
			for _, fl := range []*ast.FieldList{ft.Params, ft.Results} {
				if fl == nil {
					continue
				}
				for _, fd := range fl.List {
					for _, id := range fd.Names {
						if o := p.Info.Defs[id]; o != nil {
							out[o] = false
						}
					}
				}
			}
			return true
		})
	}
	see := func(o types.Object, ok bool) {
		if prev, seen := out[o]; seen && !prev {
			return
		}
		out[o] = ok
	}
	for _, f := range p.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			var o types.Object
			switch e := n.(type) {
			case *ast.Ident:
				if len(stack) >= 2 {
					if se, ok := stack[len(stack)-2].(*ast.SelectorExpr); ok && se.Sel == e {
						return true // the field: judged at its selector
					}
				}
				o = p.Info.Uses[e]
			case *ast.SelectorExpr:
				if s := p.Info.Selections[e]; s != nil && s.Kind() == types.FieldVal {
					o = s.Obj()
				}
			}
			if o == nil {
				return true
			}
			if v, ok := o.(*types.Var); ok {
				o = v.Origin()
			}
			if !isCondType(o.Type()) {
				return true
			}
			if !candidate(o) {
				out[o] = false
				return true
			}
			use, ok := condUse(p.Info, stack)
			switch {
			case !ok:
				see(o, false)
			case use == "Signal" || use == "Broadcast":
				see(o, false)
			case use == "Wait":
				waited[o] = true
				see(o, true)
			default:
				see(o, true)
			}
			return true
		})
	}
	res := map[types.Object]bool{}
	for o, ok := range out {
		if ok && waited[o] {
			res[o] = true
		}
	}
	return res
}

// condUse classifies the mention of a Cond at the top of stack (an
// identifier or a field selector): "Wait", "Signal", "Broadcast" (a call
// of the method), "L" (its Locker), "store" (a new Cond stored into it,
// or the key of such a composite literal field); ok is false for any
// other mention.
func condUse(info *types.Info, stack []ast.Node) (string, bool) {
	e := stack[len(stack)-1]
	var parent, grand ast.Node
	if len(stack) >= 2 {
		parent = stack[len(stack)-2]
	}
	if len(stack) >= 3 {
		grand = stack[len(stack)-3]
	}
	for {
		pe, ok := parent.(*ast.ParenExpr)
		if !ok {
			break
		}
		e = pe
		stack = stack[:len(stack)-1]
		parent, grand = grand, nil
		if len(stack) >= 3 {
			grand = stack[len(stack)-3]
		}
	}
	switch p := parent.(type) {
	case *ast.SelectorExpr:
		if p.X != e {
			return "", false
		}
		switch p.Sel.Name {
		case "L":
			return "L", true
		case "Signal", "Broadcast":
			return p.Sel.Name, true // called or a method value: signals
		case "Wait":
			if c, ok := grand.(*ast.CallExpr); ok && c.Fun == ast.Expr(p) {
				return "Wait", true
			}
		}
		return "", false
	case *ast.AssignStmt:
		for i, l := range p.Lhs {
			if l == e && len(p.Lhs) == len(p.Rhs) && newCond(info, p.Rhs[i]) {
				return "store", true
			}
		}
	case *ast.KeyValueExpr:
		if p.Key == e && newCond(info, p.Value) {
			return "store", true
		}
	}
	return "", false
}

// newCond: sync.NewCond(l) or &sync.Cond{...}.
func newCond(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn := CalledFunc(info, e)
		return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "sync" && fn.Name() == "NewCond"
	case *ast.UnaryExpr:
		if cl, ok := e.X.(*ast.CompositeLit); ok {
			return isCondType(info.TypeOf(cl))
		}
	}
	return false
}
