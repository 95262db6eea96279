package nopartner

import (
	"cmp"
	"go/ast"
	"go/token"
	"maps"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/golens/golens/checks/internal/chanutil"
)

// Crossed sends: every receive from x comes, in its function, after a
// plain send on y, and every receive from y after a plain send on x (both
// unbuffered, never closed). No receive of either can ever complete: the
// first one would need a send of the other channel completed before it,
// that is a receive of the other completed even earlier. So every plain
// send on x or y blocks forever, whichever goroutines and instances run
// them.
//
//	func (p *peer) a() { p.ping <- 1; <-p.pong }
//	func (p *peer) b() { p.pong <- 1; <-p.ping }
//
// A send dominates a receive when it is a statement of a block enclosing
// the receive, before it, in the same function (not inside an if, a loop
// or a select of its own): whenever the receive runs, the send has
// completed.

// crossedSends reports, for each pair of classes crossed this way, the
// first plain send on one of them.
func crossedSends(pass *analysis.Pass, roots []*class) []analysis.Diagnostic {
	roots = slices.Clone(roots)
	slices.SortFunc(roots, func(a, b *class) int { return cmp.Compare(firstMade(a), firstMade(b)) })
	sendClass := map[token.Pos]*class{}
	for _, c := range roots {
		for _, s := range c.sends {
			if s.blocking && !s.maybe {
				sendClass[s.pos] = c
			}
		}
	}
	ok := func(c *class) bool {
		return !c.escapes && len(c.made) > 0 && !c.buffered && !c.unbounded && len(c.closes) == 0 && len(c.recvs) > 0 && len(c.sends) > 0
	}
	// after[c] is the set of other classes that each receive of c waits
	// behind (intersected over c's receives), with one dominating send
	// position per class for the message.
	after := map[*class]map[*class]token.Pos{}
	for _, c := range roots {
		if !ok(c) {
			continue
		}
		var set map[*class]token.Pos
		for _, r := range c.recvs {
			if r.maybe {
				set = nil
				break
			}
			file := fileAt(pass, r.pos)
			if file == nil {
				set = nil
				break
			}
			here := map[*class]token.Pos{}
			for _, p := range dominatingSends(file, r.pos) {
				if o := sendClass[p]; o != nil && o != c {
					if _, seen := here[o]; !seen {
						here[o] = p
					}
				}
			}
			if set == nil {
				set = here
			} else {
				for o := range set {
					if _, in := here[o]; !in {
						delete(set, o)
					}
				}
			}
			if len(set) == 0 {
				break
			}
		}
		if len(set) > 0 {
			after[c] = set
		}
	}
	var out []analysis.Diagnostic
	done := map[*class]bool{}
	for _, x := range roots {
		if done[x] || after[x] == nil {
			continue
		}
		ys := slices.Collect(maps.Keys(after[x]))
		slices.SortFunc(ys, func(a, b *class) int { return cmp.Compare(firstMade(a), firstMade(b)) })
		for _, y := range ys {
			ySend := after[x][y]
			xSend, crossed := after[y][x]
			if !crossed || done[y] {
				continue
			}
			done[x], done[y] = true, true
			var first op
			for _, s := range x.sends {
				if s.blocking && !s.maybe && (first.pos == 0 || s.pos < first.pos) {
					first = s
				}
			}
			xr, yr := x.recvs[0], y.recvs[0]
			out = append(out, analysis.Diagnostic{Pos: first.pos, End: first.end, Category: name,
				Message: message("crossed", map[string]any{
					"X": first.text, "Y": yr.text,
					"XRecv": chanutil.Where(pass.Fset, xr.pos, first.pos), "YSend": chanutil.Where(pass.Fset, ySend, first.pos),
					"YRecv": chanutil.Where(pass.Fset, yr.pos, first.pos), "XSend": chanutil.Where(pass.Fset, xSend, first.pos),
				}),
				Related: []analysis.RelatedInformation{
					{Pos: xr.pos, Message: "a receive from " + xr.text + ", reached only after the send on " + yr.text},
					{Pos: ySend, Message: "that send on " + yr.text},
					{Pos: yr.pos, Message: "a receive from " + yr.text + ", reached only after the send on " + xr.text},
					{Pos: xSend, Message: "that send on " + xr.text},
				}})
			break
		}
	}
	return out
}

// dominatingSends lists the arrows of send statements that run before p
// whenever p runs: statements before it in each block that encloses it,
// up to its function.
func dominatingSends(file *ast.File, p token.Pos) []token.Pos {
	path, _ := astutil.PathEnclosingInterval(file, p, p)
	var out []token.Pos
	for i, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return out
		case *ast.BlockStmt:
			if i == 0 {
				continue
			}
			child := path[i-1]
			for _, s := range n.List {
				if s == child {
					break
				}
				if ss, ok := s.(*ast.SendStmt); ok {
					out = append(out, ss.Arrow)
				}
			}
		case *ast.CaseClause, *ast.CommClause:
			// A switch or select case: statements before p in its body.
			var body []ast.Stmt
			if cc, ok := n.(*ast.CaseClause); ok {
				body = cc.Body
			} else {
				body = n.(*ast.CommClause).Body
			}
			if i == 0 {
				continue
			}
			child := path[i-1]
			inBody := false
			for _, s := range body {
				if s == child {
					inBody = true
				}
			}
			for _, s := range body {
				if !inBody || s == child {
					break
				}
				if ss, ok := s.(*ast.SendStmt); ok {
					out = append(out, ss.Arrow)
				}
			}
		}
	}
	return out
}

// firstMade orders classes by their first make.
func firstMade(c *class) token.Pos {
	if len(c.made) == 0 {
		return token.NoPos
	}
	return slices.Min(c.made)
}
