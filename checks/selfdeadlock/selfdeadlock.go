package selfdeadlock

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"sort"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "selfdeadlock"

// Analyzer reports a send that blocks forever because nothing could receive
// it yet: a send on a fresh unbuffered channel, or more sends than its
// buffer holds, before any goroutine is started or the channel is passed
// anywhere.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		if _, err := modelpass.Report(pass, check); err != nil {
			return nil, err
		}
		return run(pass) // sends through the package's calls (crosscall.go)
	},
}

const doc = `report a send or receive that deadlocks its own goroutine

A send on an unbuffered channel waits for a receiver; a send on a full
buffered channel waits for room; a receive waits for a value. When the
channel was just made and the same goroutine sends on it (or receives from
it) before starting any goroutine or passing the channel anywhere, no other
goroutine can ever be its partner, so the operation blocks forever.`

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

func check(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 || len(c.Ops) == 0 {
			continue
		}
		capacity, known := c.Capacity()
		if !known {
			continue
		}
		mk := c.Makes[0]
		path, _ := chanutil.PathEnclosingInterval(m, mk.Pos, mk.Pos+1)
		stmts, index, call := declaringStmt(m, c, path)
		if stmts == nil {
			continue
		}
		if d, ok := scan(m, c, capacity, call, stmts[index+1:]); ok {
			out = append(out, d)
		}
	}
	return out
}

// declaringStmt finds the statement `ch := make(...)` or `var ch =
// make(...)` that declares c, and returns its statement list and index.
func declaringStmt(m *model.File, c *model.Chan, path []ast.Node) ([]ast.Stmt, int, *ast.CallExpr) {
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

// scan walks the statements after the make. It counts the plain sends on c
// until something could let another goroutine receive (any other mention of
// the channel, a go statement) or the path may end (return, branch, label,
// a call that stops the goroutine, an endless loop).
func scan(m *model.File, c *model.Chan, capacity int64, call *ast.CallExpr, after []ast.Stmt) (analysis.Diagnostic, bool) {
	var sends []*ast.SendStmt
	var blocked *ast.SendStmt
	queued, most := int64(0), int64(0)
	for _, st := range after {
		if s, ok := st.(*ast.SendStmt); ok {
			if id, ok := ast.Unparen(s.Chan).(*ast.Ident); ok && m.DeclPos(id) == c.Decl && !mentions(m, c, s.Value) {
				sends = append(sends, s)
				queued++
				most = max(most, queued)
				if blocked == nil && queued > capacity {
					blocked = s
				}
				continue
			}
		}
		if recv := receiveOf(m, c, st); recv != nil && blocked == nil {
			if queued == 0 {
				return analysis.Diagnostic{
					Pos:      recv.Pos(),
					End:      recv.End(),
					Category: name,
					Message:  fmt.Sprintf("receive from channel %s blocks forever: nothing can send on it yet (no goroutine started, %s not passed anywhere)", c.Name, c.Name),
					Related:  []analysis.RelatedInformation{{Pos: call.Pos(), End: call.End(), Message: c.Name + " made here"}},
				}, true
			}
			if _, isRange := st.(*ast.RangeStmt); isRange {
				break
			}
			queued--
			continue
		}
		if ifs, ok := st.(*ast.IfStmt); ok && blocked == nil && ifs.Init == nil && !mentions(m, c, ifs.Cond) {
			// A send inside a branch: on that path too nothing can
			// receive yet.
			branches := [][]ast.Stmt{ifs.Body.List}
			if els, ok := ifs.Else.(*ast.BlockStmt); ok {
				branches = append(branches, els.List)
			}
			for _, b := range branches {
				if s, q := firstBlocked(m, c, capacity, queued, b); s != nil {
					blocked, most = s, max(most, q)
					break
				}
			}
		}
		if blocked != nil || stops(m, c, st) {
			break
		}
	}
	if blocked == nil {
		return analysis.Diagnostic{}, false
	}
	var msg string
	if capacity == 0 {
		msg = fmt.Sprintf("send on unbuffered channel %s blocks forever: nothing can receive from it yet (no goroutine started, %s not passed anywhere)", c.Name, c.Name)
	} else {
		msg = fmt.Sprintf("send on channel %s blocks forever: it is send number %d and the buffer holds %d, and nothing can receive from it yet", c.Name, capacity+1, capacity)
	}
	d := analysis.Diagnostic{
		Pos:      blocked.Arrow,
		End:      blocked.End(),
		Category: name,
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: call.Pos(), End: call.End(), Message: c.Name + " made here"}},
	}
	n := int(most)
	newCap := strconv.Itoa(n)
	var edit analysis.TextEdit
	switch len(call.Args) {
	case 1:
		edit = analysis.TextEdit{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(", " + newCap)}
	case 2:
		if _, lit := ast.Unparen(call.Args[1]).(*ast.BasicLit); !lit {
			return d, true
		}
		edit = analysis.TextEdit{Pos: call.Args[1].Pos(), End: call.Args[1].End(), NewText: []byte(newCap)}
	default:
		return d, true
	}
	d.SuggestedFixes = []analysis.SuggestedFix{{
		Message:   fmt.Sprintf("Buffer %s for the %d values sent before anyone receives: make(%s, %d)", c.Name, n, chanutil.NodeText(m, call.Args[0]), n),
		TextEdits: []analysis.TextEdit{edit},
	}}
	return d, true
}

// stops reports whether st could let another goroutine receive from c, or
// may end or divert the path. A statement that only evaluates an
// expression (fmt.Println(cap(ch))) stops it only by a mention of c that
// operates on it or hands it anywhere: len, cap and a comparison
// (model.ChanRef.OnlyReads) let no goroutine reach it. Anywhere else any
// mention stops it: a condition or a stored length may decide whether the
// path goes on (for len(ch) > 0 { <-ch }, if len(ch) == 0 { return }).
func stops(m *model.File, c *model.Chan, st ast.Stmt) bool {
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
		return uses(c, st) || startsGoroutine(st)
	}
	return mentions(m, c, st)
}

// uses reports whether n holds a mention of c that operates on it or
// hands it anywhere: any mention but a read of its buffer or a comparison
// (the model's ChanRef.OnlyReads, the fact nopartner reads through the
// package's channel classes).
func uses(c *model.Chan, n ast.Node) bool {
	refs := c.Refs()
	i := sort.Search(len(refs), func(i int) bool { return refs[i].Ident.Pos() >= n.Pos() })
	for ; i < len(refs) && refs[i].Ident.Pos() < n.End(); i++ {
		if !refs[i].OnlyReads() {
			return true
		}
	}
	return false
}

// startsGoroutine reports whether n holds a go statement.
func startsGoroutine(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(*ast.GoStmt); ok {
			found = true
		}
		return !found
	})
	return found
}

// mentions reports whether n refers to c at all, a read of its buffer
// included, or starts a goroutine: what a condition must not do for a
// branch it guards to be followed.
func mentions(m *model.File, c *model.Chan, n ast.Node) bool {
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

// receiveOf returns the receive from c that st is made of: `<-ch`,
// `v := <-ch`, `v, ok = <-ch`, or a range over ch; nil otherwise.
func receiveOf(m *model.File, c *model.Chan, st ast.Stmt) ast.Node {
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
			if mentions(m, c, l) {
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

// firstBlocked scans a branch entered with queued values in the buffer and
// returns the first plain send on c that finds the buffer full before
// anything could receive, and how many values that path queues.
func firstBlocked(m *model.File, c *model.Chan, capacity, queued int64, list []ast.Stmt) (*ast.SendStmt, int64) {
	for _, st := range list {
		if s, ok := st.(*ast.SendStmt); ok {
			if id, ok := ast.Unparen(s.Chan).(*ast.Ident); ok && m.DeclPos(id) == c.Decl && !mentions(m, c, s.Value) {
				queued++
				if queued > capacity {
					return s, queued
				}
				continue
			}
		}
		if ifs, ok := st.(*ast.IfStmt); ok && ifs.Init == nil && !mentions(m, c, ifs.Cond) {
			if s, q := firstBlocked(m, c, capacity, queued, ifs.Body.List); s != nil {
				return s, q
			}
			if els, ok := ifs.Else.(*ast.BlockStmt); ok {
				if s, q := firstBlocked(m, c, capacity, queued, els.List); s != nil {
					return s, q
				}
			}
		}
		if receiveOf(m, c, st) != nil || stops(m, c, st) {
			return nil, 0
		}
	}
	return nil, 0
}
