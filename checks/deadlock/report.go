package deadlock

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
	"github.com/golens/golens/model/lockfacts"
)

func (st *analysisState) line(p token.Pos) int { return st.pass.Fset.Position(p).Line }

// where spells a position for a message: "line 12", or "file.go:12" in
// another file of the package.
func (st *analysisState) where(p, from token.Pos) string {
	a, b := st.pass.Fset.Position(p), st.pass.Fset.Position(from)
	if a.Filename == b.Filename {
		return fmt.Sprintf("line %d", a.Line)
	}
	i := strings.LastIndexByte(a.Filename, '/')
	return fmt.Sprintf("%s:%d", a.Filename[i+1:], a.Line)
}

func chainText(recv string, chain []string) string {
	var parts []string
	for i, n := range chain {
		if i == 0 && recv != "" {
			n = recv + "." + n
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, " → ")
}

// chainOf spells the calls from c to a Lock: "s.flush() → write()", or
// "fmt.Printf → x.String()" for a method fmt calls.
func chainOf(c *lockfacts.CallEvent, rest []string) string {
	if c.FnLit != nil && !c.Local {
		return model.ExprText(c.Call.Fun) + "(func)" + prefixArrow(chainText("", rest))
	}
	if c.Callee == nil {
		return indirectHead(c) + prefixArrow(chainText("", rest))
	}
	full := append(c.ChainHead(), rest...)
	if c.Recv != nil {
		return model.ExprText(c.Call.Fun) + " → " + chainText(model.ExprText(c.Recv), full)
	}
	return chainText(calleeRecv(c.Call), full)
}

func prefixArrow(s string) string {
	if s == "" {
		return ""
	}
	return " → " + s
}

func calleeRecv(c *ast.CallExpr) string {
	if se, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		return model.ExprText(se.X)
	}
	return ""
}

// ---- a mutex locked again by the goroutine that holds it ----

func (st *analysisState) doubleLocks() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, u := range st.Units {
		if u.Test {
			continue // tests lock twice on purpose, to block a goroutine
		}
		for _, l := range u.Locks {
			if l.Unlock || l.Mu.Root == nil {
				continue
			}
			for _, h := range l.Held {
				// Lock after Lock, and RLock after Lock or Lock after
				// RLock, are lockleak's (same function, syntax tier).
				if h.Mu.SameInstance(l.Mu) && h.Kind == lockfacts.LockR && l.Kind == lockfacts.LockR && st.Writers[l.Mu.Class] {
					out = append(out, st.recursiveRead(l.Call, h, l.Mu, "RLock()", l.Call.Pos()))
				}
			}
		}
		for _, c := range u.Calls {
			if len(c.Held) == 0 {
				continue
			}
			for _, ca := range st.CallAcquires(c) {
				a, mu := ca.A, ca.Mu
				if mu.Root == nil {
					continue
				}
				for _, h := range c.Held {
					// The same class too: a lock reached through an
					// interface's only implementation is that type's
					// field, and a held lock of another type at the same
					// path is not it.
					if !h.Mu.SameInstance(mu) || (a.Dispatched || c.Dispatched) && h.Mu.Class != mu.Class || st.Releases(c, a, h.Mu) {
						continue
					}
					chain := chainOf(c, a.Chain)
					n := len(out)
					switch {
					case h.Mu.Once != mu.Once:
						continue
					case h.Mu.Once:
						out = append(out, analysis.Diagnostic{Pos: c.Call.Pos(), End: c.Call.End(), Category: name,
							Message: message("onceDo", msgData{Chain: chain, Mutex: h.Mu.Text, LockAt: st.where(a.Pos, c.Call.Pos()), HeldLine: st.line(h.Pos)}),
							Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Mu.Text + ".Do runs the function here"}, {Pos: a.Pos, Message: "and it calls " + h.Mu.Text + ".Do again here"}}})
					case h.Kind == lockfacts.LockR && a.Kind == lockfacts.LockR:
						if st.Writers[mu.Class] {
							out = append(out, st.recursiveRead(c.Call, h, mu, chain, a.Pos))
						}
					case h.Kind == lockfacts.LockR:
						out = append(out, analysis.Diagnostic{Pos: c.Call.Pos(), End: c.Call.End(), Category: name,
							Message: message("upgrade", msgData{Chain: chain, Mutex: h.Mu.Text, LockAt: st.where(a.Pos, c.Call.Pos()), HeldLine: st.line(h.Pos), Via: st.viaText(mu, c.Call.Pos())}),
							Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Mu.Text + " is read-locked here"}, {Pos: a.Pos, Message: "locked again here"}}})
					default:
						out = append(out, analysis.Diagnostic{Pos: c.Call.Pos(), End: c.Call.End(), Category: name,
							Message: message("double", msgData{Chain: chain, Mutex: h.Mu.Text, Kind: a.Kind.String(), LockAt: st.where(a.Pos, c.Call.Pos()), HeldLine: st.line(h.Pos), Via: st.viaText(mu, c.Call.Pos())}),
							Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Mu.Text + " is locked here"}, {Pos: a.Pos, Message: "locked again here"}}})
					}
					if len(out) > n {
						out[n].Related = append(out[n].Related, indirectNotes(c, a)...)
						out[n].Related = append(out[n].Related, viaNote(mu)...)
					}
					break
				}
			}
		}
	}
	return dedup(out)
}

func (st *analysisState) recursiveRead(at *ast.CallExpr, h lockfacts.Held, mu lockfacts.Mutex, via string, lockPos token.Pos) analysis.Diagnostic {
	return analysis.Diagnostic{Pos: at.Pos(), End: at.End(), Category: name,
		Message: message("recursiveRead", msgData{Chain: via, Mutex: h.Mu.Text, HeldLine: st.line(h.Pos), Writer: mu.Text, Via: st.viaText(mu, at.Pos())}),
		Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Mu.Text + " is read-locked here"}, {Pos: lockPos, Message: "read-locked again here"}}}
}

func dedup(ds []analysis.Diagnostic) []analysis.Diagnostic {
	seen := map[token.Pos]bool{}
	var out []analysis.Diagnostic
	for _, d := range ds {
		if !seen[d.Pos] {
			seen[d.Pos] = true
			out = append(out, d)
		}
	}
	return out
}

// ---- lock order ----

// maxOrderChain bounds the calls between a held lock and the Lock that
// makes an order edge (the chain below the first call).
const maxOrderChain = 3

// edge: while holding a, the code locks b.
type edge struct {
	A, b         types.Object
	akind, bkind lockfacts.LockKind
	aText, bText string
	heldPos      token.Pos // where a was locked
	Pos          token.Pos // where b is locked (the Lock, or the call that locks it)
	lockPos      token.Pos // the Lock of b itself
	via          string    // the call chain, when b is locked by a callee
	gates        []types.Object
	u            *lockfacts.Unit
}

// lockOrder reports two mutexes taken in opposite orders. An order taken in
// a block that ends in a panic makes no edge: that code runs only where its
// author says the program already went wrong (net/http's connReader.Read
// asks the conn whether it was hijacked, holding its own lock, only on its
// way to panic("invalid concurrent Body.Read call")).
func (st *analysisState) lockOrder() []analysis.Diagnostic {
	byPair := map[[2]types.Object][]edge{}
	add := func(e edge) {
		if e.A == e.b {
			return
		}
		byPair[[2]types.Object{e.A, e.b}] = append(byPair[[2]types.Object{e.A, e.b}], e)
	}
	gatesOf := func(h []lockfacts.Held, skip types.Object) []types.Object {
		var g []types.Object
		for _, x := range h {
			if x.Mu.Class != skip {
				g = append(g, x.Mu.Class)
			}
		}
		return g
	}
	for _, u := range st.Units {
		for _, l := range u.Locks {
			if l.Unlock {
				continue
			}
			for _, h := range l.Held {
				if h.Mu.Once || l.Mu.Once || u.FlagExitBetween(h.Pos, l.Call.Pos()) || u.EndsInPanic(l.Block) {
					continue
				}
				add(edge{A: h.Mu.Class, b: l.Mu.Class, akind: h.Kind, bkind: l.Kind, aText: h.Mu.Text, bText: l.Mu.Text,
					heldPos: h.Pos, Pos: l.Call.Pos(), lockPos: l.Call.Pos(), gates: gatesOf(l.Held, h.Mu.Class), u: u})
			}
		}
		for _, c := range u.Calls {
			if len(c.Held) == 0 {
				continue
			}
			for _, ca := range st.CallAcquires(c) {
				a, mu := ca.A, ca.Mu
				if len(a.Chain) >= maxOrderChain {
					// A Lock many calls away (through tracing or
					// formatting helpers) is weak evidence of an order.
					continue
				}
				for _, h := range c.Held {
					if h.Mu.Once || mu.Once || h.Mu.SameInstance(mu) || st.Releases(c, a, h.Mu) || a.Gated || u.FlagExitBetween(h.Pos, c.Call.Pos()) || u.EndsInPanic(c.Block) {
						continue
					}
					add(edge{A: h.Mu.Class, b: mu.Class, akind: h.Kind, bkind: a.Kind, aText: h.Mu.Text, bText: mu.Text,
						heldPos: h.Pos, Pos: c.Call.Pos(), lockPos: a.Pos,
						via:   chainOf(c, a.Chain),
						gates: gatesOf(c.Held, h.Mu.Class), u: u})
				}
			}
		}
	}
	var keys [][2]types.Object
	for k := range byPair {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return byPair[keys[i]][0].Pos < byPair[keys[j]][0].Pos })
	done := map[[2]types.Object]bool{}
	var out []analysis.Diagnostic
	for _, k := range keys {
		rev := [2]types.Object{k[1], k[0]}
		if done[k] || done[rev] || byPair[rev] == nil {
			continue
		}
	search:
		for _, e1 := range byPair[k] {
			for _, e2 := range byPair[rev] {
				if !lockfacts.Conflicts(e1.akind, e2.bkind) || !lockfacts.Conflicts(e1.bkind, e2.akind) || sharesGate(e1.gates, e2.gates) {
					continue
				}
				if e1.u.Test && e2.u.Test {
					continue
				}
				first, second := e1, e2
				if second.Pos < first.Pos {
					first, second = second, first
				}
				done[k] = true
				out = append(out, st.orderDiag(first, second))
				break search
			}
		}
	}
	return out
}

func sharesGate(a, b []types.Object) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func (st *analysisState) orderDiag(e1, e2 edge) analysis.Diagnostic {
	how := func(e edge) string {
		if e.via != "" {
			return fmt.Sprintf("%s locks %s", e.via, e.bText)
		}
		return e.bText + "." + e.bkind.String() + "()"
	}
	d := analysis.Diagnostic{Pos: e1.Pos, End: e1.Pos, Category: name,
		Message: message("order", msgData{First: how(e1), FirstHeld: e1.aText, FirstHeldLine: st.line(e1.heldPos), Other: e2.u.Name,
			Second: how(e2), SecondAt: st.where(e2.Pos, e1.Pos), SecondHeld: e2.aText}),
		Related: []analysis.RelatedInformation{
			{Pos: e1.heldPos, Message: e1.aText + " is locked first here"},
			{Pos: e2.heldPos, Message: e2.aText + " is locked first here"},
			{Pos: e2.Pos, Message: "then " + e2.bText + " here"},
		}}
	// Through calls: also the Lock calls themselves, where the goroutines wait.
	for _, e := range []edge{e1, e2} {
		if e.via != "" && e.lockPos.IsValid() && e.lockPos != e.Pos {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: e.lockPos, Message: e.bText + " is locked here, inside " + e.via})
		}
	}
	return d
}
