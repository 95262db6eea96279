package model

import "go/ast"

// unfollowedSignal explains why golens cannot say that nothing waits for
// g: the goroutine sends on or closes a channel golens does not follow —
// an expression that is not a channel variable (chans[i], m["k"], a call's
// result), or a variable that holds a channel from such a place (for _, c
// := range chans; c := m[k]). The starting function may wait on that same
// channel under another name. "" when there is no such operation.
func (b *builder) unfollowedSignal(g *Goroutine) string {
	from, to := g.Pos, g.End
	if g.Body == nil {
		if cs := b.callAtPos(g.Node.Call.Pos()); cs != nil && cs.resolved != nil && cs.resolved.Func != nil && cs.resolved.Func.Body != nil {
			from, to = cs.resolved.Func.Body.Pos(), cs.resolved.Func.Body.End()
		} else {
			return ""
		}
	}
	for _, op := range b.m.ChanOps {
		if op.Pos < from || op.Pos >= to || (op.Kind != Send && op.Kind != Close) {
			continue
		}
		verb := "sends on"
		if op.Kind == Close {
			verb = "closes"
		}
		switch {
		case op.Chan == nil && op.Source == "":
			return "the goroutine " + verb + " `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + ", a channel golens does not follow: the wait may be on that channel under another name"
		case op.Chan != nil && len(op.Chan.Makes) == 0 && len(op.Chan.Assigned) > 0:
			return "the goroutine " + verb + " `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + ", which holds a channel golens does not follow (assigned at line " + itoa(b.m.Line(op.Chan.Assigned[0])) + "): the wait may be on that channel under another name"
		}
	}
	return ""
}

// passedInside explains why golens cannot tell whether g is waited for
// when the go statement passes a tracked channel or sync value inside
// another value (go run(job{wg, i})): the callee reaches it through a
// field golens does not connect to the variable. "" otherwise.
func (b *builder) passedInside(g *Goroutine) string {
	if g.Node == nil {
		return ""
	}
	for _, arg := range g.Node.Call.Args {
		if _, ok := b.trackedKey(arg); ok {
			continue
		}
		why := ""
		ast.Inspect(arg, func(n ast.Node) bool {
			if why != "" {
				return false
			}
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			if id, ok := n.(*ast.Ident); ok {
				if k, ok := b.keyOf(id); ok && b.tracked(k) {
					why = "it is given `" + id.Name + "` inside `" + b.text(arg) + "` at line " + itoa(b.m.Line(arg.Pos())) + ", which golens does not follow"
				}
			}
			return true
		})
		if why != "" {
			return why
		}
	}
	return ""
}
