package model

import (
	"go/ast"
	"go/token"
)

// A close written after a loop that never ends never runs: `for range
// ticker.C { ... }; close(done)` — Stop does not close a ticker's channel,
// and with no break or return out of the loop the statement after it is
// never reached. Saying "done is closed at line N" would promise a close
// that the receiver waits for in vain (r15h_ticker_range_after_stop).
//
// markUnreachedCloses sets ChanOp.UnreachedAfter on a close (or the defer
// statement holding one) that follows, in an enclosing block of its own
// function, a for statement without a condition that no pass leaves
// (File.LoopsForever) or a range over a channel of the time package that
// no pass leaves (builder.timeRangeForever). A panic, os.Exit or
// Goexit in the loop ends the goroutine, not just the loop, so the close
// stays unreached.
func (b *builder) markUnreachedCloses() {
	for _, op := range b.m.ChanOps {
		if op.Kind != Close || op.Func == nil || op.Func.Body == nil || op.Node == nil {
			continue
		}
		path := pathTo(op.Func.Body, op.Node)
		for i := len(path) - 1; i > 0 && !op.UnreachedAfter.IsValid(); i-- {
			if _, lit := path[i].(*ast.FuncLit); lit {
				break
			}
			list := stmtList(path[i-1])
			for _, st := range list {
				if ast.Node(st) == path[i] {
					break
				}
				if at := b.endlessLoopAt(st); at.IsValid() {
					op.UnreachedAfter = at
					break
				}
			}
		}
	}
}

// endlessLoopAt is the position of st when it is a loop that never ends
// (see markUnreachedCloses), looking through labels; NoPos otherwise.
func (b *builder) endlessLoopAt(st ast.Stmt) token.Pos {
	for {
		l, ok := st.(*ast.LabeledStmt)
		if !ok {
			break
		}
		st = l.Stmt
	}
	switch l := st.(type) {
	case *ast.ForStmt:
		if b.m.LoopsForever(l) {
			return l.For
		}
	case *ast.RangeStmt:
		if b.timeRangeForever(l) {
			return l.For
		}
	}
	return token.NoPos
}
