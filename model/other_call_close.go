package model

import (
	"go/ast"
	"go/token"
)

// Whether a close that runs only on some paths can close the channel
// before a receive in the same call. The memo of chapter 9:
//
//	func (memo *Memo) Get(key string) (int, error) {
//		e := memo.cache[key]
//		if e == nil {
//			e = &entry{ready: make(chan struct{})}
//			...
//			close(e.ready)
//		} else {
//			<-e.ready
//		}
//
// The close runs when e == nil; the receive only when e != nil. The call
// that receives never closes: the close the receive waits for is made by
// another call of Get (the one that made the entry). "ready may be closed
// at line N (only when e == nil)" names a condition of the closing call's
// path as if it were this receive's.

// OtherCallClose is a close that, in one call of the function holding it
// and a receive, never runs before that receive: the two sit on branches
// of an if that exclude each other, or the close's branch returns before
// the code holding the receive.
type OtherCallClose struct {
	// Branch is the block of the if holding the close (its body or its
	// else).
	Branch ast.Node
	// Func is the function holding both.
	Func *Func
}

// CloseInOtherCall reports whether the close cl cannot run before the
// receive at in the same call of the function holding both (see
// OtherCallClose); nil when it can, or golens cannot tell. Only for a
// close and a receive written in the same function (not in a function
// literal of the other), with no loop around the if inside that function
// when the two sit on its two branches (a later pass of the loop could
// take the other branch).
func (m *File) CloseInOtherCall(at, cl *ChanOp) *OtherCallClose {
	if m == nil || at == nil || cl == nil || at.Func == nil || at.Func != cl.Func || at.Func.Body == nil {
		return nil
	}
	fn := at.Func
	path, _ := EnclosingPath(m.AST, cl.Pos, cl.Pos)
	for i, n := range path {
		if n == fn.Node || n == fn.Body {
			return nil
		}
		switch n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil // a literal inside fn: not the same function
		}
		ifs, ok := n.(*ast.IfStmt)
		if !ok || i == 0 {
			continue
		}
		child := path[i-1]
		var branch, other ast.Node
		switch {
		case child == ifs.Body:
			branch, other = ifs.Body, ifs.Else
		case ifs.Else != nil && child == ifs.Else:
			branch, other = ifs.Else, ifs.Body
		default:
			continue // the condition or the init statement
		}
		if other != nil && other.Pos() <= at.Pos && at.Pos < other.End() {
			// On the other branch: exclusive unless a loop inside fn
			// runs the if again.
			if loopBetween(path[i+1:], fn) {
				return nil
			}
			return &OtherCallClose{Branch: branch, Func: fn}
		}
		if at.Pos >= ifs.End() && m.leavesFunc(branch) {
			// After the if, and the close's branch leaves the function.
			return &OtherCallClose{Branch: branch, Func: fn}
		}
	}
	return nil
}

// loopBetween reports a for or range statement among the nodes of path up
// to fn's body.
func loopBetween(path []ast.Node, fn *Func) bool {
	for _, n := range path {
		if n == fn.Node || n == fn.Body {
			return false
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
	}
	return false
}

// leavesFunc reports a block whose last statement returns, panics or ends
// the program: nothing written after it runs in the same call. (Not a
// break or continue: a loop's next pass can reach the code after it.)
func (m *File) leavesFunc(branch ast.Node) bool {
	b, ok := branch.(*ast.BlockStmt)
	if !ok || len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
			return true
		}
		_, exits := m.ExitCall(call)
		return exits
	}
	return false
}

// OtherCallCloser is the function another call of which makes every close
// in closes that concerns at (a close of the same field of another value,
// CloseOfOtherValue, does not), when none of them can run before at in
// at's own call (CloseInOtherCall); nil when one can. made is the
// channel's only make when it sits on the closing branch before the
// close ("the one that made it at line 32"), NoPos otherwise. The
// receive and range hovers and their hints state this one fact.
func (m *File) OtherCallCloser(at *ChanOp, closes []*ChanOp) (fn *Func, made token.Pos) {
	if at == nil || at.Chan == nil || at.Kind != Recv && at.Kind != Range {
		return nil, token.NoPos
	}
	c := at.Chan
	madeHere := len(c.Makes) == 1
	for _, cl := range closes {
		if c.IsField && m.CloseOfOtherValue(at, cl) {
			continue
		}
		o := m.CloseInOtherCall(at, cl)
		if o == nil {
			return nil, token.NoPos
		}
		fn = o.Func
		if madeHere {
			mk := c.Makes[0].Pos
			madeHere = o.Branch.Pos() <= mk && mk < cl.Pos
		}
	}
	if fn != nil && madeHere {
		made = c.Makes[0].Pos
	}
	return fn, made
}
