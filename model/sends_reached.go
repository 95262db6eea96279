package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// The sends a stretch of code can block on: its own, and those of the
// package's functions it calls (CallTargets), up to maxSendCallDepth calls
// deep, outside the goroutines and defers it starts and the function
// literals it only makes. A send that is a select case counts only when
// every other case is a receive (its Alts): a default or another send
// lets it go on. The nopartner check's send-cycle rule reads it: two
// receiving loops that can each block sending to the other.
//
// The answer for a node and a remaining depth is a pure function of the
// code, memoized per (node, depth) once per package: it does not depend on
// which question was asked first.

// maxSendCallDepth is how many calls deep the sends are followed.
const maxSendCallDepth = 6

// RecvKey names the channel a select case receives from, across
// functions: the object finally selected or called (a field, a method
// such as ShouldStop), with the object it is selected from (the stopper
// field), so that s.stopper.ShouldStop() and m.stopper.ShouldStop() are
// the same stop.
type RecvKey struct{ Last, From types.Object }

// RecvKeyOf is the key of the channel expression e (ch, s.done,
// s.stopper.ShouldStop()); false for a call with arguments or an
// expression naming no object.
func RecvKeyOf(info *types.Info, e ast.Expr) (RecvKey, bool) {
	last := func(x ast.Expr) types.Object {
		switch x := ast.Unparen(x).(type) {
		case *ast.Ident:
			return info.Uses[x]
		case *ast.SelectorExpr:
			if s := info.Selections[x]; s != nil {
				return s.Obj()
			}
			return info.Uses[x.Sel]
		}
		return nil
	}
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if len(call.Args) > 0 {
			return RecvKey{}, false
		}
		e = ast.Unparen(call.Fun)
	}
	k := RecvKey{Last: last(e)}
	if sel, ok := e.(*ast.SelectorExpr); ok {
		k.From = last(sel.X)
	}
	return k, k.Last != nil
}

// CaseRecvChan is the channel a select case's communication receives
// from (<-ch, v := <-ch, v, ok = <-ch), or nil for a send or a default.
func CaseRecvChan(s ast.Stmt) ast.Expr {
	if u := recvStmtExpr(s); u != nil {
		return u.X
	}
	return nil
}

// recvStmtExpr is the receive a statement is (`<-ch`, `v := <-ch`, `v, ok
// = <-ch`), or nil.
func recvStmtExpr(s ast.Stmt) *ast.UnaryExpr {
	var x ast.Expr
	switch s := s.(type) {
	case *ast.ExprStmt:
		x = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			x = s.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(x).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u
	}
	return nil
}

// ChanClassOf is the class of the channel expression e (a channel
// variable or field, or a call of a package function returning a class),
// nil when the package does not track it.
func (p *Package) ChanClassOf(e ast.Expr) *ChanClass {
	cs := p.ChanClasses()
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if fn := PackageCallee(p.Info, p.Types, call); fn != nil {
			return cs.OfResult(fn)
		}
		return nil
	}
	var obj types.Object
	switch x := e.(type) {
	case *ast.Ident:
		if v, ok := p.Info.Uses[x].(*types.Var); ok {
			obj = v
		}
	case *ast.SelectorExpr:
		if sel := p.Info.Selections[x]; sel != nil && sel.Kind() == types.FieldVal {
			obj = sel.Obj()
		}
	}
	if obj == nil {
		return nil
	}
	return cs.Of(obj)
}

// ReachedSend is a send the code asked about can block on.
type ReachedSend struct {
	Send *ast.SendStmt
	// Class is the channel's class (ChanClassOf); nil when the package
	// does not track the channel.
	Class *ChanClass
	Pos   token.Pos // the send's arrow
	Text  string    // the channel expression as written
	// Alts are the keys of the other cases of the select the send is a
	// case of, each a receive; empty for a plain send.
	Alts []RecvKey
	// Via names the calls that lead to the send, outermost first (empty
	// for a send written in the code itself).
	Via []string
	// Certainty is Proven when every call on the way names its function
	// (or is a literal called in place), Possible when one goes through a
	// function value (CallTargets).
	Certainty Certainty
}

// reachItem is one step of a node's own code, in the order of a walk: a
// send it can block on, or a call whose targets' sends follow.
type reachItem struct {
	send *ReachedSend
	call *ast.CallExpr
}

type reachKey struct {
	n     ast.Node
	depth int // calls still followed
}

// SendsReached lists the sends that code in n can block on (see above),
// in the order a walk of n meets them, a send reached through a call
// where the call is, each send once (with the shortest way to it).
func (p *Package) SendsReached(n ast.Node) []ReachedSend {
	r := &p.callReach
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sendsReached(p, n, maxSendCallDepth)
}

func (r *callReach) sendsReached(p *Package, n ast.Node, depth int) []ReachedSend {
	key := reachKey{n, depth}
	if got, ok := r.reached[key]; ok {
		return got
	}
	if r.reached == nil {
		r.reached = map[reachKey][]ReachedSend{}
	}
	var out []ReachedSend
	seen := map[token.Pos]int{} // index in out
	add := func(s ReachedSend) {
		i, ok := seen[s.Pos]
		if !ok {
			seen[s.Pos] = len(out)
			out = append(out, s)
			return
		}
		// Met again: kept where first met, by the shortest, surest way.
		if o := out[i]; len(s.Via) < len(o.Via) || len(s.Via) == len(o.Via) && s.Certainty > o.Certainty {
			out[i].Via, out[i].Certainty = s.Via, s.Certainty
		}
	}
	for _, it := range r.itemsOf(p, n) {
		if it.send != nil {
			add(*it.send)
			continue
		}
		if depth == 0 {
			continue
		}
		ct := r.targetsOf(p, it.call)
		for _, t := range ct.Targets {
			// depth falls by one on every call, so recursion ends.
			for _, s := range r.sendsReached(p, t.Body, depth-1) {
				s.Via = append([]string{t.Name}, s.Via...)
				s.Certainty = min(s.Certainty, ct.Certainty)
				add(s)
			}
		}
	}
	r.reached[key] = out
	return out
}

// itemsOf walks n once: its sends and calls outside go statements,
// defers and function literals, in walk order. A select's send case is a
// send only when every other case is a receive with a key; of a select
// case, its send's value and its body are walked, not its channel or a
// receive's operand.
func (r *callReach) itemsOf(p *Package, n ast.Node) []reachItem {
	if got, ok := r.items[n]; ok {
		return got
	}
	if r.items == nil {
		r.items = map[ast.Node][]reachItem{}
	}
	var out []reachItem
	send := func(s *ast.SendStmt, alts []RecvKey) {
		out = append(out, reachItem{send: &ReachedSend{Send: s, Class: p.ChanClassOf(s.Chan), Pos: s.Arrow,
			Text: types.ExprString(s.Chan), Alts: alts, Certainty: Proven}})
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt, *ast.DeferStmt, *ast.FuncLit:
			return false
		case *ast.SendStmt:
			send(n, nil)
		case *ast.SelectStmt:
			for _, s := range n.Body.List {
				cc := s.(*ast.CommClause)
				if s, ok := cc.Comm.(*ast.SendStmt); ok {
					if alts, ok := otherRecvKeys(p.Info, n, cc); ok {
						send(s, alts)
					}
					ast.Inspect(s.Value, visit)
				}
				for _, b := range cc.Body {
					ast.Inspect(b, visit)
				}
			}
			return false
		case *ast.CallExpr:
			out = append(out, reachItem{call: n})
		}
		return true
	}
	ast.Inspect(n, visit)
	r.items[n] = out
	return out
}

// otherRecvKeys are the keys of the other cases of sel when each is a
// receive with a key; false when one is a default or a send.
func otherRecvKeys(info *types.Info, sel *ast.SelectStmt, self *ast.CommClause) ([]RecvKey, bool) {
	var out []RecvKey
	for _, s := range sel.Body.List {
		cc := s.(*ast.CommClause)
		if cc == self {
			continue
		}
		e := CaseRecvChan(cc.Comm)
		if e == nil {
			return nil, false
		}
		k, ok := RecvKeyOf(info, e)
		if !ok {
			return nil, false
		}
		out = append(out, k)
	}
	return out, true
}
