package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"sync"
)

// Whether a method runs at most once per value a constructor builds: the
// package calls it only as v.method(...) on a local v := ctor(...) that
// its function uses for nothing but calling methods, once per v, and not
// in a loop that would call it again on the same v. A channel field the
// constructor makes then has one such call per channel: a receiver that
// stops early leaves no second call to drain what is left (nopartner's
// finite-producer and field-early rules).

type onceOnFreshKey struct {
	method *types.Func
	ctor   types.Object
}

// onceOnFresh memoizes CalledOnceOnFresh.
type onceOnFresh struct {
	mu    sync.Mutex
	facts map[onceOnFreshKey]Fact
}

// CalledOnceOnFresh is whether each value ctor returns has method called
// on it at most once, by the package (see above). Proven when it holds for
// every reference to method in the package (and there is one); Unknown
// otherwise, with the reason: code outside the package can call method, or
// a reference the rule does not cover (where, and why). Computed once per
// method and constructor, on first read.
func (p *Package) CalledOnceOnFresh(method *types.Func, ctor types.Object) Fact {
	o := &p.onceOnFresh
	o.mu.Lock()
	defer o.mu.Unlock()
	k := onceOnFreshKey{method, ctor}
	if f, ok := o.facts[k]; ok {
		return f
	}
	if o.facts == nil {
		o.facts = map[onceOnFreshKey]Fact{}
	}
	f := p.calledOnceOnFresh(method, ctor)
	o.facts[k] = f
	return f
}

func (p *Package) calledOnceOnFresh(method *types.Func, ctor types.Object) Fact {
	if p.Visible(method) {
		return Fact{Certainty: Unknown, Why: method.Name() + " can be called from outside the package"}
	}
	calls, other := p.CallsOf(method)
	if other > 0 {
		return Fact{Certainty: Unknown, Why: method.Name() + " is referred to other than by a call (a method value or expression)"}
	}
	if len(calls) == 0 {
		return Fact{Certainty: Unknown, Why: "the package never calls " + method.Name()}
	}
	for _, c := range calls {
		if why := p.freshReceiverCall(c, ctor, method); why != "" {
			return Fact{Certainty: Unknown, Why: "the call at line " + strconv.Itoa(p.Fset.Position(c.Call.Pos()).Line) + " " + why}
		}
	}
	return Fact{Certainty: Proven, Holds: true,
		Why: "each call of " + method.Name() + " is the one call on a value " + ctor.Name() + " just returned"}
}

// freshReceiverCall says why the call c of method is not v.method(...)
// with v a local declared as v := ctor(...), used only as a receiver of
// method calls, calling method once, outside any loop v's declaration is
// not in; "" when it is.
func (p *Package) freshReceiverCall(c PackageCall, ctor types.Object, method *types.Func) string {
	info := p.Info
	sel, ok := c.Call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "does not name the method on a value"
	}
	path, _ := EnclosingPath(c.File, sel.Sel.Pos(), sel.Sel.End())
	base, ok := sel.X.(*ast.Ident)
	if !ok {
		return "is not on a local variable"
	}
	v, ok := info.Uses[base].(*types.Var)
	if !ok || v.IsField() {
		return "is not on a local variable"
	}
	var fn ast.Node
	for _, n := range path {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if !(n.Pos() <= v.Pos() && v.Pos() < n.End()) {
				return "is in a loop that may call it again on " + v.Name()
			}
		case *ast.FuncLit, *ast.FuncDecl:
			fn = n
		}
		if fn != nil {
			break
		}
	}
	if fn == nil || !(fn.Pos() <= v.Pos() && v.Pos() < fn.End()) {
		return "is on " + v.Name() + ", not a local of its function"
	}
	// v's declaration and every other use.
	declared, why, own := false, "", 0
	ast.Inspect(fn, func(n ast.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				lid, isID := l.(*ast.Ident)
				if !isID || info.Defs[lid] != v {
					continue
				}
				if n.Tok != token.DEFINE || len(n.Lhs) != len(n.Rhs) {
					why = "is on " + v.Name() + ", not declared as " + v.Name() + " := " + ctor.Name() + "(...)"
					return false
				}
				if !callsObject(info, n.Rhs[i], ctor) {
					why = "is on " + v.Name() + ", not the value " + ctor.Name() + " returned"
					return false
				}
				declared = true
			}
		case *ast.SelectorExpr:
			if b, isID := n.X.(*ast.Ident); isID && info.Uses[b] == v {
				if _, isMethod := info.Uses[n.Sel].(*types.Func); !isMethod {
					why = "is on " + v.Name() + ", whose field " + n.Sel.Name + " is used"
					return false
				}
				if info.Uses[n.Sel] == method {
					own++
				}
				return false
			}
		case *ast.Ident:
			if info.Uses[n] == v {
				why = "is on " + v.Name() + ", which is used other than to call its methods (assigned, passed, returned, stored or compared)"
			}
		}
		return true
	})
	switch {
	case why != "":
		return why
	case !declared:
		return "is on " + v.Name() + ", not declared as " + v.Name() + " := " + ctor.Name() + "(...)"
	case own != 1:
		return "calls " + method.Name() + " on " + v.Name() + " " + strconv.Itoa(own) + " times"
	}
	return ""
}

// callsObject reports whether e is a call f(...) of the function obj,
// named by a plain identifier.
func callsObject(info *types.Info, e ast.Expr, obj types.Object) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	return ok && info.Uses[id] == obj
}
