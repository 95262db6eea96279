package model

import (
	"go/ast"
	"go/token"
	"sort"
	"strings"
)

// Adds that a Wait may not wait for. The WaitGroup docs: "calls with a
// positive delta that occur when the counter is zero must happen before a
// Wait" (https://pkg.go.dev/sync#WaitGroup.Add). An Add written inside a
// goroutine that nothing counts in the same WaitGroup, and that nothing
// in the waiting goroutine waits for between starting it and the Wait,
// has no order with the Wait at all: the Wait can find the counter at zero
// and return before the Add runs (go func() { <-tick; wg.Add(1); go
// work() }(); wg.Wait()). The Wait hover then must not list that Add as
// one it waits for, and the Done that Add counts must not be said to make
// the Wait return. Anything that might order the Add first — a channel
// operation, a lock, a Cond wait, another WaitGroup's Wait, an atomic, a
// call golens cannot see into, on the waiting side — and the model stays
// silent (LateAdds returns nothing for that Add).

// LateAdd is an Add a Wait may not wait for (LateAdds).
type LateAdd struct {
	Add *WaitGroupOp
	// Go is the goroutine whose go statement runs in the Wait's goroutine
	// (in the Wait's function, or in a function it calls before the
	// Wait) and whose body holds the Add, directly or in a goroutine it
	// starts.
	Go *Goroutine
}

// LateAdds lists the Adds on wait's WaitGroup that may run after wait has
// returned: each is written in the body of a goroutine literal (or of one
// started inside it) that does not hold the Wait, such that
//   - no goroutine of that chain is itself counted by the WaitGroup (calls
//     Done on it in its own body or through a call: then an Add before its
//     go statement keeps the counter above zero while it runs), or calls a
//     function golens cannot see into;
//   - the outermost one is started in the Wait's function before the Wait,
//     or in a function of this file the Wait's function calls before the
//     Wait;
//   - nothing the waiting goroutine runs between that go statement and the
//     Wait (the rest of the starting function, and the Wait's function
//     from the call to the Wait; a loop around either, whole) can wait for
//     another goroutine or observe one: no channel operation, select
//     without a default, Lock, Sleep, WaitGroup or Cond Wait, atomic
//     operation, call that may block (its summary) or call golens cannot
//     see into.
//
// nil when wait is not a Wait or none is late.
func (m *File) LateAdds(wait *WaitGroupOp) []LateAdd {
	if m == nil || wait == nil || wait.Kind != WGWait || wait.Deferred || !wait.Key.Valid() || wait.Func == nil || wait.Func.Body == nil {
		return nil
	}
	var out []LateAdd
	for _, a := range m.WaitGroups {
		if a.Kind != WGAdd || a.Key != wait.Key || a.InGo == nil || strings.HasPrefix(strings.TrimSpace(a.Arg), "-") {
			continue
		}
		if g := m.lateAddGo(a, wait); g != nil {
			out = append(out, LateAdd{Add: a, Go: g})
		}
	}
	return out
}

// OnlyLateAdds reports whether every Add that can raise wait's counter is
// late (LateAdds): no other Add on its WaitGroup, no wg.Go, no Add through
// a call the WaitGroup is passed to (AddsVia). Then the Wait waits for
// no Done of the file: each is counted by a late Add. It returns the late
// Adds, nil when not all are.
func (m *File) OnlyLateAdds(wait *WaitGroupOp) []LateAdd {
	late := m.LateAdds(wait)
	if len(late) == 0 {
		return nil
	}
	at := m.lateAddAt(wait)
	for _, a := range m.AddsVia(wait) {
		if !at[a.Pos] {
			return nil
		}
	}
	for _, o := range m.WaitGroups {
		if o.Key != wait.Key {
			continue
		}
		switch o.Kind {
		case WGGo:
			return nil
		case WGAdd:
			found := false
			for _, l := range late {
				found = found || l.Add == o
			}
			if !found {
				return nil
			}
		}
	}
	return late
}

// lateAddAt is the set of the positions of wait's late Adds (LateAdds),
// nil when wait is not a Wait.
func (m *File) lateAddAt(wait *WaitGroupOp) map[token.Pos]bool {
	if wait == nil || wait.Kind != WGWait {
		return nil
	}
	at := map[token.Pos]bool{}
	for _, l := range m.LateAdds(wait) {
		at[l.Add.Pos] = true
	}
	return at
}

// lateAddGo is LateAdd.Go for the Add a and the Wait wait, nil when the
// model cannot show that nothing orders a before wait.
func (m *File) lateAddGo(a, wait *WaitGroupOp) *Goroutine {
	var chain []*Goroutine
	for _, g := range m.Goroutines {
		if g.Body == nil || g.Body.Body == nil {
			continue
		}
		in := func(p token.Pos) bool { return p >= g.Body.Body.Pos() && p < g.Body.Body.End() }
		if in(a.Pos) && !in(wait.Pos) {
			chain = append(chain, g)
		}
	}
	if len(chain) == 0 {
		return nil
	}
	sort.Slice(chain, func(i, j int) bool { return chain[i].Pos < chain[j].Pos })
	for _, c := range chain {
		if m.mayCount(c, a.Key) {
			return nil
		}
	}
	g := chain[0]
	if g.Func == nil || g.Func.Body == nil || g.Pos > wait.Pos && g.Func == wait.Func {
		return nil
	}
	if g.Func == wait.Func {
		from, to := m.loopSpan(wait.Func, g.Pos, g.End, wait.Pos)
		if !m.quietBetween(wait.Func, from, to, g, wait) {
			return nil
		}
		return g
	}
	// Started in a function the Wait's function calls before the Wait:
	// the whole starting function runs in the waiting goroutine (its
	// defers too), then the Wait's function from that call on.
	fd, ok := g.Func.Node.(*ast.FuncDecl)
	if !ok || g.Func.Lit {
		return nil
	}
	var call *ast.CallExpr
	ast.Inspect(wait.Func.Body, func(n ast.Node) bool {
		if call != nil || n == nil || n.Pos() >= wait.Pos {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if m.fileCallee(n) == fd {
				call = n
				return false
			}
		}
		return true
	})
	if call == nil || !m.quietBetween(g.Func, g.Func.Body.Pos(), g.Func.Body.End(), g, nil) {
		return nil
	}
	from, to := m.loopSpan(wait.Func, call.Pos(), call.End(), wait.Pos)
	if !m.quietBetween(wait.Func, from, to, nil, wait) {
		return nil
	}
	return g
}

// mayCount reports whether goroutine c may be counted by the WaitGroup
// key, or golens cannot tell: a Done on key in its own body (not in a
// goroutine it starts), a Done through a call its summary shows, or a
// call golens cannot see into.
func (m *File) mayCount(c *Goroutine, key VarKey) bool {
	for _, o := range m.WaitGroups {
		if o.Kind == WGDone && o.Key == key && o.InGo == c {
			return true
		}
	}
	s := m.SummaryOf(c.Body)
	if s == nil {
		return true
	}
	for _, e := range s.Effects {
		if e.Kind == EffDone && !e.InGo {
			return true
		}
	}
	for _, oc := range s.Opaque {
		if !oc.InGo {
			return true
		}
	}
	return false
}

// loopSpan is the part of fn's body that runs in the waiting goroutine
// between the statement [start, end) (a go statement, or a call) and the
// Wait at wait: from end to the Wait; when a loop of fn (not of a
// function literal) holds the statement, from the outermost such loop's
// start, and to its end when it holds the Wait too (a later pass runs
// its statements before the next Wait).
func (m *File) loopSpan(fn *Func, start, end, wait token.Pos) (from, to token.Pos) {
	from, to = end, wait
	path, _ := EnclosingPath(m.AST, start, end)
	for _, n := range path {
		if _, lit := n.(*ast.FuncLit); lit || n == fn.Node {
			break
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			from = n.Pos()
			if n.End() > to {
				to = n.End()
			}
		}
	}
	return from, to
}

// quietBetween reports whether the code of fn in [from, to), outside the
// goroutine skip's go statement and the Wait itself (a loop's earlier
// pass of it orders nothing before this pass's Add), does nothing that
// can wait for or observe another goroutine (see LateAdds).
func (m *File) quietBetween(fn *Func, from, to token.Pos, skip *Goroutine, wait *WaitGroupOp) bool {
	var holes [][2]token.Pos
	if skip != nil {
		holes = append(holes, [2]token.Pos{skip.Pos, skip.End})
	}
	if wait != nil && wait.Call != nil {
		holes = append(holes, [2]token.Pos{wait.Call.Pos(), wait.Call.End()})
	}
	sort.Slice(holes, func(i, j int) bool { return holes[i][0] < holes[j][0] })
	in := func(p token.Pos) bool {
		if p < from || p >= to {
			return false
		}
		for _, h := range holes {
			if p >= h[0] && p < h[1] {
				return false
			}
		}
		return true
	}
	at := from
	for _, h := range append(holes, [2]token.Pos{to, to}) {
		if h[0] > at && m.firstWaitIn(at, min(h[0], to), nil).IsValid() {
			return false
		}
		at = max(at, h[1])
	}
	for _, w := range m.CondWaits() {
		if in(w.Pos) {
			return false
		}
	}
	s := m.SummaryOf(fn)
	if s == nil {
		return false
	}
	for _, e := range s.Effects {
		at := e.At
		if !at.IsValid() {
			at = e.Pos
		}
		if !e.InGo && e.MayBlock() && in(at) {
			return false
		}
	}
	for _, oc := range s.Opaque {
		if !oc.InGo && in(oc.Pos) {
			return false
		}
	}
	quiet := true
	if d := m.derived; d != nil && d.b != nil {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if !quiet || n == nil || n.End() <= from || n.Pos() >= to {
				return false
			}
			if c, ok := n.(*ast.CallExpr); ok && in(c.Pos()) {
				if name, _ := d.b.pkgCall(c, "sync/atomic"); name != "" || d.b.atomicQuiet(c) {
					quiet = false
				}
			}
			return quiet
		})
	}
	return quiet
}
