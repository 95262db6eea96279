package model

import (
	"go/ast"
	"go/types"
	"sync"
)

// What a call may run, among the package's own function bodies: the
// function it names, a literal called in place, or, for a call of a
// function value, the functions the package shows that value may hold. A
// local variable stands for every value assigned to it in its function
// (LocalValues); a func-typed field of the package stands for every value
// the package stores in it (FieldSets). Values are followed through at
// most maxValueHops such variables (a local assigned from a field that a
// literal set from another local...).

// CallTarget is one function body a call may run.
type CallTarget struct {
	Body *ast.BlockStmt
	// Name names the target for messages: the function's name, "a
	// function literal" for a literal called in place, or the called
	// expression as written (s.onEvent) when reached through a value.
	Name string
}

// CallTargets is what a call may run, as far as the package shows.
type CallTargets struct {
	Targets []CallTarget
	// Certainty is Proven when the call names a function of the package
	// or calls a literal in place: Targets is what it runs. It is
	// Possible when the call goes through a function value: Targets are
	// the functions the package puts in it, and the value may also hold
	// one the package does not show (a parameter, another package's). It
	// is Unknown when the package shows no body the call runs.
	Certainty Certainty
	Why       string
}

// maxValueHops bounds how many variables a function value is followed
// through (a local assigned from a field, set from a local, ...).
const maxValueHops = 3

// CallTargets is what call may run (see CallTargets), computed once per
// call on first read.
func (p *Package) CallTargets(call *ast.CallExpr) CallTargets {
	r := &p.callReach
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.targetsOf(p, call)
}

// callReach holds the lazily computed facts of what calls reach
// (call_targets.go, sends_reached.go), behind one lock: a reader asks for
// the sends a loop reaches, which asks for the targets of its calls.
type callReach struct {
	mu      sync.Mutex
	targets map[*ast.CallExpr]CallTargets
	items   map[ast.Node][]reachItem   // sends_reached.go
	reached map[reachKey][]ReachedSend // sends_reached.go
}

// targetsOf is CallTargets with r.mu held.
func (r *callReach) targetsOf(p *Package, call *ast.CallExpr) CallTargets {
	if got, ok := r.targets[call]; ok {
		return got
	}
	if r.targets == nil {
		r.targets = map[*ast.CallExpr]CallTargets{}
	}
	got := p.callTargetsOf(call)
	r.targets[call] = got
	return got
}

func (p *Package) callTargetsOf(call *ast.CallExpr) CallTargets {
	fun := ast.Unparen(call.Fun)
	if lit, ok := fun.(*ast.FuncLit); ok {
		return CallTargets{Targets: []CallTarget{{lit.Body, "a function literal"}}, Certainty: Proven,
			Why: "a function literal called in place"}
	}
	if fn := PackageCallee(p.Info, p.Types, call); fn != nil {
		if fd := p.FuncDecl(fn); fd != nil {
			return CallTargets{Targets: []CallTarget{{fd.Body, fn.Name()}}, Certainty: Proven,
				Why: "calls " + fn.Name() + ", a function of the package"}
		}
		return CallTargets{Certainty: Unknown, Why: fn.Name() + " has no body in the package"}
	}
	if tv, ok := p.Info.Types[fun]; !ok || tv.IsType() {
		return CallTargets{Certainty: Unknown, Why: "not a call of a function (a conversion, or untyped)"}
	}
	return p.FuncValueTargets(fun, types.ExprString(fun))
}

// FuncValueTargets is what the function value e may run when called: a
// literal, a function of the package, or the values the package assigns
// to the local or func-typed field it reads. Each target is named name.
// Not memoized: CallTargets, its reader, is.
func (p *Package) FuncValueTargets(e ast.Expr, name string) CallTargets {
	out := p.valueTargets(e, name, 0)
	if len(out) == 0 {
		return CallTargets{Certainty: Unknown, Why: types.ExprString(e) + " holds no function the package shows"}
	}
	return CallTargets{Targets: out, Certainty: Possible,
		Why: types.ExprString(e) + " is a function value: the functions the package puts in it"}
}

func (p *Package) valueTargets(e ast.Expr, name string, hops int) []CallTarget {
	if hops > maxValueHops {
		return nil
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return []CallTarget{{x.Body, name}}
	case *ast.Ident:
		switch obj := p.Info.Uses[x].(type) {
		case *types.Func:
			if fd := p.FuncDecl(obj); fd != nil {
				return []CallTarget{{fd.Body, name}}
			}
		case *types.Var:
			if obj.Parent() == nil || obj.Parent() == p.Types.Scope() || obj.Pkg() != p.Types {
				return nil
			}
			// A local: every value assigned to it in its function.
			var out []CallTarget
			for _, v := range p.LocalValues(obj) {
				out = append(out, p.valueTargets(v, name, hops+1)...)
			}
			return out
		}
	case *ast.SelectorExpr:
		s := p.Info.Selections[x]
		if s == nil || s.Kind() != types.FieldVal {
			return nil
		}
		v := s.Obj().(*types.Var)
		if v.Pkg() != p.Types {
			return nil
		}
		if _, ok := v.Type().Underlying().(*types.Signature); !ok {
			return nil
		}
		// A func-typed field: every value the package stores in it.
		var out []CallTarget
		for _, set := range p.FieldSets(v) {
			if (set.Kind == FieldAssign || set.Kind == FieldLiteral) && set.Value != nil {
				out = append(out, p.valueTargets(set.Value, name, hops+1)...)
			}
		}
		return out
	}
	return nil
}
