package waitbeforedrain

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// The same deadlock split across methods of one type, the errgroup shape:
//
//	func (g *group) Go(f func() error) {
//		g.wg.Add(1)
//		go func() {
//			defer g.wg.Done()
//			if err := f(); err != nil {
//				g.errs <- err // unbuffered: waits for a receiver
//			}
//		}()
//	}
//	func (g *group) Wait() error {
//		g.wg.Wait() // waits for the goroutine, which waits for the drain below
//		select {
//		case err := <-g.errs:
//			return err
//		default:
//			return nil
//		}
//	}
//
// Reported at the Wait when a channel field of the package (unexported,
// every value stored in it an unbuffered make, never closed, never passed
// or stored elsewhere, so nothing outside the package can receive from
// it) is sent on only by goroutine literals that a function of the
// package starts after Add on a WaitGroup field and that call Done on that
// field only after the send (or deferred), and every receive from it in
// the package follows a Wait on that same WaitGroup field of the same
// variable, in the same function: nothing can receive before the Wait
// returns, and the Wait cannot return before the send completes.

// fieldDrains reports the field shapes, reading what the package does
// with each channel field from the model (Package.ChanFieldUses).
func fieldDrains(pass *analysis.Pass) {
	res, _ := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	if res == nil || pass.TypesInfo == nil {
		return
	}
	pkg := res.Package
	for _, f := range pkg.ChanFieldUses() {
		if !f.Complete || len(f.Makes) == 0 || len(f.Recvs) == 0 {
			continue
		}
		if d, ok := fieldRangeClose(pass, pkg, f); ok { // rangeclose.go's shape on a field
			pass.Report(d)
			continue
		}
		if f.Buffered || len(f.Sends) == 0 {
			continue
		}
		if d, ok := fieldDeadlock(pass, pkg, f); ok {
			pass.Report(d)
		}
	}
}

// rootVar is the variable r of r.ch.
func rootVar(info *types.Info, x *ast.SelectorExpr) types.Object {
	id, ok := ast.Unparen(x.X).(*ast.Ident)
	if !ok {
		return nil
	}
	return info.Uses[id]
}

func bodyOf(n ast.Node) *ast.BlockStmt {
	switch f := n.(type) {
	case *ast.FuncDecl:
		return f.Body
	case *ast.FuncLit:
		return f.Body
	}
	return nil
}

// waitBefore finds, among the calls that run before the receive on every
// path to it in its own function (model.CallsBefore), the first that is
// r.w.Wait() on the receive's variable r, or a call r.m() of a method
// that waits on a WaitGroup field of its receiver (model.RecvFieldWait).
func waitBefore(info *types.Info, pkg *model.Package, recv *model.ChanFieldOp) (*ast.CallExpr, *types.Var, *ast.CallExpr, bool) {
	body := bodyOf(recv.Func)
	root := rootVar(info, recv.X)
	if body == nil || root == nil {
		return nil, nil, nil, false
	}
	for _, c := range model.CallsBefore(body, recv.Pos) {
		if w, r, ok := model.WaitGroupFieldCall(info, c, "Wait"); ok && r == root {
			return c, w, nil, true
		}
		if w, in, ok := waitingMethod(info, pkg, c, root); ok {
			return c, w, in, true
		}
	}
	return nil, nil, nil, false
}

// waitingMethod: c is r.m(...), a call of a method of the package that
// waits on a WaitGroup field of its receiver before it can return
// (model.RecvFieldWait): the statements after the call run after that
// Wait returned.
func waitingMethod(info *types.Info, pkg *model.Package, c *ast.CallExpr, root types.Object) (*types.Var, *ast.CallExpr, bool) {
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, false
	}
	if id, ok := ast.Unparen(sel.X).(*ast.Ident); !ok || info.Uses[id] != root {
		return nil, nil, false
	}
	fn, _ := info.Uses[sel.Sel].(*types.Func)
	return model.RecvFieldWait(info, pkg.FuncDecl(fn))
}

// countedSender: the send is a plain statement of a goroutine literal
// (go func() { ... }()) whose function first calls r.w.Add before the go
// statement, and whose body calls Done on w only deferred or after the
// send. It returns the go statement.
func countedSender(info *types.Info, s *model.ChanFieldOp, wg *types.Var) (*ast.GoStmt, bool) {
	fl, ok := s.Func.(*ast.FuncLit)
	if s.Choice || !ok || s.Go == nil {
		return nil, false
	}
	// Done on the same field of the same variable as the send's:
	// deferred, or after the send; none before it.
	root := rootVar(info, s.X)
	if root == nil || !model.FieldDoneOnlyAfter(info, fl.Body, wg, root, s.Pos) {
		return nil, false
	}
	// Add on the same field in the starter, before the go statement.
	body := bodyOf(s.GoIn)
	if body == nil {
		return nil, false
	}
	return s.Go, model.FieldAddBefore(info, body, wg, root, s.Go.Pos())
}

// fieldDeadlock checks the shape and builds the finding at the Wait.
func fieldDeadlock(pass *analysis.Pass, pkg *model.Package, f *model.ChanFieldUse) (analysis.Diagnostic, bool) {
	info := pass.TypesInfo
	var wait, inner *ast.CallExpr
	var wg *types.Var
	for _, r := range f.Recvs {
		c, w, in, ok := waitBefore(info, pkg, r)
		if !ok || wg != nil && w != wg {
			return analysis.Diagnostic{}, false
		}
		if wait == nil {
			wait, inner = c, in
		}
		wg = w
	}
	// A close before the Wait would make the sends panic, not block.
	for _, cl := range f.Closes {
		if _, w, _, ok := waitBefore(info, pkg, cl); !ok || w != wg {
			return analysis.Diagnostic{}, false
		}
	}
	// A Done in a goroutine that never sends would not matter; a Done
	// before the send, checked in countedSender, would.
	var goStmt *ast.GoStmt
	for _, s := range f.Sends {
		g, ok := countedSender(info, s, wg)
		if !ok {
			return analysis.Diagnostic{}, false
		}
		if goStmt == nil {
			goStmt = g
		}
	}
	text := types.ExprString(f.Sends[0].X)
	recvText := types.ExprString(f.Recvs[0].X)
	fset := pass.Fset
	at, after := wait, "this Wait"
	related := []analysis.RelatedInformation{
		{Pos: goStmt.Pos(), Message: "this goroutine sends on " + text + " before it is done"},
		{Pos: f.Sends[0].Pos, End: f.Sends[0].End, Message: "the send waits for a receiver"},
		{Pos: f.Recvs[0].Pos, End: f.Recvs[0].End, Message: recvText + " received from here, only after the Wait"},
		{Pos: f.Makes[0], Message: "the channel is made here (unbuffered)"},
	}
	if inner != nil {
		// The Wait is in a method the receiving function calls first:
		// report it there, and the call as where the drain waits.
		at = inner
		after = "the call of " + types.ExprString(wait.Fun) + " returns (the call at " + chanutil.Where(fset, wait.Pos(), inner.Pos()) + ", the receive"
		related = append(related, analysis.RelatedInformation{Pos: wait.Pos(), End: wait.End(), Message: "the receiver calls this first, and receives only after it returns"})
	}
	where := chanutil.Where(fset, f.Recvs[0].Pos, at.Pos())
	if inner != nil {
		where = "at " + where + ")"
		after += " " + where
		where = ""
	}
	return analysis.Diagnostic{
		Pos:      at.Pos(),
		End:      at.End(),
		Category: name,
		Message: fmt.Sprintf("deadlock: %s waits for the goroutine started at %s, which sends on the unbuffered channel %s before it is done; %s is received from only after %s%s: once the goroutine sends, neither side can go on",
			types.ExprString(at), chanutil.Where(fset, goStmt.Pos(), at.Pos()), text, recvText, after, parenthesized(where)),
		Related: related,
	}, true
}

func parenthesized(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// fieldRangeClose: a goroutine counted by a WaitGroup field ranges over
// the channel field, and every close of the field follows a Wait on that
// WaitGroup field (the dispatcher whose Close waits for its loop before
// closing the loop's channel).
//
//	func newDispatcher() *dispatcher {
//		d := &dispatcher{events: make(chan string)}
//		d.wg.Add(1)
//		go d.loop() // defer d.wg.Done(); for e := range d.events { ... }
//		return d
//	}
//	func (d *dispatcher) Close() {
//		d.wg.Wait() // never returns
//		close(d.events)
//	}
func fieldRangeClose(pass *analysis.Pass, pkg *model.Package, f *model.ChanFieldUse) (analysis.Diagnostic, bool) {
	info := pass.TypesInfo
	if len(f.Closes) == 0 {
		return analysis.Diagnostic{}, false
	}
	var wait, inner *ast.CallExpr
	var wg *types.Var
	for _, cl := range f.Closes {
		c, w, in, ok := waitBefore(info, pkg, cl)
		if !ok || wg != nil && w != wg {
			return analysis.Diagnostic{}, false
		}
		if wait == nil {
			wait, inner = c, in
		}
		wg = w
	}
	for _, r := range f.Recvs {
		rs, ok := r.Node.(*ast.RangeStmt)
		if !ok {
			continue
		}
		g, ok := rangingGoroutine(pass, pkg, r, rs, wg)
		if !ok {
			continue
		}
		at := wait
		if inner != nil {
			at = inner
		}
		fset := pass.Fset
		text := types.ExprString(r.X)
		cl := f.Closes[0]
		related := []analysis.RelatedInformation{
			{Pos: g.Pos(), Message: "this goroutine is done only after its range over " + text + " ends"},
			{Pos: rs.For, End: rs.X.End(), Message: "the range ends only when the channel is closed"},
			{Pos: cl.Pos, End: cl.End, Message: "closed here, after the Wait"},
		}
		if inner != nil {
			related = append(related, analysis.RelatedInformation{Pos: wait.Pos(), End: wait.End(), Message: "the close runs only after this call returns"})
		}
		return analysis.Diagnostic{
			Pos:      at.Pos(),
			End:      at.End(),
			Category: name,
			Message: fmt.Sprintf("deadlock: %s waits for the goroutine started at %s, which ranges over %s until it is closed; it is closed only after this Wait (%s): the range never ends, so the goroutine is never done and the Wait never returns",
				types.ExprString(at), chanutil.Where(fset, g.Pos(), at.Pos()), text, chanutil.Where(fset, cl.Pos, at.Pos())),
			Related: related,
		}, true
	}
	return analysis.Diagnostic{}, false
}

// rangingGoroutine: the range is a top-level statement, with no return
// before it and no way out of its body, of a function run by a go
// statement (a literal, or a method started as go r.m()) after Add on the
// WaitGroup field of the same variable, and that function calls Done on
// that field of the range's variable deferred or after the range.
func rangingGoroutine(pass *analysis.Pass, pkg *model.Package, r *model.ChanFieldOp, rs *ast.RangeStmt, wg *types.Var) (*ast.GoStmt, bool) {
	info := pass.TypesInfo
	body := bodyOf(r.Func)
	root := rootVar(info, r.X)
	if body == nil || root == nil {
		return nil, false
	}
	if m := fileModel(pass, rs.Pos()); m == nil || !m.RangeUntilClosed(body, rs) {
		return nil, false
	}
	if !model.FieldDoneOnlyAfter(info, body, wg, root, rs.Pos()) {
		return nil, false
	}
	// The go statement that runs the function, and the root the starter
	// passes (the literal's captured variable, or the method's receiver
	// expression).
	var g *ast.GoStmt
	var starterRoot types.Object
	var starter ast.Node
	switch fnode := r.Func.(type) {
	case *ast.FuncLit:
		if r.Go == nil {
			return nil, false
		}
		g, starterRoot, starter = r.Go, root, r.GoIn
	case *ast.FuncDecl:
		if _, recv := pkg.Receiver(fnode); recv == nil || types.Object(recv) != root { // the model's receiver
			return nil, false
		}
		// Started once, as `go r.m()`, and named nowhere else
		// (Package.OnlyGoStart; exported or not, as before).
		start, ok := pkg.OnlyGoStart(fnode, func(types.Object) bool { return false })
		if !ok {
			return nil, false // run some other way too
		}
		g = start.Stmt
		if sel, ok := ast.Unparen(g.Call.Fun).(*ast.SelectorExpr); ok {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
				starterRoot = info.Uses[id]
			}
		}
		if starterRoot == nil {
			return nil, false
		}
		if m := fileModel(pass, g.Pos()); m != nil {
			if f := m.FuncAt(g.Pos()); f != nil {
				starter = f.Node
			}
		}
	default:
		return nil, false
	}
	// Add before the go statement, in the function holding it.
	sbody := bodyOf(starter)
	if sbody == nil {
		return nil, false
	}
	return g, model.FieldAddBefore(info, sbody, wg, starterRoot, g.Pos())
}

// fileModel is the model of the package file holding p (modelpass).
func fileModel(pass *analysis.Pass, p token.Pos) *model.File {
	res, _ := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	if res == nil {
		return nil
	}
	for _, m := range res.Order {
		if m.AST != nil && m.AST.FileStart <= p && p < m.AST.FileEnd {
			return m
		}
	}
	return nil
}
