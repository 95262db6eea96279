package nopartner

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// The endless producer and the receiver that stops: a goroutine sends on
// an unbuffered channel in a loop that never ends on its own (`for { ... }`
// whose only ways out are select cases on other channels, a stop or
// ctx.Done()), with a plain send; the only loop that receives from the
// channel can leave (a return or break once it has what it wanted). After
// it has left, the producer's next send has no receiver and blocks forever:
// the goroutine leaks (Kubernetes' wait.poller).
//
//	func poll(ctx context.Context, d time.Duration) <-chan struct{} {
//		ch := make(chan struct{})
//		go func() {
//			t := time.NewTicker(d)
//			for {
//				select {
//				case <-t.C:
//					ch <- struct{}{} // blocks forever once waitFor has returned
//				case <-ctx.Done():
//					return
//				}
//			}
//		}()
//		return ch
//	}
//	func waitFor(ctx context.Context, cond func() bool) {
//		for range poll(ctx, time.Second) {
//			if cond() {
//				return
//			}
//		}
//	}
//
// Reported at the producer's send when the channel is made afresh for each
// run of the receiving function (made in it, or in a function only it
// calls) and held only in locals, parameters and results; every send is a
// plain send of one goroutine's endless loop; every close is that
// goroutine's own (it cannot run while the goroutine is blocked); every
// receive is in one loop of another function, which has a return or break
// out of it; and that function closes nothing, sends nothing and calls no
// context cancel function, so its leaving does not stop the producer.

// endlessProducer reports the first send of such a class.
func endlessProducer(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.sends) == 0 || len(c.recvs) == 0 {
		return analysis.Diagnostic{}, false
	}
	for _, v := range c.vars {
		vv, ok := v.(*types.Var)
		if !ok || vv.IsField() || vv.Parent() == pass.Pkg.Scope() {
			return analysis.Diagnostic{}, false
		}
	}
	// The producer: every send in one goroutine's function, in an endless
	// loop of it.
	p, ok := producerOf(pass, c)
	if !ok {
		return analysis.Diagnostic{}, false
	}
	s0, sfile, prod, goStmt := p.send, p.file, p.fn, p.goStmt
	var loop *ast.ForStmt
	for _, s := range c.sends {
		if !s.blocking || s.maybe || fileAt(pass, s.pos) != sfile {
			return analysis.Diagnostic{}, false
		}
		l, fn := loopAround(pass, s.pos)
		f, ok := l.(*ast.ForStmt)
		if !ok || fn != prod || f.Cond != nil || loop != nil && f != loop {
			return analysis.Diagnostic{}, false
		}
		loop = f
	}
	if !endsOnlyBySelect(pass, loop) {
		return analysis.Diagnostic{}, false
	}
	for _, cl := range c.closes {
		if fileAt(pass, cl) != sfile || !(prod.Pos() <= cl && cl < prod.End()) {
			return analysis.Diagnostic{}, false
		}
	}
	// The receiver: one loop of another function, with a way out.
	r0 := c.recvs[0]
	rfile := fileAt(pass, r0.pos)
	if rfile == nil {
		return analysis.Diagnostic{}, false
	}
	rloop, recvFn := loopAround(pass, r0.pos)
	if rloop == nil || recvFn == prod || prod.Pos() <= recvFn.Pos() && recvFn.End() <= prod.End() {
		return analysis.Diagnostic{}, false
	}
	for _, r := range c.recvs {
		if r.maybe || fileAt(pass, r.pos) != rfile {
			return analysis.Diagnostic{}, false
		}
		if l, _ := loopAround(pass, r.pos); l != rloop {
			return analysis.Diagnostic{}, false
		}
	}
	if _, isRange := rloop.(*ast.RangeStmt); isRange && recvFn.Pos() <= goStmt.Pos() && goStmt.Pos() < recvFn.End() {
		// The goroutine started next to a range that stops early is
		// timeoutleak's finding, with the same facts.
		return analysis.Diagnostic{}, false
	}
	body := model.LoopBody(rloop)
	exit := ownExit(pass, rloop, c)
	if exit.What == "" || pkgModel(pass).ReportsTestFailure(body).ProvenTrue() {
		return analysis.Diagnostic{}, false
	}
	if stopsOthers(pass, recvFn, prod) {
		return analysis.Diagnostic{}, false
	}
	// A fresh channel for each run of the receiving function.
	for _, mk := range c.made {
		if !madePerRun(pass, recvFn, mk) {
			return analysis.Diagnostic{}, false
		}
	}
	how := "returns"
	if exit.What == "break" {
		how = "breaks out"
	}
	before := blocksBeforeSend(pass, s0.pos)
	return analysis.Diagnostic{Pos: s0.pos, End: s0.end, Category: name,
		Message: message("endless", map[string]any{
			"Chan": s0.text, "Loop": chanutil.Where(pass.Fset, loop.Pos(), s0.pos),
			"RecvLoop": chanutil.Where(pass.Fset, rloop.Pos(), s0.pos), "Func": funcName(recvFn),
			"How": how, "ExitAt": chanutil.Where(pass.Fset, exit.Pos, s0.pos),
			// Stuck before its next send (a Lock, a Wait: the model's
			// BlocksBeforeSend), the producer may never reach it.
			"Before": before,
		}),
		Related: []analysis.RelatedInformation{
			{Pos: loop.Pos(), Message: "the producer's loop: it never ends on its own"},
			{Pos: rloop.Pos(), Message: "the only loop that receives from the channel"},
			{Pos: exit.Pos, Message: message("stopsHere", map[string]any{"Before": before})},
			{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
		}}, true
}

// ownExit is a way out of the receiving loop (a return, or a break of
// the loop: loopLeaves) that is the receiver's own decision: not in a
// select case on another channel (a ctx.Done() or stop case the producer
// may watch too, so that both may leave together).
func ownExit(pass *analysis.Pass, loop ast.Stmt, c *class) model.LoopExit {
	foreign := commClauses(model.LoopBody(loop), func(cc *ast.CommClause) bool {
		return cc.Comm == nil || !holdsRecv(cc.Comm, c)
	})
	closedOnly := closedGuards(model.LoopBody(loop), c)
	for _, e := range loopLeaves(pass, loop) {
		if !within(foreign, e.Pos) && !within(closedOnly, e.Pos) {
			return e
		}
	}
	return model.LoopExit{}
}

// closedGuards lists the bodies of `if !ok { … }` in body where ok is the
// second result of a comma-ok receive from c (`v, ok := <-ch`): a way out
// there runs only once the channel is closed and drained, so no value
// remains for a sender to block on.
func closedGuards(body *ast.BlockStmt, c *class) []ast.Node {
	oks := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 2 || len(as.Rhs) != 1 || !holdsRecvExpr(as.Rhs[0], c) {
			return true
		}
		if id, ok := as.Lhs[1].(*ast.Ident); ok && id.Name != "_" {
			oks[id.Name] = true
		}
		return true
	})
	if len(oks) == 0 {
		return nil
	}
	var out []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		ifs, ok := n.(*ast.IfStmt)
		if !ok || ifs.Init != nil {
			return true
		}
		if not, ok := ast.Unparen(ifs.Cond).(*ast.UnaryExpr); ok && not.Op == token.NOT {
			if id, ok := ast.Unparen(not.X).(*ast.Ident); ok && oks[id.Name] {
				out = append(out, ifs.Body)
			}
		}
		return true
	})
	return out
}

// holdsRecvExpr reports whether e is a receive of c (<-ch).
func holdsRecvExpr(e ast.Expr, c *class) bool {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return false
	}
	for _, r := range c.recvs {
		if u.Pos() <= r.pos && r.pos < u.End() {
			return true
		}
	}
	return false
}

func holdsRecv(s ast.Stmt, c *class) bool {
	for _, r := range c.recvs {
		if s.Pos() <= r.pos && r.pos < s.End() {
			return true
		}
	}
	return false
}

// commClauses lists the select cases of body (outside function literals)
// that keep says to keep.
func commClauses(body *ast.BlockStmt, keep func(*ast.CommClause) bool) []ast.Node {
	var out []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CommClause:
			if keep(n) {
				out = append(out, n)
			}
		}
		return true
	})
	return out
}

// within reports whether p is inside one of nodes.
func within(nodes []ast.Node, p token.Pos) bool {
	for _, n := range nodes {
		if n.Pos() <= p && p < n.End() {
			return true
		}
	}
	return false
}

// endsOnlyBySelect: every way out of the loop the model lists (LoopExits:
// a return, a break of it, a goto, a labelled branch, a panic) is in the
// body of a select case that receives, not in the loop's own flow: the
// loop runs until another channel says stop. A call that ends the process
// (os.Exit, log.Fatal) does not end the loop for this rule.
func endsOnlyBySelect(pass *analysis.Pass, loop *ast.ForStmt) bool {
	m := modelOf(pass, loop.Pos())
	if m == nil {
		return false
	}
	recvCases := commClauses(loop.Body, func(cc *ast.CommClause) bool {
		_, isSend := cc.Comm.(*ast.SendStmt)
		return cc.Comm != nil && !isSend
	})
	for _, e := range m.LoopExits(loop) {
		switch e.What {
		case "return", "break", "continue", "goto", "panic":
			if !within(recvCases, e.Pos) {
				return false
			}
		}
	}
	return true
}

// stopsOthers: the function (its literals included, the producer's own
// excepted) closes a channel, sends on one (the model's ChanOps), or calls
// a context cancel function: its leaving may be what stops the producer.
func stopsOthers(pass *analysis.Pass, fn, prod ast.Node) bool {
	if sendsOrCloses(pass, fn.Pos(), fn.End(), nil, prod) {
		return true
	}
	info := pass.TypesInfo
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if n == prod {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			if named, ok := types.Unalias(info.TypeOf(call.Fun)).(*types.Named); ok {
				if o := named.Obj(); o.Pkg() != nil && o.Pkg().Path() == "context" && o.Name() == "CancelFunc" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// madePerRun: the make at p is in fn, or in a function declaration whose
// one use is a call inside fn (the model's CallsOf): each run of fn has a
// channel of its own.
func madePerRun(pass *analysis.Pass, fn ast.Node, p token.Pos) bool {
	if fn.Pos() <= p && p < fn.End() {
		return true
	}
	fd := chanutil.DeclAt(pass.Files, p)
	pkg := pkgModel(pass)
	if fd == nil || pkg == nil {
		return false
	}
	obj := pass.TypesInfo.Defs[fd.Name]
	if obj == nil || public(pass, obj) {
		return false
	}
	calls, other := pkg.CallsOf(obj)
	return len(calls) == 1 && other == 0 && fn.Pos() <= calls[0].Call.Pos() && calls[0].Call.Pos() < fn.End()
}

func funcName(fn ast.Node) string {
	if fd, ok := fn.(*ast.FuncDecl); ok {
		return fd.Name.Name
	}
	return "a function literal"
}
