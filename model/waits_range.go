package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// A range that waits for a goroutine (it ends when the goroutine closes
// the channel) waits for nothing once a break, return or goto in its body
// leaves it early: the goroutine may then stay blocked on its next send.
// (A receive in a select that can lose is the other way a wait gives up:
// caseCanLose.)

// rangeGivesUp describes how the range op can be left before its channel
// is closed ("the break at line 16 can leave it"), or "" when op is not a
// range or nothing in its body leaves it.
func (b *builder) rangeGivesUp(op *ChanOp) string {
	rs, ok := op.Node.(*ast.RangeStmt)
	if !ok || op.Kind != Range || rs.Body == nil {
		return ""
	}
	// The ways out the range hover names and waitbeforedrain reads
	// (File.LoopExits), those proven to leave: a call only named like an
	// exit (a logger's Fatal) is not said to.
	exit, ok := b.m.LoopExit(rs)
	if !ok || !exit.Proven {
		return ""
	}
	what, pos := exit.What, exit.Pos
	// A later range over the same channel in the same function drains
	// what the first left: it still waits for the close.
	if op.Chan != nil {
		for _, o := range op.Chan.Ops {
			if o != op && o.Kind == Range && o.Func == op.Func && o.Pos > rs.End() {
				return ""
			}
		}
	}
	return "a loop that the " + what + " at line " + itoa(b.m.Line(pos)) + " can leave before the channel is closed"
}

// drainingRange is the later range over the same channel, in the same
// function, that drains what the range op left when a proven way out (a
// break) can leave op before the channel is closed: du's cancellation
// loop breaks out of `for s := range out` and then drains with `for range
// out {}`, and it is the drain that waits for the senders to finish. nil
// when op is not such a range or no such later range follows it.
func (b *builder) drainingRange(op *ChanOp) *ChanOp {
	rs, ok := op.Node.(*ast.RangeStmt)
	if !ok || op.Kind != Range || rs.Body == nil || op.Chan == nil {
		return nil
	}
	if exit, ok := b.m.LoopExit(rs); !ok || !exit.Proven {
		return nil
	}
	for _, o := range op.Chan.Ops {
		if o != op && o.Kind == Range && o.Func == op.Func && o.Pos > rs.End() && o.InGo == op.InGo {
			return o
		}
	}
	return nil
}

// WaitGiveUp says how the wait that WaitedBy names can give up for good,
// leaving the goroutine unwaited: "a select case that can lose to another
// case and leave", "a loop that the break at line 16 can leave before the
// channel is closed"; "" when it cannot (or WaitedBy is "").
func (g *Goroutine) WaitGiveUp() string {
	g.ensureWait()
	if !g.waitMayGiveUp {
		return ""
	}
	if g.waitGiveUpWhy != "" {
		return g.waitGiveUpWhy
	}
	return selectCaseLoses
}

// selectCaseLoses is how a wait that is a select case gives up, in every
// text that says so (WaitGiveUp, doneForWaiterGoroutine).
const selectCaseLoses = "a select case that can lose to another case and leave"

// loopedSend finds a send on c that g makes inside a loop — in its
// function literal, or in the function of this file it calls with c as an
// argument: a single receive after the go statement takes one of its
// values and does not wait for g to end. NoPos when there is none.
func (b *builder) loopedSend(g *Goroutine, c *Chan, idx *goIndex) token.Pos {
	if g.Body != nil {
		for _, op := range idx.opsByGo(g) {
			if op.Chan == c && op.Kind == Send && op.InLoop && !b.returnsAfter(g.Body.Body, op) {
				return op.Pos
			}
		}
		return token.NoPos
	}
	if g.Node == nil {
		return token.NoPos
	}
	fd := b.declOfCall(g.Node.Call)
	if fd == nil {
		// The callee is in another file of the package (typed tier):
		// declOfCall sees only this file's declarations.
		fd = b.pkgDeclOfCall(g.Node.Call)
		if fd == nil || fd.Body == nil || fd.Type.Params == nil {
			return token.NoPos
		}
		for i, arg := range g.Node.Call.Args {
			k, ok := b.keyOf(ast.Unparen(arg))
			if !ok || b.chans[k] != c {
				continue
			}
			if p := b.paramVar(fd, i); p != nil {
				if send := b.sendRunsOnIn(fd.Body, p); send.IsValid() {
					return send
				}
			}
		}
		return token.NoPos
	}
	if fd.Type.Params == nil {
		return token.NoPos
	}
	for i, arg := range g.Node.Call.Args {
		k, ok := b.keyOf(ast.Unparen(arg))
		if !ok || b.chans[k] != c {
			continue
		}
		if p := b.paramChan(fd, i); p != nil { // callargs.go
			for _, op := range p.Ops {
				if op.Kind == Send && op.InLoop && !b.returnsAfter(fd.Body, op) {
					return op.Pos
				}
			}
		}
	}
	return token.NoPos
}

// declOfCall is the declaration, in this file, of the function or method
// a call calls by name (`worker(ready)`, `q.worker(ready)`); nil for
// anything else. A method's arguments bind to its parameters as a
// function's do (the receiver is not one of them), so every question the
// wait search asks of a `go f(c)` statement's callee — does it send on c
// and then go on, close it first, send in a loop — is asked of `go
// q.f(c)` too: without the method, a receive that takes a handoff send
// (ready <- x, then more work) was taken for a wait for the goroutine's
// end.
func (b *builder) declOfCall(call *ast.CallExpr) *ast.FuncDecl {
	if fd := b.m.declOfCall(call); fd != nil {
		return fd
	}
	if _, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		return b.m.fileCallee(call) // exits.go: the method, by the receiver's type
	}
	return nil
}

// returnsAfter reports whether the send op is followed, in its own
// statement list, by a return: `done <- n; return` in a loop sends once.
func (b *builder) returnsAfter(body *ast.BlockStmt, op *ChanOp) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		list := stmtList(n)
		for i, st := range list {
			if st.Pos() <= op.Pos && op.Pos < st.End() {
				if _, isSend := st.(*ast.SendStmt); isSend && i+1 < len(list) {
					if _, ok := list[i+1].(*ast.ReturnStmt); ok {
						found = true
					}
				}
			}
		}
		return true
	})
	return found
}

// closedByEach reports whether every goroutine of g's go statement closes
// c: g is started in a loop and closes c itself (sig, the close in its
// body), or calls a function of this file that closes the parameter it
// passes c to. A receive or range on c then ends at the first of those
// closes (and a second close panics): it does not wait for each goroutine.
func (b *builder) closedByEach(g *Goroutine, c *Chan, sig *ChanOp) bool {
	if !g.InLoop || c == nil {
		return false
	}
	if sig != nil {
		return sig.Kind == Close
	}
	if g.Body != nil || g.Node == nil {
		return false
	}
	fd := b.declOfCall(g.Node.Call)
	if fd == nil || fd.Body == nil {
		return false
	}
	for i, arg := range g.Node.Call.Args {
		k, ok := b.keyOf(ast.Unparen(arg))
		if !ok || b.chans[k] != c {
			continue
		}
		if p := b.paramChan(fd, i); p != nil {
			for _, op := range p.Ops {
				if op.Kind == Close {
					return true
				}
			}
		}
	}
	return false
}

// closedByEachWhy says why a receive or range (e) does not wait for g when
// every goroutine of g's go statement, started in a loop, closes the
// channel (the summary's close, sigs): the wait ends at the first close.
// "" otherwise.
func (b *builder) closedByEachWhy(g *Goroutine, e *Effect, sigs []goSignal) string {
	if !g.InLoop || e.Kind != EffRange && e.Kind != EffRecv {
		return ""
	}
	for _, sg := range sigs {
		if sg.effect.Kind != EffClose || sg.key != e.key && !b.aliased(sg.key, e.key) {
			continue
		}
		if b.declaredPerPass(g, e.key) {
			// done := make(...) in the loop body: each pass declares a
			// new variable (whatever the go version), so each goroutine
			// closes its own channel and the receive of its pass waits
			// for it (held-out review r18p_bus121).
			continue
		}
		wait := "the receive from `" + b.valueName(e.key) + "`"
		if e.Kind == EffRange {
			wait = "range " + b.valueName(e.key)
		}
		return "every goroutine this loop starts closes `" + b.valueName(sg.key) + "` (" + b.m.where(sg.effect.Pos) + "), so " + wait + " at line " + itoa(b.m.Line(e.Pos)) + " ends at the first close, not when this one finishes (and a second close panics)"
	}
	return ""
}

// pkgDeclOfCall is, on the typed tier, the declaration of the function a
// call calls by name anywhere in the package; nil otherwise.
func (b *builder) pkgDeclOfCall(call *ast.CallExpr) *ast.FuncDecl {
	p := b.m.pkg
	if p == nil || b.m.Info == nil || p.Info != b.m.Info {
		return nil
	}
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	}
	fn, ok := b.m.Info.Uses[id].(*types.Func)
	if id == nil || !ok {
		return nil
	}
	return p.FuncDecl(fn)
}

// paramVar is the i-th parameter of fd (the receiver not counted), on
// the typed tier; nil for a variadic or unnamed one.
func (b *builder) paramVar(fd *ast.FuncDecl, i int) *types.Var {
	name := paramIdent(fd, i)
	if name == nil {
		return nil
	}
	if fld := fd.Type.Params.List[len(fd.Type.Params.List)-1]; slices.Contains(fld.Names, name) {
		if _, variadic := fld.Type.(*ast.Ellipsis); variadic {
			return nil // the slice, not the channel passed
		}
	}
	v, _ := b.m.Info.Defs[name].(*types.Var)
	return v
}

// sendRunsOnIn is a send on the variable v, written in a loop of body
// (not in a function literal), after which body goes on running
// (runsOnAfter: it loops again, or runs on after the loop); the
// parameter is never assigned in body. NoPos when there is none.
func (b *builder) sendRunsOnIn(body *ast.BlockStmt, v *types.Var) token.Pos {
	var send token.Pos
	assigned := false
	var loops []ast.Node // the loops around the node being visited
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			return true
		}
		for len(loops) > 0 && n.Pos() >= loops[len(loops)-1].End() {
			loops = loops[:len(loops)-1]
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n)
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && b.m.Info.Uses[id] == v {
					assigned = true
				}
			}
		case *ast.SendStmt:
			if id, ok := ast.Unparen(n.Chan).(*ast.Ident); ok && b.m.Info.Uses[id] == v && !send.IsValid() && len(loops) > 0 && runsOnAfter(body, n.Arrow) {
				send = n.Arrow
			}
		}
		return true
	})
	if assigned {
		return token.NoPos
	}
	return send
}

// handedOnWhy is for a receive op that would wait for g, a `go f(c)`
// statement whose callee f, declared in this file, neither sends on nor
// closes its parameter itself but hands it on to other calls (consume
// passing ready to q.Get, which sends on it and then waits in a
// cond.Wait): the receive returns at that send, and whether g ends then
// golens does not follow. The reason, or "" when f signals on the
// parameter itself (sendBeforeMore and the rules after it judge that).
func (b *builder) handedOnWhy(g *Goroutine, c *Chan, op *ChanOp) string {
	if g.Body != nil || g.Node == nil {
		return ""
	}
	fd := b.declOfCall(g.Node.Call)
	if fd == nil || fd.Body == nil {
		return ""
	}
	for i, arg := range g.Node.Call.Args {
		k, ok := b.keyOf(ast.Unparen(arg))
		if !ok || b.chans[k] != c {
			continue
		}
		p := b.paramChan(fd, i)
		if p == nil {
			return ""
		}
		for _, o := range p.Ops {
			if o.Kind == Send || o.Kind == Close {
				return ""
			}
		}
		var handed *ast.CallExpr
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && handed == nil {
				for _, a := range call.Args {
					if k, ok := b.keyOf(ast.Unparen(a)); ok && b.chans[k] == p {
						handed = call
					}
				}
			}
			return handed == nil
		})
		if handed == nil {
			return ""
		}
		return recvText(op) + " at line " + itoa(b.m.Line(op.Pos)) + " returns at the first value sent on `" + c.Name + "` (or its close); " + fd.Name.Name + " does not send on it itself but hands it to `" + b.text(handed.Fun) + "` (line " + itoa(b.m.Line(handed.Pos())) + "), and golens does not follow whether the goroutine ends after a send made there"
	}
	return ""
}

// declaredPerPass reports whether the variable k is a local declared inside
// the body of the innermost loop around g's go statement (not the loop's
// own variables, which go 1.21 shares across passes): every pass has its
// own.
func (b *builder) declaredPerPass(g *Goroutine, k VarKey) bool {
	c := b.chans[k]
	if c == nil || !c.Local || !c.Decl.IsValid() {
		return false
	}
	var body *ast.BlockStmt
	switch l := b.loopAround(g).(type) {
	case *ast.ForStmt:
		body = l.Body
	case *ast.RangeStmt:
		body = l.Body
	}
	return body != nil && c.Decl > body.Lbrace && c.Decl < body.Rbrace
}
