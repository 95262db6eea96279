package model

import (
	"go/ast"
	"go/token"
	"sort"

	"golang.org/x/tools/go/cfg"
)

// Path questions about one function's channel operations, over the same
// control-flow graphs as ReachAfter and NextPass: whether every run of a
// function performs an operation, and where a run can end between two
// points. The timeoutleak check reads them instead of matching statement
// shapes (a send at the top of a goroutine's body, a return written
// between a go statement and a receive).

// OpReach says whether a call of op's function, from its start, performs
// op: Always when every path that ends passes it first, Some when some
// do, Never when none (dead code). The paths that end are those reaching
// an exit of Func.Exits (a return, the end of the body, a call ExitCall
// knows) for which counts is true (nil counts every exit); a path ending
// at an exit counts rejects is not followed at all: a leak check passes
// counts that rejects os.Exit and panic, after which the program is over
// and nothing leaks. A case of a select with other cases (or a default)
// is at most Some: another case may be chosen. A range counts as
// performed when its channel expression is evaluated. Unknown when the
// model does not follow the function's flow.
func (m *File) OpReach(op *ChanOp, counts func(*Exit) bool) Reach {
	return m.opReach(op, counts, false)
}

// OpCertain reports whether every run of op's function performs op before
// it can end in any way: every exit counts, and so does a call MayExit
// names (a logger's Fatal, a helper's Skip), which may not return. A claim
// such as "the goroutine sends 2 values" needs this.
func (m *File) OpCertain(op *ChanOp) bool { return m.opReach(op, nil, true) == ReachAlways }

func (m *File) opReach(op *ChanOp, counts func(*Exit) bool, may bool) Reach {
	if op == nil || op.Func == nil || op.Func.Body == nil || op.Node == nil {
		return ReachUnknown
	}
	fl, ok := m.flowOf(op.Func)
	if !ok {
		return ReachUnknown
	}
	at := op.Node.Pos()
	if rs, ok := op.Node.(*ast.RangeStmt); ok {
		at = rs.X.Pos()
	}
	r := m.startReach(fl, at, counts, may) // run_before.go
	if r == ReachAlways && op.Select != nil && (len(op.Select.Select.Cases) > 1 || op.Select.Select.Default != nil) {
		r = ReachSome
	}
	return r
}

// ExitsAvoiding lists, in source order, the exits of the function whose
// body holds the simple statement from (a go statement, a send, an
// assignment, ...) that some path reaches from it without passing
// position to: the places where a call of the function can end after from
// has run and before to is reached. Exits are those of Func.Exits (returns,
// the end of the body, the calls ExitCall knows). nil when the model does
// not follow the function's flow.
func (m *File) ExitsAvoiding(from ast.Node, to token.Pos) []*Exit {
	if from == nil {
		return nil
	}
	fl := m.flowAt(from.Pos())
	if fl == nil {
		return nil
	}
	blk, idx, ok := fl.locateNode(from)
	if !ok {
		return nil
	}
	tblk, tidx, ok := fl.locateAny(to)
	if ok && tblk == blk && tidx > idx {
		return nil // later in the same block: every path passes it
	}
	var out []*Exit
	seen := map[*cfg.Block]bool{}
	work := append([]*cfg.Block(nil), blk.Succs...)
	if len(blk.Succs) == 0 && fl.exitOf[blk] != nil {
		out = append(out, fl.exitOf[blk]) // from is the exit's own block
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || ok && b == tblk {
			continue
		}
		seen[b] = true
		if e := fl.exitOf[b]; e != nil {
			out = append(out, e)
			continue
		}
		work = append(work, b.Succs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// reach answers Reach from the start blocks to tblk (start included):
// Never when no path enters tblk, Some when a path that ends (ends) avoids
// it, Always otherwise.
func (fl *funcFlow) reach(start []*cfg.Block, tblk *cfg.Block, ends func(*cfg.Block) bool) Reach {
	seen := map[*cfg.Block]bool{}
	work := append([]*cfg.Block(nil), start...)
	found := false
	for len(work) > 0 && !found {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if b == tblk {
			found = true
			break
		}
		work = append(work, b.Succs...)
	}
	if !found {
		return ReachNever
	}
	seen = map[*cfg.Block]bool{}
	work = append(work[:0], start...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == tblk || seen[b] {
			continue
		}
		seen[b] = true
		if ends(b) {
			return ReachSome
		}
		work = append(work, b.Succs...)
	}
	return ReachAlways
}

// mayExitIn reports a call statement among nodes that MayExit names.
func mayExitIn(m *File, nodes []ast.Node) bool {
	for _, n := range nodes {
		if es, ok := n.(*ast.ExprStmt); ok {
			if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && m.MayExit(call) {
				return true
			}
		}
	}
	return false
}

// PassReach says whether a pass of loop (a *ast.ForStmt or *ast.RangeStmt),
// from its start, reaches node n of its body before it leaves the loop or
// starts the next pass: Always when every such path does, Some when a path
// leaves the loop (a break, a goto or continue out of it, or an exit of
// Func.Exits for which counts is true; nil counts every exit) or starts
// the next pass without passing n, Never when no pass reaches it. An exit
// counts rejects ends a path that is not counted. Unknown when the model
// does not follow the function's flow.
func (m *File) PassReach(loop ast.Stmt, n ast.Node, counts func(*Exit) bool) Reach {
	body := LoopBody(loop)
	if n == nil || body == nil || n.Pos() < body.Lbrace || n.End() > body.Rbrace+1 {
		return ReachUnknown
	}
	fl := m.flowAt(loop.Pos())
	if fl == nil {
		return ReachUnknown
	}
	tblk, _, ok := fl.locateAny(n.Pos())
	if !ok {
		return ReachNever
	}
	var start *cfg.Block
	for _, b := range fl.g.Blocks {
		if b.Live && b.Stmt == loop && (b.Kind == cfg.KindForBody || b.Kind == cfg.KindRangeBody) {
			start = b
			break
		}
	}
	if start == nil {
		return ReachUnknown
	}
	inside := func(b *cfg.Block) bool {
		if b.Stmt == loop {
			return b.Kind == cfg.KindForBody || b.Kind == cfg.KindRangeBody
		}
		return b.Stmt != nil && b.Stmt.Pos() > body.Lbrace && b.Stmt.End() <= body.Rbrace
	}
	found, avoided := false, false
	seen := map[*cfg.Block]bool{}
	work := []*cfg.Block{start}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		switch {
		case b == tblk:
			found = true
			continue
		case b != start && !inside(b):
			avoided = true // the next pass (loop head, post), or out of the loop
			continue
		}
		if e := fl.exitOf[b]; e != nil {
			if counts == nil || counts(e) {
				avoided = true
			}
			continue
		}
		work = append(work, b.Succs...)
	}
	switch {
	case !found:
		return ReachNever
	case avoided:
		return ReachSome
	}
	return ReachAlways
}
