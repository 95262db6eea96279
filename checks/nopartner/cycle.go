package nopartner

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// A send cycle: two goroutines each run a loop that is the only receiver
// of one unbuffered channel, and while handling a value each can send on
// the other's channel. When both send at once, each waits for the other to
// come back to its receive, and neither does: both block forever, or until
// a stop channel both loops give up on fires (cockroach's multiraft: the
// state loop sends an event to the store's loop while the store's loop,
// running the event's callback, sends to the state loop).
//
// The sends are followed through the package's own functions, function
// literals called in place, and calls of function values whose every
// possible value the package shows: a local variable assigned from a
// func-typed field, or the field itself, stands for every function the
// package stores in that field. A send that is a select case counts only
// when every other case is a receive from a stop channel both loops leave
// on; a default, another send or any other receive lets it go on.

// recvLoop is the loop that holds every receive from a channel.
type recvLoop struct {
	loop ast.Node // *ast.ForStmt or *ast.RangeStmt
	fn   ast.Node // the function holding it: *ast.FuncDecl or *ast.FuncLit
	name string   // the function's name, for messages
	pos  token.Pos
}

// chanKey names a channel in a select case across functions: the object
// finally selected or called (a field, ShouldStop), with the object it is
// selected from (the stopper field), so that s.stopper.ShouldStop() and
// m.stopper.ShouldStop() are the same stop.
type chanKey struct{ last, from types.Object }

// reachedSend is a send that a loop's body can block on.
type reachedSend struct {
	cls   *class
	pos   token.Pos
	text  string
	alts  []chanKey // the select's other cases, all receives
	chain []string  // the calls that lead to it
}

type cycleFinder struct {
	pass    *analysis.Pass
	st      *state
	pkg     *model.Package    // the package's declarations (FuncDecl)
	started map[ast.Node]bool // functions a go statement runs
	memo    map[ast.Node][]reachedSend
}

func newCycleFinder(pass *analysis.Pass, st *state) *cycleFinder {
	cf := &cycleFinder{pass: pass, st: st, pkg: pkgModel(pass),
		started: map[ast.Node]bool{}, memo: map[ast.Node][]reachedSend{}}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok {
				cf.markStarted(g.Call)
			}
			return true
		})
	}
	return cf
}

// storedFuncs are the values the package stores in the func-typed field v,
// by assignment or in a composite literal (the model's FieldSets).
func (cf *cycleFinder) storedFuncs(v *types.Var) []ast.Expr {
	if !isFunc(v.Type()) {
		return nil
	}
	var out []ast.Expr
	for _, s := range cf.pkg.FieldSets(v) {
		if (s.Kind == model.FieldAssign || s.Kind == model.FieldLiteral) && s.Value != nil {
			out = append(out, s.Value)
		}
	}
	return out
}

func isFunc(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

func (cf *cycleFinder) field(e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := cf.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	return s.Obj().(*types.Var)
}

// markStarted records the functions a go statement runs: the callee, or a
// literal and the package functions its body calls.
func (cf *cycleFinder) markStarted(call *ast.CallExpr) {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		cf.started[lit] = true
		for _, s := range lit.Body.List {
			if es, ok := s.(*ast.ExprStmt); ok {
				if c, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
					cf.markStarted(c)
				}
			}
		}
		return
	}
	if fn := cf.st.callee(call); fn != nil && cf.pkg.FuncDecl(fn) != nil {
		cf.started[cf.pkg.FuncDecl(fn)] = true
	}
}

// classOf is the class of a channel expression, if the package tracks it.
func (cf *cycleFinder) classOf(e ast.Expr) *class {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if fn := cf.st.callee(call); fn != nil && cf.st.results[fn] != nil {
			return cf.st.results[fn].root()
		}
		return nil
	}
	if obj := cf.st.varOf(e); obj != nil {
		if c := cf.st.classes[obj]; c != nil {
			return c.root()
		}
	}
	return nil
}

func (cf *cycleFinder) keyOf(e ast.Expr) (chanKey, bool) {
	info := cf.pass.TypesInfo
	last := func(x ast.Expr) types.Object {
		switch x := ast.Unparen(x).(type) {
		case *ast.Ident:
			return info.Uses[x]
		case *ast.SelectorExpr:
			if s := info.Selections[x]; s != nil {
				return s.Obj()
			}
			return info.Uses[x.Sel]
		}
		return nil
	}
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if len(call.Args) > 0 {
			return chanKey{}, false
		}
		e = ast.Unparen(call.Fun)
	}
	k := chanKey{last: last(e)}
	if sel, ok := e.(*ast.SelectorExpr); ok {
		k.from = last(sel.X)
	}
	return k, k.last != nil
}

// loopOf is the receiving loop of a class: every receive is in the same
// for or range loop of one function, and a go statement runs that function.
func (cf *cycleFinder) loopOf(c *class) *recvLoop {
	var out *recvLoop
	for _, r := range c.recvs {
		l := cf.enclosingLoop(r.pos)
		if l == nil || out != nil && l.loop != out.loop {
			return nil
		}
		out = l
	}
	if out == nil || !cf.started[out.fn] {
		return nil
	}
	return out
}

func (cf *cycleFinder) enclosingLoop(pos token.Pos) *recvLoop {
	loop, fn := loopAround(cf.pass, pos) // the model's LoopsAround
	if loop == nil {
		return nil
	}
	name := "the function literal"
	if fd, ok := fn.(*ast.FuncDecl); ok {
		name = fd.Name.Name
	}
	return &recvLoop{loop: loop, fn: fn, name: name, pos: loop.Pos()}
}

// stopKeys are the receives of selects in the loop whose case leaves it.
func (cf *cycleFinder) stopKeys(loop ast.Node) map[chanKey]bool {
	out := map[chanKey]bool{}
	loopStmt, _ := loop.(ast.Stmt)
	ast.Inspect(model.LoopBody(loop), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CommClause:
			if e := recvExpr(n.Comm); e != nil && leavesLoop(cf.st.modelAt(n.Pos()), loopStmt, n) {
				if k, ok := cf.keyOf(e); ok {
					out[k] = true
				}
			}
		}
		return true
	})
	return out
}

// recvExpr is the channel a select case receives from, or nil.
func recvExpr(s ast.Stmt) ast.Expr {
	var x ast.Expr
	switch s := s.(type) {
	case *ast.ExprStmt:
		x = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			x = s.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(x).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}

// sendsIn lists the sends that code in n can block on, outside goroutines
// it starts, following calls.
func (cf *cycleFinder) sendsIn(n ast.Node, depth int) []reachedSend {
	if got, ok := cf.memo[n]; ok {
		return got
	}
	cf.memo[n] = nil // a recursive call adds nothing
	var out []reachedSend
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt, *ast.DeferStmt, *ast.FuncLit:
			return false
		case *ast.SendStmt:
			if c := cf.classOf(n.Chan); c != nil {
				out = append(out, reachedSend{cls: c, pos: n.Arrow, text: types.ExprString(n.Chan)})
			}
		case *ast.SelectStmt:
			for _, s := range n.Body.List {
				cc := s.(*ast.CommClause)
				if send, ok := cc.Comm.(*ast.SendStmt); ok {
					if alts, ok := cf.alternatives(n, cc); ok {
						if c := cf.classOf(send.Chan); c != nil {
							out = append(out, reachedSend{cls: c, pos: send.Arrow, text: types.ExprString(send.Chan), alts: alts})
						}
					}
					ast.Inspect(send.Value, visit)
				}
				for _, b := range cc.Body {
					ast.Inspect(b, visit)
				}
			}
			return false
		case *ast.CallExpr:
			if depth < 6 {
				for _, t := range cf.targets(n) {
					for _, r := range cf.sendsIn(t.body, depth+1) {
						r.chain = append([]string{t.name}, r.chain...)
						out = append(out, r)
					}
				}
			}
		}
		return true
	}
	ast.Inspect(n, visit)
	cf.memo[n] = out
	return out
}

// alternatives are the keys of the other cases of sel when each is a
// receive; false when one is a default or a send.
func (cf *cycleFinder) alternatives(sel *ast.SelectStmt, self *ast.CommClause) ([]chanKey, bool) {
	var out []chanKey
	for _, s := range sel.Body.List {
		cc := s.(*ast.CommClause)
		if cc == self {
			continue
		}
		e := recvExpr(cc.Comm)
		if e == nil {
			return nil, false
		}
		k, ok := cf.keyOf(e)
		if !ok {
			return nil, false
		}
		out = append(out, k)
	}
	return out, true
}

type target struct {
	body ast.Node
	name string
}

// targets are the bodies a call may run: a function of the package, a
// literal called in place, or the functions a func-typed field or a local
// assigned from one may hold.
func (cf *cycleFinder) targets(call *ast.CallExpr) []target {
	fun := ast.Unparen(call.Fun)
	if lit, ok := fun.(*ast.FuncLit); ok {
		return []target{{lit.Body, "a function literal"}}
	}
	if fn := cf.st.callee(call); fn != nil {
		if fd := cf.pkg.FuncDecl(fn); fd != nil {
			return []target{{fd.Body, fn.Name()}}
		}
		return nil
	}
	if tv, ok := cf.pass.TypesInfo.Types[fun]; !ok || tv.IsType() {
		return nil
	}
	return cf.valueTargets(fun, types.ExprString(fun), 0)
}

func (cf *cycleFinder) valueTargets(e ast.Expr, name string, depth int) []target {
	if depth > 3 {
		return nil
	}
	info := cf.pass.TypesInfo
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.FuncLit:
		return []target{{x.Body, name}}
	case *ast.Ident:
		switch obj := info.Uses[x].(type) {
		case *types.Func:
			if fd := cf.pkg.FuncDecl(obj); fd != nil {
				return []target{{fd.Body, name}}
			}
		case *types.Var:
			if obj.Parent() == nil || obj.Parent() == cf.pass.Pkg.Scope() || obj.Pkg() != cf.pass.Pkg {
				return nil
			}
			// A local: every value assigned to it in its function.
			var out []target
			for _, v := range cf.localValues(obj) {
				out = append(out, cf.valueTargets(v, name, depth+1)...)
			}
			return out
		}
	case *ast.SelectorExpr:
		if v := cf.field(x); v != nil && v.Pkg() == cf.pass.Pkg {
			var out []target
			for _, val := range cf.storedFuncs(v) {
				out = append(out, cf.valueTargets(val, name, depth+1)...)
			}
			return out
		}
	}
	return nil
}

// localValues are the values assigned to a local variable (by = or :=).
func (cf *cycleFinder) localValues(v *types.Var) []ast.Expr {
	info := cf.pass.TypesInfo
	var out []ast.Expr
	for _, f := range cf.pass.Files {
		if !(f.FileStart <= v.Pos() && v.Pos() <= f.FileEnd) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) != len(n.Rhs) {
					return true
				}
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && (info.Uses[id] == v || info.Defs[id] == v) {
						out = append(out, n.Rhs[i])
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if info.Defs[id] == v && i < len(n.Values) && len(n.Values) == len(n.Names) {
						out = append(out, n.Values[i])
					}
				}
			}
			return true
		})
	}
	return out
}

// blocksUntilStop: the send has no way out but stops both loops leave on.
func blocksUntilStop(r reachedSend, stops map[chanKey]bool) bool {
	for _, k := range r.alts {
		if !stops[k] {
			return false
		}
	}
	return true
}

// sendCycles reports each pair of receiving loops that can block sending
// to each other.
func sendCycles(pass *analysis.Pass, st *state, classes []*class) []analysis.Diagnostic {
	cf := newCycleFinder(pass, st)
	loops := map[*class]*recvLoop{}
	var tracked []*class
	for _, c := range classes {
		if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.closes) > 0 || len(c.recvs) == 0 {
			continue
		}
		if l := cf.loopOf(c); l != nil {
			loops[c] = l
			tracked = append(tracked, c)
		}
	}
	sort.Slice(tracked, func(i, j int) bool { return loops[tracked[i]].pos < loops[tracked[j]].pos })
	var out []analysis.Diagnostic
	for i, a := range tracked {
		la := loops[a]
		for _, b := range tracked[i+1:] {
			lb := loops[b]
			if la.fn == lb.fn {
				continue
			}
			stops := map[chanKey]bool{}
			sa, sb := cf.stopKeys(la.loop), cf.stopKeys(lb.loop)
			for k := range sa {
				if sb[k] {
					stops[k] = true
				}
			}
			ab, okAB := cf.firstSend(la, b, stops) // la's loop sends on b
			ba, okBA := cf.firstSend(lb, a, stops) // lb's loop sends on a
			if !okAB || !okBA {
				continue
			}
			// Two loops that each receive and then answer take turns
			// (ping-pong): one of them must send without receiving first.
			if !cf.freeRunning(la, a, b, stops) && !cf.freeRunning(lb, b, a, stops) {
				continue
			}
			first, second, firstLoop, secondLoop := ba, ab, lb, la
			if ab.pos < ba.pos {
				first, second, firstLoop, secondLoop = ab, ba, la, lb
			}
			// first is a send by firstLoop on the channel secondLoop receives.
			var stop string
			if len(first.alts) > 0 || len(second.alts) > 0 {
				stop = "a stop case both loops leave on"
			}
			out = append(out, analysis.Diagnostic{Pos: first.pos, End: first.pos, Category: name,
				Message: message("sendCycle", map[string]any{
					"Chan": first.text, "Receiver": secondLoop.name, "RecvLoop": chanutil.Where(pass.Fset, secondLoop.pos, first.pos),
					"Other": second.text, "OtherAt": chanutil.Where(pass.Fset, second.pos, first.pos), "Sender": firstLoop.name,
					"SenderLoop": chanutil.Where(pass.Fset, firstLoop.pos, first.pos), "Stop": stop,
				}),
				Related: []analysis.RelatedInformation{
					{Pos: second.pos, Message: "the receiving loop's own send, which waits for this goroutine's loop"},
					{Pos: secondLoop.pos, Message: "the only loop that receives from " + first.text},
					{Pos: firstLoop.pos, Message: "the only loop that receives from " + second.text},
				}})
		}
	}
	return out
}

// firstSend is the first send on c that loop l's body can block on.
func (cf *cycleFinder) firstSend(l *recvLoop, c *class, stops map[chanKey]bool) (reachedSend, bool) {
	for _, r := range cf.sendsIn(model.LoopBody(l.loop), 0) {
		if r.cls == c && blocksUntilStop(r, stops) {
			return r, true
		}
	}
	return reachedSend{}, false
}

// freeRunning: loop l receives from own as a case of a select, and
// another case of that select (or its default) can send on other: the
// loop can send on other without having received from own first, so the
// sends are not a turn-taking answer to the partner's.
func (cf *cycleFinder) freeRunning(l *recvLoop, own, other *class, stops map[chanKey]bool) bool {
	free := false
	ast.Inspect(model.LoopBody(l.loop), func(n ast.Node) bool {
		if free {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectStmt:
			var mine *ast.CommClause
			for _, s := range n.Body.List {
				cc := s.(*ast.CommClause)
				if e := recvExpr(cc.Comm); e != nil && cf.classOf(e) == own {
					mine = cc
				}
			}
			if mine == nil {
				return true
			}
			for _, s := range n.Body.List {
				cc := s.(*ast.CommClause)
				if cc == mine {
					continue
				}
				for _, b := range cc.Body {
					for _, r := range cf.sendsIn(b, 0) {
						if r.cls == other && blocksUntilStop(r, stops) {
							free = true
						}
					}
				}
			}
		}
		return true
	})
	return free
}
