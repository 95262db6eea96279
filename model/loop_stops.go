package model

import (
	"go/ast"
	"go/token"
	"strconv"
	"sync"
)

// The stops of a receiving loop, and whether it sends without waiting for
// its own receive. The nopartner check's send-cycle rule reads them: two
// loops that each receive from one channel and can block sending on the
// other's block forever when both send at once, unless both leave on a
// common stop case, and only if one of them can send without having
// received first (two loops that receive and then answer take turns).

// CaseLeavesLoop says whether, once the select case cc has been taken,
// loop never starts another pass and the case leaves it on some path by a
// way that ends the loop, not the process: a return, a break, continue or
// goto out of it, or an exit the model classifies as runtime.Goexit
// (t.Fatal, t.Skip). NextPass decides the first half over the function's
// control-flow graph (a return under a condition may never be taken; a
// break of a labelled select stays in the loop). A case whose every way
// out ends the process (os.Exit, log.Fatal) or panics does not leave:
// nothing then waits forever. Where the model does not follow the
// function (or m is nil) only a return, or a labelled break or goto, among
// the case's own statements counts, and a case without one is Unknown.
func (m *File) CaseLeavesLoop(loop ast.Stmt, cc *ast.CommClause) Fact {
	if cc == nil {
		return Fact{}
	}
	if m != nil && loop != nil && cc.Comm != nil {
		switch m.NextPass(cc, loop) {
		case ReachNever:
			if m.leavesByLoopExit(cc.Body) {
				return Fact{Certainty: Proven, Holds: true, Why: "the loop never comes round again after this case, and the case leaves it"}
			}
			return Fact{Certainty: Proven, Why: "every way out of this case ends the process or panics"}
		case ReachSome, ReachAlways:
			return Fact{Certainty: Proven, Why: "the loop can come round again after this case"}
		}
	}
	for _, s := range cc.Body {
		switch s := s.(type) {
		case *ast.ReturnStmt:
			return Fact{Certainty: Proven, Holds: true, Why: "the case returns"}
		case *ast.BranchStmt:
			if s.Label != nil && (s.Tok == token.BREAK || s.Tok == token.GOTO) {
				return Fact{Certainty: Proven, Holds: true, Why: "the case breaks out of the loop"}
			}
		}
	}
	return Fact{Why: "golens does not follow this function's flow"}
}

// leavesByLoopExit reports a way out of a loop in body that does not end
// the process: a return, a labelled break or goto, a continue (of an
// outer loop, as NextPass has shown), or a runtime.Goexit exit. Function
// literals are skipped: their code is not the case's flow.
func (m *File) leavesByLoopExit(body []ast.Stmt) bool {
	found := false
	for _, s := range body {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
				return false // a go or defer statement's call does not leave here
			case *ast.ReturnStmt:
				found = true
			case *ast.BranchStmt:
				if n.Label != nil && n.Tok != token.FALLTHROUGH {
					found = true
				}
			case *ast.CallExpr:
				if kind, ok := m.ExitCall(n); ok && kind == ExitGoexit {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// loopFacts holds LoopStops and FreeRunning, computed once per loop (and
// per question).
type loopFacts struct {
	mu    sync.Mutex
	stops map[ast.Node]map[RecvKey]bool
	free  map[freeKey]Fact
}

type freeKey struct {
	loop, partner ast.Node
	own, other    *ChanClass
}

// fileModelAt is the model of the package file holding pos, or nil.
func (p *Package) fileModelAt(pos token.Pos) *File {
	p.models.mu.Lock()
	model := p.models.model
	p.models.mu.Unlock()
	if model == nil {
		return nil
	}
	for _, f := range p.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return model(f)
		}
	}
	return nil
}

// LoopStops are the receives of the selects in loop (a for or range
// statement; not in function literals) whose case leaves the loop
// (CaseLeavesLoop proves it), keyed across functions by RecvKey: the stop
// channels the loop gives up on.
func (p *Package) LoopStops(loop ast.Node) map[RecvKey]bool {
	if p == nil || p.Info == nil || loop == nil {
		return nil
	}
	return memo(&p.loops.mu, &p.loops.stops, loop, func() map[RecvKey]bool {
		out := map[RecvKey]bool{}
		loopStmt, _ := loop.(ast.Stmt)
		m := p.fileModelAt(loop.Pos())
		ast.Inspect(LoopBody(loop), func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CommClause:
				if e := CaseRecvChan(n.Comm); e != nil && m.CaseLeavesLoop(loopStmt, n).ProvenTrue() {
					if k, ok := RecvKeyOf(p.Info, e); ok {
						out[k] = true
					}
				}
			}
			return true
		})
		return out
	})
}

// SharedStops are the stops both loops a and b leave on (LoopStops).
func (p *Package) SharedStops(a, b ast.Node) map[RecvKey]bool {
	out := map[RecvKey]bool{}
	sb := p.LoopStops(b)
	for k := range p.LoopStops(a) {
		if sb[k] {
			out[k] = true
		}
	}
	return out
}

// BlocksUntil says whether the send has no way out but the stops: it is a
// plain send, or a select case whose every other case receives from one
// of them.
func (r ReachedSend) BlocksUntil(stops map[RecvKey]bool) bool {
	for _, k := range r.Alts {
		if !stops[k] {
			return false
		}
	}
	return true
}

// FreeRunning says whether loop receives from a channel of class own as a
// case of a select and another case of that select (or its default) can
// block sending on a channel of class other (SendsReached, with no way out
// but the stops loop shares with partner): the loop can send on other
// without having received from own first, so its sends are not a
// turn-taking answer to the partner's. Proven either way; why names the
// select.
func (p *Package) FreeRunning(loop ast.Node, own, other *ChanClass, partner ast.Node) Fact {
	if p == nil || p.Info == nil || loop == nil || own == nil || other == nil {
		return Fact{}
	}
	return memo(&p.loops.mu, &p.loops.free, freeKey{loop, partner, own, other}, func() Fact {
		stops := p.SharedStops(loop, partner)
		var at token.Pos
		ast.Inspect(LoopBody(loop), func(n ast.Node) bool {
			if at.IsValid() {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.SelectStmt:
				var mine *ast.CommClause
				for _, s := range n.Body.List {
					cc := s.(*ast.CommClause)
					if e := CaseRecvChan(cc.Comm); e != nil && p.ChanClassOf(e) == own {
						mine = cc
					}
				}
				if mine == nil {
					return true
				}
				for _, s := range n.Body.List {
					cc := s.(*ast.CommClause)
					if cc == mine {
						continue
					}
					for _, b := range cc.Body {
						for _, r := range p.SendsReached(b) {
							if r.Class != nil && r.Class == other && r.BlocksUntil(stops) {
								at = n.Select
							}
						}
					}
				}
			}
			return true
		})
		if !at.IsValid() {
			return Fact{Certainty: Proven, Why: "no select of the loop can send before receiving"}
		}
		return Fact{Certainty: Proven, Holds: true, Why: "the select at line " + strconv.Itoa(p.Fset.Position(at).Line) + " can send before receiving"}
	})
}
