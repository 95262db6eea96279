package condwait

import (
	"embed"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"text/template"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks/modelpass"
)

// The lost wakeup: the waiter checks its condition under c.L and then
// waits; a signaler that changes the condition and signals without holding
// c.L can run in between, when nobody waits yet, and its Signal is lost.

//go:embed messages.tmpl
var messageFiles embed.FS

var messages = template.Must(template.ParseFS(messageFiles, "messages.tmpl"))

func message(name string, d map[string]any) string {
	var b strings.Builder
	if err := messages.ExecuteTemplate(&b, name, d); err != nil {
		panic(err) // embedded and exercised by the analysistest cases
	}
	return b.String()
}

// objOf is the variable or field an expression names: x, s.f.
func objOf(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			return v
		}
	case *ast.SelectorExpr:
		if s := info.Selections[e]; s != nil && s.Kind() == types.FieldVal {
			return s.Obj()
		}
	}
	return nil
}

// waitLoop is a Wait inside a for loop with a condition: the variables the
// condition reads.
type waitLoop struct {
	pos  token.Pos
	vars map[types.Object]bool
}

func lostWakeups(pass *analysis.Pass, ins *inspector.Inspector) {
	info := pass.TypesInfo
	loops := map[types.Object][]waitLoop{} // by the Cond's variable or field
	waits := modelCondWaits(pass)
	for _, m := range pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order {
		for _, cw := range m.CondWaits() {
			addWaitLoop(info, loops, waits[cw.Call])
		}
	}
	if len(loops) == 0 {
		return
	}
	signals := modelCondSignals(pass)
	for cur := range ins.Root().Preorder((*ast.ExprStmt)(nil)) {
		es := cur.Node().(*ast.ExprStmt)
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok {
			continue
		}
		sm := signals[call]
		if sm == nil {
			continue
		}
		se := call.Fun.(*ast.SelectorExpr)
		cond := objOf(info, se.X)
		if cond == nil || len(loops[cond]) == 0 {
			continue
		}
		block, ok := cur.Parent().Node().(*ast.BlockStmt)
		if !ok {
			continue
		}
		body, name := enclosingBody(cur)
		if body == nil || strings.HasSuffix(name, "Locked") || sm.LocksBefore(call.Pos()) || !callersUnlocked(pass, ins, cur) {
			continue
		}
		// The assignment right before it, in its block, of a variable a
		// Wait loop's condition reads.
		var set ast.Stmt
		var setText string
		var loop waitLoop
		for _, st := range block.List {
			if st.Pos() >= es.Pos() {
				break
			}
			var lhs []ast.Expr
			switch st := st.(type) {
			case *ast.AssignStmt:
				lhs = st.Lhs
			case *ast.IncDecStmt:
				lhs = []ast.Expr{st.X}
			}
			for _, l := range lhs {
				o := objOf(info, l)
				for _, wl := range loops[cond] {
					if o != nil && wl.vars[o] {
						set, setText, loop = st, types.ExprString(l), wl
					}
				}
			}
		}
		if set == nil {
			continue
		}
		recv := types.ExprString(se.X)
		pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: name,
			Message: message("lostWakeup", map[string]any{
				"Cond": recv, "Method": se.Sel.Name, "Var": setText,
				"SetLine": pass.Fset.Position(set.Pos()).Line, "LoopLine": pass.Fset.Position(loop.pos).Line,
				"SameFile": pass.Fset.Position(loop.pos).Filename == pass.Fset.Position(call.Pos()).Filename,
			}),
			Related: []analysis.RelatedInformation{
				{Pos: set.Pos(), Message: setText + " is changed here without the lock"},
				{Pos: loop.pos, Message: "the waiter checks it here, under " + recv + ".L, before it waits"},
			}})
	}
}

func enclosingBody(c inspector.Cursor) (*ast.BlockStmt, string) {
	for ; c.Node() != nil; c = c.Parent() {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return n.Body, ""
		case *ast.FuncDecl:
			return n.Body, n.Name.Name
		}
	}
	return nil, ""
}

// callersUnlocked: the signaling function is a function literal, or a
// declared function whose every caller in the package calls it with no
// lock taken before the call.
func callersUnlocked(pass *analysis.Pass, ins *inspector.Inspector, at inspector.Cursor) bool {
	var fd *ast.FuncDecl
	for c := at; c.Node() != nil; c = c.Parent() {
		if _, ok := c.Node().(*ast.FuncLit); ok {
			return true
		}
		if d, ok := c.Node().(*ast.FuncDecl); ok {
			fd = d
			break
		}
	}
	if fd == nil {
		return false
	}
	fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if fn == nil {
		return false
	}
	ok := true
	for cur := range ins.Root().Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if pass.TypesInfo.Uses[id] != fn {
			continue
		}
		body, _ := enclosingBody(cur)
		if body == nil || lockedAt(pass, id.Pos()) {
			ok = false
		}
	}
	return ok
}

// lockedAt: the function holding pos takes some lock before it
// (File.LocksBefore, in whichever file of the package pos is).
func lockedAt(pass *analysis.Pass, pos token.Pos) bool {
	for _, m := range pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order {
		if m.AST != nil && pos >= m.AST.FileStart && pos < m.AST.FileEnd {
			return m.LocksBefore(pos)
		}
	}
	return false
}

// addWaitLoop records the predicate loop around the Wait w (the model's
// File.WaitRecheck): a for statement whose condition is checked again
// after each Wait, and the variables the condition reads.
func addWaitLoop(info *types.Info, loops map[types.Object][]waitLoop, w condWait) {
	call := w.wait.Call
	cond := objOf(info, call.Fun.(*ast.SelectorExpr).X)
	if cond == nil {
		return
	}
	fs, ok := w.m.WaitRecheck(w.wait).Loop.(*ast.ForStmt)
	if !ok || fs.Cond == nil {
		return
	}
	vars := map[types.Object]bool{}
	ast.Inspect(fs.Cond, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			if o := objOf(info, e); o != nil {
				vars[o] = true
			}
		}
		return true
	})
	loops[cond] = append(loops[cond], waitLoop{fs.For, vars})
}
