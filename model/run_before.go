package model

import (
	"go/ast"
	"go/token"
	"sort"

	"golang.org/x/tools/go/cfg"
)

// Path questions asked from the start of a function, over the same
// control-flow graphs as ReachAfter and OpReach: whether a call gets to a
// point before a given statement has run, where it can end before that
// statement, and whether every run that ends in a given way passes a
// statement. The wgmisuse check reads them (a Wait before the goroutine's
// own Done, a return that skips its Done, the Add every normal return of
// a helper makes) instead of comparing source positions or keeping its own
// list of the calls that leave.

// ReachBefore says whether a call of f, from its start, gets to position to
// before the simple statement first (a node of f's graph: an expression
// statement, an assignment, a return, ...; or a call that is one) has run:
// Never when every path that gets to to has passed first (or no path gets
// there: dead code), Some when a path gets there without passing first.
// Unknown when the model does not follow f's flow, first is not a node of
// it, or to is not in f's own body (a function literal inside f has a flow
// of its own).
func (m *File) ReachBefore(f *Func, first ast.Node, to token.Pos) Reach {
	fl, ok := m.flowOf(f)
	if !ok || first == nil || fl.inLiteral(to) {
		return ReachUnknown
	}
	fblk, fidx, ok := fl.locateNode(first)
	if !ok {
		return ReachUnknown
	}
	tblk, tidx, ok := fl.locateAny(to)
	if !ok {
		return ReachNever
	}
	seen := map[*cfg.Block]bool{}
	work := []*cfg.Block{fl.g.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if b == tblk && (b != fblk || tidx <= fidx) {
			return ReachSome
		}
		if b == fblk {
			continue // first runs here: what follows comes after it
		}
		work = append(work, b.Succs...)
	}
	return ReachNever
}

// ExitsBefore lists, in source order, the exits of f (those of Func.Exits:
// returns, the end of the body, the calls ExitCall knows) at which a call
// of f can end without having run the simple statement first. nil when
// there are none or the model does not follow f's flow.
func (m *File) ExitsBefore(f *Func, first ast.Node) []*Exit {
	fl, ok := m.flowOf(f)
	if !ok || first == nil {
		return nil
	}
	fblk, _, ok := fl.locateNode(first)
	if !ok {
		return nil
	}
	var out []*Exit
	seen := map[*cfg.Block]bool{}
	work := []*cfg.Block{fl.g.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || b == fblk {
			continue // an exit in first's own block comes after it
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

// RunReach says whether a call of f, from its start, runs the simple
// statement n (or the call that is one): Always when every path that ends
// at an exit counts accepts (nil accepts every exit) passes n first, Some
// when such a path avoids it, Never when no path gets to n. A path ending
// at an exit counts rejects is not followed: the wgmisuse check asks
// whether every normal return of a helper has raised a WaitGroup's
// counter, and an os.Exit before the Add ends the program instead. Unknown
// when the model does not follow f's flow.
func (m *File) RunReach(f *Func, n ast.Node, counts func(*Exit) bool) Reach {
	if n == nil {
		return ReachUnknown
	}
	fl, ok := m.flowOf(f)
	if !ok || fl.inLiteral(n.Pos()) {
		return ReachUnknown
	}
	return m.startReach(fl, n.Pos(), counts, false)
}

// startReach is RunReach from the start of fl's function to the node at
// position at; with may, a call MayExit names ends a path too (and one
// before at in at's own block makes Always Some).
func (m *File) startReach(fl *funcFlow, at token.Pos, counts func(*Exit) bool, may bool) Reach {
	tblk, tidx, ok := fl.locateAny(at)
	if !ok {
		return ReachNever
	}
	ends := func(b *cfg.Block) bool {
		if e := fl.exitOf[b]; e != nil && (counts == nil || counts(e)) {
			return true
		}
		return may && mayExitIn(m, b.Nodes)
	}
	r := fl.reach([]*cfg.Block{fl.g.Blocks[0]}, tblk, ends)
	if r == ReachAlways && may && mayExitIn(m, tblk.Nodes[:tidx]) {
		r = ReachSome // a call before it in its own block may not return
	}
	return r
}

// flowOf is f's own control-flow graph, when the model follows it.
func (m *File) flowOf(f *Func) (*funcFlow, bool) {
	if f == nil || f.Body == nil {
		return nil, false
	}
	fl := m.flowAt(f.Body.Lbrace)
	if fl == nil || fl.fn != f || len(fl.g.Blocks) == 0 {
		return nil, false
	}
	return fl, true
}

// RunCertain reports whether every call of f, from its start, runs the
// simple statement at position at (or the one holding it, in f's own
// body) before it can end in any way: every exit of Func.Exits counts,
// and so does a call MayExit names (a logger's Fatal, a helper's Skip),
// which may not return; paths that loop or block forever are not
// counted. It is OpCertain for a statement that is not a channel
// operation: the nopartner check asks it of a go statement, a call and a
// receive before it claims they run whenever their function does.
func (m *File) RunCertain(f *Func, at token.Pos) bool {
	fl, ok := m.flowOf(f)
	if !ok || fl.inLiteral(at) {
		return false
	}
	return m.startReach(fl, at, nil, true) == ReachAlways
}
