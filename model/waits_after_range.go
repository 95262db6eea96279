package model

import "go/ast"

// A range that waits for a goroutine can give up: a break leaves it
// before the channel is closed, and "then nothing waits for it" is what
// the go hover says. The function may still wait for the goroutine after
// the loop, on another channel the goroutine signals as its last act (a
// deferred `done <- result`, a final close): a producer whose consumer
// breaks early and then reads the producer's report. Then something still
// waits for it, and the wait after the loop is said instead.

// waitAfterRange records in g what waits once the range op, which a break
// can leave, has been left: a receive, in the statements that follow the
// range in its own statement list, from another channel g signals, which
// judgeWait finds waits for g's end (the test a direct wait passes).
// Every way out of the range must lead there: only breaks of the range
// itself (no return, goto, break of an outer loop or exit call), the
// range in no loop of its own function, and no statement between them
// that can leave or that only may run (a compound statement).
func (b *builder) waitAfterRange(g *Goroutine, op *ChanOp, chans []*Chan, sigOps []*ChanOp, parent *Func, home *Goroutine, idx *goIndex) {
	rs, ok := op.Node.(*ast.RangeStmt)
	if !ok || op.Kind != Range || op.InLoop || op.Select != nil || op.Func == nil || op.Func.Body == nil {
		return
	}
	for _, e := range b.m.LoopExits(rs) {
		if !e.OfLoop {
			return // a return, a goto, an exit, a break of another statement
		}
	}
	rest, ok := stmtsAfter(op.Func.Body, rs)
	if !ok {
		return
	}
	for _, st := range rest {
		switch st.(type) {
		case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt, *ast.DeclStmt, *ast.SendStmt, *ast.IncDecStmt, *ast.GoStmt, *ast.DeferStmt, *ast.EmptyStmt:
		default:
			return // a compound statement: the receive in it may not run
		}
		for ci, c := range chans {
			if c == op.Chan {
				continue
			}
			for _, o := range c.Ops {
				if o.Kind != Recv || o.Select != nil || o.InLoop || o.Func != op.Func || o.InGo != home || o.Pos < st.Pos() || o.Pos >= st.End() {
					continue
				}
				if !within(o.Pos, parent) || !b.runsInParent(o.Func, parent) {
					return
				}
				if v, _ := b.judgeWait(g, c, o, sigOps[ci], chans, parent, home, idx); v == waitHolds {
					g.waitThen, g.waitThenWaits = "`<-"+o.ChanExpr+"` at line "+itoa(b.m.Line(o.Pos))+" waits for it", true
				}
				return // the first receive decides: a later one may take a value this one left
			}
		}
		if b.leaves(st, "") {
			return
		}
	}
}

// stmtsAfter returns the statements that follow st in the statement list
// that holds it, in body (not in a function literal); ok is false when st
// is not found there, or a loop encloses it (its followers then run again
// before the loop's own followers).
func stmtsAfter(body *ast.BlockStmt, st ast.Stmt) (rest []ast.Stmt, ok bool) {
	var walk func(n ast.Node, inLoop bool) bool
	walk = func(n ast.Node, inLoop bool) bool {
		found := false
		ast.Inspect(n, func(x ast.Node) bool {
			if found || x == nil {
				return false
			}
			if x != n {
				switch x := x.(type) {
				case *ast.FuncLit:
					return false
				case *ast.ForStmt, *ast.RangeStmt:
					if x.Pos() <= st.Pos() && st.End() <= x.End() && ast.Stmt(x.(ast.Stmt)) != st {
						if walk(x, true) {
							found = true
						}
						return false
					}
				}
			}
			list := stmtList(x)
			for i, s := range list {
				if s == st {
					if !inLoop {
						rest, ok = list[i+1:], true
					}
					found = true
					return false
				}
			}
			return true
		})
		return found
	}
	walk(body, false)
	return rest, ok
}
