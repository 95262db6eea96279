package model

import (
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// Whether a close written in the file runs on every path. "It is closed
// at line 14" is a claim about the program, not the code: it holds when
// the close runs on every path by which the function holding the channel
// returns (the function declaring it, or, for a field or a package-level
// variable, the function the close is written in), directly, in a
// function literal it runs where it stands (`go func() { ...; close(ch)
// }()`), or through a call. The summaries' per-path facts
// (summary_paths.go, summary_cover.go) say so: an Effect of that
// function's summary for this close that is Proven. A close under `if ok
// {` inside the goroutine literal is Possible: the channel may be closed
// there, when ok holds.

// closePaths records the closes of c that run only on some paths, with
// their condition.
func (b *builder) closePaths(c *Chan) {
	c.neverSent = b.neverSent(c)
	c.noSendInFile = b.noSendInFile(c)
	defer b.afterFuncCloses(c)
	for _, op := range c.Closes() {
		if when := b.sharedLoopVarClose(op); when != "" { // close_loopvar.go
			if c.someCloses == nil {
				c.someCloses = map[*ChanOp]string{}
			}
			c.someCloses[op] = when
			continue
		}
		home := b.closeHome(c, op)
		if home == nil {
			continue
		}
		s := b.m.summaryOf[home]
		if s == nil {
			continue
		}
		found, proven := false, false
		for _, e := range b.closeEffectsAt(s)[op.Pos] {
			found = true
			// Proven by coverage through calls: the close runs on
			// some paths, a call closes it on the others — "closed at
			// line N" would name the wrong place on those.
			proven = proven || e.Certainty == Proven && !e.byCover
		}
		if !found || proven || b.closesAfterDecl(c, op, home) {
			continue
		}
		if when, ok := b.closeCondition(op, home, c); ok {
			if c.someCloses == nil {
				c.someCloses = map[*ChanOp]string{}
			}
			c.someCloses[op] = when
		}
	}
}

// closesAfterDecl reports whether the close op of a local channel c runs
// on every path of home that declares c: a path that returns before the
// declaration never has the channel, so it does not make the close one
// that runs only on some paths. `ch := make(chan T)` after `if err != nil
// { return nil, err }`, then `go func() { defer close(ch); ... }()`: every
// ch that exists is closed. The summaries judge the close against every
// path of home (what a caller of home learns); this judges it against the
// paths on which c exists. Only for a declaration that is a statement of
// home's body itself, and a close written in home or in function literals
// called where they stand.
func (b *builder) closesAfterDecl(c *Chan, op *ChanOp, home *Func) bool {
	if home == nil || home.Body == nil || op.Func == nil {
		return false
	}
	stmts := home.Body.List
	var i int
	switch {
	case c.IsField:
		i = fieldMadeBefore(c, op, stmts)
	case c.Local && !c.IsParam && c.Decl.IsValid():
		i = slices.IndexFunc(stmts, func(s ast.Stmt) bool { return s.Pos() <= c.Decl && c.Decl < s.End() })
		if i >= 0 {
			switch stmts[i].(type) {
			case *ast.AssignStmt, *ast.DeclStmt:
			default:
				i = -1 // declared in an if's or a loop's header, or deeper
			}
		}
	default:
		return false
	}
	if i < 0 {
		return false
	}
	ix := &mustIndex{}
	w := mustWalker{ix: ix, val: b.intConst, ends: b.endsGoroutine}
	w.list(stmts[i:], true)
	if op.Func == home {
		return ix.at(op.Pos, false)
	}
	if !b.mustAt(op.Func, op.Pos) {
		return false
	}
	g := op.Func
	for ; g.Parent != home; g = g.Parent {
		if g.Parent == nil || !b.litRunsAlways(g) {
			return false
		}
	}
	return g.Lit && ix.at(g.Pos, true)
}

// fieldMadeBefore is closesAfterDecl's start for a channel field: the
// index in stmts (home's body) of the statement `v := &T{f: make(chan X)}`
// (or `v := T{...}`) holding the field's only make, when the close op
// closes v.f of that same v, named nowhere else in home after it. `cl :=
// &call{done: make(chan struct{})}` after `if cl, ok := m[k]; ok { ...;
// return }`, then `close(cl.done)`: the path that returns early never made
// a channel. -1 otherwise.
func fieldMadeBefore(c *Chan, op *ChanOp, stmts []ast.Stmt) int {
	if len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
		return -1
	}
	call, ok := op.Node.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return -1
	}
	sel, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr)
	if !ok {
		return -1
	}
	v, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return -1
	}
	mk := c.Makes[0].Pos
	i := slices.IndexFunc(stmts, func(s ast.Stmt) bool { return s.Pos() <= mk && mk < s.End() })
	if i < 0 {
		return -1
	}
	as, ok := stmts[i].(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE && as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return -1
	}
	// `v = &T{f: make(...)}` (r18i_memo_inflight: `e, ok := m[k]`, a
	// cache-hit return, then `e = &entry{...}`) makes v name the new value
	// from here on just as `:=` does, provided v is home's own local: one
	// declared by an earlier statement of home's body itself, which no
	// other goroutine or function literal can assign.
	if as.Tok == token.ASSIGN && !localDeclaredBefore(v.Name, stmts[:i]) {
		return -1
	}
	if id, ok := as.Lhs[0].(*ast.Ident); !ok || id.Name != v.Name {
		return -1
	}
	rhs := ast.Unparen(as.Rhs[0])
	if u, ok := rhs.(*ast.UnaryExpr); ok && u.Op == token.AND {
		rhs = ast.Unparen(u.X)
	}
	if _, ok := rhs.(*ast.CompositeLit); !ok {
		return -1
	}
	// v must name the same value at the close: no later statement of
	// home declares or assigns a v of its own.
	rebound := false
	for _, s := range stmts[i+1:] {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == v.Name {
						rebound = true
					}
				}
			case *ast.ValueSpec:
				for _, id := range n.Names {
					if id.Name == v.Name {
						rebound = true
					}
				}
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok && id.Name == v.Name {
						rebound = true
					}
				}
			case *ast.FuncType:
				for _, fl := range []*ast.FieldList{n.Params, n.Results} {
					if fl == nil {
						continue
					}
					for _, f := range fl.List {
						for _, id := range f.Names {
							if id.Name == v.Name {
								rebound = true
							}
						}
					}
				}
			}
			return !rebound
		})
		if rebound {
			return -1
		}
	}
	return i
}

// localDeclaredBefore reports whether name is declared by one of stmts
// (`name, ok := ...` or `var name T` at that level, not deeper) and no
// function literal among them names it: a variable no statement before
// its assignment hands to other code, so only home's own statements set it.
func localDeclaredBefore(name string, stmts []ast.Stmt) bool {
	declared, captured := false, false
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == name {
						declared = true
					}
				}
			}
		case *ast.DeclStmt:
			if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
				for _, sp := range g.Specs {
					for _, id := range sp.(*ast.ValueSpec).Names {
						if id.Name == name {
							declared = true
						}
					}
				}
			}
		}
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				ast.Inspect(n.Body, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok && id.Name == name {
						captured = true
					}
					return !captured
				})
				return false
			case *ast.UnaryExpr:
				// &name lets other code set it.
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && id.Name == name {
					captured = true
				}
			}
			return !captured
		})
	}
	return declared && !captured
}

// afterFuncCloses records the closes of c written in a callback that
// time.AfterFunc or context.AfterFunc may never call (close_afterfunc.go),
// which the summaries count as proven.
func (b *builder) afterFuncCloses(c *Chan) {
	for _, op := range c.Closes() {
		if _, some := c.someCloses[op]; some {
			continue
		}
		if when, ok := b.afterFuncCondition(op); ok {
			if c.someCloses == nil {
				c.someCloses = map[*ChanOp]string{}
			}
			c.someCloses[op] = when
		}
	}
}

// closeEffectsAt indexes a summary's close effects by position, once per
// summary: a function with tens of thousands of closes and sends would
// otherwise be scanned once per close.
func (b *builder) closeEffectsAt(s *Summary) map[token.Pos][]*Effect {
	if idx, ok := b.closeIndex[s]; ok {
		return idx
	}
	idx := map[token.Pos][]*Effect{}
	for _, e := range s.Effects {
		if e.Kind == EffClose {
			idx[e.Pos] = append(idx[e.Pos], e)
		}
	}
	if b.closeIndex == nil {
		b.closeIndex = map[*Summary]map[token.Pos][]*Effect{}
	}
	b.closeIndex[s] = idx
	return idx
}

// closeHome is the function whose paths decide whether the close op of c
// runs: the innermost function declaring c (a local variable or a
// parameter), else the top-level function the close is written in.
func (b *builder) closeHome(c *Chan, op *ChanOp) *Func {
	if (c.Local || c.IsParam) && c.Decl.IsValid() {
		// A local's or parameter's scope is inside its function, so the
		// innermost function declaring c that holds the close is the
		// first one out from the close's own function.
		for f := op.Func; f != nil; f = f.Parent {
			if c.Decl >= f.Pos && c.Decl <= f.End {
				return f
			}
		}
		return nil
	}
	f := op.Func
	for f != nil && f.Parent != nil {
		f = f.Parent
	}
	return f
}

// closeCondition says whether a close that the summaries leave on some
// paths of home is so because of the paths alone — between the close and
// home there is no loop (a close in a loop body may close a channel made
// in the same iteration: for _, w := range ws { close(w.in) }) and no
// function literal other than one called where it stands (`go func()
// {...}()`: a literal stored or handed on runs when whoever holds it calls
// it, which golens may not see) — and names the condition under which it
// runs when it is written directly in an if's block or its else block:
// "when `ok` holds", "when `ok` does not hold"; "" when it names none.
//
// A loop is no obstacle when c is a variable declared before it (outside
// it): then every pass closes the same channel, and a loop that may not
// run makes the close one that may not happen (closed only when the loop
// runs and reaches it). c may be nil (no such exception).
func (b *builder) closeCondition(op *ChanOp, home *Func, c *Chan) (when string, pathsOnly bool) {
	path, _ := EnclosingPath(b.m.AST, op.Pos, op.Pos)
	named := false
	var skips []token.Pos // returns written before the close that leave without it
	from := existsFrom(c, home, op.Pos)
	// withSkips adds the early returns to a named condition: the close
	// runs only when the condition holds and none of them is taken.
	withSkips := func(when string) string {
		if when == "" || len(skips) == 0 {
			return when
		}
		slices.Sort(skips)
		ls := make([]string, len(skips))
		for i, p := range skips {
			ls[i] = itoa(b.m.Line(p))
		}
		if len(ls) == 1 {
			return when + " and the return at line " + ls[0] + " is not taken"
		}
		return when + " and none of the returns at lines " + strings.Join(ls[:len(ls)-1], ", ") + " and " + ls[len(ls)-1] + " is taken"
	}
	for i, n := range path {
		if n.Pos() == home.Pos {
			return withSkips(when), true
		}
		if i > 0 {
			for _, st := range stmtList(n) {
				if st.Pos() >= path[i-1].Pos() {
					break
				}
				skips = append(skips, returnsAfter(st, from)...)
			}
		}
		switch n := n.(type) {
		case *ast.FuncDecl:
			return withSkips(when), true
		case *ast.ForStmt, *ast.RangeStmt:
			if c != nil && (c.Local || c.IsParam) && !c.IsField && c.Decl.IsValid() && c.Decl < n.Pos() {
				continue
			}
			return "", false
		case *ast.FuncLit:
			call, ok := path[min(i+1, len(path)-1)].(*ast.CallExpr)
			if ok && ast.Unparen(call.Fun) != n && c != nil {
				// Handed to a function as an argument: it closes only
				// if that function calls it (retry(0, f) never does).
				if id, isID := ast.Unparen(call.Fun).(*ast.Ident); isID && b.isBuiltin(id, "append") && len(call.Args) > 1 && b.handedTo(call, n) != "" {
					// append stores it; it does not call it.
					return "if the function literal appended to `" + b.text(call.Args[0]) + "` is called", true
				}
				if by := b.handedTo(call, n); by != "" {
					return "if the function literal given to " + by + " is called", true
				}
			}
			if !ok && c != nil {
				// Stored in a variable or a field (p.stop = func() {
				// close(quit) }): it closes only when something calls
				// what it was stored in.
				if in := b.storedIn(path[min(i+1, len(path)-1)], n); in != "" {
					return "if the function literal stored in " + in + " is called", true
				}
			}
			if !ok || ast.Unparen(call.Fun) != n {
				return "", false
			}
		case *ast.CaseClause, *ast.CommClause:
			named = true // the first enclosing choice names no condition
		case *ast.IfStmt:
			if named || i == 0 {
				continue
			}
			named = true
			cond := "`" + b.text(n.Cond) + "`"
			switch path[i-1] {
			case n.Body:
				when = "when " + cond
				if !isComparison(n.Cond) {
					when += " holds"
				}
			case n.Else:
				if _, isBlock := n.Else.(*ast.BlockStmt); isBlock {
					when = "when " + cond + " does not hold"
					if neg := b.negated(n.Cond); neg != "" {
						when = "when `" + neg + "`"
					}
				}
			}
		}
	}
	return withSkips(when), true
}

// returnsAfter lists the return statements in st (not in a function literal
// in it) written after from.
func returnsAfter(st ast.Stmt, from token.Pos) []token.Pos {
	var out []token.Pos
	ast.Inspect(st, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if n.Pos() > from {
				out = append(out, n.Pos())
			}
		}
		return true
	})
	return out
}

// existsFrom is where, in home, the channel c the close at p closes comes
// to exist: its declaration, or the last make of it in home before p. A
// path that returns before then never had this channel, so it does not
// skip its close (as closesAfterDecl). NoPos when c is nil.
func existsFrom(c *Chan, home *Func, p token.Pos) token.Pos {
	from := token.NoPos
	if c == nil {
		return from
	}
	if (c.Local || c.IsParam) && c.Decl.IsValid() {
		from = c.Decl
	}
	for _, mk := range c.Makes {
		if mk.Pos > from && mk.Pos < p && mk.Pos >= home.Pos && mk.Pos < home.End {
			from = mk.Pos
		}
	}
	return from
}

// SomePathsCloses lists the closes of c (those that run, see
// RunningCloses) that run only on some paths of the function holding c,
// with the condition golens can name for each ("when `ok` holds"; "" when
// it names none). A reader says "it may be closed at line N" for these,
// and "it is closed at line N" only for the others.
func (c *Chan) SomePathsCloses() (ops []*ChanOp, when []string) {
	some := c.facts().someCloses
	for _, op := range c.RunningCloses() {
		if w, ok := some[op]; ok {
			ops, when = append(ops, op), append(when, w)
		}
	}
	return ops, when
}

// EveryPathCloses lists the closes of c that run on every path of the
// function holding c (of RunningCloses, those not in SomePathsCloses).
func (c *Chan) EveryPathCloses() []*ChanOp {
	some := c.facts().someCloses
	var out []*ChanOp
	for _, op := range c.RunningCloses() {
		if _, onSome := some[op]; !onSome {
			out = append(out, op)
		}
	}
	return out
}

// negated writes the negation of a comparison or a `!x` condition as
// code ("err == nil" for err != nil); "" for other conditions.
func (b *builder) negated(cond ast.Expr) string {
	switch c := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		flip := map[token.Token]string{token.EQL: "!=", token.NEQ: "==", token.LSS: ">=", token.GEQ: "<", token.GTR: "<=", token.LEQ: ">"}
		if op, ok := flip[c.Op]; ok {
			return b.text(c.X) + " " + op + " " + b.text(c.Y)
		}
	case *ast.UnaryExpr:
		if c.Op == token.NOT {
			return b.text(c.X)
		}
	}
	return ""
}

// isComparison reports a condition that reads as a statement: `n > 0`.
func isComparison(cond ast.Expr) bool {
	c, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	return ok && c.Op != token.LAND && c.Op != token.LOR
}

// closeUsesText renders the close u, made through a call, for a Closed
// fact: UseText's "passed to `run` at line 18, which closes it (in
// finishErr, line 6)". When the same call closes the channel in several
// places, one per path (`if fail { finishErr(c) } else { finishOK(c) }`),
// naming one of them would say where the close happens on a path the
// program may not take: every place is named, "(in finishErr, line 6, or
// in finishOK, line 5, depending on the path)".
func closeUsesText(m *File, u ChanUse, uses []ChanUse) string {
	text := UseText(m, u)
	if !u.Effect.At.IsValid() || !strings.HasSuffix(text, ")") {
		return text
	}
	alone := func(e *Effect) bool { return e.Certainty == Proven && !e.byCover }
	var more []string
	for _, o := range uses {
		e := o.Effect
		if e == u.Effect || e.Kind != EffClose || e.At != u.Effect.At || e.Pos == u.Effect.Pos || !e.Pos.IsValid() {
			continue
		}
		if alone(e) != alone(u.Effect) {
			// One of the closes runs on every path by itself (a
			// deferred close) and the other only on some: the other is
			// not an alternative to it but a second close on some paths.
			// (Closes in every branch of an if are each proven: those
			// are alternatives.)
			return text
		}
		where := m.where(e.Pos)
		if e.In != u.Effect.In {
			where = "in " + e.In + ", " + where
		}
		more = append(more, where)
	}
	if len(more) == 0 {
		return text
	}
	return strings.TrimSuffix(text, ")") + ", or " + strings.Join(more, ", or ") + ", depending on the path)"
}

// neverSent proves that nothing sends on c: a local channel variable,
// made here and never assigned anything else, with no send written on it,
// none through a call, and no place it escapes to or is stored under
// another name. It is decided where the model also proves whether c is
// closed. Closed, a receive from it can only wait for its close (a done
// channel: NeverSent). Never closed, a receive from it blocks forever
// (NeverSentNorClosed): that is claimed only where, with the package's
// facts, c's channel class has no send and no close either, the fact
// nopartner reports from (chan_classes_file.go).
func (b *builder) neverSent(c *Chan) bool {
	if c.IsField && !c.IsParam {
		return b.fieldNeverSent(c)
	}
	if !c.Local || c.IsParam || c.IsField || len(c.Makes) == 0 || len(c.Assigned) > 0 || len(c.Sends()) > 0 {
		return false
	}
	switch f := c.closed; {
	case f.ProvenTrue():
	case f.ProvenFalse():
		if !b.classSilent(c) { // chan_classes_file.go
			return false
		}
	default:
		return false
	}
	if b.handedOnOrAliased(c) {
		return false
	}
	return b.classNeverSent(c) // chan_classes_file.go
}

// fieldNeverSent proves that nothing sends on the field channel c, which
// the file closes: on the typed tier, the package's channel class of the
// field has no send and golens sees every use of its channels
// (ChanClass.Sent proven false), and no call the file makes sends on it,
// returns it or stores it where golens does not follow. A receive from it
// then waits for the close, not for a value (a ready or done field that
// only a close completes). A field that nothing closes is left to the
// class facts nopartner reads: "blocks forever" is not claimed from here.
// On the syntax tier, which sees one file, it is never proven.
func (b *builder) fieldNeverSent(c *Chan) bool {
	if len(c.Sends()) > 0 || !c.closed.ProvenTrue() {
		return false
	}
	cls := b.packageChanClass(c)
	if cls == nil || cls.Unseen || !cls.Sent().ProvenFalse() {
		return false
	}
	for _, u := range c.indirect {
		switch u.Effect.Kind {
		case EffSend, EffEscape, EffReturn:
			return false
		}
	}
	return true
}

// NeverSent reports that the model proves nothing sends on c and that c
// is closed (see neverSent): a receive from it waits for its close, not
// for a value.
func (c *Chan) NeverSent() bool {
	f := c.facts()
	return f.neverSent && f.closed.ProvenTrue()
}

// noSendInFile: c is closed, or may be, and is not a parameter (its
// caller's variable is another name for it), no send on it is written in the file, and no call the file
// makes sends on it, hands it back or stores it where golens does not
// follow, and it is not stored under another name (an alias) here.
func (b *builder) noSendInFile(c *Chan) bool {
	// Asked only of a channel something closes (the receive hover's
	// wording); the alias scan is skipped for every other.
	if c.IsParam || len(c.Sends()) > 0 || !c.closed.ProvenTrue() && c.closed.Certainty != Possible {
		return false
	}
	if b.handedOnOrAliased(c) {
		return false
	}
	if len(c.Assigned) > 0 {
		// res := square(ctx, in): the channel is made by the code whose
		// value is stored, and whatever sends on it is there (square's
		// goroutine, `case out <- v:`), not on res. Only a channel golens
		// follows to its make, a function of this file returning its own
		// local channel, can be said to have no sender in the file.
		_, out := b.returnedChan(c) // chan_returned_closed.go
		if out == nil || len(out.Sends()) > 0 {
			return false
		}
		for _, u := range out.indirect {
			if u.Effect.Kind == EffSend || u.Effect.Kind == EffEscape {
				return false
			}
		}
		for _, a := range b.ss.aliases {
			if a.from == out.Key || a.to == out.Key {
				return false
			}
		}
	}
	return true
}

// NoSendInFile reports that nothing in this file sends on c (see
// noSendInFile): the file's own share of NeverSent, which for a field is
// all the syntax tier can see (another file of the package may still send
// on it). The receive hover of a channel the file closes says what it
// waits for.
func (c *Chan) NoSendInFile() bool { return c.facts().noSend }

// NeverSentNorClosed reports that the model proves nothing sends on c and
// nothing closes it (see neverSent): a receive from it blocks forever.
func (c *Chan) NeverSentNorClosed() bool {
	f := c.facts()
	return f.neverSent && f.closed.ProvenFalse()
}

// handedTo names the function a call hands the literal lit to, as code
// ("`retry`", "`s.register`"), when lit is one of its arguments; "" when
// it is not, or when the callee is time.AfterFunc or context.AfterFunc
// (close_afterfunc.go decides those).
func (b *builder) handedTo(call *ast.CallExpr, lit *ast.FuncLit) string {
	arg := false
	for _, a := range call.Args {
		if ast.Unparen(a) == lit {
			arg = true
		}
	}
	if !arg {
		return ""
	}
	for _, pkg := range []string{"time", "context"} {
		if name, _ := b.pkgCall(call, pkg); name == "AfterFunc" {
			return ""
		}
	}
	if b.callsItsFuncArg(call, lit) {
		return ""
	}
	return "`" + b.text(call.Fun) + "`"
}

// callsItsFuncArg reports whether the callee is known to call the
// literal lit it is given: wg.Go(f) (a sync.WaitGroup) always does;
// once.Do(f) does when it is the only Do on that Once in the file (Do
// calls f on the first Do only); a function declared in this file does
// when its body calls that parameter on every path, directly or in a
// function literal it runs where it stands (go func() { defer ...; f()
// }()).
func (b *builder) callsItsFuncArg(call *ast.CallExpr, lit *ast.FuncLit) bool {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		switch typ := b.syncTypeOf(sel.X); {
		case typ == "sync.WaitGroup" && sel.Sel.Name == "Go":
			return true
		case typ == "sync.Once" && sel.Sel.Name == "Do":
			k, ok := b.keyOf(sel.X)
			if !ok {
				return false
			}
			dos := 0
			ast.Inspect(b.m.AST, func(n ast.Node) bool {
				if c, isCall := n.(*ast.CallExpr); isCall {
					if s2, isSel := ast.Unparen(c.Fun).(*ast.SelectorExpr); isSel && s2.Sel.Name == "Do" {
						if k2, ok := b.keyOf(s2.X); ok && k2 == k {
							dos++
						}
					}
				}
				return true
			})
			return dos == 1
		}
	}
	fd := b.declOfCall(call)
	if fd == nil || fd.Body == nil || fd.Type.Params == nil {
		return false
	}
	idx := -1
	for i, a := range call.Args {
		if ast.Unparen(a) == lit {
			idx = i
		}
	}
	var param *ast.Ident
	i := 0
	for _, field := range fd.Type.Params.List {
		for _, name := range field.Names {
			if i == idx {
				param = name
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	if param == nil || param.Name == "_" {
		return false
	}
	var outer *Func
	for _, f := range b.m.Funcs {
		if f.Pos == fd.Pos() && !f.Lit {
			outer = f
		}
	}
	if outer == nil {
		return false
	}
	called := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		c, isCall := n.(*ast.CallExpr)
		if !isCall || called {
			return !called
		}
		id, isID := ast.Unparen(c.Fun).(*ast.Ident)
		if !isID || id.Name != param.Name || (id.Obj != nil && param.Obj != nil && id.Obj != param.Obj) {
			return true
		}
		if f := b.m.funcAt(c.Pos()); f != nil && b.runsEveryPath(f, c.Pos(), outer) {
			called = true
		}
		return true
	})
	return called
}

// handedOnOrAliased reports whether a call the file makes sends on c,
// hands it back or stores it where golens does not follow, or c is
// stored under another name (an alias) here: then a negative about c's
// sends is not one the file proves.
func (b *builder) handedOnOrAliased(c *Chan) bool {
	for _, u := range c.indirect {
		switch u.Effect.Kind {
		case EffSend, EffEscape, EffReturn:
			return true
		}
	}
	for _, a := range b.ss.aliases {
		if a.from == c.Key || a.to == c.Key {
			return true
		}
	}
	return false
}

// storedIn names where the function literal lit is stored when parent
// assigns it (`p.stop` for p.stop = lit, `stop` for var stop = lit, "the
// `stop` field" for a composite literal's stop: lit) and nothing in the
// file calls a function stored there by that name; "" otherwise (a call
// such as p.stop() is one golens has seen: the close is left to the
// summaries' account).
func (b *builder) storedIn(parent ast.Node, lit *ast.FuncLit) string {
	name, key := "", ""
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) {
			for j, r := range p.Rhs {
				if ast.Unparen(r) == lit {
					name, key = "`"+b.text(p.Lhs[j])+"`", b.calledKey(p.Lhs[j])
				}
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) {
			for j, v := range p.Values {
				if ast.Unparen(v) == lit {
					name, key = "`"+p.Names[j].Name+"`", b.calledKey(p.Names[j])
				}
			}
		}
	case *ast.KeyValueExpr:
		if id, ok := p.Key.(*ast.Ident); ok && ast.Unparen(p.Value) == lit {
			name, key = "the `"+id.Name+"` field", "sel:"+id.Name
		}
	}
	if name == "" || key == "" {
		return ""
	}
	if b.calledNames == nil {
		b.calledNames = map[string]bool{}
		ast.Inspect(b.m.AST, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if k := b.calledKey(call.Fun); k != "" {
					b.calledNames[k] = true
				}
			}
			return true
		})
	}
	if b.calledNames[key] {
		return ""
	}
	return name
}

// calledKey is the shape by which a call's callee matches where a
// function was stored: "sel:stop" for any x.stop, "id:stop" for stop,
// "idx:handlers" for handlers[k]; "" for other shapes.
func (b *builder) calledKey(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return "id:" + e.Name
	case *ast.SelectorExpr:
		return "sel:" + e.Sel.Name
	case *ast.IndexExpr:
		return "idx:" + b.text(e.X)
	}
	return ""
}
