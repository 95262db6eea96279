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
	var params *ast.FieldList // the parameters the go statement's arguments bind
	if g.Body == nil {
		if cs := b.callAtPos(g.Node.Call.Pos()); cs != nil && cs.resolved != nil && cs.resolved.Func != nil && cs.resolved.Func.Body != nil {
			from, to = cs.resolved.Func.Body.Pos(), cs.resolved.Func.Body.End()
			if cs.resolved.Func.Type != nil {
				params = cs.resolved.Func.Type.Params
			}
		} else {
			return ""
		}
	} else if g.Node != nil {
		if lit, ok := ast.Unparen(g.Node.Call.Fun).(*ast.FuncLit); ok {
			params = lit.Type.Params
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
		// A parameter bound to an argument golens does not follow (go
		// stage(chans[i], chans[i+1])): the starting function may wait on
		// that channel as chans[n].
		if op.Chan != nil && op.Chan.IsParam {
			if arg := paramArg(g, params, op.Chan); arg != nil && b.unfollowedArg(arg) {
				return "the goroutine " + verb + " `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + ", given `" + b.text(arg) + "` at line " + itoa(b.m.Line(arg.Pos())) + ", a channel golens does not follow: the wait may be on that channel under another name"
			}
		}
	}
	return ""
}

// passedInside explains why golens cannot tell whether g is waited for
// when the go statement passes a tracked channel or sync value inside
// another value (go run(job{wg, i}), go job{n, done}.run()): the callee
// reaches it through a field golens does not connect to the variable.
// "" otherwise.
func (b *builder) passedInside(g *Goroutine) string {
	if g.Node == nil {
		return ""
	}
	args := g.Node.Call.Args
	// The receiver of a method call too: go job{3, done}.run() hands the
	// method done inside its receiver.
	if sel, ok := ast.Unparen(g.Node.Call.Fun).(*ast.SelectorExpr); ok {
		args = append([]ast.Expr{sel.X}, args...)
	}
	for _, arg := range args {
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

// paramArg is the argument g's go statement gives for parameter c of the
// function it starts (params are that function's parameters); nil when c
// is not one of them or is variadic.
func paramArg(g *Goroutine, params *ast.FieldList, c *Chan) ast.Expr {
	if g.Node == nil || params == nil {
		return nil
	}
	args := g.Node.Call.Args
	i := 0
	for _, field := range params.List {
		if len(field.Names) == 0 {
			i++
			continue
		}
		for _, name := range field.Names {
			if name.Pos() == c.Decl {
				if _, variadic := field.Type.(*ast.Ellipsis); variadic || i >= len(args) || g.Node.Call.Ellipsis.IsValid() {
					return nil
				}
				return args[i]
			}
			i++
		}
	}
	return nil
}

// unfollowedArg reports whether a go statement's argument is a channel
// golens does not follow: an expression that is not a channel variable
// (chans[i], m[k], a call's result), or a variable that only holds a
// channel from such a place. A make or nil written there is no one
// else's channel.
func (b *builder) unfollowedArg(arg ast.Expr) bool {
	e := ast.Unparen(arg)
	if call, ok := e.(*ast.CallExpr); ok {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "make" {
			return false
		}
	}
	if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
		return false
	}
	k, ok := b.trackedKey(arg)
	if !ok {
		return true
	}
	c := b.chans[k]
	return c != nil && len(c.Makes) == 0 && len(c.Assigned) > 0
}

// closureSignal explains why golens cannot say that nothing waits for g
// when the starting function waits, after the go statement, on a channel
// that a function literal of its own closes or sends on, and that literal
// is a value golens does not follow to its calls (stored in a map or a
// field, passed on): g may be the one that calls it (handlers["stop"] =
// func() { close(events) }, and the goroutine dispatches "stop"). ""
// when there is no such literal.
func (b *builder) closureSignal(g *Goroutine) string {
	parent := g.Func
	if parent == nil {
		return ""
	}
	home := g.enclosingGo()
	for _, w := range b.m.ChanOps {
		if w.Kind != Recv && w.Kind != Range || w.Chan == nil || w.Pos <= g.End || !within(w.Pos, parent) || w.InGo != home {
			continue
		}
		var send *ChanOp // a close ends a range: named first
		for _, op := range w.Chan.Ops {
			if op.Kind != Close && op.Kind != Send || op.Func == nil || !op.Func.Lit || op.Func.Deferred || op.Func.GoBody != nil {
				continue
			}
			if op.Pos >= g.Pos && op.Pos < g.End || !within(op.Pos, parent) {
				continue // g's own, or another function's
			}
			if op.Kind == Close {
				return "`" + w.ChanExpr + "` is closed at line " + itoa(b.m.Line(op.Pos)) + " in a function literal golens does not follow to its calls: " + b.literalCaller(op.Func, g)
			}
			if send == nil {
				send = op
			}
		}
		if send != nil {
			return "`" + w.ChanExpr + "` is sent on at line " + itoa(b.m.Line(send.Pos)) + " in a function literal golens does not follow to its calls: " + b.literalCaller(send.Func, g)
		}
	}
	return ""
}

// literalCaller says who may call the function literal lit, as far as the
// goroutine g shows: "this goroutine may call it" when g mentions the
// variable lit is bound to (or lit is not bound to one), otherwise that g
// does not, so the call is someone else's.
func (b *builder) literalCaller(lit *Func, g *Goroutine) string {
	path, _ := EnclosingPath(b.m.AST, lit.Pos, lit.Pos)
	name := ""
	for i, n := range path {
		if _, ok := n.(*ast.FuncLit); !ok || i+1 >= len(path) {
			continue
		}
		switch p := path[i+1].(type) {
		case *ast.AssignStmt:
			if len(p.Lhs) == len(p.Rhs) {
				for j, r := range p.Rhs {
					if ast.Unparen(r) == n {
						if id, ok := p.Lhs[j].(*ast.Ident); ok {
							name = id.Name
						}
					}
				}
			}
		case *ast.ValueSpec:
			for j, v := range p.Values {
				if ast.Unparen(v) == n && j < len(p.Names) {
					name = p.Names[j].Name
				}
			}
		}
		break
	}
	if name == "" || g.Node == nil {
		return "this goroutine may call it"
	}
	mentioned := false
	ast.Inspect(g.Node, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			mentioned = true
		}
		return !mentioned
	})
	if mentioned {
		return "this goroutine may call it"
	}
	return "the literal is `" + name + "`, which this goroutine does not mention: code outside it calls the literal, and golens does not follow whether that call waits for this goroutine"
}

// unfollowedWait explains why golens cannot say that nothing waits for g,
// a goroutine that sends on or closes a channel: the starting function,
// after the go statement, receives from a channel golens does not follow
// — a call's result that is no context's Done, timer or ticker channel
// (`<-c.Done()`, a method returning the field c.done the goroutine's
// deferred close closes). That receive may be on the goroutine's channel
// under another name. "" when there is none.
func (b *builder) unfollowedWait(g *Goroutine, parent *Func, sigs []goSignal) string {
	signals := false
	for _, sg := range sigs {
		if sg.effect.Kind == EffSend || sg.effect.Kind == EffClose {
			signals = true
		}
	}
	if !signals || parent == nil || parent.Body == nil {
		return ""
	}
	home := g.enclosingGo()
	for _, op := range b.m.ChanOps {
		if op.Kind != Recv && op.Kind != Range || op.Pos <= g.End || op.Pos >= parent.Body.End() || op.InGo != home {
			continue
		}
		if op.Func != parent && !b.runsInParent(op.Func, parent) {
			continue
		}
		if op.Chan == nil && op.TimeChan == "" && op.TimeFunc == "" && (op.Source == "" || op.DoneGuess) {
			return starterName(parent) + " receives from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + ", a channel golens does not follow: it may be one this goroutine sends on or closes"
		}
	}
	return ""
}

// escapedAfterWhy explains why golens cannot say that nothing waits for
// g: after the go statement the starting function hands a value g
// signals (a channel g sends on or closes, a WaitGroup g calls Done on),
// or that the go statement passes it,
// to a function golens cannot see into — `n := drain(lines)` with drain
// in another file, which may range over lines until g closes it. "" when
// it hands none.
func (b *builder) escapedAfterWhy(g *Goroutine, ps *Summary, sigs []goSignal, after func(*Effect) bool) string {
	keys := map[VarKey]bool{}
	for _, sg := range sigs {
		keys[sg.key] = true
	}
	if g.Node != nil {
		// The values the go statement hands the goroutine: when golens
		// cannot see into it, these are what it may signal.
		for _, a := range g.Node.Call.Args {
			if k, ok := b.keyOf(ast.Unparen(a)); ok {
				keys[k] = true
			}
		}
	}
	for _, e := range ps.Effects {
		if e.Kind != EffEscape || e.InGo || !after(e) || e.Why == "" {
			continue
		}
		for k := range keys {
			if k == e.key || b.aliased(k, e.key) {
				return "`" + b.valueName(e.key) + "` is " + b.m.whyHere(e) + ": that function may wait on it for this goroutine"
			}
		}
	}
	return ""
}
