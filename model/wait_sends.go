package model

import "go/ast"

// CountSends returns how many values the plain sends ops (each in the body
// of a goroutine literal, none in a loop) can queue on the channel: for
// each literal, the most sends on any one path through its body, summed.
// Sends on paths that exclude each other count once:
//
//	if err != nil {
//		errc <- err
//		return
//	}
//	errc <- nil
//
// sends one value, not two. Where the body has a branch statement (break,
// continue, goto, fallthrough) the literal's send statements are all
// counted, as if every one ran.
func CountSends(ops []*ChanOp) int {
	byFunc := map[*Func]map[ast.Node]bool{}
	var order []*Func
	for _, op := range ops {
		if byFunc[op.Func] == nil {
			byFunc[op.Func] = map[ast.Node]bool{}
			order = append(order, op.Func)
		}
		byFunc[op.Func][op.Node] = true
	}
	total := 0
	for _, f := range order {
		sends := byFunc[f]
		n := len(sends)
		if f != nil && f.Body != nil {
			fl := sendPaths{sends: sends}
			r := fl.list(f.Body.List)
			if !fl.bad {
				n = max(r.end, 0)
				if r.fall {
					n = max(n, r.through)
				}
			}
		}
		total += n
	}
	return total
}

// sendFlow is what a statement does to the count of sends on a path: the most
// sends on a path that reaches its end (through, when fall), and the most on
// a path that leaves the function inside it (end; -1 when none does).
type sendFlow struct {
	through int
	fall    bool
	end     int
}

type sendPaths struct {
	sends map[ast.Node]bool
	bad   bool // a branch statement, or a counted send in a loop
}

func (p *sendPaths) list(stmts []ast.Stmt) sendFlow {
	cur := sendFlow{fall: true, end: -1}
	for _, s := range stmts {
		if !cur.fall {
			break // the rest is unreachable (no labels: a goto sets bad)
		}
		cur = seqSends(cur, p.stmt(s))
	}
	return cur
}

// altSends joins the flows of alternative paths (the branches of an if, the
// clauses of a switch or select).
func altSends(fs ...sendFlow) sendFlow {
	out := sendFlow{end: -1}
	for _, f := range fs {
		if f.fall {
			out.through = max(out.through, f.through)
			out.fall = true
		}
		out.end = max(out.end, f.end)
	}
	return out
}

func (p *sendPaths) stmt(s ast.Stmt) sendFlow {
	plain := sendFlow{fall: true, end: -1}
	switch s := s.(type) {
	case *ast.SendStmt:
		if p.sends[s] {
			return sendFlow{through: 1, fall: true, end: -1}
		}
		return plain
	case *ast.ReturnStmt:
		return sendFlow{end: 0}
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
				return sendFlow{end: 0}
			}
		}
		return plain
	case *ast.BlockStmt:
		return p.list(s.List)
	case *ast.LabeledStmt:
		return p.stmt(s.Stmt)
	case *ast.BranchStmt:
		p.bad = true
		return plain
	case *ast.IfStmt:
		init := plain
		if s.Init != nil {
			init = p.stmt(s.Init)
		}
		then := p.list(s.Body.List)
		els := plain
		if s.Else != nil {
			els = p.stmt(s.Else)
		}
		return seqSends(init, altSends(then, els))
	case *ast.SwitchStmt:
		init := plain
		if s.Init != nil {
			init = p.stmt(s.Init)
		}
		return seqSends(init, p.clauses(s.Body, true))
	case *ast.TypeSwitchStmt:
		init := plain
		if s.Init != nil {
			init = p.stmt(s.Init)
		}
		return seqSends(init, p.clauses(s.Body, true))
	case *ast.SelectStmt:
		return p.clauses(s.Body, false)
	case *ast.ForStmt, *ast.RangeStmt:
		// A loop's sends are not counted here (countable is false for
		// them); a return or panic in it may end the path.
		found := false
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.SendStmt:
				if p.sends[n] {
					p.bad = true
				}
			case *ast.ReturnStmt:
				found = true
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "panic" {
					found = true
				}
			}
			return true
		})
		if found {
			return sendFlow{fall: true, end: 0}
		}
		return plain
	}
	return plain
}

// clauses joins a switch's or select's clauses; a switch without a default
// may run none of them.
func (p *sendPaths) clauses(body *ast.BlockStmt, isSwitch bool) sendFlow {
	var fs []sendFlow
	hasDefault := false
	for _, c := range body.List {
		switch c := c.(type) {
		case *ast.CaseClause:
			if c.List == nil {
				hasDefault = true
			}
			fs = append(fs, p.list(c.Body))
		case *ast.CommClause:
			if c.Comm == nil {
				hasDefault = true
			}
			comm := sendFlow{fall: true, end: -1}
			if c.Comm != nil {
				comm = p.stmt(c.Comm)
			}
			fs = append(fs, seqSends(comm, p.list(c.Body)))
		}
	}
	if isSwitch && !hasDefault {
		fs = append(fs, sendFlow{fall: true, end: -1})
	}
	return altSends(fs...)
}

// seqSends is a then b.
func seqSends(a, b sendFlow) sendFlow {
	if !a.fall {
		return a
	}
	out := sendFlow{through: a.through + b.through, fall: b.fall, end: a.end}
	if b.end >= 0 {
		out.end = max(out.end, a.through+b.end)
	}
	return out
}
