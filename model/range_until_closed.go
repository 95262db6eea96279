package model

import "go/ast"

// Whether a function stays in a range over a channel until the channel is
// closed. A range over a channel ends only when the channel is closed
// (https://go.dev/ref/spec#For_range) or when a way out of its body leaves
// it (LoopExits: a break of it, a return, a goto out, a continue or break
// of an enclosing statement, a call that ends the function or is named like
// one). A worker goroutine whose range has no such way out, and that
// reaches the range on every pass through the statements before it, is
// done only after the close: the waitbeforedrain check reads this to tell
// that a Wait placed before the close never returns, and the range hover
// reads the same LoopExit to say "the loop ends only when ch is closed".

// RangeUntilClosed reports whether the function whose body is body stays
// in rs until rs's channel is closed: rs is one of body's own top-level
// statements (labelled or not), no statement before it holds a return of the function, and
// no way out of rs's body leaves it (LoopExits is empty; a call only named
// like an exit counts as one, so a caller that must stay silent when unsure
// is). Calls before the range and in its body are assumed to return: one
// may still block or end the goroutine, which golens does not see.
func (m *File) RangeUntilClosed(body *ast.BlockStmt, rs *ast.RangeStmt) bool {
	if body == nil || rs == nil || rs.Body == nil {
		return false
	}
	for _, s := range body.List {
		top := s
		if ls, ok := s.(*ast.LabeledStmt); ok {
			top = ls.Stmt // a labelled range is still a top-level statement
		}
		if top == ast.Stmt(rs) {
			return len(m.LoopExits(rs)) == 0
		}
		if HoldsReturn(s) {
			return false // a return before the range may skip it
		}
	}
	return false // not a top-level statement of body
}

// HoldsReturn reports whether n holds a return statement of its own
// function (one outside the function literals in it): control may leave
// the function from inside n.
func HoldsReturn(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		switch x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		}
		return !found
	})
	return found
}
