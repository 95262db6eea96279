package model

import (
	"go/ast"
	"go/token"
	"strings"
)

// A wait found through the summaries (a helper main calls receives, or
// the goroutine sends through a helper it calls) passes the same test as
// a direct one (findWaiter's sendBeforeMore): one receive takes one value,
// so when the goroutine goes on running after the send that hands it
// over, the receive waits for the send, not for the goroutine to finish.

// summarySendRunsOn returns the send behind the goroutine's signal sg
// after which the goroutine goes on running, when the wait e is a single
// receive that takes one value; NoPos when the send is its last act (as
// far as golens sees), or the test does not apply.
func (b *builder) summarySendRunsOn(g *Goroutine, sg goSignal, e *Effect) token.Pos {
	if sg.effect.Deferred {
		return token.NoPos
	}
	if sg.effect.Kind == EffSend {
		// A send the goroutine makes in a loop that never ends (directly,
		// or through the call there): it never finishes by itself, so no
		// receive, one or a loop of them, waits for its end.
		if body := b.goBodyBlock(g); body != nil {
			p := sg.effect.At
			if !p.IsValid() {
				p = sg.effect.Pos
			}
			if body.Pos() <= p && p < body.End() && b.inEndlessLoop(body, p) {
				return sg.effect.Pos
			}
		}
	}
	switch sg.effect.Kind {
	case EffSend:
		// The wait: one receive, in no loop of the waiting function or
		// of the helper it calls (a receive in a loop may take every
		// value, and the close).
		if e.Kind != EffRecv {
			return token.NoPos
		}
		if op := b.chanOpAt(e.Pos); op != nil && (op.Kind != Recv || op.InLoop) {
			return token.NoPos
		}
		if e.At.IsValid() && g.Func != nil && inLoopOf(g.Func.Body, e.At) {
			return token.NoPos
		}
	case EffClose:
		// Every receive and range of the channel ends at the close at
		// the latest: none waits for what the goroutine does after it.
		if e.Kind != EffRecv && e.Kind != EffRange {
			return token.NoPos
		}
	default:
		return token.NoPos
	}
	if b.signalRunsOnAfter(g, sg) {
		return sg.effect.Pos
	}
	return token.NoPos
}

// signalRunsOnAfter reports whether g goes on running after the send or
// close behind its signal sg: after the operation, in the function it is
// written in, or after the call through which g makes it, in g's own
// body.
func (b *builder) signalRunsOnAfter(g *Goroutine, sg goSignal) bool {
	p := sg.effect.Pos
	if op := b.chanOpAt(p); op != nil && op.Func != nil && op.Func.Body != nil && runsOnAfter(op.Func.Body, p) {
		return true
	}
	if at := sg.effect.At; at.IsValid() {
		if body := b.goBodyBlock(g); body != nil && runsOnAfter(body, at) {
			return true
		}
	} else if body := b.goBodyBlock(g); body != nil && body.Pos() <= p && p < body.End() && runsOnAfter(body, p) {
		// Written in the function the go statement starts, in another
		// file of the package (typed tier): chanOpAt knows only this
		// file's operations.
		return true
	}
	return false
}

// throughCallRunsOn finds, for the direct search (findWaiter), a send or
// close (kind) of c that g makes through a call and after which it goes on
// running: `go serve(ready)` where serve calls signal(ready), which closes
// it, and then serves. The summaries are computed only when g's body
// passes c, or the parameter it arrives in, to a call.
func (b *builder) throughCallRunsOn(g *Goroutine, c *Chan, kind EffectKind) *Effect {
	body := b.goBodyBlock0(g)
	if body == nil || g.derived == nil || !b.passesToCall(body, b.namesOfIn(g, c)) {
		return nil
	}
	g.derived.ensure()
	sigs, _ := b.goSignals(g)
	for _, sg := range sigs {
		e := sg.effect
		if e.Kind != kind || e.Deferred || e.Certainty != Proven || !e.At.IsValid() || b.chans[sg.key] != c {
			continue
		}
		if b.signalRunsOnAfter(g, sg) {
			return e
		}
	}
	return nil
}

// goBodyBlock0 is goBodyBlock without the summaries: g's function
// literal's body, or the body of the function of this file a `go f(...)`
// statement calls by name.
func (b *builder) goBodyBlock0(g *Goroutine) *ast.BlockStmt {
	if g.Body != nil {
		return g.Body.Body
	}
	if g.Node == nil {
		return nil
	}
	if fd := b.declOfCall(g.Node.Call); fd != nil {
		return fd.Body
	}
	return nil
}

// namesOfIn lists the names c has in g's body: the variable's own name
// for a function literal, or the parameters a `go f(c)` statement passes
// it in.
func (b *builder) namesOfIn(g *Goroutine, c *Chan) []string {
	if g.Body != nil {
		return []string{c.Name}
	}
	fd := b.declOfCall(g.Node.Call)
	if fd == nil || fd.Type.Params == nil {
		return nil
	}
	var names []string
	for i, arg := range g.Node.Call.Args {
		if k, ok := b.keyOf(ast.Unparen(arg)); ok && b.chans[k] == c {
			if p := b.paramChan(fd, i); p != nil {
				names = append(names, p.Name)
			}
		}
	}
	return names
}

// passesToCall reports whether a statement of body (outside function
// literals) passes one of names to a call: the only way g can signal on
// that channel through a call. It keeps the summaries, which the answer
// needs, from being computed for the common goroutine that does not.
func (b *builder) passesToCall(body *ast.BlockStmt, names []string) bool {
	if len(names) == 0 {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && (id.Name == "close" || id.Name == "len" || id.Name == "cap") {
				return true // a builtin: no summary to read
			}
			for _, a := range n.Args {
				text := b.text(ast.Unparen(a))
				for _, name := range names {
					found = found || text == name
				}
			}
		}
		return !found
	})
	return found
}

// chanOpAt is the channel operation of this file at pos, or nil.
func (b *builder) chanOpAt(pos token.Pos) *ChanOp {
	for _, op := range b.m.ChanOps {
		if op.Pos == pos {
			return op
		}
	}
	return nil
}

// goBodyBlock is the body the goroutine runs: its function literal's, or
// that of the summarised function a `go f(...)` statement starts.
func (b *builder) goBodyBlock(g *Goroutine) *ast.BlockStmt {
	if g.Body != nil {
		return g.Body.Body
	}
	if g.Node == nil {
		return nil
	}
	if cs := b.callAtPos(g.Node.Call.Pos()); cs != nil && cs.resolved != nil && cs.resolved.Func != nil {
		return cs.resolved.Func.Body
	}
	return nil
}

// inLoopOf reports whether pos is inside a for or range statement of
// body, not counting function literals.
func inLoopOf(body *ast.BlockStmt, pos token.Pos) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			found = true
		}
		return !found
	})
	return found
}

// callStmtAt reports whether st is a statement that runs, now and outside
// any function literal, the call that begins at pos: `reply(ch, v)`, `n
// := collect(ch)`. The path goes on after the statement as after a send.
func callStmtAt(st ast.Stmt, pos token.Pos) bool {
	switch st.(type) {
	case *ast.ExprStmt, *ast.AssignStmt:
	default:
		return false
	}
	found, inLit := false, false
	ast.Inspect(st, func(n ast.Node) bool {
		if found || inLit || n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			inLit = true
		case *ast.CallExpr:
			found = n.Pos() == pos
		}
		return !found && !inLit
	})
	return found && !inLit
}

// waitsForSendWhy says why the wait e does not wait for the goroutine:
// "await(ch) at line 17 waits for this goroutine's send at line 13, not
// for it to finish: it goes on running after that send".
func (b *builder) waitsForSendWhy(e, send *Effect) string {
	wait := "the receive at line " + itoa(b.m.Line(e.Pos))
	if e.At.IsValid() {
		if cs := b.callAtPos(e.At); cs != nil {
			wait = b.text(cs.call) + " at line " + itoa(b.m.Line(e.At))
		}
	} else if op := b.chanOpAt(e.Pos); op != nil {
		wait = "the receive from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(e.Pos))
		if op.Kind == Range {
			wait = "the range over `" + op.ChanExpr + "` at line " + itoa(b.m.Line(e.Pos))
		}
	}
	verb := "send"
	if send.Kind == EffClose {
		verb = "close"
	}
	how := "its " + verb + " at " + b.m.where(send.Pos)
	if send.At.IsValid() && send.Via != "" {
		how += " (in `" + send.Via + "`, which the goroutine calls at line " + itoa(b.m.Line(send.At)) + ")"
	}
	return wait + " waits for this goroutine's " + verb + ", not for the goroutine to finish: the goroutine goes on running after " + how
}

// closeBeforeMore explains why the receive or range op from c, which g
// closes, does not wait for g to finish: g goes on running after its close
// (close(ready) and then the work). Every receive of c ends at the close
// at the latest, so none waits for what follows it ("at most": a break,
// or another close, may end it sooner). "" when every close
// of c in g is its last act (or deferred), as far as golens sees: in g's
// function literal, or in the function of this file a `go f(c)`
// statement starts.
func (b *builder) closeBeforeMore(g *Goroutine, c *Chan, op *ChanOp, idx *goIndex) string {
	closes := b.goCloses(g, c, idx)
	for _, cl := range closes {
		if cl.Func == nil || cl.Func.Body == nil {
			continue
		}
		// A deferred close, or one that ends the body, is the last act
		// unless a call deferred before it runs after it and can wait.
		var deferWait token.Pos
		if cl.Deferred || !runsOnAfter(cl.Func.Body, cl.Pos) {
			if deferWait = b.deferWaitsAfter(cl.Func.Body, cl.Pos); !deferWait.IsValid() { // waits_defer_after.go
				continue
			}
		}
		what := "the receive from `" + op.ChanExpr + "`"
		if op.Kind == Range {
			what = "the range over `" + op.ChanExpr + "`"
		}
		return what + " at line " + itoa(b.m.Line(op.Pos)) + " waits at most until this goroutine's close at line " + itoa(b.m.Line(cl.Pos)) + ", not for the goroutine to finish: " + b.runsOnText("close", deferWait)
	}
	if e := b.throughCallRunsOn(g, c, EffClose); e != nil {
		return b.waitsForSendWhy(&Effect{Pos: op.Pos}, e)
	}
	return ""
}

// closesLast reports whether g closes c as its last act on every path, as
// far as golens sees: g's function (its literal, or the function of this
// file its go statement calls) closes c, every close of c there is
// deferred or ends the body with no deferred call after it that can
// wait, and nothing g calls closes c and goes on (closeBeforeMore finds
// nothing). A receive from c then returns only once g is done.
func (b *builder) closesLast(g *Goroutine, c *Chan, idx *goIndex) bool {
	closes := b.goCloses(g, c, idx)
	if len(closes) == 0 {
		return b.calleeClosesLast(g, c)
	}
	// Only closes written in the goroutine's function itself: a deferred
	// literal's close may have a wait deferred before it, which runs after.
	var root *ast.BlockStmt
	if g.Body != nil {
		root = g.Body.Body
	} else if fd := b.declOfCall(g.Node.Call); fd != nil {
		root = fd.Body
	} else {
		return false
	}
	for _, cl := range closes {
		if cl.Func == nil || cl.Func.Body == nil || cl.Func.Body != root || cl.Select != nil {
			return false
		}
		if !cl.Deferred && runsOnAfter(cl.Func.Body, cl.Pos) {
			return false
		}
		if b.deferWaitsAfter(cl.Func.Body, cl.Pos).IsValid() {
			return false
		}
	}
	return b.throughCallRunsOn(g, c, EffClose) == nil
}

// calleeClosesLast is closesLast for `go f(c)` with f in another file of
// the package (the typed tier): f's summary closes the parameter c is
// passed in, only in f's own body, and each close is deferred or ends the
// body with no deferred call after it that can wait.
func (b *builder) calleeClosesLast(g *Goroutine, c *Chan) bool {
	if g.Body != nil || g.Node == nil {
		return false
	}
	if g.derived != nil {
		g.derived.ensure()
	}
	s, args := b.goSummary(g)
	if s == nil {
		return false
	}
	// The callee's body: its own model's, or, for a function of another
	// file of the package (a summary from the package's facts), its
	// declaration there.
	var body *ast.BlockStmt
	if s.Func != nil {
		body = s.Func.Body
	} else if b.m.pkg != nil && s.Obj != nil {
		if fd := b.m.pkg.FuncDecl(s.Obj); fd != nil {
			body = fd.Body
		}
	}
	if body == nil {
		return false
	}
	param := -1
	for _, a := range args {
		if b.chans[a.key] == c {
			if param >= 0 {
				return false // passed twice
			}
			param = a.index
		}
	}
	if param < 0 {
		return false
	}
	found := false
	for _, e := range s.Effects {
		if e.Target.Param != param || e.Kind != EffClose {
			continue
		}
		if e.At.IsValid() || e.InGo || e.Certainty != Proven {
			return false // through a call, in a goroutine, or on some paths
		}
		if e.Pos < body.Pos() || e.Pos >= body.End() || !e.Deferred && runsOnAfter(body, e.Pos) || b.deferWaitsAfter(body, e.Pos).IsValid() {
			return false
		}
		found = true
	}
	return found
}

// goCloses lists the closes of c written in g's function literal, or in
// the function of this file a `go f(c)` statement starts.
func (b *builder) goCloses(g *Goroutine, c *Chan, idx *goIndex) []*ChanOp {
	var closes []*ChanOp
	if g.Body != nil {
		for _, o := range idx.opsByGo(g) {
			if o.Chan == c && o.Kind == Close {
				closes = append(closes, o)
			}
		}
	} else if g.Node != nil {
		fd := b.declOfCall(g.Node.Call)
		if fd == nil || fd.Body == nil || fd.Type.Params == nil {
			return nil
		}
		for i, arg := range g.Node.Call.Args {
			k, ok := b.keyOf(ast.Unparen(arg))
			if !ok || b.chans[k] != c {
				continue
			}
			if p := b.paramChan(fd, i); p != nil { // callargs.go
				for _, o := range p.Ops {
					if o.Kind == Close && o.Pos > fd.Body.Lbrace && o.Pos < fd.Body.Rbrace {
						closes = append(closes, o)
					}
				}
			}
		}
	}
	return closes
}

// otherSenders explains why the receives of c after the go statement do
// not wait for g: other goroutines the same function starts send on c
// too, and the starting function receives fewer values than there are
// sending goroutines (none of its receives of c is in a loop or a range),
// so the values it takes may all come from the others and leave g
// blocked on its send. "" otherwise.
func (b *builder) otherSenders(g *Goroutine, c *Chan, parent *Func, home *Goroutine, idx *goIndex) string {
	recvs := 0
	var counted []*ChanOp
	for _, op := range c.Ops {
		switch {
		case op.Kind == Range || op.Kind == Recv && op.InLoop && within(op.Pos, parent):
			return "" // may take every value
		case op.Kind == Recv && op.Pos > g.End && within(op.Pos, parent) && op.InGo == home:
			recvs++
			counted = append(counted, op)
		}
	}
	var others []*Goroutine
	for _, g2 := range b.m.Goroutines {
		if g2 == g || g2.Func != g.Func || !b.goDoes(g2, c, Send, idx) || startedAfterAll(g2, counted) {
			continue
		}
		others = append(others, g2)
	}
	others = b.consumedSenders(g, c, parent, home, others, idx) // waits_consumed.go
	// A callback handed to time.AfterFunc or context.AfterFunc runs in a
	// goroutine of its own: a send in it is one more sender (a handshake
	// timeout: errc <- errTimeout beside go func() { errc <- work() }()).
	timers := b.afterFuncSenders(c, parent, home)
	if len(others)+len(timers) == 0 || recvs >= len(others)+len(timers)+1 {
		return ""
	}
	if len(others) == 0 {
		return "the function passed to `" + b.text(b.afterFuncLits[timers[0].Func.Pos].Fun) + "` at line " + itoa(b.m.Line(timers[0].Func.Pos)) + " sends on `" + c.Name + "` too (line " + itoa(b.m.Line(timers[0].Pos)) + "), and " + starterName(parent) + " receives only " + countValues(recvs) + " from `" + c.Name + "`: that value may be the callback's, and then " + starterName(parent) + " does not wait for this goroutine"
	}
	if len(others) == 1 {
		return "the goroutine started at line " + itoa(b.m.Line(others[0].Pos)) + " sends on `" + c.Name + "` too, and " + starterName(parent) + " receives only " + countValues(recvs) + " from `" + c.Name + "`: that value may be the other goroutine's, and then " + starterName(parent) + " does not wait for this one"
	}
	return itoa(len(others)) + " other goroutines " + starterName(parent) + " starts send on `" + c.Name + "` too, and " + starterName(parent) + " receives only " + countValues(recvs) + " from `" + c.Name + "`: those values may all be theirs, and then " + starterName(parent) + " does not wait for this one"
}

// startedAfterAll reports whether g2's go statement comes after every
// receive of recvs, each written straight in g2's own function (in no
// loop, no literal): those receives have all returned, or been skipped,
// before g2 starts, so none of them can take g2's value (r21n_select_loser).
func startedAfterAll(g2 *Goroutine, recvs []*ChanOp) bool {
	for _, r := range recvs {
		if r.Func != g2.Func || r.InLoop || r.Pos >= g2.Pos {
			return false
		}
	}
	return len(recvs) > 0
}

// afterFuncSenders are the sends on c written in function literals that
// parent hands to time.AfterFunc or context.AfterFunc (noted while the file
// is walked: most files have none).
func (b *builder) afterFuncSenders(c *Chan, parent *Func, home *Goroutine) []*ChanOp {
	if len(b.afterFuncLits) == 0 {
		return nil
	}
	var out []*ChanOp
	for _, op := range c.Ops {
		if op.Kind == Send && op.Func != nil && op.Func.Lit && b.afterFuncLits[op.Func.Pos] != nil && within(op.Pos, parent) && op.InGo == home {
			out = append(out, op)
		}
	}
	return out
}

// countValues renders a number of values: "one value", "2 values".
func countValues(n int) string {
	if n == 1 {
		return "one value"
	}
	return itoa(n) + " values"
}

// goDoes reports whether g does an operation of kind (Send, Close) on c:
// in its function literal, or in the function of this file a `go f(c)`
// statement starts.
func (b *builder) goDoes(g *Goroutine, c *Chan, kind OpKind, idx *goIndex) bool {
	if g.Body != nil {
		for _, op := range idx.opsByGo(g) {
			if op.Chan == c && op.Kind == kind {
				return true
			}
		}
		return false
	}
	if g.Node == nil {
		return false
	}
	fd := b.declOfCall(g.Node.Call)
	if fd == nil {
		return b.goDoesBySummary(g, c, kind)
	}
	if fd.Body == nil || fd.Type.Params == nil {
		return false
	}
	if c.IsField && fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
		// A method of the struct that holds c (go q.work(&wg), whose
		// body sends on q.results): its ops on the field through its
		// receiver are the goroutine's.
		recv := fd.Recv.List[0].Names[0].Name
		for _, op := range c.Ops {
			if op.Kind == kind && op.Pos > fd.Body.Lbrace && op.Pos < fd.Body.Rbrace && strings.HasPrefix(op.ChanExpr, recv+".") {
				return true
			}
		}
	}
	for i, arg := range g.Node.Call.Args {
		k, ok := b.keyOf(ast.Unparen(arg))
		if !ok || b.chans[k] != c {
			continue
		}
		if p := b.paramChan(fd, i); p != nil { // callargs.go
			for _, op := range p.Ops {
				if op.Kind == kind && op.Pos > fd.Body.Lbrace && op.Pos < fd.Body.Rbrace {
					return true
				}
			}
		}
	}
	return false
}

// goDoesBySummary is goDoes for a `go` statement whose callee declOfCall
// does not find — a method (`go primary.fetch(key, out)`), a function of
// another file: the callee's summary says whether it sends on or closes
// the channel passed to it. The summaries are computed only when the
// statement passes c, or calls a method and c is a struct field.
func (b *builder) goDoesBySummary(g *Goroutine, c *Chan, kind OpKind) bool {
	if g.derived == nil {
		return false
	}
	passed := false
	for _, arg := range g.Node.Call.Args {
		if k, ok := b.keyOf(ast.Unparen(arg)); ok && b.chans[k] == c {
			passed = true
		}
	}
	if _, method := ast.Unparen(g.Node.Call.Fun).(*ast.SelectorExpr); method && c.IsField {
		// A method of the struct that holds c (go q.work(&wg), whose
		// body sends on q.results) reaches c through its receiver.
		passed = true
	}
	if !passed {
		return false
	}
	var want EffectKind
	switch kind {
	case Send:
		want = EffSend
	case Close:
		want = EffClose
	default:
		return false
	}
	g.derived.ensure()
	sigs, _ := b.goEffects(g, func(k EffectKind) bool { return k == want })
	for _, sg := range sigs {
		if b.chans[sg.key] == c {
			return true
		}
	}
	return false
}
