package model

import "go/ast"

// SendsAfterClose lists the sends on cl's channel that can run after the
// close cl, in the same call of its function (a send in a function literal
// started or called after the close counts): the control flow decides
// (ReachAfter), not the source order, so a send before the close in a
// loop's next pass counts and one in dead code or on another branch does
// not. A send in another function is left out (when it runs relative to
// the close is not known here), and so is a send whose channel variable
// holds another made channel by then. Only a close that is a statement of
// its own is answered (not `defer close(ch)` nor `go close(ch)`). The
// close hover reads it; closedsend reports the same sends when no recover
// is in the way.
func (m *File) SendsAfterClose(cl *ChanOp) []*ChanOp {
	if cl == nil || cl.Kind != Close || cl.Chan == nil || cl.Deferred || cl.Func == nil {
		return nil
	}
	call, ok := cl.Node.(*ast.CallExpr)
	if !ok {
		return nil
	}
	var out []*ChanOp
	for _, op := range cl.Chan.Sends() {
		if !m.ReachAfter(call, op.Pos).Possible() {
			continue
		}
		if a, b := cl.MakeAt(), op.MakeAt(); a != nil && b != nil && a != b {
			continue // reassigned to another channel in between
		}
		out = append(out, op)
	}
	return out
}
