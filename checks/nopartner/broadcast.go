package nopartner

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
)

// A send used as a broadcast: one value is sent, at most once, but two
// goroutines each wait for one. One of them takes it; the other blocks
// forever (a close wakes every receiver, a send only one).
//
//	go s.serve()   // <-s.done
//	go s.monitor() // <-s.done
//	s.done <- struct{}{}
//
// Reported when the function F that starts the waiters runs once (a test,
// main, a go statement's literal outside loops, or an unexported function
// called from one place outside loops); each waiter is a function started
// by a go statement among F's own top-level statements (nothing before it
// in F can return), whose plain receive is among its own top-level
// statements with nothing before it that can return; the class has one
// send, not in a loop, either in F or in a function F calls once (its only
// call, a top-level statement of F, not exported); no close; and every
// one of these operations, seen from F (receivers, parameters and captured
// variables replaced by what F passes), is on the same channel.

// broadcastBySend reports the second waiter's receive, or false.
func broadcastBySend(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) == 0 || len(c.closes) > 0 || len(c.sends) != 1 || len(c.recvs) < 2 {
		return analysis.Diagnostic{}, false
	}
	s := c.sends[0]
	if s.maybe {
		return analysis.Diagnostic{}, false
	}
	sf := fileAt(pass, s.pos)
	if sf == nil || inLoopAt(pass, s.pos) {
		return analysis.Diagnostic{}, false
	}
	info := pass.TypesInfo
	type waiter struct {
		r    op
		goAt token.Pos
	}
	var waiters []waiter
	var f ast.Node // the starter
	var fBody *ast.BlockStmt
	var want string
	var wantRoot types.Object
	same := func(text string, root types.Object) bool {
		if root == nil {
			return false
		}
		if want == "" {
			want, wantRoot = text, root
			return true
		}
		return text == want && root == wantRoot
	}
	for _, r := range c.recvs {
		if r.maybe || !r.blocking || r.giveUp != nil {
			return analysis.Diagnostic{}, false
		}
		rf := fileAt(pass, r.pos)
		if rf == nil {
			return analysis.Diagnostic{}, false
		}
		g := funcAt(pass, r.pos)
		body := funcBody(g)
		if body == nil {
			return analysis.Diagnostic{}, false
		}
		u, ok := plainReceiveIn(rf, body, r.pos)
		if !ok || !runsEveryCall(pass, r.pos) {
			return analysis.Diagnostic{}, false
		}
		goStmt, _ := onlyGoStart(pass, g)
		if goStmt == nil {
			return analysis.Diagnostic{}, false
		}
		starter := funcAt(pass, goStmt.Pos())
		sb := funcBody(starter)
		if sb == nil || f != nil && starter != f || !slices.Contains(sb.List, ast.Stmt(goStmt)) || !runsEveryCall(pass, goStmt.Pos()) {
			return analysis.Diagnostic{}, false
		}
		f, fBody = starter, sb
		if seen := pkgModel(pass).AsSeenByStarter(g, goStmt, u.X); !seen.ProvenTrue() || !same(seen.Text, seen.Root) {
			return analysis.Diagnostic{}, false
		}
		waiters = append(waiters, waiter{r, goStmt.Pos()})
	}
	if f == nil || !calledOnce(pass, f) {
		return analysis.Diagnostic{}, false
	}
	// The send: in F, or in a function F calls once.
	x := chanExprAt(pass, s.pos)
	if x == nil {
		return analysis.Diagnostic{}, false
	}
	sg := funcAt(pass, s.pos)
	switch {
	case sg == f:
		if !same(types.ExprString(x), rootObject(info, x)) {
			return analysis.Diagnostic{}, false
		}
	default:
		fd, ok := sg.(*ast.FuncDecl)
		if !ok {
			return analysis.Diagnostic{}, false
		}
		call := onlyCallIn(pass, fd, fBody)
		if call == nil {
			return analysis.Diagnostic{}, false
		}
		if seen := pkgModel(pass).AsSeenByStarter(fd, &ast.GoStmt{Call: call}, x); !seen.ProvenTrue() || !same(seen.Text, seen.Root) {
			return analysis.Diagnostic{}, false
		}
	}
	r := waiters[1].r
	return analysis.Diagnostic{Pos: r.pos, End: r.end, Category: name,
		Message: message("broadcast", map[string]any{
			"Chan": want, "Send": chanutil.Where(pass.Fset, s.pos, r.pos), "N": len(waiters),
			"First": chanutil.Where(pass.Fset, waiters[0].r.pos, r.pos),
		}),
		Related: []analysis.RelatedInformation{
			{Pos: s.pos, Message: "the only send, which runs at most once"},
			{Pos: waiters[0].r.pos, Message: "another goroutine waiting for the same value"},
		}}, true
}

// onlyCallIn returns the call of fd when it is fd's only use in the
// package, fd is not exported, and the call is a top-level statement of
// body that every call of body's function runs (the model's RunCertain).
func onlyCallIn(pass *analysis.Pass, fd *ast.FuncDecl, body *ast.BlockStmt) *ast.CallExpr {
	obj := pass.TypesInfo.Defs[fd.Name]
	pkg := pkgModel(pass)
	if obj == nil || pkg == nil || public(pass, obj) {
		return nil
	}
	if calls, other := pkg.CallsOf(obj); len(calls)+other != 1 {
		return nil
	}
	for _, t := range body.List {
		if es, ok := t.(*ast.ExprStmt); ok {
			if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && chanutil.PackageCallee(pass.TypesInfo, pass.Pkg, call) == obj {
				if !runsEveryCall(pass, t.Pos()) {
					return nil
				}
				return call
			}
		}
	}
	return nil
}
