package model

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strconv"
)

// Whether an operation happens on every path through its function.
//
// A summary that says "produce closes ch" is a claim about every call of
// produce: the range over ch ends, ok becomes false, the goroutine is
// waited for. That holds only when the close runs on every path by which
// produce returns. An operation nested in an if without the same operation
// in the other branch, in a loop body (which may run zero times), in a
// switch or select case, or after a statement that may leave the function
// first, happens only on some paths: its effect is recorded as Possible
// and rendered "which may close it".
//
// The facts come from one walk of each function body, in source order,
// that marks the spans of code every path runs (mustIndex): a statement is
// on every path when its enclosing statements are plain blocks (or the
// header of an if, switch, for or range, which always runs) and no
// statement before it may leave — return, goto, a labelled branch, an
// unlabelled break or continue out of the construct, a call that ends the
// goroutine (runtime.Goexit, t.FailNow and friends), or an endless loop.
// An unrecovered panic, os.Exit and log.Fatal end the program, after which
// no claim about a range or a wait matters, so they do not count as
// leaving. A `defer op` on such a path runs on every path after it is
// registered, so it counts as running on every path.
//
// The walk is linear in the body; an operation written in every branch of
// an if/else, every case of a switch with a default, or every case of a
// select is recognised by a second walk (coverage), done only for the few
// operations the first walk leaves on some paths.

// posSpan is a statement or header on every path: the half-open range of
// positions it covers, and its syntax, to find the parts of it that may
// still not run.
type posSpan struct {
	from, to token.Pos
	node     ast.Node
}

// mustIndex records, for one function body, the code that runs on every
// path by which the function returns: its spans, in source order.
type mustIndex struct {
	spans []posSpan
	// endless is set when the body has a `for {` loop: an operation in
	// one may still run on every path (coverage).
	endless bool
}

// at reports whether the code at p runs on every path: p is in a span,
// and not in a part of it that may not run (the right operand of && or
// ||, a function literal). With lit set, p is the position of a function
// literal, and the answer is whether it is called where it stands (`go
// func(){...}()`, `defer func(){...}()`, `func(){...}()`) on every path.
// The parts are found by descending the span's syntax toward p, at query
// time: most statements are never asked about.
func (ix *mustIndex) at(p token.Pos, lit bool) bool {
	i := sort.Search(len(ix.spans), func(i int) bool { return ix.spans[i].to > p })
	if i == len(ix.spans) || ix.spans[i].from > p {
		return false
	}
	must, done := true, false
	var parent ast.Node
	ast.Inspect(ix.spans[i].node, func(x ast.Node) bool {
		if done || x == nil || p < x.Pos() || p >= x.End() {
			return false
		}
		switch x := x.(type) {
		case *ast.BinaryExpr:
			if (x.Op == token.LAND || x.Op == token.LOR) && p >= x.Y.Pos() {
				must, done = false, true
				return false
			}
		case *ast.FuncLit:
			// Either the literal asked about, or p is inside a literal:
			// that code runs whenever the literal is called, if ever.
			call, ok := parent.(*ast.CallExpr)
			must = lit && x.Pos() == p && ok && ast.Unparen(call.Fun) == x
			done = true
			return false
		}
		if !lit && x.Pos() == p {
			done = true // the operation or call that starts at p
			return false
		}
		if _, ok := x.(*ast.ParenExpr); !ok {
			parent = x
		}
		return true
	})
	return must
}

// leave is how a statement may end other than by finishing normally.
type leave uint8

const (
	leaveFunc  leave = 1 << iota // return, goto, a labelled branch, a goroutine-ending call
	leaveBreak                   // an unlabelled break of the enclosing loop, switch or select
	leaveCont                    // an unlabelled continue of the enclosing loop
	leaveNever                   // it never finishes (for {} without break, select {})
	leaveLabel                   // a labelled break or continue of an enclosing statement the walk is in
)

// mustOf returns f's index, building it on first use.
func (b *builder) mustOf(f *Func) *mustIndex {
	if f == nil || f.Body == nil {
		return nil
	}
	b.ss.mustMu.Lock()
	defer b.ss.mustMu.Unlock()
	if ix := b.ss.must[f]; ix != nil {
		return ix
	}
	ix := &mustIndex{spans: make([]posSpan, 0, 2*len(f.Body.List))}
	w := mustWalker{ix: ix, val: b.intConst, ends: b.endsGoroutine}
	if recoversPanics(f) {
		// A panic that a deferred recover stops returns from f: the
		// statements after it do not run on that path
		// (r20f_recover_skips_done).
		w.ends = func(x ast.Expr) bool {
			if call, ok := x.(*ast.CallExpr); ok {
				if k, ok := b.m.ExitCall(call); ok && k == ExitPanic {
					return true
				}
			}
			return b.endsGoroutine(x)
		}
	}
	w.list(f.Body.List, true)
	b.ss.must[f] = ix
	return ix
}

// mustAt reports whether the code at p, in f's own body, runs on every
// path by which f returns.
func (b *builder) mustAt(f *Func, p token.Pos) bool {
	ix := b.mustOf(f)
	return ix != nil && ix.at(p, false)
}

// runsEveryPath reports whether the code at p, in f or in function
// literals f runs where they stand, runs on every path of outer (f itself
// or a function enclosing it): `defer wg.Done()` at the top of a go
// statement's literal does, a Done under an if does not.
func (b *builder) runsEveryPath(f *Func, p token.Pos, outer *Func) bool {
	if !b.mustAt(f, p) {
		return false
	}
	for g := f; g != outer; g = g.Parent {
		if g == nil || !b.litRunsAlways(g) {
			return false
		}
	}
	return true
}

// litRunsAlways reports whether the function literal lit is called (or
// started, or deferred) where it stands, on every path of the function
// that contains it.
func (b *builder) litRunsAlways(lit *Func) bool {
	if lit == nil || !lit.Lit || lit.Parent == nil {
		return false
	}
	ix := b.mustOf(lit.Parent)
	return ix != nil && ix.at(lit.Pos, true)
}

// val evaluates an integer constant expression (a literal, or on the
// typed tier and for constants the file declares, any constant
// expression: `i < chanSize+2`).
type mustWalker struct {
	ix   *mustIndex
	val  func(ast.Expr) (int64, bool)
	ends func(ast.Expr) bool // builder.endsGoroutine
	// labels are the labels of the statements being walked, innermost
	// last; nextLabel is the label of the loop, switch or select about to
	// be walked; branches are the labelled breaks and continues met and
	// not yet matched to their statement (see labelled).
	labels    []string
	nextLabel string
	branches  []labelBranch
}

// takeLabel returns the label of the statement about to be walked and
// clears it, so that the statements inside do not take it.
func (w *mustWalker) takeLabel() string {
	l := w.nextLabel
	w.nextLabel = ""
	return l
}

// labelBranch is a `break L` or `continue L` whose statement L encloses it.
type labelBranch struct {
	label string
	cont  bool
}

// labelled settles, for the loop, switch or select labelled label whose
// body the walk left with l (start: len(branches) before the body), the
// labelled branches met inside: `break label` finishes the statement
// (reported as leaveBreak, for a loop's "never finishes" test),
// `continue label` continues it; a branch to an outer label still leaves
// it (leaveLabel).
func (w *mustWalker) labelled(label string, start int, l leave) leave {
	if label == "" || start > len(w.branches) {
		return l
	}
	rest, outer := w.branches[:start], false
	for _, br := range w.branches[start:] {
		switch {
		case br.label != label:
			rest, outer = append(rest, br), true
		case !br.cont:
			l |= leaveBreak
		}
	}
	w.branches = rest
	if !outer {
		l &^= leaveLabel
	}
	return l
}

func (w *mustWalker) list(stmts []ast.Stmt, must bool) leave {
	var out leave
	for _, s := range stmts {
		l := w.stmt(s, must)
		out |= l
		if l != 0 {
			must = false
		}
	}
	return out
}

func (w *mustWalker) stmt(s ast.Stmt, must bool) leave {
	switch s := s.(type) {
	case *ast.BlockStmt:
		return w.list(s.List, must)
	case *ast.LabeledStmt:
		// A break or continue of this label, inside it, is matched to
		// the loop, switch or select it labels (labelled); any other
		// labelled branch, and goto, counts as leaving the function.
		switch s.Stmt.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			w.nextLabel = s.Label.Name
		}
		w.labels = append(w.labels, s.Label.Name)
		l := w.stmt(s.Stmt, must)
		w.labels = w.labels[:len(w.labels)-1]
		w.nextLabel = ""
		return l
	case *ast.ExprStmt:
		w.node(s, must)
		if w.ends(s.X) {
			return leaveFunc
		}
	case *ast.SendStmt, *ast.IncDecStmt, *ast.AssignStmt, *ast.DeclStmt, *ast.GoStmt, *ast.DeferStmt:
		w.node(s, must)
	case *ast.ReturnStmt:
		w.node(s, must)
		return leaveFunc
	case *ast.BranchStmt:
		switch {
		case s.Label != nil && (s.Tok == token.BREAK || s.Tok == token.CONTINUE) && slices.Contains(w.labels, s.Label.Name):
			w.branches = append(w.branches, labelBranch{label: s.Label.Name, cont: s.Tok == token.CONTINUE})
			return leaveLabel
		case s.Label != nil || s.Tok == token.GOTO:
			return leaveFunc
		case s.Tok == token.BREAK:
			return leaveBreak
		case s.Tok == token.CONTINUE:
			return leaveCont
		}
	case *ast.IfStmt:
		if s.Init != nil {
			w.stmt(s.Init, must)
		}
		w.node(s.Cond, must)
		l := w.list(s.Body.List, false)
		if s.Else != nil {
			l |= w.stmt(s.Else, false)
		}
		return l
	case *ast.SwitchStmt:
		label, start := w.takeLabel(), len(w.branches)
		if s.Init != nil {
			w.stmt(s.Init, must)
		}
		if s.Tag != nil {
			w.node(s.Tag, must)
		}
		var l leave
		for _, c := range s.Body.List {
			l |= w.list(c.(*ast.CaseClause).Body, false)
		}
		return w.labelled(label, start, l) &^ leaveBreak
	case *ast.TypeSwitchStmt:
		label, start := w.takeLabel(), len(w.branches)
		if s.Init != nil {
			w.stmt(s.Init, must)
		}
		w.stmt(s.Assign, must)
		var l leave
		for _, c := range s.Body.List {
			l |= w.list(c.(*ast.CaseClause).Body, false)
		}
		return w.labelled(label, start, l) &^ leaveBreak
	case *ast.SelectStmt:
		label, start := w.takeLabel(), len(w.branches)
		if len(s.Body.List) == 0 {
			return leaveNever
		}
		// A select with one case and no default runs that case.
		one := false
		if len(s.Body.List) == 1 {
			one = s.Body.List[0].(*ast.CommClause).Comm != nil
		}
		var l leave
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			if cc.Comm != nil {
				w.stmt(cc.Comm, must && one)
			}
			l |= w.list(cc.Body, must && one)
		}
		return w.labelled(label, start, l) &^ leaveBreak
	case *ast.ForStmt:
		label, start := w.takeLabel(), len(w.branches)
		if s.Init != nil {
			w.stmt(s.Init, must)
		}
		if s.Cond != nil {
			w.node(s.Cond, must)
		}
		// The body of `for {` runs at least once, and so does that of a
		// counted loop whose condition holds at the start (`for i := 0;
		// i < 3; i++`); any other body may run zero times.
		if s.Cond == nil {
			w.ix.endless = true
		}
		l := w.labelled(label, start, w.list(s.Body.List, must && (s.Cond == nil || countedOnce(s, w.val))))
		if s.Post != nil {
			w.stmt(s.Post, false)
		}
		out := l &^ (leaveBreak | leaveCont)
		if s.Cond == nil && l&leaveBreak == 0 {
			out |= leaveNever
		}
		return out
	case *ast.RangeStmt:
		// The range expression is evaluated and the ranging starts on
		// every path; the body may run zero times (unless it ranges
		// over a positive integer constant: `for range 3`).
		label, start := w.takeLabel(), len(w.branches)
		if must {
			w.span(s.For, s.X.End(), s.X)
		}
		l := w.labelled(label, start, w.list(s.Body.List, must && positiveInt(s.X)))
		return l &^ (leaveBreak | leaveCont)
	}
	return 0
}

// node records n (a simple statement or a header expression) as run on
// every path, when it is.
func (w *mustWalker) node(n ast.Node, must bool) {
	if !must || n == nil {
		return
	}
	w.span(n.Pos(), n.End(), n)
}

// span records [from, to), the code of n, as run on every path.
func (w *mustWalker) span(from, to token.Pos, n ast.Node) {
	w.ix.spans = append(w.ix.spans, posSpan{from, to, n})
}

// countedOnce reports whether a for loop's body runs at least once by its
// header alone: `for i := A; i OP B; i++` with integer literals A and B
// that satisfy OP, the loop variable not assigned before the condition.
// val evaluates A and B; nil means integer literals only.
func countedOnce(s *ast.ForStmt, val func(ast.Expr) (int64, bool)) bool {
	if val == nil {
		val = intLit
	}
	init, ok := s.Init.(*ast.AssignStmt)
	if !ok || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
		return false
	}
	v, ok := init.Lhs[0].(*ast.Ident)
	if !ok {
		return false
	}
	start, ok := val(init.Rhs[0])
	if !ok {
		return false
	}
	cond, ok := ast.Unparen(s.Cond).(*ast.BinaryExpr)
	if !ok {
		return false
	}
	x, ok := ast.Unparen(cond.X).(*ast.Ident)
	if !ok || x.Name != v.Name {
		return false
	}
	bound, ok := val(cond.Y)
	if !ok {
		return false
	}
	switch cond.Op {
	case token.LSS:
		return start < bound
	case token.LEQ:
		return start <= bound
	case token.GTR:
		return start > bound
	case token.GEQ:
		return start >= bound
	case token.NEQ:
		return start != bound
	}
	return false
}

// intConst evaluates x as an integer constant the model can see.
func (b *builder) intConst(x ast.Expr) (int64, bool) {
	v := b.constValue(x)
	if v == nil || v.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(v)
}

// positiveInt reports whether x is an integer literal above zero.
func positiveInt(x ast.Expr) bool {
	n, ok := intLit(x)
	return ok && n > 0
}

// intLit reads a decimal integer literal.
func intLit(x ast.Expr) (int64, bool) {
	lit, ok := ast.Unparen(x).(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		return 0, false
	}
	n, err := strconv.ParseInt(lit.Value, 0, 64)
	return n, err == nil
}

// endsGoroutine reports whether x is a call that may end the goroutine
// without ending the program, running its defers — the model's one
// classifier (File.ExitCall, File.MayExit) read for that: a proven
// runtime.Goexit, testing's FailNow family (t.Fatal, t.SkipNow, ...) or
// this file's helper that calls them, and any call that may exit but is
// not proven to end the program (a logger's Fatal golens cannot read).
// os.Exit, log.Fatal and panic end the program (ExitProcess, ExitPanic):
// after them no claim about a range or a wait matters.
func (b *builder) endsGoroutine(x ast.Expr) bool {
	call, ok := x.(*ast.CallExpr)
	if !ok {
		return false
	}
	if k, ok := b.m.ExitCall(call); ok {
		return k == ExitGoexit
	}
	return b.m.MayExit(call)
}

// ---- coverage: the same operation in every branch ----

// covers reports whether every path by which f returns runs at least one
// of the operations at ps (all written in f's own body): `if ok {
// close(ch) } else { close(ch) }`, a switch with a default that closes in
// every case, a `for {` whose only ways out (a return, a break) follow a
// close. Conservative: any other way out before an operation (goto, a
// labelled branch, a goroutine-ending call, a fallthrough) makes the
// answer false.
func (b *builder) covers(f *Func, ps []token.Pos) bool {
	if f == nil || f.Body == nil {
		return false
	}
	c := coverer{ps: ps, val: b.intConst, ends: b.endsGoroutine}
	r := c.list(f.Body.List)
	return r.covered && !r.bad && !r.brk
}

type coverer struct {
	ps   []token.Pos
	val  func(ast.Expr) (int64, bool)
	ends func(ast.Expr) bool // builder.endsGoroutine
}

// coverage is what the coverer knows of a statement: every path that
// finishes it normally runs an operation (covered; true too when no path
// finishes it), some path leaves the function without one (bad), some
// unlabelled break leaves the enclosing loop, switch or select without
// one (brk). A continue goes round its loop again: it neither finishes
// the statement nor leaves the function.
type coverage struct{ covered, bad, brk bool }

func (c *coverer) list(stmts []ast.Stmt) coverage {
	var out coverage
	for _, s := range stmts {
		r := c.stmt(s)
		out.bad, out.brk = out.bad || r.bad, out.brk || r.brk
		if r.covered {
			out.covered = true
			return out
		}
	}
	return out
}

func (c *coverer) stmt(s ast.Stmt) coverage {
	switch s := s.(type) {
	case *ast.BlockStmt:
		return c.list(s.List)
	case *ast.LabeledStmt:
		return c.stmt(s.Stmt)
	case *ast.ExprStmt:
		if c.has(s) {
			return coverage{covered: true}
		}
		if c.ends(s.X) {
			return coverage{covered: true, bad: true}
		}
	case *ast.SendStmt, *ast.IncDecStmt, *ast.AssignStmt, *ast.DeclStmt, *ast.GoStmt, *ast.DeferStmt:
		return coverage{covered: c.has(s)}
	case *ast.ReturnStmt:
		return coverage{covered: true, bad: !c.has(s)}
	case *ast.BranchStmt:
		switch {
		case s.Label == nil && s.Tok == token.BREAK:
			return coverage{covered: true, brk: true}
		case s.Label == nil && s.Tok == token.CONTINUE:
			return coverage{covered: true}
		}
		return coverage{covered: true, bad: true}
	case *ast.IfStmt:
		if c.has(s.Init) || c.has(s.Cond) {
			return coverage{covered: true}
		}
		rb := c.list(s.Body.List)
		var re coverage
		if s.Else != nil {
			re = c.stmt(s.Else)
		}
		return coverage{covered: rb.covered && re.covered, bad: rb.bad || re.bad, brk: rb.brk || re.brk}
	case *ast.SwitchStmt:
		if c.has(s.Init) || c.has(s.Tag) {
			return coverage{covered: true}
		}
		return c.clauses(s.Body)
	case *ast.TypeSwitchStmt:
		if c.has(s.Init) || c.has(s.Assign) {
			return coverage{covered: true}
		}
		return c.clauses(s.Body)
	case *ast.SelectStmt:
		// One case runs; a break in it finishes the select.
		out := coverage{covered: true}
		for _, x := range s.Body.List {
			cc := x.(*ast.CommClause)
			if c.has(cc.Comm) {
				continue
			}
			r := c.list(cc.Body)
			out.covered = out.covered && r.covered && !r.brk
			out.bad = out.bad || r.bad
		}
		return out
	case *ast.ForStmt:
		if c.has(s.Init) || c.has(s.Cond) {
			return coverage{covered: true}
		}
		r := c.list(s.Body.List)
		if s.Cond == nil {
			// for {: the function goes on past it only by a break, and
			// returns from it only by a return (bad when one comes
			// before an operation). Covered when it has a way out and
			// every break follows an operation; a loop with no way
			// out never finishes, and nothing in it is certain to run.
			return coverage{covered: !r.brk && c.wayOut(s.Body, false), bad: r.bad}
		}
		return coverage{covered: countedOnce(s, c.val) && r.covered && !r.brk, bad: r.bad}
	case *ast.RangeStmt:
		for _, p := range c.ps {
			if p >= s.For && p < s.X.End() {
				return coverage{covered: true}
			}
		}
		return coverage{bad: c.list(s.Body.List).bad}
	}
	return coverage{}
}

// wayOut reports whether n holds a way out of the loop whose body it is
// (inner false) or of an enclosing one (inner true: n is a nested loop,
// switch or select, whose unlabelled breaks are its own): a return, a
// goto, a labelled break or continue, a goroutine-ending call, or an
// unlabelled break of the loop itself.
func (c *coverer) wayOut(n ast.Node, inner bool) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		case *ast.BranchStmt:
			found = x.Tok == token.GOTO || x.Label != nil || x.Tok == token.BREAK && !inner
		case *ast.ExprStmt:
			found = c.ends(x.X)
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			if x != n {
				found = c.wayOut(x, true)
				return false
			}
		}
		return !found
	})
	return found
}

// clauses covers a switch body: every case (and a default) runs an
// operation; a break in a case finishes the switch.
func (c *coverer) clauses(body *ast.BlockStmt) coverage {
	out, hasDefault := coverage{covered: true}, false
	for _, x := range body.List {
		cc := x.(*ast.CaseClause)
		if cc.List == nil {
			hasDefault = true
		}
		// A fallthrough counts as leaving the function (see stmt):
		// conservative.
		r := c.list(cc.Body)
		out.covered = out.covered && r.covered && !r.brk
		out.bad = out.bad || r.bad
	}
	out.covered = out.covered && hasDefault
	return out
}

// has reports whether one of the operations is in n, outside the right
// operand of && and ||.
func (c *coverer) has(n ast.Node) bool {
	if n == nil {
		return false
	}
	from, to := n.Pos(), n.End()
	for _, p := range c.ps {
		if p < from || p >= to {
			continue
		}
		in := true
		ast.Inspect(n, func(x ast.Node) bool {
			if !in || x == nil || p < x.Pos() || p >= x.End() {
				return false
			}
			if be, ok := x.(*ast.BinaryExpr); ok && (be.Op == token.LAND || be.Op == token.LOR) && p >= be.Y.Pos() {
				in = false
			}
			return in
		})
		if in {
			return true
		}
	}
	return false
}

// ---- after a point ----

// runsAfter reports whether the code at p, in f's own body, runs on every
// path from the statement at from (also in f's own body) to f's return:
// `go worker(done); ...; <-done` in one loop iteration, where neither runs
// on every path of f but the receive follows every start. It walks the
// statements after from in each enclosing statement list, inner to outer,
// while nothing between may leave f.
func (b *builder) runsAfter(f *Func, from, p token.Pos) bool {
	if f == nil || f.Body == nil || p <= from {
		return false
	}
	path, _ := EnclosingPath(b.m.AST, from, from)
	ix := &mustIndex{}
	w := mustWalker{ix: ix, val: b.intConst, ends: b.endsGoroutine}
	var pending leave // unlabelled break or continue on the way out
	for i, n := range path {
		if n == f.Body {
			break
		}
		var list []ast.Stmt
		switch n := n.(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		case *ast.ForStmt, *ast.RangeStmt:
			pending = 0 // the loop ends, or runs the statements again
			continue
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			pending &^= leaveBreak
			continue
		case *ast.FuncLit:
			return false // from is in a function literal, not f's own body
		default:
			continue
		}
		if i == 0 {
			continue
		}
		child := path[i-1]
		after := false
		for _, s := range list {
			if after {
				l := w.stmt(s, pending == 0)
				if l&(leaveFunc|leaveNever) != 0 {
					return ix.at(p, false)
				}
				pending |= l
			}
			if s == child {
				after = true
			}
		}
		if ix.at(p, false) {
			return true
		}
	}
	if len(path) > 0 {
		// The statements after the one holding from, at the top of f.
		var child ast.Node
		for i, n := range path {
			if n == f.Body && i > 0 {
				child = path[i-1]
			}
		}
		after := false
		for _, s := range f.Body.List {
			if after {
				if l := w.stmt(s, pending == 0); l&(leaveFunc|leaveNever) != 0 {
					break
				} else {
					pending |= l
				}
			}
			if s == child {
				after = true
			}
		}
	}
	return ix.at(p, false)
}

// summarisedCallee reports whether call calls a function whose summary the
// model has: a function or method declared in this file (syntax tier), or
// in this package (typed tier).
func (b *builder) summarisedCallee(call *ast.CallExpr) bool {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	if info := b.m.Info; info != nil {
		var id *ast.Ident
		switch f := fun.(type) {
		case *ast.Ident:
			id = f
		case *ast.SelectorExpr:
			id = f.Sel
		}
		fn, ok := info.Uses[id].(*types.Func)
		if id == nil || !ok || fn.Pkg() == nil {
			return false
		}
		for _, d := range b.m.AST.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if def := info.Defs[fd.Name]; def != nil {
					return def.Pkg() == fn.Pkg()
				}
			}
		}
		return false
	}
	switch f := fun.(type) {
	case *ast.Ident:
		if f.Obj != nil && f.Obj.Kind == ast.Fun {
			_, ok := f.Obj.Decl.(*ast.FuncDecl)
			return ok
		}
	case *ast.SelectorExpr:
		if t, _ := b.syntaxTypeName(f.X); t != "" {
			return b.methods[t+"."+f.Sel.Name] != nil
		}
	}
	return false
}
