package model

import (
	"go/ast"
	"go/token"
)

// calleeNeverSignals reports whether the function of this file that g's
// go statement calls can neither send on nor close its parameter number
// ai: every mention of the parameter in its body is the channel of a
// receive or a range, or of a send that never runs (in the body of a
// select case that receives from a nil channel: neverReadyBodies). A
// receive in the starting function on the channel passed there then
// waits for some other goroutine, not for g (r20h_ctx_deadline: the
// backend sends its reply only in `case <-stuck:`, stuck being nil).
// False when the callee is not a function of this file, or the
// parameter is used any other way (passed on, stored, closed).
func (b *builder) calleeNeverSignals(g *Goroutine, ai int) bool {
	m := b.m
	if g.Node == nil {
		return false
	}
	fd := m.fileCallee(g.Node.Call)
	if fd == nil || fd.Body == nil || fd.Type.Params == nil {
		return false
	}
	var param *ast.Ident
	i := 0
	for _, f := range fd.Type.Params.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, id := range f.Names {
			if i == ai {
				param = id
			}
			i++
		}
	}
	if param == nil || param.Name == "_" {
		return false
	}
	// The operand position of each receive and range on the parameter,
	// and of each send that never runs.
	harmless := map[token.Pos]bool{}
	dead := m.neverReadyBodies()
	for _, op := range m.ChanOps {
		if op.Chan == nil || op.Chan.Decl != param.Pos() || op.Pos < fd.Body.Pos() || op.Pos >= fd.Body.End() {
			continue
		}
		switch {
		case op.Kind == Recv || op.Kind == Range, op.Kind == Send && inSpans(dead, op.Pos):
			if x := op.Operand(); x != nil {
				harmless[ast.Unparen(x).Pos()] = true
			}
		}
	}
	ok := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && id.Name == param.Name && !harmless[id.Pos()] {
			ok = false
		}
		return ok
	})
	return ok
}
