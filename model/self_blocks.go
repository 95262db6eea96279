package model

import (
	"go/ast"
	"go/token"
	"slices"
	"sort"
)

// SelfBlock is a channel operation that blocks its own goroutine forever
// because no other goroutine can ever be its partner: the channel was just
// made in this function, and the same goroutine sends on it (past its
// buffer) or receives from it before it starts any goroutine or hands the
// channel anywhere. The selfdeadlock check reports it; the go hover and
// hint read it for a go statement that comes after it (StartBlocked): the
// goroutine is never started.
type SelfBlock struct {
	Chan *Chan
	// Make is the make call that declares Chan.
	Make *ast.CallExpr
	// Node is the blocked send (*ast.SendStmt) or receive (the <-ch
	// expression, or the *ast.RangeStmt over the channel).
	Node ast.Node
	// Recv: Node is a receive, which blocks for want of a sender.
	Recv bool
	// Capacity is the channel's buffer; Most the most values a path
	// queues before the blocked send, the buffer that would let it through.
	Capacity, Most int64
	// Always: Node is a statement of the list the make stands in, not one
	// inside a branch, so every path through the make that goes past it
	// goes through it.
	Always bool
}

// SelfBlocks is every SelfBlock of the file, one per channel at most (the
// first operation that blocks), in the order of the file's channels.
func (m *File) SelfBlocks() []*SelfBlock {
	return m.selfBlocks(func(*Chan) bool { return true })
}

// selfBlocks is SelfBlocks for the channels keep accepts.
func (m *File) selfBlocks(keep func(*Chan) bool) []*SelfBlock {
	var out []*SelfBlock
	for _, c := range m.Chans {
		if !keep(c) || c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 || len(c.Ops) == 0 {
			continue
		}
		capacity, known := c.Capacity()
		if !known {
			continue
		}
		mk := c.Makes[0]
		path, _ := EnclosingPath(m.AST, mk.Pos, mk.Pos+1)
		stmts, index, call := declaringMake(m, c, path)
		if stmts == nil {
			continue
		}
		if b := selfScan(m, c, capacity, call, stmts[index+1:]); b != nil {
			out = append(out, b)
		}
	}
	return out
}

// StartBlocked is the SelfBlock that keeps the function starting g from
// ever reaching g's go statement: an operation of that function, on every
// path to the go statement (Always, written in a statement list before the
// statement holding the go statement), in a function without goto, which
// could jump past it. `jobs <- 1` on a fresh unbuffered jobs, then `go
// consumer(jobs)`: the consumer never starts, and "main waits for it with
// <-done" would promise a wait for a goroutine that never exists. nil when
// there is none.
func (m *File) StartBlocked(g *Goroutine) *SelfBlock {
	if g == nil || g.Node == nil || g.Func == nil || g.Func.Body == nil {
		return nil
	}
	// Only channels made in g's function before the go statement can
	// block it: a hover on a go statement need not scan the file's other
	// channels.
	from, to := g.Func.Body.Pos(), g.Node.Pos()
	made := func(c *Chan) bool {
		return len(c.Makes) == 1 && from <= c.Makes[0].Pos && c.Makes[0].Pos < to
	}
	var blocks []*SelfBlock
	for _, b := range m.selfBlocks(made) {
		if b.Always && b.Node.End() <= g.Node.Pos() && m.funcAt(b.Node.Pos()) == g.Func {
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 0 || hasGoto(g.Func.Body) {
		return nil
	}
	before := m.StmtsBefore(g.Node.Pos())
	for _, b := range blocks {
		if standsAmong(before, b.Node) {
			return b
		}
	}
	return nil
}

// standsAmong reports whether n is one of stmts, or what one of them is
// made of (stmtIsOrHolds): with stmts the statements that complete before
// a point (StmtsBefore), n runs, whole, on every path to that point.
func standsAmong(stmts []ast.Stmt, n ast.Node) bool {
	return slices.ContainsFunc(stmts, func(st ast.Stmt) bool { return stmtIsOrHolds(st, n) })
}

// stmtIsOrHolds reports whether n is st itself or the operand of an
// expression or assignment statement st is made of (`v := <-ch`), not an
// operation nested in a branch or loop of st.
func stmtIsOrHolds(st ast.Stmt, n ast.Node) bool {
	switch st := st.(type) {
	case *ast.SendStmt, *ast.RangeStmt:
		return ast.Node(st) == n
	case *ast.ExprStmt:
		return ast.Unparen(st.X) == n
	case *ast.AssignStmt:
		return len(st.Rhs) == 1 && ast.Unparen(st.Rhs[0]) == n
	}
	return false
}

// declaringMake finds the statement `ch := make(...)` or `var ch =
// make(...)` that declares c, and returns its statement list and index.
func declaringMake(m *File, c *Chan, path []ast.Node) ([]ast.Stmt, int, *ast.CallExpr) {
	if len(path) == 0 {
		return nil, 0, nil
	}
	var call *ast.CallExpr
	for _, n := range path {
		if ce, ok := n.(*ast.CallExpr); ok {
			call = ce
			break
		}
	}
	if call == nil {
		return nil, 0, nil
	}
	for i, n := range path {
		var st ast.Stmt
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil, 0, nil
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE || len(n.Lhs) != 1 || len(n.Rhs) != 1 || ast.Unparen(n.Rhs[0]) != call || n.Lhs[0].Pos() != c.Decl {
				return nil, 0, nil
			}
			st = n
		case *ast.DeclStmt:
			gd, ok := n.Decl.(*ast.GenDecl)
			if !ok || len(gd.Specs) != 1 {
				return nil, 0, nil
			}
			vs, ok := gd.Specs[0].(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 || ast.Unparen(vs.Values[0]) != call || vs.Names[0].Pos() != c.Decl {
				return nil, 0, nil
			}
			st = n
		default:
			continue
		}
		if i+1 >= len(path) {
			return nil, 0, nil
		}
		var list []ast.Stmt
		switch p := path[i+1].(type) {
		case *ast.BlockStmt:
			list = p.List
		case *ast.CaseClause:
			list = p.Body
		case *ast.CommClause:
			list = p.Body
		default:
			return nil, 0, nil
		}
		// A statement list is in source order: a binary search, where a
		// scan per make was quadratic in a function of many makes.
		j := sort.Search(len(list), func(j int) bool { return list[j].Pos() >= st.Pos() })
		if j < len(list) && list[j] == st {
			return list, j, call
		}
		if j := slices.Index(list, st); j >= 0 {
			return list, j, call
		}
		return nil, 0, nil
	}
	return nil, 0, nil
}

// selfScan walks the statements after the make. It counts the plain sends on c
// until something could let another goroutine receive (any other mention of
// the channel, a go statement) or the path may end (return, branch, label,
// a call that stops the goroutine, an endless loop).
func selfScan(m *File, c *Chan, capacity int64, call *ast.CallExpr, after []ast.Stmt) *SelfBlock {
	var blocked *ast.SendStmt
	always := false
	queued, most := int64(0), int64(0)
	for _, st := range after {
		if s, ok := st.(*ast.SendStmt); ok {
			if id, ok := ast.Unparen(s.Chan).(*ast.Ident); ok && m.DeclPos(id) == c.Decl && !mentionsChan(m, c, s.Value) {
				queued++
				most = max(most, queued)
				if blocked == nil && queued > capacity {
					blocked, always = s, true
				}
				continue
			}
		}
		if recv := receiveFrom(m, c, st); recv != nil && blocked == nil {
			if queued == 0 {
				return &SelfBlock{Chan: c, Make: call, Node: recv, Recv: true, Capacity: capacity, Always: true}
			}
			if _, isRange := st.(*ast.RangeStmt); isRange {
				break
			}
			queued--
			continue
		}
		if ifs, ok := st.(*ast.IfStmt); ok && blocked == nil && ifs.Init == nil && !mentionsChan(m, c, ifs.Cond) {
			// A send inside a branch: on that path too nothing can
			// receive yet.
			branches := [][]ast.Stmt{ifs.Body.List}
			if els, ok := ifs.Else.(*ast.BlockStmt); ok {
				branches = append(branches, els.List)
			}
			for _, b := range branches {
				if s, q := firstOverfill(m, c, capacity, queued, b); s != nil {
					blocked, most = s, max(most, q)
					break
				}
			}
		}
		if blocked != nil || selfScanStops(m, c, st) {
			break
		}
	}
	if blocked == nil {
		return nil
	}
	return &SelfBlock{Chan: c, Make: call, Node: blocked, Capacity: capacity, Most: most, Always: always}
}

// selfScanStops reports whether st could let another goroutine receive from c, or
// may end or divert the path. A statement that only evaluates an
// expression (fmt.Println(cap(ch))) stops it only by a mention of c that
// operates on it or hands it anywhere: len, cap and a comparison
// (ChanRef.OnlyReads) let no goroutine reach it. Anywhere else any
// mention stops it: a condition or a stored length may decide whether the
// path goes on (for len(ch) > 0 { <-ch }, if len(ch) == 0 { return }).
func selfScanStops(m *File, c *Chan, st ast.Stmt) bool {
	switch st := st.(type) {
	case *ast.GoStmt, *ast.ReturnStmt, *ast.BranchStmt, *ast.LabeledStmt, *ast.SelectStmt:
		return true
	case *ast.ForStmt:
		if st.Cond == nil {
			return true
		}
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(st.X).(*ast.CallExpr); ok && m.MayExit(call) {
			return true
		}
		return usesChan(c, st) || holds[*ast.GoStmt](st)
	}
	return mentionsChan(m, c, st)
}

// usesChan reports whether n holds a mention of c that operates on it or
// hands it anywhere: any mention but a read of its buffer or a comparison
// (ChanRef.OnlyReads, the fact nopartner reads through the package's
// channel classes).
func usesChan(c *Chan, n ast.Node) bool {
	refs := c.Refs()
	i := sort.Search(len(refs), func(i int) bool { return refs[i].Ident.Pos() >= n.Pos() })
	for ; i < len(refs) && refs[i].Ident.Pos() < n.End(); i++ {
		if !refs[i].OnlyReads() {
			return true
		}
	}
	return false
}

// holds reports whether n holds a node of type T (n itself included).
func holds[T ast.Node](n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(T); ok {
			found = true
		}
		return !found
	})
	return found
}

// mentionsChan reports whether n refers to c at all, a read of its buffer
// included, or starts a goroutine: what a condition must not do for a
// branch it guards to be followed.
func mentionsChan(m *File, c *Chan, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if m.DeclPos(n) == c.Decl {
				found = true
			}
		case *ast.GoStmt:
			found = true
		}
		return !found
	})
	return found
}

// receiveFrom returns the receive from c that st is made of: `<-ch`,
// `v := <-ch`, `v, ok = <-ch`, or a range over ch; nil otherwise.
func receiveFrom(m *File, c *Chan, st ast.Stmt) ast.Node {
	isC := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && m.DeclPos(id) == c.Decl
	}
	recv := func(e ast.Expr) ast.Node {
		if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW && isC(u.X) {
			return u
		}
		return nil
	}
	switch st := st.(type) {
	case *ast.ExprStmt:
		return recv(st.X)
	case *ast.AssignStmt:
		if len(st.Rhs) != 1 {
			return nil
		}
		for _, l := range st.Lhs {
			if mentionsChan(m, c, l) {
				return nil
			}
		}
		return recv(st.Rhs[0])
	case *ast.RangeStmt:
		if isC(st.X) {
			return st
		}
	}
	return nil
}

// firstOverfill scans a branch entered with queued values in the buffer and
// returns the first plain send on c that finds the buffer full before
// anything could receive, and how many values that path queues.
func firstOverfill(m *File, c *Chan, capacity, queued int64, list []ast.Stmt) (*ast.SendStmt, int64) {
	for _, st := range list {
		if s, ok := st.(*ast.SendStmt); ok {
			if id, ok := ast.Unparen(s.Chan).(*ast.Ident); ok && m.DeclPos(id) == c.Decl && !mentionsChan(m, c, s.Value) {
				queued++
				if queued > capacity {
					return s, queued
				}
				continue
			}
		}
		if ifs, ok := st.(*ast.IfStmt); ok && ifs.Init == nil && !mentionsChan(m, c, ifs.Cond) {
			if s, q := firstOverfill(m, c, capacity, queued, ifs.Body.List); s != nil {
				return s, q
			}
			if els, ok := ifs.Else.(*ast.BlockStmt); ok {
				if s, q := firstOverfill(m, c, capacity, queued, els.List); s != nil {
					return s, q
				}
			}
		}
		if receiveFrom(m, c, st) != nil || selfScanStops(m, c, st) {
			return nil, 0
		}
	}
	return nil, 0
}
