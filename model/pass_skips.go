package model

import (
	"go/ast"
	"go/token"
	"sort"

	"golang.org/x/tools/go/cfg"
)

// PassSkips lists, in source order, the continue and break statements of
// loop itself (a *ast.ForStmt or *ast.RangeStmt: unlabelled, or naming
// loop's label; a break in a switch or select nested in the loop ends that
// statement, a continue in a nested loop that loop) that a pass of loop
// gets to before it has run the node n of its body: after each of them
// the pass ends without running n (a continue starts the next pass, a
// break ends the loop). A return or an exit call ends a path without
// listing it. Each is a LoopExit with What "continue" or "break" and
// OfLoop set. nil when there is none or the model does not follow the
// function's flow.
//
// The wgmisuse check reads it: `wg.Add(len(xs))` before a range over xs
// whose pass can skip the go statement calling Done leaves the counter
// above zero.
func (m *File) PassSkips(loop ast.Stmt, n ast.Node) []LoopExit {
	body := LoopBody(loop)
	if n == nil || body == nil || n.Pos() < body.Lbrace || n.End() > body.Rbrace+1 {
		return nil
	}
	fl := m.flowAt(loop.Pos())
	if fl == nil {
		return nil
	}
	cands := m.ownBranches(loop)
	if len(cands) == 0 {
		return nil
	}
	// The blocks of the loop itself: the pass's start, and the targets of
	// its continue and break.
	var start, cont, brk *cfg.Block
	for _, b := range fl.g.Blocks {
		if b.Stmt != loop {
			continue
		}
		switch b.Kind {
		case cfg.KindForBody, cfg.KindRangeBody:
			start = b
		case cfg.KindForDone, cfg.KindRangeDone:
			brk = b
		}
	}
	switch l := loop.(type) {
	case *ast.ForStmt:
		cont = start
		want := cfg.KindForLoop
		if l.Post != nil {
			want = cfg.KindForPost
		}
		if l.Post != nil || l.Cond != nil {
			for _, b := range fl.g.Blocks {
				if b.Stmt == loop && b.Kind == want {
					cont = b
				}
			}
		}
	case *ast.RangeStmt:
		for _, b := range fl.g.Blocks {
			if b.Stmt == loop && b.Kind == cfg.KindRangeLoop {
				cont = b
			}
		}
	}
	if start == nil || !start.Live || cont == nil || brk == nil {
		return nil
	}
	tblk, _, found := fl.locateAny(n.Pos())
	if !found {
		tblk = nil // n is dead code: no pass runs it
	}
	inside := func(b *cfg.Block) bool {
		return b == start || b.Stmt != nil && b.Stmt != loop && b.Stmt.Pos() > body.Lbrace && b.Stmt.End() <= body.Rbrace
	}
	// The blocks a pass gets to before n's block, without leaving the
	// loop or ending the function.
	var reached []*cfg.Block
	seen := map[*cfg.Block]bool{}
	work := []*cfg.Block{start}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || b == tblk || !inside(b) {
			continue
		}
		seen[b] = true
		reached = append(reached, b)
		if fl.exitOf[b] != nil {
			continue
		}
		work = append(work, b.Succs...)
	}
	// A block that jumps to the continue or break target ends with the
	// branch statement that follows its last node (or, for a block with
	// no nodes, the start of the code it begins): the first candidate
	// of that kind written there.
	var out []LoopExit
	taken := map[*ast.BranchStmt]bool{}
	for _, b := range reached {
		if len(b.Succs) != 1 || b.Succs[0] != cont && b.Succs[0] != brk {
			continue
		}
		tok := token.CONTINUE
		if b.Succs[0] == brk {
			tok = token.BREAK
		}
		from := blockStart(b)
		if !from.IsValid() {
			continue
		}
		for _, c := range cands {
			if c.Pos() >= from && c.Tok == tok {
				if !taken[c] {
					taken[c] = true
					out = append(out, LoopExit{What: tok.String(), Pos: c.Pos(), Proven: true, End: c.End(), OfLoop: true})
				}
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// blockStart is where the code of block b begins, for finding the branch
// statement that ends it: after its last node, or where the statement
// that made the block starts its code. NoPos for the kinds not placed.
func blockStart(b *cfg.Block) token.Pos {
	if len(b.Nodes) > 0 {
		return b.Nodes[len(b.Nodes)-1].End()
	}
	switch s := b.Stmt.(type) {
	case *ast.IfStmt:
		switch b.Kind {
		case cfg.KindIfThen:
			return s.Body.Lbrace
		case cfg.KindIfElse:
			if s.Else != nil {
				return s.Else.Pos()
			}
		case cfg.KindIfDone:
			return s.End()
		}
	case *ast.CaseClause:
		if b.Kind == cfg.KindSwitchCaseBody {
			return s.Colon
		}
	case *ast.CommClause:
		if b.Kind == cfg.KindSelectCaseBody {
			return s.Colon
		}
	case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		switch b.Kind {
		case cfg.KindSwitchDone, cfg.KindSelectDone:
			return s.End()
		}
	case *ast.ForStmt, *ast.RangeStmt:
		switch b.Kind {
		case cfg.KindForBody, cfg.KindRangeBody:
			return LoopBody(s).Lbrace
		case cfg.KindForDone, cfg.KindRangeDone:
			return s.End()
		}
	}
	return token.NoPos
}

// ownBranches lists, in source order, the continue and break statements of
// loop itself: unlabelled and not inside a nested loop (a continue) or a
// nested loop, switch or select (a break), or naming loop's label.
// Function literals are skipped.
func (m *File) ownBranches(loop ast.Stmt) []*ast.BranchStmt {
	body := LoopBody(loop)
	label := m.labelOf(loop)
	var out []*ast.BranchStmt
	var walk func(n ast.Node, inLoop, inSwitch bool)
	walk = func(n ast.Node, inLoop, inSwitch bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			switch c := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				if c != n {
					walk(c, true, inSwitch)
					return false
				}
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if c != n {
					walk(c, inLoop, true)
					return false
				}
			case *ast.BranchStmt:
				switch {
				case c.Label != nil:
					if label != "" && c.Label.Name == label && (c.Tok == token.CONTINUE || c.Tok == token.BREAK) {
						out = append(out, c)
					}
				case c.Tok == token.CONTINUE && !inLoop, c.Tok == token.BREAK && !inLoop && !inSwitch:
					out = append(out, c)
				}
			}
			return true
		})
	}
	walk(body, false, false)
	return out
}
