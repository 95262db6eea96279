package cancelleak

import (
	"embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
	"text/template"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "cancelleak"

// Analyzer reports a context's cancel function that nobody can call any
// more: stored only in a field the package never reads, or returned inside
// a value the caller drops.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report a context cancel function stored where nobody can call it\n\n" +
		"context.WithCancel, WithTimeout and WithDeadline return a cancel function that releases the " +
		"context and wakes everything waiting on its Done channel. Stored only in an unexported field that " +
		"the package never reads, or returned inside a value that the caller discards, it can never be " +
		"called: a goroutine waiting on ctx.Done() waits until the parent context ends (or, for WithTimeout " +
		"and WithDeadline, the deadline passes), forever for a WithCancel of context.Background().",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

//go:embed messages.tmpl
var messageFiles embed.FS

var messages = template.Must(template.ParseFS(messageFiles, "messages.tmpl"))

func message(tmpl string, d map[string]any) string {
	var b strings.Builder
	if err := messages.ExecuteTemplate(&b, tmpl, d); err != nil {
		panic(err) // embedded and exercised by the analysistest cases
	}
	return b.String()
}

type state struct {
	pass  *analysis.Pass
	ins   *inspector.Inspector
	decls map[*types.Func]*ast.FuncDecl
	read  map[*types.Var]bool // fields some code reads (calls, copies, compares)
	// The model's context facts, for the whole package: the constructor
	// calls that return a cancel func, and the receives from a Done call.
	makers    map[*ast.CallExpr]*model.ContextCall
	doneRecvs []doneReceive
	models    []*model.File
}

// doneReceive is a receive from ctx.Done(), as the model records it.
type doneReceive struct {
	at   token.Pos   // the receive (the <- arrow)
	recv ast.Expr    // the context operand of Done
	m    *model.File // the file's model
}

func run(pass *analysis.Pass) (any, error) {
	st := &state{pass: pass, ins: inspector.New(pass.Files), decls: map[*types.Func]*ast.FuncDecl{}, read: map[*types.Var]bool{},
		makers: map[*ast.CallExpr]*model.ContextCall{}}
	st.models = pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order
	for _, m := range st.models {
		received := map[*ast.CallExpr]token.Pos{}
		for _, op := range m.ChanOps {
			if u, ok := op.Node.(*ast.UnaryExpr); ok && op.Kind == model.Recv {
				if c, ok := ast.Unparen(u.X).(*ast.CallExpr); ok {
					received[c] = u.Pos()
				}
			}
		}
		for _, cc := range m.CtxCalls {
			if cc.Name != "Done" {
				st.makers[cc.Call] = cc
				continue
			}
			if at, ok := received[cc.Call]; ok {
				if sel, ok := ast.Unparen(cc.Call.Fun).(*ast.SelectorExpr); ok {
					st.doneRecvs = append(st.doneRecvs, doneReceive{at: at, recv: sel.X, m: m})
				}
			}
		}
	}
	for cur := range st.ins.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := cur.Node().(*ast.FuncDecl)
		if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok && fd.Body != nil {
			st.decls[fn] = fd
		}
	}
	// The fields some code of the package reads (the model's ReadFields
	// of every file).
	for _, m := range st.models {
		for v := range m.ReadFields() {
			st.read[v] = true
		}
	}

	for cur := range st.ins.Root().Preorder((*ast.AssignStmt)(nil)) {
		as := cur.Node().(*ast.AssignStmt)
		if len(as.Lhs) != 2 || len(as.Rhs) != 1 || !st.makesCancel(as.Rhs[0]) {
			continue
		}
		fd := enclosingDecl(cur)
		if fd == nil {
			continue
		}
		st.checkCancel(as, fd, st.makers[ast.Unparen(as.Rhs[0]).(*ast.CallExpr)])
	}
	return nil, nil
}

func enclosingDecl(c inspector.Cursor) *ast.FuncDecl {
	for ; c.Node() != nil; c = c.Parent() {
		if fd, ok := c.Node().(*ast.FuncDecl); ok {
			return fd
		}
	}
	return nil
}

// makesCancel: e is a context constructor that returns a cancel func
// (context.WithCancel, WithTimeout, WithDeadline and their Cause forms), as
// the model records it.
func (st *state) makesCancel(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && st.makers[call] != nil
}

// lostField is an unexported field of the package that holds a cancel
// function and that no code reads (the model's ReadFields).
func (st *state) lostField(v *types.Var) bool {
	return v != nil && v.IsField() && !v.Exported() && !v.Embedded() && v.Pkg() == st.pass.Pkg && !st.read[v]
}

func (st *state) fieldOf(e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := st.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	return s.Obj().(*types.Var).Origin()
}

// checkCancel reports the cancel func of the constructor cc, assigned by
// as in fd, when the fields it is stored in (the model's CancelStores) are
// never read, or when it is returned inside a value callers drop.
func (st *state) checkCancel(as *ast.AssignStmt, fd *ast.FuncDecl, cc *model.ContextCall) {
	info := st.pass.TypesInfo
	ctxVar := identVar(info, as.Lhs[0])
	m := st.modelOf(as)
	if m == nil {
		return
	}
	stores, _ := m.CancelStores(cc)
	if len(stores) == 0 {
		return
	}
	all := true
	for _, s := range stores {
		if !st.lostField(s.Field) {
			all = false
		}
	}
	wait, waitAt := st.waiter(fd, as, ctxVar, cc, m)
	if all {
		s := stores[0]
		d := analysis.Diagnostic{Pos: s.Pos, End: s.Pos, Category: name,
			Message: message("lostField", map[string]any{"Field": s.Field.Name(), "Maker": st.makerName(as), "Wait": wait, "WaitAt": st.where(waitAt, s.Pos)}),
		}
		if waitAt.IsValid() {
			d.Related = []analysis.RelatedInformation{{Pos: waitAt, Message: "waits here until " + st.ends(as)}}
		}
		st.pass.Report(d)
		return
	}
	// Returned inside the result (the model's CancelStore.Returned):
	// callers that drop it lose the cancel.
	fn, _ := info.Defs[fd.Name].(*types.Func)
	if fn == nil || len(stores) != 1 || !stores[0].Returned {
		return
	}
	for cur := range st.ins.Root().Preorder((*ast.ExprStmt)(nil)) {
		call, ok := ast.Unparen(cur.Node().(*ast.ExprStmt).X).(*ast.CallExpr)
		if !ok || st.callee(call) != fn {
			continue
		}
		if caller := enclosingDecl(cur); caller != nil && st.parentCancelled(caller.Body, call) {
			continue
		}
		if st.recovers(cur) {
			continue // called to see it panic: there is no result to keep
		}
		d := analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: name,
			Message: message("dropped", map[string]any{"Func": fn.Name(), "Field": stores[0].Field.Name(), "Maker": st.makerName(as),
				"MakerAt": st.where(as.Pos(), call.Pos()), "Wait": wait, "WaitAt": st.where(waitAt, call.Pos())}),
			Related: []analysis.RelatedInformation{{Pos: stores[0].Pos, Message: "the cancel function is stored in the result here"}},
		}
		if waitAt.IsValid() {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: waitAt, Message: "waits here until " + st.ends(as)})
		}
		st.pass.Report(d)
	}
}

// ends says when the context made at as ends without its cancel function:
// a WithTimeout or WithDeadline context also ends at its deadline.
func (st *state) ends(as *ast.AssignStmt) string {
	switch st.makerName(as) {
	case "context.WithTimeout", "context.WithDeadline", "context.WithTimeoutCause", "context.WithDeadlineCause":
		return "its deadline passes or the parent context ends"
	}
	return "the parent context ends"
}

func (st *state) makerName(as *ast.AssignStmt) string {
	return "context." + st.makers[ast.Unparen(as.Rhs[0]).(*ast.CallExpr)].Name
}

func identVar(info *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	if v, ok := info.Uses[id].(*types.Var); ok {
		return v
	}
	v, _ := info.Defs[id].(*types.Var)
	return v
}

func (st *state) callee(call *ast.CallExpr) *types.Func {
	return chanutil.PackageCallee(st.pass.TypesInfo, st.pass.Pkg, call)
}

// waiter finds the first goroutine started in fd after the cancel is made that
// receives from the context's Done channel: through the context variable
// passed to it or captured, or through a field the context is stored in
// (the model's ContextFields).
func (st *state) waiter(fd *ast.FuncDecl, as *ast.AssignStmt, ctxVar *types.Var, cc *model.ContextCall, m *model.File) (string, token.Pos) {
	info := st.pass.TypesInfo
	ctxFields := map[*types.Var]bool{}
	for _, f := range m.ContextFields(cc) {
		ctxFields[f] = true
	}
	// The goroutines fd starts after the constructor: the model's
	// go statements, in source order.
	for _, g := range m.Goroutines {
		if g.Pos < as.Pos() || g.Pos >= fd.Body.End() {
			continue
		}
		ctxs := map[*types.Var]bool{}
		if ctxVar != nil {
			ctxs[ctxVar] = true
		}
		var body *ast.BlockStmt
		if g.Body != nil {
			body = g.Body.Body
		} else if fn := st.callee(g.Node.Call); fn != nil && st.decls[fn] != nil {
			body = st.decls[fn].Body
			sig := fn.Type().(*types.Signature)
			for i, a := range g.Node.Call.Args {
				if i < sig.Params().Len() && ctxVar != nil && identVar(info, a) == ctxVar {
					ctxs[sig.Params().At(i)] = true
				}
			}
		}
		if body == nil {
			continue
		}
		if p := st.doneRecv(body, ctxs, ctxFields); p.IsValid() {
			return fmt.Sprintf("the goroutine started on line %d", st.pass.Fset.Position(g.Pos).Line), p
		}
	}
	return "", token.NoPos
}

// doneRecv is the first receive in body from X.Done() where X is one of
// the context variables or fields: the model's Done receives.
func (st *state) doneRecv(body *ast.BlockStmt, ctxs, fields map[*types.Var]bool) token.Pos {
	info := st.pass.TypesInfo
	var at token.Pos
	for _, d := range st.doneRecvs {
		if d.at < body.Pos() || d.at >= body.End() || at.IsValid() && d.at >= at {
			continue
		}
		if v := identVar(info, d.recv); v != nil && ctxs[v] {
			at = d.at
		} else if f := st.fieldOf(d.recv); f != nil && fields[f] {
			at = d.at
		}
	}
	return at
}

func (st *state) where(p, from token.Pos) string {
	if !p.IsValid() {
		return ""
	}
	a, b := st.pass.Fset.Position(p), st.pass.Fset.Position(from)
	if a.Filename == b.Filename {
		return fmt.Sprintf("line %d", a.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(a.Filename), a.Line)
}

// parentCancelled reports whether an argument of call is (or is computed
// from, through local variables: the model's Provenance) a context that
// the calling function cancels itself: the dropped context derives from it
// and ends when it is cancelled (x/net's http2 tests drop roundTrip's
// result and cancel the request's context).
func (st *state) parentCancelled(body *ast.BlockStmt, call *ast.CallExpr) bool {
	info := st.pass.TypesInfo
	cancelled := map[token.Pos]bool{} // contexts whose cancel is used, by declaration
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 2 || len(as.Rhs) != 1 || !st.makesCancel(as.Rhs[0]) {
			return true
		}
		// The function cancels it: the model's calls of the cancel func
		// (directly, deferred, in a closure or a callee), or the cancel
		// func goes where golens cannot follow (and may be called there).
		ctx, cancel := identVar(info, as.Lhs[0]), identVar(info, as.Lhs[1])
		if cc := st.makers[ast.Unparen(as.Rhs[0]).(*ast.CallExpr)]; ctx != nil && cancel != nil && (len(cc.CancelCalls()) > 0 || cc.CancelEscapes() != "") {
			cancelled[ctx.Pos()] = true
		}
		return true
	})
	if len(cancelled) == 0 {
		return false
	}
	m := st.modelOf(call)
	if m == nil {
		return false
	}
	f := chanutil.FuncAt(m, call.Pos())
	for f != nil && f.Parent != nil {
		f = f.Parent
	}
	if f == nil {
		return false
	}
	prov := m.Provenance(f)
	for _, a := range call.Args {
		roots := map[token.Pos]bool{}
		prov.Roots(a, roots)
		for p := range roots {
			if cancelled[p] {
				return true
			}
		}
	}
	return false
}

// recovers reports whether the function holding the statement at cur
// defers a recover (the model's Func.Defers and CallsRecover): the call is
// made to see it panic (a test of invalid arguments), so it may never
// return a result.
func (st *state) recovers(cur inspector.Cursor) bool {
	m := st.modelOf(cur.Node())
	if m == nil {
		return false
	}
	f := chanutil.FuncAt(m, cur.Node().Pos())
	if f == nil {
		return false
	}
	for _, d := range f.Defers {
		if d.Node != nil && m.CallsRecover(d.Node.Call) {
			return true
		}
	}
	return false
}

// modelOf is the model of the file that holds n.
func (st *state) modelOf(n ast.Node) *model.File {
	for _, m := range st.models {
		if m.AST.Pos() <= n.Pos() && n.Pos() < m.AST.FileEnd {
			return m
		}
	}
	return nil
}
