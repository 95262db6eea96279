package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// The worker pool's go statement: `go worker(id, jobs, results, &wg)` runs
// a function of this file with the pool's channels and the address of its
// WaitGroup. What the goroutine does to them is what worker does to its
// parameters; GoWorker binds each argument to its parameter, so that a
// feature reads the worker's own operations (the model's ops, Refs and
// WaitGroup calls on the parameters) instead of resolving the call again.

// GoWorker is the binding of a go statement's arguments to the parameters
// of the function it calls.
type GoWorker struct {
	Go   *Goroutine
	Decl *ast.FuncDecl
	// Func is the model's function for Decl: the operations written in
	// its own body carry it.
	Func   *Func
	params []*ast.Ident // one per argument, in order
}

// GoWorkerOf returns the binding for g when g calls by name a plain
// function declared in this file (no receiver, no type parameters, with a
// body) whose parameters are all named and none variadic, one argument per
// parameter; nil for anything else (a literal, a method, a function value,
// a function of another file).
func (m *File) GoWorkerOf(g *Goroutine) *GoWorker {
	if g == nil || g.Body != nil || g.Node == nil {
		return nil
	}
	fd := m.declOfCall(g.Node.Call)
	if fd == nil || fd.Body == nil || fd.Recv != nil || fd.Type.TypeParams != nil {
		return nil
	}
	var params []*ast.Ident
	for _, f := range fd.Type.Params.List {
		if len(f.Names) == 0 {
			return nil
		}
		if _, variadic := f.Type.(*ast.Ellipsis); variadic {
			return nil
		}
		params = append(params, f.Names...)
	}
	if len(params) != len(g.Node.Call.Args) {
		return nil
	}
	for _, f := range m.Funcs {
		if !f.Lit && f.Pos == fd.Pos() {
			return &GoWorker{Go: g, Decl: fd, Func: f, params: params}
		}
	}
	return nil
}

// Param is the parameter that the argument arg (one of the go statement's
// call arguments, the node itself, parentheses allowed) binds to; nil when
// arg is not one of them or the parameter is the blank identifier.
func (w *GoWorker) Param(arg ast.Expr) *ast.Ident {
	for i, a := range w.Go.Node.Call.Args {
		if ast.Unparen(a) == ast.Unparen(arg) && w.params[i].Name != "_" {
			return w.params[i]
		}
	}
	return nil
}

// WaitGroupParam is the key, in the worker, of the parameter handed &wg of
// the WaitGroup whose key is wg (the model's key, not its name: a
// shadowing wg is another WaitGroup); false when no argument is.
func (w *GoWorker) WaitGroupParam(m *File, wg VarKey) (VarKey, bool) {
	var param *ast.Ident
	for i, a := range w.Go.Node.Call.Args {
		if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
			if k, ok := m.KeyOf(u.X); ok && k == wg {
				param = w.params[i]
			}
		}
	}
	if param == nil || param.Name == "_" {
		return VarKey{}, false
	}
	return m.KeyOf(param)
}

// declOfCall is the declaration, in this file, of the function a call
// calls by name; nil for anything else.
func (m *File) declOfCall(call *ast.CallExpr) *ast.FuncDecl {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil
	}
	if info := m.Info; info != nil {
		obj, ok := info.Uses[id].(*types.Func)
		if !ok {
			return nil
		}
		for _, d := range m.AST.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && info.Defs[fd.Name] == obj {
				return fd
			}
		}
		return nil
	}
	if id.Obj != nil {
		if fd, ok := id.Obj.Decl.(*ast.FuncDecl); ok {
			return fd
		}
	}
	return nil
}

// DoneOnlyAfter reports whether the function f calls Done on the
// WaitGroup wg in its own body (not in the function literals in it), and
// every such Done is deferred or written after p: until then, Wait counts
// the goroutine running f as not done.
func (m *File) DoneOnlyAfter(f *Func, wg VarKey, p token.Pos) bool {
	return m.doneOnlyAfter(func(d *WaitGroupOp) bool { return d.Func == f }, wg, p)
}

// GoDoneOnlyAfter is DoneOnlyAfter for the Done calls that run in the
// goroutine g (its literal and the literals in it).
func (m *File) GoDoneOnlyAfter(g *Goroutine, wg VarKey, p token.Pos) bool {
	return m.doneOnlyAfter(func(d *WaitGroupOp) bool { return d.InGo == g }, wg, p)
}

func (m *File) doneOnlyAfter(in func(*WaitGroupOp) bool, wg VarKey, p token.Pos) bool {
	signals := false
	for _, d := range m.WaitGroups {
		if d.Kind == WGDone && d.Key == wg && in(d) {
			if !d.Deferred && d.Pos < p {
				return false
			}
			signals = true
		}
	}
	return signals
}

// DeferredSend reports whether op is written in a function literal that
// body defers directly (`defer func() { ...; ch <- v }()`), with a defer
// statement in no loop: the send runs as body returns (or unwinds a
// panic), after the rest of body, in the order of the deferred calls.
func DeferredSend(body *Func, op *ChanOp) bool {
	lit := op.Func
	return body != nil && lit != nil && lit.Lit && lit.Deferred && lit.Parent == body && lit.deferredBy != nil && !lit.deferredBy.InLoop
}

// deferredSendFirst reports whether the send op, in a function literal
// that body defers (DeferredSend), runs before every Done on the
// WaitGroup wg that in selects: each is a `defer wg.Done()` of body's own
// statements written before that defer statement, so it runs after the
// deferred literal (last deferred, first run). A Done in body's
// statements runs before any deferred call, one deferred later runs
// first, and one in a function literal is not ordered here: each makes
// it false, as does no Done at all.
func (m *File) deferredSendFirst(body *Func, in func(*WaitGroupOp) bool, wg VarKey, op *ChanOp) bool {
	if !DeferredSend(body, op) {
		return false
	}
	at := op.Func.deferredBy.Pos
	signals := false
	for _, d := range m.WaitGroups {
		if d.Kind != WGDone || d.Key != wg || !in(d) {
			continue
		}
		if d.Func != body || !d.Deferred || d.Pos > at {
			return false
		}
		signals = true
	}
	return signals
}
