package model

import "go/ast"

// OtherCloses lists the closes of cl's channel, other than cl, that can
// both run with it and so close it twice: in cl's function, those the
// flow (ReachAfter, either way) puts on one path with cl, so not one in
// the other branch of an if; in another function, all of them (when that
// runs relative to cl is not known here). A close whose statement the
// flow does not place (`go close(ch)`) is kept. The close hover reads it.
func (m *File) OtherCloses(cl *ChanOp) []*ChanOp {
	if cl == nil || cl.Chan == nil {
		return nil
	}
	var out []*ChanOp
	for _, c := range cl.Chan.Closes() {
		if c == cl || m.CloseOfOtherValue(cl, c) {
			continue // the same field of another value: another channel
		}
		if c.Func == cl.Func {
			a, b := closeStmt(c), closeStmt(cl)
			if a != nil && b != nil && m.ReachAfter(b, c.Pos) == ReachNever && m.ReachAfter(a, cl.Pos) == ReachNever {
				continue // never on one path
			}
		}
		out = append(out, c)
	}
	return out
}

// closeStmt is the node the flow knows a close by: the defer statement of
// `defer close(ch)`, the call of a close statement; nil otherwise.
func closeStmt(op *ChanOp) ast.Node {
	if op.Deferred && op.Func != nil {
		for _, d := range op.Func.Defers {
			if d.Node != nil && d.Node.Call == op.Node {
				return d.Node
			}
		}
		return nil
	}
	call, _ := op.Node.(*ast.CallExpr)
	if call == nil {
		return nil
	}
	return call
}
