// Package chaneffects summarizes, for the functions and methods of a
// package, the channel operations every call of them performs first, on
// channel fields of their receiver or parameters, in order: so that a
// caller's straight-line sequence of calls (s.Close(); s.Send(v)) can be
// read as the sequence of channel operations it performs. It is a
// package-local flow fact used by closedsend and selfdeadlock.
package chaneffects

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
)

// Kind is what an effect does.
type Kind int

const (
	Send  Kind = iota // a plain send on the field
	Recv              // a receive from the field
	Close             // close of the field
	Set               // an assignment to the field (a new channel)
	// Opaque ends the known prefix: a goroutine start, a select, a branch,
	// or a call golens does not follow. Anything may happen from here on.
	Opaque
)

// Effect is one channel operation on Base.Field, where Base is the
// receiver (-1) or the parameter of that index.
type Effect struct {
	Kind  Kind
	Base  int
	Field *types.Var
	Pos   token.Pos // where it happens (in the callee)
}

// Summaries computes and caches function summaries for one package.
type Summaries struct {
	pass  *analysis.Pass
	Decls map[*types.Func]*ast.FuncDecl
	memo  map[*types.Func][]Effect
	busy  map[*types.Func]bool
}

// New indexes the package's function declarations.
func New(pass *analysis.Pass) *Summaries {
	s := &Summaries{pass: pass, Decls: map[*types.Func]*ast.FuncDecl{}, memo: map[*types.Func][]Effect{}, busy: map[*types.Func]bool{}}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					s.Decls[fn] = fd
				}
			}
		}
	}
	return s
}

// Callee is the function of the package a call statically calls, or nil
// (a function value, an interface method, another package).
func (s *Summaries) Callee(call *ast.CallExpr) *types.Func {
	return chanutil.PackageCallee(s.pass.TypesInfo, s.pass.Pkg, call)
}

// Of returns the effects every call of fn begins with, ending with Opaque
// unless the whole body was followed.
func (s *Summaries) Of(fn *types.Func) []Effect {
	if e, ok := s.memo[fn]; ok {
		return e
	}
	fd := s.Decls[fn]
	if fd == nil || s.busy[fn] {
		return []Effect{{Kind: Opaque}}
	}
	s.busy[fn] = true
	defer delete(s.busy, fn)
	bases := map[*types.Var]int{}
	if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
		if v, ok := s.pass.TypesInfo.Defs[fd.Recv.List[0].Names[0]].(*types.Var); ok {
			bases[v] = -1
		}
	}
	i := 0
	for _, fl := range fd.Type.Params.List {
		for _, n := range fl.Names {
			if v, ok := s.pass.TypesInfo.Defs[n].(*types.Var); ok {
				bases[v] = i
			}
			i++
		}
		if len(fl.Names) == 0 {
			i++
		}
	}
	var out []Effect
	for _, st := range fd.Body.List {
		effs, ok := s.stmt(st, func(e ast.Expr) (int, bool) {
			id, isID := ast.Unparen(e).(*ast.Ident)
			if !isID {
				return 0, false
			}
			v, _ := s.pass.TypesInfo.Uses[id].(*types.Var)
			b, found := bases[v]
			return b, found
		})
		out = append(out, effs...)
		if !ok {
			break
		}
	}
	s.memo[fn] = out
	return out
}

// Stmt returns the effects of one statement of a caller on fields of the
// bases that resolve names, and whether the statement was followed in
// full (false: the last effect is Opaque).
func (s *Summaries) Stmt(st ast.Stmt, resolve func(ast.Expr) (int, bool)) ([]Effect, bool) {
	return s.stmt(st, resolve)
}

// FieldOn splits x.f into its base expression and the channel field f.
func (s *Summaries) FieldOn(e ast.Expr) (ast.Expr, *types.Var) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, nil
	}
	ts := s.pass.TypesInfo.Selections[sel]
	if ts == nil || ts.Kind() != types.FieldVal || len(ts.Index()) != 1 {
		return nil, nil
	}
	v := ts.Obj().(*types.Var)
	if _, isChan := v.Type().Underlying().(*types.Chan); !isChan {
		return nil, nil
	}
	return sel.X, v
}

func (s *Summaries) stmt(st ast.Stmt, resolve func(ast.Expr) (int, bool)) ([]Effect, bool) {
	opaque := []Effect{{Kind: Opaque, Pos: st.Pos()}}
	on := func(k Kind, e ast.Expr, pos token.Pos) ([]Effect, bool) {
		x, f := s.FieldOn(e)
		if f == nil {
			return opaque, false
		}
		b, ok := resolve(x)
		if !ok {
			// Another object's channel: it does not touch these bases.
			return nil, true
		}
		return []Effect{{Kind: k, Base: b, Field: f, Pos: pos}}, true
	}
	switch st := st.(type) {
	case *ast.SendStmt:
		if s.hasCallOrRecv(st.Value) {
			return opaque, false
		}
		return on(Send, st.Chan, st.Arrow)
	case *ast.ExprStmt:
		if u, ok := ast.Unparen(st.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			return on(Recv, u.X, u.OpPos)
		}
		call, ok := ast.Unparen(st.X).(*ast.CallExpr)
		if !ok {
			return opaque, false
		}
		return s.call(call, resolve)
	case *ast.AssignStmt:
		if len(st.Rhs) == 1 && len(st.Lhs) == 1 {
			if x, f := s.FieldOn(st.Lhs[0]); f != nil {
				if s.hasCallOrRecv(st.Rhs[0]) && !isMake(s.pass, st.Rhs[0]) {
					return opaque, false
				}
				if b, ok := resolve(x); ok {
					return []Effect{{Kind: Set, Base: b, Field: f, Pos: st.Pos()}}, true
				}
				return nil, true
			}
		}
		for _, r := range st.Rhs {
			if s.hasCallOrRecv(r) {
				return opaque, false
			}
		}
		return nil, true // plain assignments of other variables
	case *ast.IncDecStmt, *ast.EmptyStmt, *ast.DeclStmt:
		return nil, true
	case *ast.DeferStmt:
		if s.isSyncCall(st.Call) {
			return nil, true
		}
	}
	return opaque, false
}

// call follows a call of a function of the package, mapping its receiver
// and parameters to the caller's bases; sync's lock methods are no
// channel operations.
func (s *Summaries) call(call *ast.CallExpr, resolve func(ast.Expr) (int, bool)) ([]Effect, bool) {
	opaque := []Effect{{Kind: Opaque, Pos: call.Pos()}}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "close" && len(call.Args) == 1 {
		if _, b := s.pass.TypesInfo.Uses[id].(*types.Builtin); b {
			x, f := s.FieldOn(call.Args[0])
			if f == nil {
				return opaque, false
			}
			if b, ok := resolve(x); ok {
				return []Effect{{Kind: Close, Base: b, Field: f, Pos: call.Pos()}}, true
			}
			return nil, true
		}
	}
	if s.isSyncCall(call) {
		return nil, true
	}
	fn := s.Callee(call)
	if fn == nil {
		return opaque, false
	}
	for _, a := range call.Args {
		if s.hasCallOrRecv(a) {
			return opaque, false
		}
	}
	// Map the callee's bases to the caller's.
	mapped := map[int]int{}
	known := map[int]bool{}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn.Type().(*types.Signature).Recv() != nil {
		if b, ok := resolve(sel.X); ok {
			mapped[-1], known[-1] = b, true
		}
	}
	for i, a := range call.Args {
		if b, ok := resolve(a); ok {
			mapped[i], known[i] = b, true
		}
	}
	var out []Effect
	for _, e := range s.Of(fn) {
		if e.Kind == Opaque {
			out = append(out, Effect{Kind: Opaque, Pos: call.Pos()})
			return out, false
		}
		if !known[e.Base] {
			continue
		}
		e.Base = mapped[e.Base]
		out = append(out, e)
	}
	return out, true
}

func (s *Summaries) isSyncCall(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	fn, ok := s.pass.TypesInfo.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	switch fn.Name() {
	case "Lock", "Unlock", "RLock", "RUnlock":
		return true
	}
	return false
}

func (s *Summaries) harmless(call *ast.CallExpr) bool {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		if s.pass.TypesInfo.Selections[f] != nil {
			return false // a method: its receiver may be ours
		}
		id = f.Sel
	default:
		return false
	}
	fn, ok := s.pass.TypesInfo.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg() == s.pass.Pkg {
		return false
	}
	for _, a := range call.Args {
		if s.pass.TypesInfo.Types[a].Value == nil {
			return false
		}
	}
	return true
}

func isMake(pass *analysis.Pass, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || id.Name != "make" {
		return false
	}
	_, b := pass.TypesInfo.Uses[id].(*types.Builtin)
	return b
}

func (s *Summaries) hasCallOrRecv(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			// A conversion, T(x), calls nothing; nor can a function of
			// another package given only constants (context.Background())
			// reach this package's channels.
			found = !s.pass.TypesInfo.Types[n.Fun].IsType() && !s.harmless(n)
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}

// Step is one effect of a caller's statement on a channel field of a
// stable expression (x, x.y): Base is its text.
type Step struct {
	Effect
	Base string
	Via  *ast.CallExpr // the call of the package that performs it; nil if direct
	Stmt ast.Stmt
}

// Sequence reads a statement list (a function body) as the channel
// operations it performs, in order, through the calls it makes to the
// package's functions. An Opaque step stands for a statement that was not
// followed; a Set step for a new channel. A statement that assigns a base
// variable itself yields a Set on every field of that base (Field nil).
func (s *Summaries) Sequence(list []ast.Stmt) []Step {
	var bases []string
	ids := map[string]int{}
	var steps []Step
	resolve := func(e ast.Expr) (int, bool) {
		t, ok := s.path(e)
		if !ok {
			return 0, false
		}
		if id, ok := ids[t]; ok {
			return id, true
		}
		ids[t] = len(bases)
		bases = append(bases, t)
		return ids[t], true
	}
	for _, st := range list {
		if as, ok := st.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if t, ok := s.path(l); ok {
					for _, b := range bases {
						if b == t || len(b) > len(t) && b[:len(t)+1] == t+"." {
							steps = append(steps, Step{Effect: Effect{Kind: Set, Pos: as.Pos()}, Base: b, Stmt: st})
						}
					}
				}
			}
		}
		effs, _ := s.stmt(st, resolve)
		var via *ast.CallExpr
		if es, ok := st.(*ast.ExprStmt); ok {
			if c, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && s.Callee(c) != nil {
				via = c
			}
		}
		for _, e := range effs {
			step := Step{Effect: e, Via: via, Stmt: st}
			if e.Kind != Opaque {
				step.Base = bases[e.Base]
			}
			steps = append(steps, step)
		}
	}
	return steps
}

// path is the text of x or x.f.g (variables and fields only).
func (s *Summaries) path(e ast.Expr) (string, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if _, ok := s.pass.TypesInfo.Uses[e].(*types.Var); ok {
			return e.Name, true
		}
		if _, ok := s.pass.TypesInfo.Defs[e].(*types.Var); ok {
			return e.Name, true
		}
	case *ast.SelectorExpr:
		if sel := s.pass.TypesInfo.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			if x, ok := s.path(e.X); ok {
				return x + "." + e.Sel.Name, true
			}
		}
	}
	return "", false
}
