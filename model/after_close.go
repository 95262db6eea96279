package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

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
	// One walk of the graph per close, not per operation: a function
	// with hundreds of closes and sends would otherwise walk it for each
	// pair.
	from := fl.fromClose(blk, idx, names, simple)
	var out []AfterClose
	for _, op := range cl.Chan.Ops {
		if op.Kind != Send && op.Kind != Close {
			continue
		}
		if op == cl && loop == nil {
			continue
		}
		if op.Pos < fl.fn.Body.Pos() || op.Pos >= fl.fn.Body.End() {
			continue // another function: when it runs is not known here
		}
		if op != cl && !sameHolder(m, cl, op) {
			continue
		}
		tblk, tidx, found := fl.locateAny(op.Pos)
		if op == cl {
			tblk, tidx, found = blk, idx, true
		}
		if !found {
			continue // dead code
		}
		if op != cl && !(tblk == blk && tidx > idx) && !from.fwd[tblk] {
			continue // no path from the close gets there
		}
		if a, b := cl.MakeAt(), op.MakeAt(); a != nil && b != nil && a != b {
			continue // reassigned to another channel in between
		}
		ac := AfterClose{Op: op, Certainty: Possible}
		if op.Func == cl.Func && !litWrites && !fl.inLiteral(op.Pos) {
			var proven bool
			switch {
			case op != cl && from.dominates(tblk, tidx):
				proven = true
			case loop != nil && op.Pos >= LoopBody(loop).Pos() && op.Pos < LoopBody(loop).End():
				proven, ac.Loop = true, loop
			}
			if proven && !from.mayRewrite(tblk, tidx) {
				ac.Certainty = Proven
			} else {
				ac.Loop = nil
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
	path, _ := EnclosingPath(m.AST, cl.Pos, cl.End)
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

// closeWalk is what the graph says from one close (the node blk, idx)
// on: the blocks some path from it reaches, those the function's entry
// reaches without passing it, and the blocks on the way that may give
// the channel expression another value.
type closeWalk struct {
	fl       *funcFlow
	blk      *cfg.Block
	idx      int
	names    map[string]bool
	simple   bool
	fwd      map[*cfg.Block]bool // reachable from blk's successors
	fwdAvoid map[*cfg.Block]bool // ... without passing blk again
	undom    map[*cfg.Block]bool // reachable from the entry without blk; built on first use
	writers  []*cfg.Block        // blocks of fwdAvoid that may write; nil when too many
	tooMany  bool
	reachOf  map[*cfg.Block]map[*cfg.Block]bool // from each writer, avoiding blk
	first    map[*cfg.Block]int                 // memo: a block's first writing node (len(Nodes): none)
	after    int                                // blk's first writing node after the close
}

// maxWriters bounds the writing blocks followed one by one: past it (a
// field's channel in a function full of calls) an operation off the
// close's own block counts as possibly rewritten, which keeps the check
// silent.
const maxWriters = 32

func (fl *funcFlow) fromClose(blk *cfg.Block, idx int, names map[string]bool, simple bool) *closeWalk {
	w := &closeWalk{fl: fl, blk: blk, idx: idx, names: names, simple: simple, first: map[*cfg.Block]int{}}
	w.after = w.firstWrite(blk, idx+1)
	w.fwd = walkBlocks(blk.Succs, nil, func(b *cfg.Block) []*cfg.Block { return b.Succs })
	w.fwdAvoid = walkBlocks(blk.Succs, blk, func(b *cfg.Block) []*cfg.Block { return b.Succs })
	for b := range w.fwdAvoid {
		if w.blockWrites(b) {
			w.writers = append(w.writers, b)
		}
	}
	if len(w.writers) > maxWriters {
		w.tooMany, w.writers = true, nil
	}
	w.reachOf = map[*cfg.Block]map[*cfg.Block]bool{}
	for _, b := range w.writers {
		w.reachOf[b] = walkBlocks(b.Succs, blk, func(b *cfg.Block) []*cfg.Block { return b.Succs })
	}
	return w
}

// walkBlocks is the set of blocks reachable from start by next, not
// entering avoid.
func walkBlocks(start []*cfg.Block, avoid *cfg.Block, next func(*cfg.Block) []*cfg.Block) map[*cfg.Block]bool {
	seen := map[*cfg.Block]bool{}
	work := append([]*cfg.Block(nil), start...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || b == avoid {
			continue
		}
		seen[b] = true
		work = append(work, next(b)...)
	}
	return seen
}

// dominates reports whether every path from the function's entry to the
// node (tblk, tidx) passes the close first.
func (w *closeWalk) dominates(tblk *cfg.Block, tidx int) bool {
	if w.blk == tblk {
		return tidx > w.idx
	}
	if len(w.fl.g.Blocks) == 0 {
		return false
	}
	entry := w.fl.g.Blocks[0]
	if entry == w.blk {
		return true
	}
	if w.undom == nil {
		w.undom = walkBlocks([]*cfg.Block{entry}, w.blk, func(b *cfg.Block) []*cfg.Block { return b.Succs })
	}
	return !w.undom[tblk]
}

// mayRewrite reports whether some path from the close to the node (tblk,
// tidx) that does not pass the close again may give the channel
// expression another value: it assigns, increments, declares, ranges into
// or takes the address of one of the expression's variables (names: the
// root and any index), or, for an expression that is not a plain variable
// (a field, an element), calls anything but a builtin (the callee may
// store a new channel). A path that comes back to the close closes the
// new value too, so it is not one.
func (w *closeWalk) mayRewrite(tblk *cfg.Block, tidx int) bool {
	blk, idx := w.blk, w.idx
	if blk == tblk && tidx > idx {
		return w.after < tidx // a block is straight-line code
	}
	if w.tooMany {
		return true
	}
	if w.after < len(blk.Nodes) || headWrites(tblk, w.names) || w.firstWriteOf(tblk) < tidx {
		return true
	}
	for _, b := range w.writers {
		if b != tblk && w.leadsTo(b, tblk) {
			return true // a writing block on a path to it
		}
	}
	// A loop through tblk that avoids the close runs all of tblk.
	if tblk != blk && w.fwdAvoid[tblk] && w.blockWrites(tblk) {
		again := walkBlocks(tblk.Succs, blk, func(b *cfg.Block) []*cfg.Block { return b.Succs })
		return again[tblk]
	}
	return false
}

// leadsTo reports whether a path from the block b (after the close,
// not passing it again) enters tblk; tblk may be the close's own block,
// entered again from its start.
func (w *closeWalk) leadsTo(b, tblk *cfg.Block) bool {
	if tblk != w.blk {
		return w.reachOf[b][tblk]
	}
	for _, s := range b.Succs {
		if s == w.blk {
			return true
		}
	}
	for x := range w.reachOf[b] {
		for _, s := range x.Succs {
			if s == w.blk {
				return true
			}
		}
	}
	return false
}

func (w *closeWalk) blockWrites(b *cfg.Block) bool {
	return headWrites(b, w.names) || w.firstWriteOf(b) < len(b.Nodes)
}

// firstWriteOf is the index of b's first node that may write, memoised.
func (w *closeWalk) firstWriteOf(b *cfg.Block) int {
	if i, ok := w.first[b]; ok {
		return i
	}
	i := w.firstWrite(b, 0)
	w.first[b] = i
	return i
}

// firstWrite is the index of the first node of b from from on that may
// write; len(b.Nodes) when none.
func (w *closeWalk) firstWrite(b *cfg.Block, from int) int {
	for i := from; i < len(b.Nodes); i++ {
		if writesVars(b.Nodes[i], w.names, w.simple) {
			return i
		}
	}
	return len(b.Nodes)
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
