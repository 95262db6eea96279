package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/cfg"
)

// Exits and reachability, for every feature that needs them. The model's
// flows (flow.go) already know how a function ends: return, the closing
// brace, panic, log.Panic*, runtime.Goexit and testing's FailNow family,
// os.Exit and log.Fatal*, and this file's helpers that always exit. The
// checks read the same classifier and the same control-flow graphs here,
// instead of each keeping a list of its own that drifts from the others
// (one forgot log.Panicln, another t.Fatal, a third followed a break out
// of a switch as if it left the function).

// ExitCall reports whether call never returns, and how it ends the
// function: panic and log.Panic* (ExitPanic), runtime.Goexit and t.Fatal,
// t.Fatalf, t.FailNow, t.Skip, t.Skipf, t.SkipNow on testing's T, B, F and
// TB (ExitGoexit), os.Exit, log.Fatal* and calls of this file's functions
// that end the process on every path (ExitProcess). On the syntax tier a
// package is recognised by its import; on the typed tier by its object.
func (m *File) ExitCall(call *ast.CallExpr) (ExitKind, bool) {
	fb := m.exitFlows().fb
	if fb == nil || call == nil {
		return 0, false
	}
	return fb.exitCall(call)
}

// MayExit reports whether call may end the function without returning:
// the calls ExitCall knows, a call of a variable bound to an exit function
// whose binding golens does not prove (ExitVarCall), and any call of a
// method or function named like them (Fatal, Fatalf, Fatalln, FailNow,
// Skip, Skipf, SkipNow, Exit, Goexit, Panic, Panicf, Panicln) that golens
// cannot read: a logger's Fatal, a test helper wrapping *testing.T, but
// also a reader's Skip. A function or method of this file so named is
// read instead (bodyMayExit): a type's own Exit that returns is not an
// exit here either. This is the model's one answer to "may this call end
// the function": checks that must stay silent when unsure, and the
// model's own conservative walks, count these as exits; hovers and hints,
// which state facts, read ExitCall (or say that golens does not know).
func (m *File) MayExit(call *ast.CallExpr) bool {
	if _, ok := m.ExitCall(call); ok {
		return true
	}
	if call == nil {
		return false
	}
	if m.ExitVarCall(call) != nil {
		return true // var osExit = os.Exit, reassigned or not known not to be
	}
	var name string
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		name = fun.Sel.Name
	case *ast.Ident:
		name = fun.Name
	}
	if !exitName(name) {
		return false
	}
	// A function or method of this file is read, not guessed from its
	// name: a type's own Exit or Fatal that returns is no exit here, as
	// it is none to ExitCall and the flows.
	if fd := m.fileCallee(call); fd != nil {
		return m.bodyMayExit(fd)
	}
	return true
}

// exitName reports the names MayExit takes for exits when golens cannot
// read the function called.
func exitName(name string) bool {
	switch name {
	case "Fatal", "Fatalf", "Fatalln", "FailNow", "Skip", "Skipf", "SkipNow", "Exit", "Goexit", "Panic", "Panicf", "Panicln":
		return true
	}
	return false
}

// fileCallee is the declaration, in this file, of the function or method
// call calls: on the typed tier from its object, on the syntax tier from
// the parser's resolution or the declared type of the receiver variable
// (syntaxTypeName, as methodExiterDecl reads it). nil when golens cannot
// tell, or the function is declared elsewhere.
func (m *File) fileCallee(call *ast.CallExpr) *ast.FuncDecl {
	set := m.exitFlows()
	if set.fb == nil {
		return nil
	}
	set.declsOnce.Do(func() {
		set.declAt = map[token.Pos]*ast.FuncDecl{}
		set.methodDecl = map[string]*ast.FuncDecl{}
		for _, d := range m.AST.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			set.declAt[fd.Name.Pos()] = fd
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				if typ, _ := set.fb.b.syntaxTypeOfExpr(fd.Recv.List[0].Type); typ != "" {
					set.methodDecl[typ+"."+fd.Name.Name] = fd
				}
			}
		}
	})
	if info := m.Info; info != nil {
		var obj types.Object
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			obj = info.Uses[fun]
		case *ast.SelectorExpr:
			if s, ok := info.Selections[fun]; ok && s.Kind() == types.MethodVal {
				obj = s.Obj()
			}
		}
		fn, ok := obj.(*types.Func)
		if !ok {
			return nil
		}
		return set.declAt[fn.Origin().Pos()]
	}
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		if fun.Obj != nil && fun.Obj.Kind == ast.Fun {
			if fd, ok := fun.Obj.Decl.(*ast.FuncDecl); ok && fd.Body != nil {
				return fd
			}
		}
	case *ast.SelectorExpr:
		if typ, _ := set.fb.b.syntaxTypeName(fun.X); typ != "" {
			return set.methodDecl[typ+"."+fun.Sel.Name]
		}
	}
	return nil
}

// bodyMayExit reports whether the function fd of this file may end its
// caller without returning: a call in it (function literals included: a
// goroutine's os.Exit ends the program too) is an exit or may be one, or
// calls a function of this file that may (followed once each). Other
// calls are taken to return, as everywhere in the model.
func (m *File) bodyMayExit(fd *ast.FuncDecl) bool {
	set := m.exitFlows()
	set.mu.Lock()
	r, ok := set.mayExitDecl[fd]
	set.mu.Unlock()
	if ok {
		return r
	}
	seen := map[*ast.FuncDecl]bool{}
	var may func(fd *ast.FuncDecl) bool
	may = func(fd *ast.FuncDecl) bool {
		seen[fd] = true
		found := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if found || !ok {
				return !found
			}
			if _, exits := m.ExitCall(call); exits || m.ExitVarCall(call) != nil {
				found = true
			} else if callee := m.fileCallee(call); callee != nil {
				found = !seen[callee] && may(callee)
			} else {
				name := calleeName(call)
				found = exitName(name[strings.LastIndexByte(name, '.')+1:])
			}
			return !found
		})
		return found
	}
	r = may(fd)
	set.mu.Lock()
	if set.mayExitDecl == nil {
		set.mayExitDecl = map[*ast.FuncDecl]bool{}
	}
	set.mayExitDecl[fd] = r
	set.mu.Unlock()
	return r
}

// EndsBlock reports whether control never runs past the end of the
// statement list: its last statement is a terminating statement in the
// spec's sense (https://go.dev/ref/spec#Terminating_statements), with
// break and continue counted too and any call ExitCall knows in place of
// panic. A fallthrough does not end the block: control goes on in the
// next clause. Calls are otherwise assumed to return.
func (m *File) EndsBlock(list []ast.Stmt) bool { return m.endsBlock(list, false) }

// MayEndBlock is EndsBlock with the calls MayExit names counted as exits:
// control may never run past the end of the list.
func (m *File) MayEndBlock(list []ast.Stmt) bool { return m.endsBlock(list, true) }

func (m *File) endsBlock(list []ast.Stmt, may bool) bool {
	if len(list) == 0 {
		return false
	}
	return m.terminating(list[len(list)-1], "", may)
}

// terminating reports whether s never completes normally. label is the
// label s carries, for the breaks that refer to it.
func (m *File) terminating(s ast.Stmt, label string, may bool) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok != token.FALLTHROUGH
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		if may {
			return m.MayExit(call)
		}
		_, exits := m.ExitCall(call)
		return exits
	case *ast.BlockStmt:
		return m.endsBlock(s.List, may)
	case *ast.LabeledStmt:
		return m.terminating(s.Stmt, s.Label.Name, may)
	case *ast.IfStmt:
		return s.Else != nil && m.endsBlock(s.Body.List, may) && m.terminating(s.Else, "", may)
	case *ast.ForStmt:
		return s.Cond == nil && !breaks(s.Body, label)
	case *ast.SwitchStmt:
		return m.clausesEnd(s.Body, label, true, may)
	case *ast.TypeSwitchStmt:
		return m.clausesEnd(s.Body, label, true, may)
	case *ast.SelectStmt:
		return m.clausesEnd(s.Body, label, false, may)
	case *ast.GoStmt, *ast.DeferStmt, *ast.AssignStmt, *ast.DeclStmt, *ast.IncDecStmt, *ast.SendStmt, *ast.EmptyStmt, *ast.RangeStmt:
		return false
	}
	return false
}

// clausesEnd reports a switch (needDefault) or select whose every clause
// ends (or falls through to the next) and which no break leaves.
func (m *File) clausesEnd(body *ast.BlockStmt, label string, needDefault, may bool) bool {
	hasDefault := false
	for _, c := range body.List {
		var list []ast.Stmt
		switch c := c.(type) {
		case *ast.CaseClause:
			list = c.Body
			hasDefault = hasDefault || c.List == nil
		case *ast.CommClause:
			list = c.Body
		}
		if len(list) > 0 {
			if b, ok := list[len(list)-1].(*ast.BranchStmt); ok && b.Tok == token.FALLTHROUGH {
				continue
			}
		}
		if !m.endsBlock(list, may) {
			return false
		}
		for _, s := range list {
			if breaks(s, label) {
				return false
			}
		}
	}
	return hasDefault || !needDefault
}

// LoopExit is a place where a pass of a loop can leave it other than by
// finishing the pass.
type LoopExit struct {
	// What names it: "break", "continue" (of an enclosing loop), "goto",
	// "return", or the function of a call that ends the function or may
	// (MayExit): "panic", "os.Exit", "t.Fatal", "logger.Fatal".
	What string
	Pos  token.Pos
	// Proven is false for a call only named like an exit (MayExit, not
	// ExitCall): golens does not know that it leaves.
	Proven bool
	// End is the end of the statement or call that leaves.
	End token.Pos
	// OfLoop: a break that ends this loop itself (unlabelled, or naming
	// the loop's label), not an enclosing statement.
	OfLoop bool
}

// LoopExit returns the first place, in source order, where a pass of loop
// (a *ast.ForStmt or *ast.RangeStmt) can leave it early: a break of the
// loop, a break or continue of an enclosing loop, a goto to a label outside
// the body, a return, or a call MayExit names. A proven way out is
// preferred to an earlier call that is only named like an exit. Function
// literals in the body are skipped: their code is not the loop's flow.
// ok is false when
// there is none: the loop ends only by its condition or its range (a range
// over a channel only when the channel is closed;
// https://go.dev/ref/spec#For_range, #Break_statements).
func (m *File) LoopExit(loop ast.Stmt) (LoopExit, bool) {
	var maybe LoopExit
	for _, e := range m.LoopExits(loop) {
		if e.Proven {
			return e, true
		}
		if maybe.What == "" {
			maybe = e
		}
	}
	return maybe, maybe.What != ""
}

// LoopExits lists every place, in source order, where a pass of loop can
// leave it early, of the kinds LoopExit names, so that a feature asking
// for one kind (a return, a break of this loop) is not handed the first
// exit of another kind. nil when the loop ends only by its condition or
// its range.
func (m *File) LoopExits(loop ast.Stmt) []LoopExit {
	body := LoopBody(loop)
	if body == nil || m.AST == nil {
		return nil
	}
	label := m.labelOf(loop)
	inner := map[string]bool{} // labels declared inside the body
	ast.Inspect(body, func(n ast.Node) bool {
		if ls, ok := n.(*ast.LabeledStmt); ok {
			inner[ls.Label.Name] = true
		}
		_, lit := n.(*ast.FuncLit)
		return !lit
	})
	var out []LoopExit
	var walk func(n ast.Node, breakable int)
	walk = func(n ast.Node, breakable int) {
		ast.Inspect(n, func(c ast.Node) bool {
			if c == nil {
				return false
			}
			switch c := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.GoStmt, *ast.DeferStmt:
				// Their call runs in another goroutine, or at return:
				// it does not leave the loop here.
				return false
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if c != n {
					// An unlabelled break inside these ends them.
					walk(c, breakable+1)
					return false
				}
			case *ast.BranchStmt:
				switch {
				case c.Tok == token.BREAK && c.Label == nil && breakable == 0:
					out = append(out, LoopExit{"break", c.Pos(), true, c.End(), true})
				case c.Tok == token.BREAK && c.Label != nil && !inner[c.Label.Name]:
					// This loop or an enclosing statement.
					out = append(out, LoopExit{"break", c.Pos(), true, c.End(), c.Label.Name == label})
				case c.Tok == token.CONTINUE && c.Label != nil && !inner[c.Label.Name] && c.Label.Name != label:
					out = append(out, LoopExit{"continue", c.Pos(), true, c.End(), false})
				case c.Tok == token.GOTO && c.Label != nil && !inner[c.Label.Name]:
					out = append(out, LoopExit{"goto", c.Pos(), true, c.End(), false})
				}
			case *ast.ReturnStmt:
				out = append(out, LoopExit{"return", c.Pos(), true, c.End(), false})
			case *ast.CallExpr:
				if _, exits := m.ExitCall(c); exits {
					out = append(out, LoopExit{calleeName(c), c.Pos(), true, c.End(), false})
				} else if m.MayExit(c) {
					out = append(out, LoopExit{calleeName(c), c.Pos(), false, c.End(), false})
				}
			}
			return true
		})
	}
	walk(body, 0)
	return out
}

// labelOf returns the label of a labeled statement s, or "".
func (m *File) labelOf(s ast.Stmt) string {
	label := ""
	ast.Inspect(m.AST, func(n ast.Node) bool {
		if label != "" || n == nil || n.Pos() > s.Pos() || n.End() < s.End() {
			return false
		}
		if ls, ok := n.(*ast.LabeledStmt); ok && ls.Stmt == s {
			label = ls.Label.Name
		}
		return label == ""
	})
	return label
}

// calleeName renders a call's function: "panic", "os.Exit", "t.Fatal".
func calleeName(c *ast.CallExpr) string {
	switch fun := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		return fun.Name
	case *ast.SelectorExpr:
		if x, ok := ast.Unparen(fun.X).(*ast.Ident); ok {
			return x.Name + "." + fun.Sel.Name
		}
		return fun.Sel.Name
	}
	return "call"
}

// breaks reports a break in n that leaves the statement whose body n is:
// an unlabeled break outside any nested for, switch or select, or a break
// of label.
func breaks(n ast.Node, label string) bool {
	found := false
	var walk func(n ast.Node, nested bool)
	walk = func(n ast.Node, nested bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			if found || c == nil {
				return false
			}
			switch c := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BranchStmt:
				if c.Tok == token.BREAK && (c.Label == nil && !nested || c.Label != nil && c.Label.Name == label && label != "") {
					found = true
				}
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if c != n {
					walk(c, true)
					return false
				}
			}
			return true
		})
	}
	walk(n, false)
	return found
}

// Reach answers whether control gets from one point of a function to
// another, over the paths of its control-flow graph. Which path an
// execution takes depends on values the model does not know, so Some is
// "possible"; Never and Always are proven, counting only the explicit
// exits ExitCall knows (any call may also panic or block forever).
type Reach uint8

const (
	// ReachUnknown: the model does not follow this function's flow here
	// (from is outside any function body, dead itself, or not a simple
	// statement; to is outside from's function).
	ReachUnknown Reach = iota
	// ReachNever: no path gets there (to may be dead code).
	ReachNever
	// ReachSome: some paths get there and others do not.
	ReachSome
	// ReachAlways: every path that ends gets there first.
	ReachAlways
)

func (r Reach) String() string { return [...]string{"unknown", "never", "some", "always"}[r] }

// Possible reports whether some path gets there (Some or Always).
func (r Reach) Possible() bool { return r == ReachSome || r == ReachAlways }

// ReachAfter says whether control, once the simple statement from (an
// expression statement, assignment, send, defer, go, return, ...) has
// run, can arrive at position to (of a simple statement, or of an
// expression in one), in the same call of the function whose
// body holds from. A later pass of a loop counts. A position inside a
// function literal counts as reached when the statement holding the
// literal is (the literal's body runs whenever it is called).
//
// Always means every path from from that ends (at a return, the closing
// brace, or an exit call) passes to first; paths that loop or block
// forever (a select no case of which becomes ready) are not counted.
func (m *File) ReachAfter(from ast.Node, to token.Pos) Reach {
	if from == nil {
		return ReachUnknown
	}
	fl := m.flowAt(from.Pos())
	if fl == nil || to < fl.fn.Body.Pos() || to >= fl.fn.Body.End() {
		return ReachUnknown
	}
	blk, idx, ok := fl.locateNode(from)
	if !ok {
		return ReachUnknown
	}
	tblk, tidx, ok := fl.locateAny(to)
	if !ok {
		return ReachNever // no live node holds it: dead code
	}
	if tblk == blk && tidx > idx {
		return ReachAlways // later in the same block: straight-line code
	}
	// A block without successors that is not an exit blocks forever (a
	// select whose cases never become ready): its paths do not end.
	return fl.reach(blk.Succs, tblk, func(b *cfg.Block) bool { return fl.exitOf[b] != nil })
}

// NextPass says whether control, after the simple statement from inside
// loop (a *ast.ForStmt or *ast.RangeStmt of the same function), starts
// loop's next pass (reaches its condition, post statement or range head)
// before leaving it. Leaving is a return, an exit call, a break of loop, a
// goto out of it, or a continue or break of an enclosing loop. Never: every
// path leaves loop first, so from runs at most once per pass that reaches
// it and the loop does not come back to it. Always: no path leaves loop
// before its next pass (whether the pass then runs is up to the loop's
// condition or range). Paths that loop or block forever inside are not
// counted.
//
// from may also be loop's body (the *ast.BlockStmt): then the question is
// asked from the start of a pass, and Always means no pass leaves the loop
// early. And it may be a case (*ast.CommClause, *ast.CaseClause) of a
// select or switch in loop: then the question is asked from the start of
// that case's body, once the case has been chosen (a select's
// communications all sit in its head, before any case is chosen, so the
// communication itself cannot ask it).
func (m *File) NextPass(from ast.Node, loop ast.Stmt) Reach {
	body := LoopBody(loop)
	if from == nil || body == nil || from.Pos() < body.Pos() || from.End() > body.End() {
		return ReachUnknown
	}
	fl := m.flowAt(loop.Pos())
	if fl == nil {
		return ReachUnknown
	}
	head := func(b *cfg.Block) bool {
		if b.Stmt != loop {
			return false
		}
		switch b.Kind {
		case cfg.KindForLoop, cfg.KindForPost, cfg.KindRangeLoop, cfg.KindForBody, cfg.KindRangeBody:
			return true
		}
		return false
	}
	inside := func(b *cfg.Block) bool {
		return b.Stmt != nil && b.Stmt != loop && b.Stmt.Pos() > body.Lbrace && b.Stmt.End() <= body.Rbrace
	}
	var start []*cfg.Block
	_, isComm := from.(*ast.CommClause)
	_, isCase := from.(*ast.CaseClause)
	if from == body || isComm || isCase {
		for _, b := range fl.g.Blocks {
			if !b.Live {
				continue
			}
			switch {
			case from == body && b.Stmt == loop && (b.Kind == cfg.KindForBody || b.Kind == cfg.KindRangeBody),
				isComm && b.Stmt == from && b.Kind == cfg.KindSelectCaseBody,
				isCase && b.Stmt == from && b.Kind == cfg.KindSwitchCaseBody:
				start = append(start, b)
			}
		}
		if len(start) == 0 {
			return ReachUnknown
		}
		// The pass's (or case's) first block is the body block itself:
		// walk it, not count it as the next pass.
		if fl.exitOf[start[0]] != nil {
			return ReachNever
		}
		start = append([]*cfg.Block(nil), start[0].Succs...)
	} else {
		blk, _, ok := fl.locateNode(from)
		if !ok {
			return ReachUnknown
		}
		start = append(start, blk.Succs...)
	}
	next, leaves := false, false
	seen := map[*cfg.Block]bool{}
	work := start
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		switch {
		case head(b):
			next = true
			continue
		case !inside(b):
			leaves = true // the loop's done block, or a label outside it
			continue
		case fl.exitOf[b] != nil:
			leaves = true // return or exit call
			continue
		}
		work = append(work, b.Succs...)
	}
	switch {
	case !next:
		return ReachNever
	case leaves:
		return ReachSome
	}
	return ReachAlways
}

// locateAny is locate, falling back to a scan of every live node (locate
// looks at the few nodes starting just before p).
func (fl *funcFlow) locateAny(p token.Pos) (*cfg.Block, int, bool) {
	if blk, idx, ok := fl.locate(p); ok {
		return blk, idx, true
	}
	var best ast.Node
	var bblk *cfg.Block
	bidx := 0
	for _, b := range fl.g.Blocks {
		if !b.Live {
			continue
		}
		for i, n := range b.Nodes {
			if p >= n.Pos() && p < n.End() && (best == nil || n.End()-n.Pos() < best.End()-best.Pos()) {
				best, bblk, bidx = n, b, i
			}
		}
	}
	return bblk, bidx, best != nil
}

// locateNode finds the block and index of the graph node that is n (or,
// for a statement the graph splits, its first node).
func (fl *funcFlow) locateNode(n ast.Node) (*cfg.Block, int, bool) {
	blk, idx, ok := fl.locate(n.Pos())
	if !ok {
		return nil, 0, false
	}
	if got := blk.Nodes[idx]; got.Pos() != n.Pos() {
		return nil, 0, false // n is not itself a node: a compound statement
	}
	return blk, idx, true
}

// exitFlowSet holds, for one file, the flow builder that classifies exits
// and the control-flow graphs that reachability questions read: those of
// the functions whose path facts the model computes (ensureFlow), and the
// graphs built here for the others (functions without defers, locks or
// reassigned channels: see buildFlows). A graph is indexed (locate) before
// it is shared, so that concurrent readers never write it.
type exitFlowSet struct {
	once  sync.Once
	fb    *flowBuilder
	mu    sync.Mutex
	flows map[*Func]*funcFlow
	// The file's function declarations, for fileCallee: by the position
	// of their name, and methods by "Type.name" for the syntax tier.
	declsOnce  sync.Once
	declAt     map[token.Pos]*ast.FuncDecl
	methodDecl map[string]*ast.FuncDecl
	// mayExitDecl caches bodyMayExit (under mu).
	mayExitDecl map[*ast.FuncDecl]bool
}

// exitFlows returns the file's exit classifier and graphs; its fb is nil
// for a model built by hand.
func (m *File) exitFlows() *exitFlowSet {
	d := m.derived
	if d == nil {
		return &exitFlowSet{}
	}
	d.exits.once.Do(func() {
		// Share the flow builder of the functions that have one, so that
		// the file's exiting helpers are found once.
		for _, f := range m.Funcs {
			if f.fb != nil {
				d.exits.fb = f.fb
				return
			}
		}
		d.exits.fb = &flowBuilder{b: d.b, m: m}
	})
	return &d.exits
}

// flowAt returns the control-flow graph of the innermost function whose
// body holds p, or nil.
func (m *File) flowAt(p token.Pos) *funcFlow {
	f := m.funcAt(p)
	if f == nil || f.Body == nil {
		return nil
	}
	set := m.exitFlows()
	if set.fb == nil {
		return nil
	}
	if f.fb != nil {
		f.ensureFlow() // outside set.mu: computing f's path facts may ask about exits
	}
	set.mu.Lock()
	defer set.mu.Unlock()
	if fl, ok := set.flows[f]; ok {
		return fl
	}
	fl := f.flow
	if f.fb == nil {
		fl = set.fb.flowOf(f)
	}
	if fl == nil {
		return nil
	}
	// locate indexes the graph's nodes on first use, writing the graph;
	// index it here, under the lock, so that concurrent readers only read.
	fl.locate(f.Body.Pos())
	if set.flows == nil {
		set.flows = map[*Func]*funcFlow{}
	}
	set.flows[f] = fl
	return fl
}

// funcAt returns the innermost function whose body holds p. Funcs is in
// source order and bodies nest, so the candidates are the last function
// starting before p and its parents (a function starting between an
// enclosing one and p is nested in it).
func (m *File) funcAt(p token.Pos) *Func {
	i := sort.Search(len(m.Funcs), func(i int) bool { return m.Funcs[i].Pos > p }) - 1
	if i < 0 {
		return nil
	}
	for f := m.Funcs[i]; f != nil; f = f.Parent {
		if f.Body != nil && p >= f.Body.Pos() && p < f.Body.End() {
			return f
		}
	}
	return nil
}

// CallsRecover reports whether the builtin recover is called anywhere in
// n, function literals included (the model's Builtins: a local function
// named recover is not it). Features that stay away from code which
// handles panics on purpose ask this.
func (m *File) CallsRecover(n ast.Node) bool {
	if n == nil {
		return false
	}
	for _, b := range m.Builtins {
		if b.Name == "recover" && b.Pos >= n.Pos() && b.Pos < n.End() {
			return true
		}
	}
	return false
}

// WritesAfter keeps, of writes (some or all of a deferred call argument's
// DeferArg.ReassignedAt, which holds every write after the defer statement
// in source order), those that can run after the defer statement in the
// same call of its function: the writes the deferred call will not see. A
// write in a branch that the defer's path never reaches (the defer is in
// an if that returns, the write after it), in dead code after a return,
// panic, os.Exit or t.Fatal, or outside the defer's function is left out.
// Hover, hints and the deferargs check read this one answer; a caller that
// shows only the first few writes passes only those. When the model does
// not follow the function's flow, writes is returned as it is.
func (m *File) WritesAfter(d *Defer, writes []token.Pos) []token.Pos {
	if len(writes) == 0 || d == nil || d.Node == nil {
		return writes
	}
	fl := m.flowAt(d.Pos)
	if fl == nil {
		return writes
	}
	blk, idx, ok := fl.locateNode(d.Node)
	if !ok {
		return writes
	}
	reached := map[*cfg.Block]bool{}
	work := append([]*cfg.Block(nil), blk.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if !reached[b] {
			reached[b] = true
			work = append(work, b.Succs...)
		}
	}
	keep := func(p token.Pos) bool {
		if p < fl.fn.Body.Pos() || p >= fl.fn.Body.End() {
			return false
		}
		wb, wi, ok := fl.locateAny(p)
		return ok && (wb == blk && wi > idx || reached[wb])
	}
	for i, p := range writes {
		if !keep(p) {
			// Copy from the first write left out: the list may be shared.
			out := append([]token.Pos(nil), writes[:i]...)
			for _, q := range writes[i+1:] {
				if keep(q) {
					out = append(out, q)
				}
			}
			return out
		}
	}
	return writes
}

// ExitsOf lists where f ends (returns, the closing brace, panic, os.Exit,
// runtime.Goexit, ...), in source order, for any function with a body:
// Func.Exits answers only for the functions whose path facts the model
// computes. nil when the model does not follow f's flow.
func (m *File) ExitsOf(f *Func) []*Exit {
	if f == nil || f.Body == nil {
		return nil
	}
	fl := m.flowAt(f.Body.Lbrace)
	if fl == nil || fl.fn != f {
		return nil
	}
	return fl.exits()
}

// NeverEnds reports whether the model proves f never ends by itself: its
// control-flow graph is known and no path reaches a return, the end of its
// body or an exit call (it ends in select {} or an endless loop). A call
// in it may still panic or exit.
func (m *File) NeverEnds(f *Func) bool {
	if f == nil || f.Body == nil {
		return false
	}
	fl := m.flowAt(f.Body.Lbrace)
	if fl == nil || fl.fn != f {
		return false
	}
	return len(fl.exits()) == 0
}

// LoopBody is the body of a for or range statement; nil for any other
// node. The checks that walk loops use it too.
func LoopBody(n ast.Node) *ast.BlockStmt {
	switch l := n.(type) {
	case *ast.ForStmt:
		return l.Body
	case *ast.RangeStmt:
		return l.Body
	}
	return nil
}

// LoopsForever reports whether loop is a for statement without a condition
// that no pass leaves except by ending the program or its goroutine (a
// panic, os.Exit, log.Fatal, runtime.Goexit): LoopExits holds no return,
// break, goto or continue of an enclosing loop.
func (m *File) LoopsForever(loop ast.Stmt) bool {
	fs, ok := loop.(*ast.ForStmt)
	if !ok || fs.Cond != nil {
		return false
	}
	for _, e := range m.LoopExits(loop) {
		switch e.What {
		case "return", "break", "goto", "continue":
			return false
		}
	}
	return true
}

// ServesForever reports whether the function body holds (outside function
// literals) a loop that LoopsForever, such as an accept loop: the function
// never returns, and what it opened lives as long as the process.
func (m *File) ServesForever(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			if m.LoopsForever(n) {
				found = true
			}
		}
		return !found
	})
	return found
}
