package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/cfg"
)

// What can run on a channel after it is closed, from the flow of the
// close's function: the one answer the close hover ("Sends on it at line
// N") and closedsend ("send on a closed channel panics") both read.

// AfterClose is a send on, or another close of, a channel that can run
// after a close of it, in the same call of the close's function.
type AfterClose struct {
	Op *ChanOp
	// Certainty is Proven when the operation meets the closed channel
	// whenever it runs after the close, so that running it panics: it is
	// written in the close's own function (not in a function literal);
	// nothing on the way may give the variable (or, for a field, an
	// index or anything a call can reach, the holder) another channel;
	// and either the close comes before it on every path into it (the
	// close dominates it: whenever it runs, the close has run), or
	// (Loop) the close runs on every pass of a loop that comes back to
	// the operation. Possible: some path from the close reaches it.
	Certainty Certainty
	// Loop is set when Proven comes from the loop's next pass: the
	// operation is reached again only after the loop comes back (a send
	// written before the close in the body, or the close itself).
	Loop ast.Stmt
}

// AfterClose lists the sends and closes of cl's channel that can run
// after the close cl, in source order; cl itself is listed when the loop
// holding it brings control back to it. Only a close that is a statement
// of its own is answered (not `defer close(ch)` nor `go close(ch)`). An
// operation on the same field through another value (close(a.ch); b.ch
// <- 1) is not one; nor is one whose variable holds another made channel
// by then (the flow's MakeAt).
func (m *File) AfterClose(cl *ChanOp) []AfterClose {
	if cl == nil || cl.Kind != Close || cl.Chan == nil || cl.Deferred || cl.Func == nil {
		return nil
	}
	call, ok := cl.Node.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil
	}
	fl := m.flowAt(cl.Pos)
	if fl == nil || fl.fn != cl.Func {
		return nil
	}
	blk, idx, ok := fl.locateNode(call)
	if !ok {
		return nil
	}
	arg := ast.Unparen(call.Args[0])
	names := exprVars(arg)
	_, simple := arg.(*ast.Ident)
	// A function literal stores into the variable: whoever calls it may
	// do so between the close and the operation.
	litWrites := false
	for _, p := range cl.Chan.writePositions() {
		if f := m.funcAt(p); f != nil && f.Lit && f != cl.Func {
			litWrites = true
		}
	}
	loop := m.closeLoop(fl, cl, blk, idx)
	var out []AfterClose
	for _, op := range cl.Chan.Ops {
		if op.Kind != Send && op.Kind != Close {
			continue
		}
		if op == cl && loop == nil {
			continue
		}
		if op != cl && !sameHolder(m, cl, op) {
			continue
		}
		reach := m.ReachAfter(call, op.Pos)
		if op == cl {
			reach = ReachSome // the loop comes back to it
		}
		if !reach.Possible() {
			continue
		}
		if a, b := cl.MakeAt(), op.MakeAt(); a != nil && b != nil && a != b {
			continue // reassigned to another channel in between
		}
		ac := AfterClose{Op: op, Certainty: Possible}
		if op.Func == cl.Func && !litWrites && !fl.inLiteral(op.Pos) {
			tblk, tidx, found := fl.locateAny(op.Pos)
			if op == cl {
				tblk, tidx, found = blk, idx, true
			}
			if found && !fl.mayRewrite(blk, idx, tblk, tidx, names, simple) {
				switch {
				case op != cl && fl.dominates(blk, idx, tblk, tidx):
					ac.Certainty = Proven
				case loop != nil && op.Pos >= LoopBody(loop).Pos() && op.Pos < LoopBody(loop).End():
					ac.Certainty, ac.Loop = Proven, loop
				}
			}
		}
		out = append(out, ac)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Op.Pos < out[j].Op.Pos })
	return out
}

// SendsAfterClose lists the sends on cl's channel that can run after the
// close cl (AfterClose's sends, proven or possible): a send before the
// close in a loop's next pass counts, one in dead code, on another
// branch or in another function does not. The close hover reads it.
func (m *File) SendsAfterClose(cl *ChanOp) []*ChanOp {
	var out []*ChanOp
	for _, ac := range m.AfterClose(cl) {
		if ac.Op.Kind == Send {
			out = append(out, ac.Op)
		}
	}
	return out
}

// closeLoop is the loop whose every pass runs the close cl and which
// comes back for another pass: a range loop or a for loop without a
// condition, innermost around the close in its function, no pass of
// which leaves early (NextPass of its body), and no path through whose
// body to the next pass avoids the close. A for loop with a condition
// (for i := 0; i < n; i++) may run once: left out. nil otherwise.
func (m *File) closeLoop(fl *funcFlow, cl *ChanOp, blk *cfg.Block, idx int) ast.Stmt {
	path, _ := astutil.PathEnclosingInterval(m.AST, cl.Pos, cl.End)
	var loop ast.Stmt
	for _, n := range path {
		switch l := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		case *ast.RangeStmt:
			loop = l
		case *ast.ForStmt:
			if l.Cond != nil {
				return nil
			}
			loop = l
		}
		if loop != nil {
			break
		}
	}
	if loop == nil || m.NextPass(LoopBody(loop), loop) != ReachAlways {
		return nil
	}
	var body *cfg.Block
	for _, b := range fl.g.Blocks {
		if b.Live && b.Stmt == loop && (b.Kind == cfg.KindForBody || b.Kind == cfg.KindRangeBody) {
			body = b
			break
		}
	}
	if body == nil {
		return nil
	}
	if body == blk {
		return loop // the close is in the pass's first block
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
	seen := map[*cfg.Block]bool{}
	work := append([]*cfg.Block(nil), body.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || b == blk {
			continue
		}
		seen[b] = true
		if head(b) {
			return nil // a pass that skips the close
		}
		work = append(work, b.Succs...)
	}
	return loop
}

// dominates reports whether every path from the function's entry to the
// node (tblk, tidx) passes the node (blk, idx) first.
func (fl *funcFlow) dominates(blk *cfg.Block, idx int, tblk *cfg.Block, tidx int) bool {
	if blk == tblk {
		return tidx > idx
	}
	if len(fl.g.Blocks) == 0 {
		return false
	}
	entry := fl.g.Blocks[0]
	if entry == blk {
		return true
	}
	seen := map[*cfg.Block]bool{}
	work := []*cfg.Block{entry}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || b == blk {
			continue
		}
		seen[b] = true
		if b == tblk {
			return false
		}
		work = append(work, b.Succs...)
	}
	return true
}

// mayRewrite reports whether some path from the node (blk, idx) to the
// node (tblk, tidx) that does not pass (blk, idx) again may give the
// channel expression another value: it assigns, increments, declares,
// ranges into or takes the address of one of the expression's variables
// (names: the root and any index), or, for an expression that is not a
// plain variable (a field, an element), calls anything but a builtin (the
// callee may store a new channel). A path that comes back to the close
// closes the new value too, so it is not one.
func (fl *funcFlow) mayRewrite(blk *cfg.Block, idx int, tblk *cfg.Block, tidx int, names map[string]bool, simple bool) bool {
	check := func(b *cfg.Block, from, to int) bool {
		if from == 0 && headWrites(b, names) {
			return true
		}
		for i := from; i < to && i < len(b.Nodes); i++ {
			if writesVars(b.Nodes[i], names, simple) {
				return true
			}
		}
		return false
	}
	if blk == tblk && tidx > idx {
		return check(blk, idx+1, tidx) // a block is straight-line code
	}
	walk := func(start []*cfg.Block, next func(*cfg.Block) []*cfg.Block) map[*cfg.Block]bool {
		seen := map[*cfg.Block]bool{}
		work := append([]*cfg.Block(nil), start...)
		for len(work) > 0 {
			b := work[len(work)-1]
			work = work[:len(work)-1]
			if seen[b] || b == blk {
				continue
			}
			seen[b] = true
			work = append(work, next(b)...)
		}
		return seen
	}
	preds := fl.predecessors()
	fwd := walk(blk.Succs, func(b *cfg.Block) []*cfg.Block { return b.Succs })
	back := walk(preds[tblk], func(b *cfg.Block) []*cfg.Block { return preds[b] })
	if check(blk, idx+1, len(blk.Nodes)) || check(tblk, 0, tidx) {
		return true
	}
	for b := range fwd {
		if back[b] && b != tblk && check(b, 0, len(b.Nodes)) {
			return true
		}
	}
	// A loop through tblk that avoids the close runs all of tblk.
	return tblk != blk && back[tblk] && check(tblk, 0, len(tblk.Nodes))
}

// headWrites: a range loop's head assigns its key and value on every pass.
func headWrites(b *cfg.Block, names map[string]bool) bool {
	rs, ok := b.Stmt.(*ast.RangeStmt)
	if !ok || b.Kind != cfg.KindRangeLoop {
		return false
	}
	for _, e := range []ast.Expr{rs.Key, rs.Value} {
		if e == nil {
			continue
		}
		if r := rootIdent(e); r != nil && names[r.Name] {
			return true
		}
	}
	return false
}

// predecessors is the graph's predecessor lists (fl.preds when the flow
// built them).
func (fl *funcFlow) predecessors() map[*cfg.Block][]*cfg.Block {
	if fl.preds != nil {
		return fl.preds
	}
	preds := map[*cfg.Block][]*cfg.Block{}
	for _, b := range fl.g.Blocks {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
	}
	return preds
}

// writesVars reports whether the graph node n may write one of the
// variables names, or, when !simple, calls a function.
func writesVars(n ast.Node, names map[string]bool, simple bool) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch x := x.(type) {
		case *ast.FuncLit:
			return false // runs when called: see litWrites
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				if r := rootIdent(l); r != nil && names[r.Name] {
					found = true
				}
			}
		case *ast.IncDecStmt:
			if r := rootIdent(x.X); r != nil && names[r.Name] {
				found = true
			}
		case *ast.ValueSpec:
			for _, id := range x.Names {
				found = found || names[id.Name]
			}
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				if r := rootIdent(x.X); r != nil && names[r.Name] {
					found = true
				}
			}
		case *ast.CallExpr:
			if !simple && !isPureBuiltin(x) {
				found = true
			}
		}
		return !found
	})
	return found
}

// isPureBuiltin: close, len and cap store nothing.
func isPureBuiltin(call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	return ok && (id.Name == "close" || id.Name == "len" || id.Name == "cap")
}

// exprVars names the variables a channel expression reads: its root and
// the variables of its indexes (ws[i].ch: ws and i).
func exprVars(e ast.Expr) map[string]bool {
	out := map[string]bool{}
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, func(x ast.Node) bool {
				if id, ok := x.(*ast.Ident); ok {
					out[id.Name] = true
				}
				return true
			})
			return false
		case *ast.Ident:
			out[n.Name] = true
		}
		return true
	})
	return out
}

// sameHolder reports whether two operations on one channel of the model
// name it through the same variable: for a plain variable the Chan says
// so; for a field or an element, the expressions must be written alike
// from the same declared root (close(a.ch); b.ch <- 1 are two channels).
func sameHolder(m *File, a, b *ChanOp) bool {
	x, y := a.Operand(), b.Operand()
	if x == nil || y == nil {
		return false
	}
	x, y = ast.Unparen(x), ast.Unparen(y)
	if _, ok := x.(*ast.Ident); ok {
		_, ok := y.(*ast.Ident)
		return ok
	}
	if types.ExprString(x) != types.ExprString(y) {
		return false
	}
	rx, ry := rootIdent(x), rootIdent(y)
	return rx != nil && ry != nil && m.DeclPos(rx) == m.DeclPos(ry)
}

// writePositions are the places the file stores into the channel
// variable: its makes, nil assignments and other assignments.
func (c *Chan) writePositions() []token.Pos {
	var out []token.Pos
	for _, mk := range c.Makes {
		out = append(out, mk.Pos)
	}
	out = append(out, c.Assigned...)
	return append(out, c.NilSets...)
}
