package model

import (
	"go/ast"
	"go/token"
)

// A send or close that is the last statement of a goroutine is not its
// last act when a deferred call runs after it and can wait: `defer
// func() { <-stop }()` before `result <- v` leaves the goroutine blocked
// after main took the value. A receive of that value waits for the send,
// not for the goroutine to finish, so "main waits for it with <-result"
// would be false (the run leaks the goroutine).

// deferWaitsAfter returns an operation that can wait in a deferred call
// that runs after the operation at pos, in body's function: when pos is in
// a defer statement of body, the defer statements written before that one
// (registered earlier, run later); otherwise every defer statement of body
// (each runs when the function returns, after pos). A defer statement
// counts when its call waits on a channel (a send, a receive or a range
// outside a select with a default), on a Lock or RLock, on a WaitGroup's
// Wait or in time.Sleep — in its own function literal, or in the body of
// the function of this file it calls. Function literals of body other
// than deferred ones are not its flow. NoPos when there is none (as far
// as golens sees: a call it cannot see into is taken to return).
func (b *builder) deferWaitsAfter(body *ast.BlockStmt, pos token.Pos) token.Pos {
	return b.deferWaitsAfterFrom(body, pos, false)
}

// deferWaitsAfterLast is deferWaitsAfter for an operation at pos that is
// its function's last act (runsOnAfter is false: only a return or the end
// of the body follows it), not itself deferred: a wait that runs only on a
// panic path (recover_guard.go) runs instead of it, never after it, and is
// passed over.
func (b *builder) deferWaitsAfterLast(body *ast.BlockStmt, pos token.Pos) token.Pos {
	return b.deferWaitsAfterFrom(body, pos, true)
}

func (b *builder) deferWaitsAfterFrom(body *ast.BlockStmt, pos token.Pos, last bool) token.Pos {
	if body == nil {
		return token.NoPos
	}
	var defers []*ast.DeferStmt
	var own *ast.DeferStmt
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if n.Pos() <= pos && pos < n.End() {
				own = n
			} else {
				defers = append(defers, n)
			}
			return false
		}
		return true
	})
	for _, d := range defers {
		if own != nil && d.Pos() > own.Pos() {
			continue // registered after pos's own defer: runs before it
		}
		// A wait under `if r := recover(); r != nil` runs only on a
		// panic path (recover_guard.go). When pos is in no defer of its
		// own and nothing but a return follows it (last), that path did
		// not complete pos: the wait runs instead of it, not after it. A
		// pos in a deferred call can run while a panic unwinds: then
		// every wait counts.
		if at := b.waitsWithin(d.Pos(), d.End(), last && own == nil); at.IsValid() {
			return at
		}
		if fd := b.declOfCall(d.Call); fd != nil && fd.Body != nil {
			if at := b.waitsWithin(fd.Body.Pos(), fd.Body.End(), false); at.IsValid() {
				return at
			}
		}
	}
	return token.NoPos
}

// waitsWithin returns the first operation in [from, to) that can wait
// (deferWaitsAfter's kinds); NoPos when there is none. With skipGuarded,
// operations under a recover guard (RecoverGuarded) are passed over.
func (b *builder) waitsWithin(from, to token.Pos, skipGuarded bool) token.Pos {
	in := func(p token.Pos) bool { return p >= from && p < to && !(skipGuarded && b.m.RecoverGuarded(p)) }
	for _, op := range b.m.ChanOps {
		if !in(op.Pos) || op.Kind != Send && op.Kind != Recv && op.Kind != Range {
			continue
		}
		if op.Select != nil && op.Select.Select != nil && op.Select.Select.Default != nil {
			continue // a select with a default never waits
		}
		return op.Pos
	}
	for _, l := range b.m.Locks {
		if in(l.Pos) && (l.Kind == Lock || l.Kind == RLock) {
			return l.Pos
		}
	}
	for _, w := range b.m.WaitGroups {
		if in(w.Pos) && w.Kind == WGWait {
			return w.Pos
		}
	}
	for _, t := range b.m.TimeCalls {
		if in(t.Pos) && t.Name == "Sleep" {
			return t.Pos
		}
	}
	return token.NoPos
}

// runsOnText says why the goroutine goes on after its send or close
// (verb): "the goroutine goes on running after that send", or, when a call
// it defers runs after it and can wait (deferWait), "a call the goroutine
// defers runs after that send and can wait (line 14)".
func (b *builder) runsOnText(verb string, deferWait token.Pos) string {
	if deferWait.IsValid() {
		return "a call the goroutine defers runs after that " + verb + " and can wait (line " + itoa(b.m.Line(deferWait)) + ")"
	}
	return "the goroutine goes on running after that " + verb
}

// doneBeforeMore returns where g's Done d (written in g's own function
// literal, not deferred) is followed by more of g: statements after it
// (runsOnAfter: then d's own position), or a call g defers that runs after
// it and can wait (deferWaitsAfter: that call's wait). A Wait on the
// WaitGroup then returns at the Done, not when g finishes. NoPos when the
// Done is g's last act that can wait. A deferred Done is the go hover's
// AfterDone: it names the deferred calls that run after it.
func (b *builder) doneBeforeMore(g *Goroutine, d *WaitGroupOp) token.Pos {
	if g.Body == nil || g.Body.Body == nil || d.Deferred || d.Func != g.Body || d.Call == nil {
		return token.NoPos
	}
	if runsOnAfter(g.Body.Body, d.Call.Pos()) {
		return d.Pos
	}
	return b.deferWaitsAfterLast(g.Body.Body, d.Pos)
}

// doneBeforeMoreWait is the deferred call's wait behind doneBeforeMore, or
// NoPos when it is the statements after the Done.
func (b *builder) doneBeforeMoreWait(g *Goroutine, d *WaitGroupOp) token.Pos {
	if p := b.doneBeforeMore(g, d); p != d.Pos {
		return p
	}
	return token.NoPos
}

// handedDoneBeforeMore: g runs a function of this file (fd, not
// summarised: the syntax tier's methods by an unknown receiver type) that
// is handed the WaitGroup as its argument i, and fd calls Done on that
// parameter, not deferred, with more of fd after it (runsOnAfter): a Wait
// then returns at that Done — `started.Done()` as run's first statement
// signals that run has started, not that it ended. It returns that Done,
// or nil when there is none or fd is not found (the caller then keeps its
// reading of the argument). When the receiver's type is not known (x.run
// with x of a type the file alone does not give), the file's only method
// of that name is taken, and byName says so: the caller's reason then
// names it as a condition, since a method of another file may be the one
// called. Either way the claim it withholds ("waits for it") is one
// golens could not prove.
func (b *builder) handedDoneBeforeMore(g *Goroutine, i int) (done *WaitGroupOp, byName *ast.FuncDecl) {
	if g.Node == nil || g.Node.Call == nil {
		return nil, nil
	}
	fd := b.declOfCall(g.Node.Call)
	if fd == nil {
		if sel, ok := ast.Unparen(g.Node.Call.Fun).(*ast.SelectorExpr); ok {
			for _, d := range b.m.AST.Decls {
				if m, ok := d.(*ast.FuncDecl); ok && m.Recv != nil && m.Name.Name == sel.Sel.Name {
					if byName != nil {
						return nil, nil // two methods of that name: which one is not known
					}
					byName = m
				}
			}
			fd = byName
		}
	}
	if fd == nil || fd.Body == nil || fd.Type.Params == nil {
		return nil, nil
	}
	name, n := "", 0
	for _, f := range fd.Type.Params.List {
		for _, id := range f.Names {
			if n == i {
				name = id.Name
			}
			n++
		}
		if len(f.Names) == 0 {
			n++
		}
	}
	if name == "" || name == "_" {
		return nil, nil
	}
	for _, w := range b.m.WaitGroups {
		if w.Kind != WGDone || w.Deferred || w.Call == nil || w.Recv != name || w.Pos < fd.Body.Lbrace || w.Pos >= fd.Body.Rbrace {
			continue
		}
		if w.Func == nil || w.Func.Node != ast.Node(fd) {
			continue // in a function literal of fd: not fd's own flow
		}
		if runsOnAfter(fd.Body, w.Call.Pos()) {
			return w, byName
		}
	}
	return nil, nil
}
