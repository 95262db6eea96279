package nopartner

import (
	"cmp"
	"go/ast"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
)

// Circular waits between channels. A channel operation is reached only
// after the channel operations that dominate it have completed: plain
// sends and receives that are statements before it in a block enclosing
// it, in its function (not inside an if, a loop or a select of their
// own). A communication on an unbuffered, never closed channel needs a
// send and a receive both reached; so a channel whose every receive (or
// every send) waits behind an operation on a channel that can never
// communicate can never communicate either. golens computes the largest
// set of such channels (start from all candidates, keep those with a
// receive and a send whose dominating operations are all on channels
// outside the set, until nothing changes). Every operation on a channel
// left in the set blocks forever, whichever goroutines and instances run
// it: the first of them to complete would need one completed before it.
//
//	func (p *peer) a() { p.ping <- 1; <-p.pong } // each sends first
//	func (p *peer) b() { p.pong <- 1; <-p.ping }
//
//	func (p *peer) a() { <-p.pong; p.ping <- 1 } // each receives first
//	func (p *peer) b() { <-p.ping; p.pong <- 1 }
//
// Candidates are channels the package keeps in view (not escaping), made,
// unbuffered, never closed, none of their operations through an
// interface. A channel with no receive (or no send) at all never
// communicates from the start; the rules above report it, and here it
// only holds up what waits behind it. The finding is on an operation of a
// channel with both sides that is reached (its own dominating operations
// can all complete) and blocks.

type domOp struct {
	pos  token.Pos
	cls  *class
	send bool
}

// circularWaits reports one reached, blocking operation per channel that
// can never communicate.
func circularWaits(pass *analysis.Pass, roots []*class) []analysis.Diagnostic {
	roots = slices.Clone(roots)
	slices.SortFunc(roots, func(a, b *class) int { return cmp.Compare(firstMade(a), firstMade(b)) })
	opClass := map[token.Pos]*class{}
	for _, c := range roots {
		for _, s := range c.sends {
			if s.blocking && !s.maybe {
				opClass[s.pos] = c
			}
		}
		for _, r := range c.recvs {
			if r.blocking && !r.maybe {
				opClass[r.pos] = c
			}
		}
	}
	candidate := func(c *class) bool {
		if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.closes) > 0 || c.recvOnly {
			return false
		}
		for _, o := range append(slices.Clone(c.sends), c.recvs...) {
			if o.maybe {
				return false
			}
		}
		return true
	}
	doms := map[token.Pos][]domOp{}
	domsOf := func(p token.Pos) []domOp {
		if d, ok := doms[p]; ok {
			return d
		}
		var d []domOp
		for _, q := range dominatingOps(pass, p) {
			if c := opClass[q]; c != nil {
				d = append(d, domOp{pos: q, cls: c})
			}
		}
		doms[p] = d
		return d
	}
	stuck := map[*class]bool{}
	for _, c := range roots {
		if candidate(c) {
			stuck[c] = true
		}
	}
	if len(stuck) == 0 {
		return nil
	}
	reached := func(p token.Pos) bool {
		for _, d := range domsOf(p) {
			if stuck[d.cls] {
				return false
			}
		}
		return true
	}
	for changed := true; changed; {
		changed = false
		for _, c := range roots {
			if !stuck[c] {
				continue
			}
			recv, send := false, false
			for _, r := range c.recvs {
				recv = recv || reached(r.pos)
			}
			for _, s := range c.sends {
				send = send || reached(s.pos)
			}
			if recv && send {
				delete(stuck, c)
				changed = true
			}
		}
	}
	var out []analysis.Diagnostic
	for _, c := range roots {
		if !stuck[c] || len(c.sends) == 0 || len(c.recvs) == 0 {
			// A channel without one side is the rules above's.
			continue
		}
		// The side that is reached blocks; the other side waits behind a
		// channel that never communicates.
		var at op
		var other []op
		var side string
		for _, s := range c.sends {
			if s.blocking && reached(s.pos) && (at.pos == 0 || s.pos < at.pos) {
				at, other, side = s, c.recvs, "receive from"
			}
		}
		if at.pos == 0 {
			for _, r := range c.recvs {
				if r.blocking && reached(r.pos) && (at.pos == 0 || r.pos < at.pos) {
					at, other, side = r, c.sends, "send on"
				}
			}
		}
		if at.pos == 0 {
			continue // every operation waits behind another stuck channel
		}
		var behind domOp
		var otherAt token.Pos
		for _, o := range other {
			for _, d := range domsOf(o.pos) {
				if stuck[d.cls] {
					behind, otherAt = d, o.pos
					break
				}
			}
			if behind.cls != nil {
				break
			}
		}
		if behind.cls == nil {
			continue
		}
		kind := "operation"
		for _, s := range behind.cls.sends {
			if s.pos == behind.pos {
				kind = "send on " + s.text
			}
		}
		for _, r := range behind.cls.recvs {
			if r.pos == behind.pos {
				kind = "receive from " + r.text
			}
		}
		what := "send"
		if side == "send on" {
			what = "receive"
		}
		out = append(out, analysis.Diagnostic{Pos: at.pos, End: at.end, Category: name,
			Message: message("circular", map[string]any{
				"What": what, "Chan": at.text, "Side": side, "Count": len(other),
				"OtherAt": chanutil.Where(pass.Fset, otherAt, at.pos), "Behind": kind, "BehindAt": chanutil.Where(pass.Fset, behind.pos, at.pos),
			}),
			Related: []analysis.RelatedInformation{
				{Pos: otherAt, Message: "the partner operation, reached only after the " + kind},
				{Pos: behind.pos, Message: "the " + kind + ", which can never complete either"},
			}})
	}
	return out
}

// dominatingOps lists the positions (send arrows, receive arrows) of the
// plain channel operations that complete before p whenever p runs:
// statements before it in each block and case body that encloses it, up
// to its function, and the top-level plain operations of the package
// functions such statements call (two calls deep).
func dominatingOps(pass *analysis.Pass, p token.Pos) []token.Pos {
	var out []token.Pos
	var callee func(s ast.Stmt, depth int)
	callee = func(s ast.Stmt, depth int) {
		var call *ast.CallExpr
		switch s := s.(type) {
		case *ast.ExprStmt:
			call, _ = ast.Unparen(s.X).(*ast.CallExpr)
		case *ast.AssignStmt:
			if len(s.Rhs) == 1 {
				call, _ = ast.Unparen(s.Rhs[0]).(*ast.CallExpr)
			}
		}
		if call == nil || depth > 2 {
			return
		}
		fn := chanutil.PackageCallee(pass.TypesInfo, pass.Pkg, call)
		if fn == nil {
			return
		}
		fd := pkgModel(pass).FuncDecl(fn)
		if fd == nil || fd.Body == nil {
			return
		}
		for _, t := range fd.Body.List {
			if q, ok := plainOp(t); ok {
				out = append(out, q)
			}
			callee(t, depth+1)
			if mayLeave(t) {
				return // later statements may not run
			}
		}
	}
	m := modelOf(pass, p)
	if m == nil {
		return nil
	}
	for _, s := range m.StmtsBefore(p) {
		if q, ok := plainOp(s); ok {
			out = append(out, q)
		}
		callee(s, 1)
	}
	return out
}

// mayLeave: a statement after which the callee's later statements may not
// run (a return, a branch, or a compound statement that may hold one).
func mayLeave(s ast.Stmt) bool {
	switch s.(type) {
	case *ast.ExprStmt, *ast.AssignStmt, *ast.SendStmt, *ast.DeclStmt, *ast.IncDecStmt, *ast.EmptyStmt:
		return false
	}
	return true
}

// plainOp is the position of the channel operation a statement performs
// as a whole: ch <- v, <-ch, v := <-ch, v, ok = <-ch, var v = <-ch.
func plainOp(s ast.Stmt) (token.Pos, bool) {
	recv := func(e ast.Expr) (token.Pos, bool) {
		if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			return u.OpPos, true
		}
		return token.NoPos, false
	}
	switch s := s.(type) {
	case *ast.SendStmt:
		return s.Arrow, true
	case *ast.ExprStmt:
		return recv(s.X)
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			return recv(s.Rhs[0])
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok && len(gd.Specs) == 1 {
			if vs, ok := gd.Specs[0].(*ast.ValueSpec); ok && len(vs.Values) == 1 {
				return recv(vs.Values[0])
			}
		}
	}
	return token.NoPos, false
}

// firstMade orders classes by their first make.
func firstMade(c *class) token.Pos {
	if len(c.made) == 0 {
		return token.NoPos
	}
	return slices.Min(c.made)
}
