package deadlock

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
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
func chainOf(c *callEvent, rest []string) string {
	if c.fnLit != nil {
		return exprText(c.call.Fun) + "(func)" + prefixArrow(chainText("", rest))
	}
	if c.callee == nil {
		return exprText(c.call.Fun) + "()" + prefixArrow(chainText("", rest))
	}
	full := append(c.chainHead(), rest...)
	if c.recv != nil {
		return exprText(c.call.Fun) + " → " + chainText(exprText(c.recv), full)
	}
	return chainText(calleeRecv(c.call), full)
}

// chainHead is the first hop of a chain through c: "size()", or "cp()"
// for a callback stored in the field cp.
func (c *callEvent) chainHead() []string {
	if c.callee != nil {
		return []string{c.callee.Name() + "()"}
	}
	if f := c.field; f != nil {
		return []string{f.Name() + "()"}
	}
	return nil
}

func prefixArrow(s string) string {
	if s == "" {
		return ""
	}
	return " → " + s
}

func calleeRecv(c *ast.CallExpr) string {
	if se, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		return exprText(se.X)
	}
	return ""
}

// ---- a mutex locked again by the goroutine that holds it ----

func (st *analysisState) doubleLocks() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, u := range st.units {
		if u.test {
			continue // tests lock twice on purpose, to block a goroutine
		}
		for _, l := range u.locks {
			if l.unlock || l.mu.root == nil {
				continue
			}
			for _, h := range l.held {
				// Lock after Lock, and RLock after Lock or Lock after
				// RLock, are lockleak's (same function, syntax tier).
				if h.mu.sameInstance(l.mu) && h.kind == lockR && l.kind == lockR && st.writers[l.mu.class] {
					out = append(out, st.recursiveRead(l.call, h, l.mu, "RLock()", l.call.Pos()))
				}
			}
		}
		for _, c := range u.calls {
			if len(c.held) == 0 {
				continue
			}
			for _, ca := range st.callAcquires(c) {
				a, mu := ca.a, ca.mu
				if mu.root == nil {
					continue
				}
				for _, h := range c.held {
					// The same class too: a lock reached through an
					// interface's only implementation is that type's
					// field, and a held lock of another type at the same
					// path is not it.
					if !h.mu.sameInstance(mu) || (a.dispatched || c.dispatched) && h.mu.class != mu.class || st.releases(c, a, h.mu) {
						continue
					}
					chain := chainOf(c, a.chain)
					n := len(out)
					switch {
					case h.mu.once != mu.once:
						continue
					case h.mu.once:
						out = append(out, analysis.Diagnostic{Pos: c.call.Pos(), End: c.call.End(), Category: name,
							Message: message("onceDo", msgData{Chain: chain, Mutex: h.mu.text, LockAt: st.where(a.pos, c.call.Pos()), HeldLine: st.line(h.pos)}),
							Related: []analysis.RelatedInformation{{Pos: h.pos, Message: h.mu.text + ".Do runs the function here"}, {Pos: a.pos, Message: "and it calls " + h.mu.text + ".Do again here"}}})
					case h.kind == lockR && a.kind == lockR:
						if st.writers[mu.class] {
							out = append(out, st.recursiveRead(c.call, h, mu, chain, a.pos))
						}
					case h.kind == lockR:
						out = append(out, analysis.Diagnostic{Pos: c.call.Pos(), End: c.call.End(), Category: name,
							Message: message("upgrade", msgData{Chain: chain, Mutex: h.mu.text, LockAt: st.where(a.pos, c.call.Pos()), HeldLine: st.line(h.pos)}),
							Related: []analysis.RelatedInformation{{Pos: h.pos, Message: h.mu.text + " is read-locked here"}, {Pos: a.pos, Message: "locked again here"}}})
					default:
						out = append(out, analysis.Diagnostic{Pos: c.call.Pos(), End: c.call.End(), Category: name,
							Message: message("double", msgData{Chain: chain, Mutex: h.mu.text, Kind: a.kind.String(), LockAt: st.where(a.pos, c.call.Pos()), HeldLine: st.line(h.pos)}),
							Related: []analysis.RelatedInformation{{Pos: h.pos, Message: h.mu.text + " is locked here"}, {Pos: a.pos, Message: "locked again here"}}})
					}
					if len(out) > n && a.storedAt.IsValid() {
						out[n].Related = append(out[n].Related, analysis.RelatedInformation{Pos: a.storedAt, Message: "the function it calls through a func-typed field is stored here"})
					}
					break
				}
			}
		}
	}
	return dedup(out)
}

func (st *analysisState) recursiveRead(at *ast.CallExpr, h held, mu mutex, via string, lockPos token.Pos) analysis.Diagnostic {
	return analysis.Diagnostic{Pos: at.Pos(), End: at.End(), Category: name,
		Message: message("recursiveRead", msgData{Chain: via, Mutex: h.mu.text, HeldLine: st.line(h.pos), Writer: mu.text}),
		Related: []analysis.RelatedInformation{{Pos: h.pos, Message: h.mu.text + " is read-locked here"}, {Pos: lockPos, Message: "read-locked again here"}}}
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
	a, b         types.Object
	akind, bkind lockKind
	aText, bText string
	heldPos      token.Pos // where a was locked
	pos          token.Pos // where b is locked (the Lock, or the call that locks it)
	lockPos      token.Pos // the Lock of b itself
	via          string    // the call chain, when b is locked by a callee
	gates        []types.Object
	u            *unit
}

func (st *analysisState) lockOrder() []analysis.Diagnostic {
	byPair := map[[2]types.Object][]edge{}
	add := func(e edge) {
		if e.a == e.b {
			return
		}
		byPair[[2]types.Object{e.a, e.b}] = append(byPair[[2]types.Object{e.a, e.b}], e)
	}
	gatesOf := func(h []held, skip types.Object) []types.Object {
		var g []types.Object
		for _, x := range h {
			if x.mu.class != skip {
				g = append(g, x.mu.class)
			}
		}
		return g
	}
	for _, u := range st.units {
		for _, l := range u.locks {
			if l.unlock {
				continue
			}
			for _, h := range l.held {
				if h.mu.once || l.mu.once || u.flagExitBetween(h.pos, l.call.Pos()) {
					continue
				}
				add(edge{a: h.mu.class, b: l.mu.class, akind: h.kind, bkind: l.kind, aText: h.mu.text, bText: l.mu.text,
					heldPos: h.pos, pos: l.call.Pos(), lockPos: l.call.Pos(), gates: gatesOf(l.held, h.mu.class), u: u})
			}
		}
		for _, c := range u.calls {
			if len(c.held) == 0 {
				continue
			}
			for _, ca := range st.callAcquires(c) {
				a, mu := ca.a, ca.mu
				if len(a.chain) >= maxOrderChain {
					// A Lock many calls away (through tracing or
					// formatting helpers) is weak evidence of an order.
					continue
				}
				for _, h := range c.held {
					if h.mu.once || mu.once || h.mu.sameInstance(mu) || st.releases(c, a, h.mu) || a.gated || u.flagExitBetween(h.pos, c.call.Pos()) {
						continue
					}
					add(edge{a: h.mu.class, b: mu.class, akind: h.kind, bkind: a.kind, aText: h.mu.text, bText: mu.text,
						heldPos: h.pos, pos: c.call.Pos(), lockPos: a.pos,
						via:   chainOf(c, a.chain),
						gates: gatesOf(c.held, h.mu.class), u: u})
				}
			}
		}
	}
	var keys [][2]types.Object
	for k := range byPair {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return byPair[keys[i]][0].pos < byPair[keys[j]][0].pos })
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
				if !conflicts(e1.akind, e2.bkind) || !conflicts(e1.bkind, e2.akind) || sharesGate(e1.gates, e2.gates) {
					continue
				}
				if e1.u.test && e2.u.test {
					continue
				}
				first, second := e1, e2
				if second.pos < first.pos {
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
	d := analysis.Diagnostic{Pos: e1.pos, End: e1.pos, Category: name,
		Message: message("order", msgData{First: how(e1), FirstHeld: e1.aText, FirstHeldLine: st.line(e1.heldPos), Other: e2.u.name,
			Second: how(e2), SecondAt: st.where(e2.pos, e1.pos), SecondHeld: e2.aText}),
		Related: []analysis.RelatedInformation{
			{Pos: e1.heldPos, Message: e1.aText + " is locked first here"},
			{Pos: e2.heldPos, Message: e2.aText + " is locked first here"},
			{Pos: e2.pos, Message: "then " + e2.bText + " here"},
		}}
	// Through calls: also the Lock calls themselves, where the goroutines wait.
	for _, e := range []edge{e1, e2} {
		if e.via != "" && e.lockPos.IsValid() && e.lockPos != e.pos {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: e.lockPos, Message: e.bText + " is locked here, inside " + e.via})
		}
	}
	return d
}
