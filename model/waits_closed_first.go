package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A receive (or range) that the starting function itself runs after its
// own close of the channel waits for no goroutine: the close has run
// whenever the receive runs, so the receive takes what is queued and then
// the zero value (the range ends) at once. wg.Wait(); close(results); for
// r := range results is the usual shape: the Wait, not the range, is what
// waits for the workers.

// closedFirstBy reports whether a close of c written as a statement of
// its own comes before the receive or range op in one statement list of
// op's function (so it runs before op on every path into op), with no
// assignment to the closed variable between them. Only a close of the
// same expression, in the same function and goroutine body, counts.
func (b *builder) closedFirstBy(c *Chan, op *ChanOp) bool {
	return b.closeFirst(c, op) != nil
}

// ClosedBefore (a receive, range or send) is the close of op's channel that
// runs before op on every path into it (closedFirstBy: a close statement
// of the same channel earlier in one of the statement lists around op, in
// op's own function and goroutine, with no assignment to the variable
// between them); nil when there is none. Such a receive never blocks: it
// takes a value still queued, or the zero value at once.
//
// A close that a call has already made panics (close of closed channel,
// ClosedFirstByCall): it closes nothing, so it is not op's close
// (r22a_close_twice); the facts of the call's close answer instead.
func (m *File) ClosedBefore(op *ChanOp) *ChanOp {
	if op == nil || op.Chan == nil {
		return nil
	}
	cl := m.keyBuilder().closeFirst(op.Chan, op)
	if cl != nil && m.ClosedFirstByCall(cl) != nil {
		return nil
	}
	return cl
}

// PanickingCloseBefore is, for a receive, range or send op, the close of
// op's channel written before op on every path into it (as ClosedBefore
// finds) that panics because a call has already closed the channel
// (ClosedFirstByCall), with that call's CloseFirst; nil, nil otherwise.
// op is then never reached: the program panics at the close first
// (r22a_close_twice: wg.Wait(); close(out); for v := range out).
func (m *File) PanickingCloseBefore(op *ChanOp) (*ChanOp, *CloseFirst) {
	if op == nil || op.Chan == nil || op.Select != nil {
		return nil, nil
	}
	cl := m.keyBuilder().closeFirst(op.Chan, op)
	if cl == nil {
		return nil, nil
	}
	if cf := m.ClosedFirstByCall(cl); cf != nil {
		return cl, cf
	}
	return nil, nil
}

// closeFirst is the close closedFirstBy finds, or nil.
func (b *builder) closeFirst(c *Chan, op *ChanOp) *ChanOp {
	if c == nil || op == nil || op.Func == nil || op.Func.Body == nil || (op.Kind != Recv && op.Kind != Range && op.Kind != Send) {
		return nil
	}
	var closes []*ChanOp
	for _, o := range c.Ops {
		if o.Kind == Close && !o.Deferred && o.Func == op.Func && o.InGo == op.InGo && o.Pos < op.Pos && o.ChanExpr == op.ChanExpr {
			closes = append(closes, o)
		}
	}
	if len(closes) == 0 {
		return nil
	}
	return b.closeStmtBefore(op.Pos, op.Func.Node, closes, op.ChanExpr)
}

// closeStmtBefore is the one of closes written as a statement of its own
// before pos in one of the statement lists around pos, inside stop (the
// function), with no statement between it and pos assigning any of names;
// nil when there is none.
func (b *builder) closeStmtBefore(pos token.Pos, stop ast.Node, closes []*ChanOp, names ...string) *ChanOp {
	path, _ := EnclosingPath(b.m.AST, pos, pos)
	for i := 1; i < len(path); i++ {
		if path[i] == stop {
			break
		}
		list := stmtList(path[i])
		if list == nil {
			continue
		}
		// path[i-1] is the statement of list that holds pos.
		for j, st := range list {
			if st != path[i-1] {
				continue
			}
		back:
			for k := j - 1; k >= 0; k-- {
				for _, name := range names {
					if b.assignsName(list[k], name) {
						break back
					}
				}
				if cl := closeStmtOf(list[k], closes); cl != nil {
					return cl
				}
			}
		}
	}
	return nil
}

// closeStmtOf is the one of the closes whose expression statement st is,
// or nil.
func closeStmtOf(st ast.Stmt, closes []*ChanOp) *ChanOp {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return nil
	}
	for _, cl := range closes {
		if ast.Unparen(es.X) == cl.Node {
			return cl
		}
	}
	return nil
}

// assignsName reports whether st (anywhere in it, function literals too)
// assigns to, or declares, the variable or field written name.
func (b *builder) assignsName(st ast.Stmt, name string) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if b.text(l) == name {
					found = true
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				if id.Name == name {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && b.text(n.X) == name {
				found = true // &ch handed on: anything may write it
			}
		}
		return !found
	})
	return found
}

// effectClosedFirst reports whether the wait effect e is a receive or
// range written in the summarised function itself that its own close of
// the channel precedes (closedFirstBy).
func (b *builder) effectClosedFirst(e *Effect) bool {
	if (e.Kind != EffRecv && e.Kind != EffRange) || e.At.IsValid() || e.Deferred {
		return false
	}
	c := b.chans[e.key]
	if c == nil {
		return false
	}
	for _, op := range c.Ops {
		if op.Pos == e.Pos && (op.Kind == Recv || op.Kind == Range) {
			return b.closedFirstBy(c, op)
		}
	}
	return false
}

// RangedBefore (a receive outside a select) is a range over the same
// channel expression that comes before op in one of the statement lists
// around op, in op's own function and goroutine, with no assignment to the
// variable between them, and that nothing but the channel's close ends:
// no break of its own (unlabelled, or to its label). Every path that gets
// past such a range to op found the channel closed and drained, and a
// closed channel stays closed, so op never blocks (it returns the zero
// value at once). A return or a panic leaves the range without reaching
// op; a function with a goto is not followed. nil when there is none.
func (m *File) RangedBefore(op *ChanOp) *ChanOp {
	if op == nil || op.Kind != Recv || op.Select != nil || op.Func == nil || op.Func.Body == nil || hasGoto(op.Func.Body) {
		return nil
	}
	// The channel may be one golens does not see made (returned by a
	// call): the ops of the same expression in the same function are
	// the same variable unless an assignment stands between (below).
	ops := m.ChanOps
	if op.Chan != nil {
		ops = op.Chan.Ops
	}
	var ranges []*ChanOp
	for _, o := range ops {
		if (op.Chan == nil || o.Chan == op.Chan) && o.Kind == Range && o.Func == op.Func && o.InGo == op.InGo && o.Pos < op.Pos && o.ChanExpr == op.ChanExpr {
			ranges = append(ranges, o)
		}
	}
	// Without a Chan (the syntax tier, on a channel a call returned) the
	// range over it is not an op either: a range over the same plain
	// variable counts, the receive proving that it is a channel.
	plain := false
	if u, ok := op.Node.(*ast.UnaryExpr); ok {
		_, plain = ast.Unparen(u.X).(*ast.Ident)
	}
	byText := op.Chan == nil && plain
	// A `for { v, ok := <-ch; if !ok { break } … }` loop before op
	// (okLoopRecv) has such a receive.
	okLoop := false
	for _, o := range ops {
		if o.Kind == Recv && o.CommaOk && o.InLoop && o.Func == op.Func && o.InGo == op.InGo && o.Pos < op.Pos && o.ChanExpr == op.ChanExpr {
			okLoop = true
		}
	}
	if len(ranges) == 0 && !byText && !okLoop {
		return nil
	}
	b := m.keyBuilder()
	path, _ := EnclosingPath(m.AST, op.Pos, op.Pos)
	for i := 1; i < len(path); i++ {
		if path[i] == op.Func.Node {
			break
		}
		list := stmtList(path[i])
		for j, st := range list {
			if st != path[i-1] {
				continue
			}
			for k := j - 1; k >= 0; k-- {
				if b.assignsName(list[k], op.ChanExpr) {
					return nil
				}
				label := ""
				rs := list[k]
				if ls, ok := rs.(*ast.LabeledStmt); ok {
					label, rs = ls.Label.Name, ls.Stmt
				}
				for _, r := range ranges {
					if r.Node == rs && !breaks(rs.(*ast.RangeStmt).Body, label) {
						return r
					}
				}
				if r, ok := rs.(*ast.RangeStmt); ok && byText && b.text(r.X) == op.ChanExpr && !breaks(r.Body, label) {
					return &ChanOp{Kind: Range, Pos: r.For, Node: r, ChanExpr: op.ChanExpr, Func: op.Func, InGo: op.InGo}
				}
				if fs, ok := rs.(*ast.ForStmt); ok {
					if u := b.okLoopRecv(fs, label, op.ChanExpr); u != nil {
						for _, o := range ops {
							if o.Pos == u.OpPos && o.Kind == Recv {
								return o
							}
						}
						return &ChanOp{Kind: Recv, Pos: u.OpPos, Node: u, ChanExpr: op.ChanExpr, Func: op.Func, InGo: op.InGo, CommaOk: true}
					}
				}
			}
		}
	}
	return nil
}

// okLoopRecv is the receive of a `for { v, ok := <-ch; if !ok { …; break } … }`
// loop over the channel expression ch that only that break leaves: no
// condition, the comma-ok receive first, the `if !ok` right after it
// holding a break, and no other break of the loop (unlabelled, or to
// label). Such a loop ends only once ch is closed and drained, as a range
// would (r22f_close_ok). nil otherwise.
func (b *builder) okLoopRecv(fs *ast.ForStmt, label, ch string) *ast.UnaryExpr {
	if fs.Cond != nil || fs.Body == nil || len(fs.Body.List) < 2 {
		return nil
	}
	as, ok := fs.Body.List[0].(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
		return nil
	}
	u := recvStmtExpr(as)
	okID, _ := as.Lhs[1].(*ast.Ident)
	if u == nil || okID == nil || okID.Name == "_" || b.text(u.X) != ch {
		return nil
	}
	ifs, _ := fs.Body.List[1].(*ast.IfStmt)
	if ifs == nil || ifs.Init != nil || !breaks(ifs.Body, label) || ifs.Else != nil && breaks(ifs.Else, label) {
		return nil
	}
	not, _ := ast.Unparen(ifs.Cond).(*ast.UnaryExpr)
	if not == nil || not.Op != token.NOT {
		return nil
	}
	if id, _ := ast.Unparen(not.X).(*ast.Ident); id == nil || id.Name != okID.Name {
		return nil
	}
	for i, st := range fs.Body.List {
		if i != 1 && breaks(st, label) {
			return nil
		}
	}
	return u
}

// ClosedBeforeStart is, for a send written in a function literal that a
// go statement starts, the close of the same channel expression that the
// starting function makes before that go statement on every path into it
// (closeFirst's rule, applied at the go statement), with nothing after
// that close assigning the expression or its root variable, in the
// starter or the literal: the go statement happens after the close, so
// the send, if it runs, panics (send on closed channel). nil otherwise.
func (m *File) ClosedBeforeStart(op *ChanOp) *ChanOp {
	if op == nil || op.Kind != Send || op.Chan == nil || op.Func == nil || !op.Func.Lit {
		return nil
	}
	g := op.InGo
	if g == nil || g.Body != op.Func || g.Func == nil || g.Func.Body == nil {
		return nil
	}
	b := m.keyBuilder()
	var closes []*ChanOp
	for _, o := range op.Chan.Ops {
		if o.Kind == Close && !o.Deferred && o.Func == g.Func && o.InGo == g.enclosingGo() && o.Pos < g.Pos && o.ChanExpr == op.ChanExpr {
			closes = append(closes, o)
		}
	}
	if len(closes) == 0 {
		return nil
	}
	root := op.ChanExpr
	if id := RootIdent(op.Operand()); id != nil {
		root = id.Name
	}
	found := b.closeStmtBefore(g.Pos, g.Func.Node, closes, op.ChanExpr, root)
	if found == nil {
		return nil
	}
	// Nothing after the close may give the expression another channel.
	after := false
	ast.Inspect(g.Func.Body, func(n ast.Node) bool {
		if after || n == nil {
			return false
		}
		if st, ok := n.(ast.Stmt); ok && st.Pos() > found.Pos {
			if _, isBlock := st.(*ast.BlockStmt); !isBlock && (b.assignsName(st, op.ChanExpr) || b.assignsName(st, root)) {
				after = true
			}
			return false
		}
		return true
	})
	if after || hasGoto(g.Func.Body) || !m.fieldOnlyMadeInLiterals(op) {
		return nil
	}
	return found
}

// fieldOnlyMadeInLiterals reports, for a send on a channel field, whether
// nothing golens sees gives the field another channel after a value is
// made: every make of it sits in a composite literal, and no assignment,
// nil set or (typed tier) other set of the field exists in the package.
// True for a channel that is not a field (ClosedBeforeStart checks its
// assignments itself).
func (m *File) fieldOnlyMadeInLiterals(op *ChanOp) bool {
	c := op.Chan
	if !c.IsField {
		return true
	}
	if len(c.Assigned) > 0 || len(c.NilSets) > 0 {
		return false
	}
	for _, mk := range c.Makes {
		path, _ := EnclosingPath(m.AST, mk.Pos, mk.Pos)
		inLit := false
		for i := 1; i < len(path); i++ {
			if kv, ok := path[i].(*ast.KeyValueExpr); ok && i+1 < len(path) {
				_, lit := path[i+1].(*ast.CompositeLit)
				inLit = lit && kv.Value == path[i-1]
				break
			}
		}
		if !inLit {
			return false
		}
	}
	if m.Info != nil && m.pkg != nil {
		sel, ok := ast.Unparen(op.Operand()).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		fv, ok := m.Info.ObjectOf(sel.Sel).(*types.Var)
		if !ok {
			return false
		}
		for _, set := range m.pkg.FieldSets(fv) {
			if set.Kind != FieldLiteral {
				return false
			}
		}
	}
	return true
}
