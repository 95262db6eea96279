package model

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/cfg"
)

// loopSite is an edge of a function's control-flow graph that leaves one
// iteration of a loop: a break out of the loop, a continue, or the end of
// the body falling back to the loop's head. The lock flow records the last
// one a path crossed while holding a lock taken inside that loop, so that
// a lock still held at a return can be blamed on the break that left the
// loop, and a lock still held when the next iteration locks it again on
// the continue or the body's end that skipped its release.
type loopSite struct {
	via  LeakVia // ViaBreak, ViaContinue or ViaBodyEnd
	at   token.Pos
	loop ast.Stmt // *ast.ForStmt or *ast.RangeStmt
	body *ast.BlockStmt
}

// encloses reports whether p is inside the site's loop body.
func (s *loopSite) encloses(p token.Pos) bool {
	return p > s.body.Lbrace && p < s.body.Rbrace
}

type blockEdge struct{ from, to *cfg.Block }

// locksInLoop reports whether any of ops is inside the body of a loop of
// fl's function (a cheap test on the graph's loop blocks, before the edges
// are classified).
func (fl *funcFlow) locksInLoop(ops []*LockOp) bool {
	for _, b := range fl.g.Blocks {
		var body *ast.BlockStmt
		switch s := b.Stmt.(type) {
		case *ast.ForStmt:
			if b.Kind == cfg.KindForBody {
				body = s.Body
			}
		case *ast.RangeStmt:
			if b.Kind == cfg.KindRangeBody {
				body = s.Body
			}
		}
		if body == nil {
			continue
		}
		for _, o := range ops {
			if o.Pos > body.Lbrace && o.Pos < body.Rbrace {
				return true
			}
		}
	}
	return false
}

// loopEdges classifies the edges of fl's graph that leave an iteration of
// a loop. The graph does not keep break and continue statements as nodes,
// so each such edge is matched to the first break (continue) statement
// aimed at that loop at or after the last thing its block holds; an edge
// back to the loop's head with no such statement is the body's end.
func (fl *funcFlow) loopEdges() (map[blockEdge]int16, []loopSite) {
	if fl.siteOf != nil {
		return fl.siteOf, fl.sites
	}
	fl.siteOf = map[blockEdge]int16{}
	branches := branchTargets(fl.fn.Body)
	siteIndex := map[[2]token.Pos]int16{}
	add := func(from, to *cfg.Block, s loopSite) {
		k := [2]token.Pos{token.Pos(s.via), s.at}
		i, ok := siteIndex[k]
		if !ok {
			fl.sites = append(fl.sites, s)
			i = int16(len(fl.sites))
			siteIndex[k] = i
		}
		fl.siteOf[blockEdge{from, to}] = i
	}
	for _, b := range fl.g.Blocks {
		if !b.Live {
			continue
		}
		for _, c := range b.Succs {
			loop, body, cont := loopTarget(c)
			if loop == nil || !insideBody(b, loop, body) {
				continue
			}
			tok := token.BREAK
			if cont {
				tok = token.CONTINUE
			}
			end := blockEnd(b)
			var br *ast.BranchStmt
			for _, x := range branches {
				if x.stmt.Tok == tok && x.target == loop && x.stmt.Pos() >= end && (br == nil || x.stmt.Pos() < br.Pos()) {
					br = x.stmt
				}
			}
			switch {
			case br != nil && cont:
				add(b, c, loopSite{via: ViaContinue, at: br.Pos(), loop: loop, body: body})
			case br != nil:
				add(b, c, loopSite{via: ViaBreak, at: br.Pos(), loop: loop, body: body})
			case cont:
				add(b, c, loopSite{via: ViaBodyEnd, at: body.Rbrace, loop: loop, body: body})
			}
		}
	}
	return fl.siteOf, fl.sites
}

// loopTarget reports whether c is the block a continue (cont) or a break
// of a loop jumps to, and which loop.
func loopTarget(c *cfg.Block) (loop ast.Stmt, body *ast.BlockStmt, cont bool) {
	switch s := c.Stmt.(type) {
	case *ast.ForStmt:
		switch c.Kind {
		case cfg.KindForDone:
			return s, s.Body, false
		case cfg.KindForPost:
			return s, s.Body, true
		case cfg.KindForLoop:
			if s.Post == nil {
				return s, s.Body, true
			}
		case cfg.KindForBody:
			if s.Post == nil && s.Cond == nil {
				return s, s.Body, true
			}
		}
	case *ast.RangeStmt:
		switch c.Kind {
		case cfg.KindRangeDone:
			return s, s.Body, false
		case cfg.KindRangeLoop:
			return s, s.Body, true
		}
	}
	return nil, nil, false
}

// insideBody reports whether block b holds code of loop's body (and not
// the code before the loop, its condition or its post statement).
func insideBody(b *cfg.Block, loop ast.Stmt, body *ast.BlockStmt) bool {
	if b.Stmt == loop {
		return b.Kind == cfg.KindForBody || b.Kind == cfg.KindRangeBody
	}
	if len(b.Nodes) > 0 {
		p := b.Nodes[0].Pos()
		return p > body.Lbrace && p < body.Rbrace
	}
	return b.Stmt != nil && b.Stmt.Pos() > body.Lbrace && b.Stmt.End() <= body.Rbrace
}

// blockEnd is the position after the last thing block b holds: a branch
// statement that ends b comes at or after it.
func blockEnd(b *cfg.Block) token.Pos {
	if n := len(b.Nodes); n > 0 {
		return b.Nodes[n-1].End()
	}
	switch s := b.Stmt.(type) {
	case *ast.IfStmt:
		switch b.Kind {
		case cfg.KindIfThen:
			return s.Body.Lbrace
		case cfg.KindIfElse:
			return s.Else.Pos()
		}
		return s.End()
	case *ast.CaseClause:
		return s.Colon
	case *ast.CommClause:
		return s.Colon
	case *ast.ForStmt:
		if b.Kind == cfg.KindForBody {
			return s.Body.Lbrace
		}
		return s.End()
	case *ast.RangeStmt:
		if b.Kind == cfg.KindRangeBody {
			return s.Body.Lbrace
		}
		return s.End()
	case nil:
		return token.NoPos
	case *ast.LabeledStmt:
		return s.Pos()
	default:
		return s.End()
	}
}

type branchTarget struct {
	stmt   *ast.BranchStmt
	target ast.Stmt // the loop it leaves or continues; nil for a switch or select
}

// branchTargets lists the break and continue statements of body (outside
// function literals) with the statement each one aims at.
func branchTargets(body *ast.BlockStmt) []branchTarget {
	var out []branchTarget
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		stack = append(stack, n)
		br, ok := n.(*ast.BranchStmt)
		if !ok || (br.Tok != token.BREAK && br.Tok != token.CONTINUE) {
			return true
		}
		var target ast.Stmt
		for i := len(stack) - 2; i >= 0 && target == nil; i-- {
			switch s := stack[i].(type) {
			case *ast.LabeledStmt:
				if br.Label != nil && s.Label.Name == br.Label.Name {
					target = s.Stmt
				}
			case *ast.ForStmt, *ast.RangeStmt:
				if br.Label == nil {
					target = s.(ast.Stmt)
				}
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if br.Label == nil && br.Tok == token.BREAK {
					target = s.(ast.Stmt)
				}
			}
		}
		switch target.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			out = append(out, branchTarget{br, target})
		}
		return true
	})
	return out
}
