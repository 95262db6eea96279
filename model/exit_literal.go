package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A local variable bound once to a function literal that always ends the
// process (die := func(msg string) { fmt.Println(msg); os.Exit(1) }) is an
// exit helper like a `die` function of the file: a call of it skips the
// caller's deferred calls. So is one bound to an exit function itself
// (exit := os.Exit, fatal := logger.Fatalf on a *log.Logger), or to an
// exit helper of the file (f := die, with func die() { ...; os.Exit(1) }). Only a
// variable the function never assigns again, nor hands out by address, is
// followed.

// boundLitExit reports whether calling id calls such a literal, and how it
// ends the program (ExitProcess) or the goroutine (ExitGoexit).
func (fb *flowBuilder) boundLitExit(id *ast.Ident) (ExitKind, bool) {
	def := fb.localDef(id)
	if def == nil {
		return 0, false
	}
	fb.litExitMu.Lock()
	defer fb.litExitMu.Unlock()
	if r, ok := fb.litExits[def.Pos()]; ok {
		return r.kind, r.ok
	}
	kind, ok := fb.litExitOf(def)
	if fb.litExits == nil {
		fb.litExits = map[token.Pos]litExit{}
	}
	fb.litExits[def.Pos()] = litExit{kind, ok}
	return kind, ok
}

type litExit struct {
	kind ExitKind
	ok   bool
}

// localDef is the identifier that declares the local variable id uses;
// nil when id is not a use of a local variable.
func (fb *flowBuilder) localDef(id *ast.Ident) *ast.Ident {
	if info := fb.m.Info; info != nil {
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || !v.Pos().IsValid() {
			return nil
		}
		path, _ := EnclosingPath(fb.m.AST, v.Pos(), v.Pos())
		if len(path) == 0 {
			return nil
		}
		def, ok := path[0].(*ast.Ident)
		if !ok || info.Defs[def] != types.Object(v) {
			return nil
		}
		return def
	}
	if id.Obj == nil || id.Obj.Kind != ast.Var {
		return nil
	}
	as, ok := id.Obj.Decl.(*ast.AssignStmt)
	if !ok {
		return nil
	}
	for _, l := range as.Lhs {
		if d, ok := l.(*ast.Ident); ok && d.Obj == id.Obj {
			return d
		}
	}
	return nil
}

// exiterNamed reports whether fun names (not calls) a function of this
// file that ends the program or the goroutine on every path (findExiters):
// `f := die` then f() ends there as die() would. Safe under litExitMu:
// findExiters reads shapes only (directExit), never a bound variable.
func (fb *flowBuilder) exiterNamed(fun *ast.Ident) (ExitKind, bool) {
	var decl token.Pos
	if info := fb.m.Info; info != nil {
		fn, ok := info.Uses[fun].(*types.Func)
		if !ok {
			return 0, false
		}
		decl = fn.Pos()
	} else if fun.Obj != nil && fun.Obj.Kind == ast.Fun {
		if d, ok := fun.Obj.Decl.(*ast.FuncDecl); ok && d.Recv == nil {
			decl = d.Name.Pos()
		}
	}
	if !decl.IsValid() {
		return 0, false
	}
	fb.exitersOnce.Do(fb.findExiters)
	k, ok := fb.exiters[decl]
	return k, ok
}

// litExitOf decides for the variable declared by def: declared by
// `def := func(...) {...}` (one name, one literal), `def := os.Exit`
// (an exit function's value: exitFunc, or a *log.Logger's Fatal* or
// Panic*) or `def := die` (an exit helper of the file: exiterNamed),
// never assigned again nor taken by address in its function, and the
// literal ends the program or the goroutine on every path (exitsByShape).
func (fb *flowBuilder) litExitOf(def *ast.Ident) (ExitKind, bool) {
	b := fb.exitBinding(def)
	return b.kind, b.ok && !b.written.IsValid()
}

// exitBinding is what litExitOf reads of a local variable declared by
// def: ok when its declaration binds it to a function that never returns
// (kind says how that ends the function; bound is the function as written,
// "os.Exit" or "die", and "" for a literal), and written, the first write
// of it after the declaration (NoPos when there is none).
type exitBinding struct {
	kind    ExitKind
	bound   string
	written token.Pos
	addr    bool // written is &def: whoever holds the pointer may write it
	ok      bool
}

func (fb *flowBuilder) exitBinding(def *ast.Ident) exitBinding {
	var out exitBinding
	path, _ := EnclosingPath(fb.m.AST, def.Pos(), def.End())
	if len(path) < 2 {
		return out
	}
	as, ok := path[1].(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Lhs[0] != ast.Expr(def) {
		return out
	}
	lit, isLit := ast.Unparen(as.Rhs[0]).(*ast.FuncLit)
	if isLit {
		out.kind, ok = fb.exitsByShape(lit.Body)
	} else {
		// exit := os.Exit, fatal := logger.Fatalf: the function value
		// itself never returns. f := die, with die a function of this
		// file that ends the program on every path (findExiters): so
		// does f().
		switch fun := ast.Unparen(as.Rhs[0]).(type) {
		case *ast.Ident:
			out.kind, ok = fb.exiterNamed(fun)
		case *ast.SelectorExpr:
			if out.kind, _, ok = fb.exitFunc(fun); !ok {
				switch fun.Sel.Name {
				case "Fatal", "Fatalf", "Fatalln":
					out.kind, ok = ExitProcess, fb.b.onLogLogger(fun)
				case "Panic", "Panicf", "Panicln":
					out.kind, ok = ExitPanic, fb.b.onLogLogger(fun)
				}
			}
		default:
			ok = false
		}
		out.bound = fb.m.Text(as.Rhs[0].Pos(), as.Rhs[0].End())
	}
	if !ok {
		return out
	}
	var scope ast.Node
	for _, n := range path[2:] {
		if fd, ok := n.(*ast.FuncDecl); ok {
			scope = fd.Body
			break
		}
	}
	if scope == nil {
		return out
	}
	same := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		if !ok || x == def || x.Name != def.Name {
			return false
		}
		if info := fb.m.Info; info != nil {
			return info.Uses[x] == info.Defs[def]
		}
		return x.Obj != nil && x.Obj == def.Obj
	}
	ast.Inspect(scope, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if same(l) {
					out.written = l.Pos()
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && same(n.X) {
				out.written, out.addr = n.Pos(), true
			}
		}
		return !out.written.IsValid()
	})
	out.ok = true
	return out
}

// localExitVar is, for a call of a local variable bound at its
// declaration to os.Exit, log.Fatal* or an exit helper of the file
// (exit := os.Exit, f := die) that its function assigns again or hands
// out by address, that binding as an unproven ExitVar: the call may end
// the program, and the hovers say so (UnprovenExitsAfter). nil otherwise,
// and for a binding golens proves (then the call is an exit: ExitCall).
func (fb *flowBuilder) localExitVar(id *ast.Ident) *ExitVar {
	def := fb.localDef(id)
	if def == nil {
		return nil
	}
	fb.litExitMu.Lock()
	defer fb.litExitMu.Unlock()
	if ev, ok := fb.localExitVars[def.Pos()]; ok {
		return ev
	}
	var ev *ExitVar
	if b := fb.exitBinding(def); b.ok && b.written.IsValid() && b.bound != "" {
		why := "it is assigned at " + fb.where(b.written)
		if b.addr {
			why = "its address is taken at " + fb.where(b.written)
		}
		ev = &ExitVar{Name: def.Name, Bound: b.bound, Decl: def.Pos(), Kind: b.kind, Reassigned: b.written, Why: why}
	}
	if fb.localExitVars == nil {
		fb.localExitVars = map[token.Pos]*ExitVar{}
	}
	fb.localExitVars[def.Pos()] = ev
	return ev
}
