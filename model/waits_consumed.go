package model

import (
	"go/ast"
	"go/token"
)

// consumedSenders removes from others the goroutines whose value on c the
// starting function has already taken when g starts: a goroutine started
// before g that sends on c at most once (each of its sends is followed by
// its return) cannot send a value g competes with, once as many receives
// of c as there are such goroutines have completed between their go
// statements and g's. Each such receive takes one value, and before g
// starts only those goroutines can have sent one when c goes nowhere else
// and nothing closes it: so every one of them has sent its only value and
// it has been taken (idle workers reporting on a shared done channel,
// `go worker(jobs, done); ...; <-done; go worker(jobs2, done); <-done`).
// others is returned unchanged when any of that is not shown.
func (b *builder) consumedSenders(g *Goroutine, c *Chan, parent *Func, home *Goroutine, others []*Goroutine, idx *goIndex) []*Goroutine {
	if g.InLoop || g.Node == nil || parent == nil || parent.Body == nil {
		return others
	}
	var earlier, rest []*Goroutine
	last := token.NoPos // the go statement of the last of them
	for _, g2 := range others {
		if g2.Pos > g.Pos {
			rest = append(rest, g2)
			continue
		}
		if g2.InLoop || g2.enclosingGo() != home || !b.sendsOnceThenEnds(g2, c, idx) || b.goDoes(g2, c, Close, idx) {
			return others
		}
		earlier = append(earlier, g2)
		if g2.Pos > last {
			last = g2.Pos
		}
	}
	if len(earlier) == 0 {
		return others
	}
	recvs := 0
	for _, op := range c.Ops {
		switch {
		case op.Kind == Close:
			return others
		case op.Kind == Send && op.InGo == home && within(op.Pos, parent) && op.Pos < g.Pos:
			return others // the starting function's own send may be the value taken
		case op.Kind == Recv && op.Select == nil && !op.InLoop && op.InGo == home && op.Func == parent &&
			op.Pos > last && op.Pos < g.Pos && b.runsAfter(parent, last, op.Pos):
			recvs++
		}
	}
	if recvs < len(earlier) || !b.chanOnlyToGoStmts(parent, c) {
		return others
	}
	return rest
}

// chanOnlyToGoStmts reports whether parent uses c only in channel
// operations and as an argument of go statements: c is not handed to a
// function that runs in this goroutine, stored or returned, where a send
// golens does not count could come from.
func (b *builder) chanOnlyToGoStmts(parent *Func, c *Chan) bool {
	ok := true
	var stack []ast.Node
	ast.Inspect(parent.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		id, isID := n.(*ast.Ident)
		if !isID || id.Name != c.Name || len(stack) == 0 {
			stack = append(stack, n)
			return true
		}
		up := stack[len(stack)-1]
		var upup ast.Node
		if len(stack) >= 2 {
			upup = stack[len(stack)-2]
		}
		stack = append(stack, n)
		if k, found := b.keyOf(id); !found || b.chans[k] != c {
			return true
		}
		switch p := up.(type) {
		case *ast.SendStmt:
			ok = p.Chan == id
		case *ast.UnaryExpr:
			ok = p.Op == token.ARROW
		case *ast.RangeStmt:
			ok = p.X == id
		case *ast.AssignStmt:
			// c := make(chan T): its declaration.
			ok = false
			for _, l := range p.Lhs {
				if l == id {
					ok = true
				}
			}
		case *ast.CallExpr:
			gs, isGo := upup.(*ast.GoStmt)
			ok = isGo && gs.Call == p && p.Fun != id
		default:
			ok = false
		}
		return true
	})
	return ok
}

// sendsOnceThenEnds reports whether every send g makes on c (in its
// function literal, or in the function of this file `go f(c)` starts) is a
// statement of that function itself, not deferred, and followed by a
// return (or the end of the function's body): g sends on c at most once.
// The function must not hand c to anything else.
func (b *builder) sendsOnceThenEnds(g *Goroutine, c *Chan, idx *goIndex) bool {
	var body *ast.BlockStmt
	var name string
	var sends []*ChanOp
	if g.Body != nil {
		body, name = g.Body.Body, c.Name
		for _, op := range idx.opsByGo(g) {
			if op.Chan == c && op.Kind == Send {
				if op.Func != g.Body || op.Deferred {
					return false
				}
				sends = append(sends, op)
			}
		}
	} else {
		fd := b.declOfCall(g.Node.Call)
		if fd == nil || fd.Body == nil || fd.Type.Params == nil {
			return false
		}
		body = fd.Body
		for i, arg := range g.Node.Call.Args {
			k, ok := b.keyOf(ast.Unparen(arg))
			if !ok || b.chans[k] != c {
				continue
			}
			p := b.paramChan(fd, i)
			if p == nil || name != "" {
				return false // c passed twice, or a parameter golens does not follow
			}
			name = p.Name
			for _, op := range p.Ops {
				if op.Kind == Send && op.Pos > fd.Body.Lbrace && op.Pos < fd.Body.Rbrace {
					if op.Func == nil || op.Func.Body != fd.Body || op.Deferred {
						return false
					}
					sends = append(sends, op)
				}
			}
		}
	}
	if body == nil || name == "" || len(sends) == 0 {
		return false
	}
	for _, op := range sends {
		if !endsAfter(body, op.Pos) {
			return false
		}
	}
	// Every use of the channel in the body is a send or a receive: it
	// goes to no function and no other goroutine.
	ok := true
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, lit := n.(*ast.FuncLit); lit && g.Body == nil {
			ok = false // a literal in the callee: golens does not follow it here
			return false
		}
		id, isID := n.(*ast.Ident)
		if !isID || id.Name != name || len(stack) == 0 {
			stack = append(stack, n)
			return true
		}
		up := stack[len(stack)-1]
		stack = append(stack, n)
		switch p := up.(type) {
		case *ast.SendStmt:
			ok = p.Chan == id
		case *ast.UnaryExpr:
			ok = p.Op == token.ARROW
		case *ast.Field:
			// the parameter's declaration
		default:
			ok = false
		}
		return true
	})
	return ok
}

// endsAfter reports whether the send statement at pos is, in the
// statement list that holds it, followed directly by a return, or is the
// last statement of body itself.
func endsAfter(body *ast.BlockStmt, pos token.Pos) bool {
	if n := len(body.List); n > 0 {
		if s, ok := body.List[n-1].(*ast.SendStmt); ok && s.Arrow == pos {
			return true
		}
	}
	found := false
	check := func(list []ast.Stmt) {
		for i, st := range list {
			if s, ok := st.(*ast.SendStmt); ok && s.Arrow == pos {
				if i+1 < len(list) {
					_, found = list[i+1].(*ast.ReturnStmt)
				}
			}
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if list := stmtList(n); list != nil {
			check(list)
		}
		return true
	})
	return found
}
