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
	for cur := range ins.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if !waits[call] {
			continue
		}
		cond := objOf(info, call.Fun.(*ast.SelectorExpr).X)
		if cond == nil {
			continue
		}
		for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
			if _, ok := c.Node().(*ast.FuncLit); ok {
				break
			}
			if _, ok := c.Node().(*ast.FuncDecl); ok {
				break
			}
			fs, ok := c.Node().(*ast.ForStmt)
			if !ok {
				continue
			}
			if fs.Cond != nil {
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
			break
		}
	}
	if len(loops) == 0 {
		return
	}
	signals := modelCondSignals(pass)
	for cur := range ins.Root().Preorder((*ast.ExprStmt)(nil)) {
		es := cur.Node().(*ast.ExprStmt)
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || !signals[call] {
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
		if body == nil || strings.HasSuffix(name, "Locked") || locksBefore(pass, body, call.Pos()) || !callersUnlocked(pass, ins, cur) {
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

// locksBefore: the function takes some lock (any Lock or RLock call,
// c.L.Lock() included) before pos. Which mutex c.L is cannot always be
// told by name, so any lock silences the check.
// A call of a function of the package that locks (cr.lock()) counts too.
func locksBefore(pass *analysis.Pass, body *ast.BlockStmt, pos token.Pos) bool {
	return locksIn(pass, body, pos, 3)
}

func locksIn(pass *analysis.Pass, body *ast.BlockStmt, pos token.Pos, depth int) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || c.Pos() >= pos {
			return !found
		}
		var id *ast.Ident
		switch f := ast.Unparen(c.Fun).(type) {
		case *ast.SelectorExpr:
			if f.Sel.Name == "Lock" || f.Sel.Name == "RLock" {
				found = true
			}
			id = f.Sel
		case *ast.Ident:
			id = f
		}
		if !found && id != nil && depth > 0 {
			if fn, ok := pass.TypesInfo.Uses[id].(*types.Func); ok && fn.Pkg() == pass.Pkg {
				if fd := declOf(pass, fn); fd != nil && fd.Body != nil && locksIn(pass, fd.Body, fd.Body.End(), depth-1) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

func declOf(pass *analysis.Pass, fn *types.Func) *ast.FuncDecl {
	for _, f := range pass.Files {
		if f.FileStart <= fn.Pos() && fn.Pos() <= f.FileEnd {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Pos() == fn.Pos() {
					return fd
				}
			}
		}
	}
	return nil
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
		if body == nil || locksBefore(pass, body, id.Pos()) {
			ok = false
		}
	}
	return ok
}
