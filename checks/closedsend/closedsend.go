package closedsend

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "closedsend"

// Analyzer reports a send on, or a second close of, a channel that the same
// code path has already closed.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		_, err := modelpass.Report(pass, check)
		crossMethod(pass) // close and send through calls (crossmethod.go)
		return nil, err
	},
}

const doc = `report a send on a closed channel and a channel closed twice

A send on a closed channel panics, and so does a second close. The check
reports a send or close that follows a close of the same channel on the same
path: in the same function, after it in the same block or in a block nested
in that one. Closes in different branches of an if, switch or select are not
on the same path and are not reported.`

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

// slot is a statement's place in a statement list.
type slot struct {
	list  ast.Node // *ast.BlockStmt, *ast.CaseClause or *ast.CommClause
	index int
	stmts []ast.Stmt
}

func check(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	noRecover := map[*model.Func]bool{} // functions checked for a deferred recover
	isTest := strings.HasSuffix(m.Fset.Position(m.AST.Pos()).Filename, "_test.go")
	for _, c := range m.Chans {
		closes := c.Closes()
		if len(closes) == 0 {
			continue
		}
		ops := c.Ops
		if !slices.IsSortedFunc(ops, func(a, b *model.ChanOp) int { return cmp.Compare(a.Pos, b.Pos) }) {
			ops = slices.Clone(ops)
			slices.SortStableFunc(ops, func(a, b *model.ChanOp) int { return cmp.Compare(a.Pos, b.Pos) })
		}
		for _, cl := range closes {
			if cl.Func == nil || cl.Func.Body == nil {
				continue
			}
			if isTest && cl.Func.Lit {
				// Tests panic on purpose inside function literals handed
				// to a helper that recovers (shouldPanic(func() {...})).
				continue
			}
			clPath, _ := chanutil.PathEnclosingInterval(m, cl.Pos, cl.End)
			at, ok := stmtSlot(clPath)
			if !ok {
				continue
			}
			if es, isExpr := at.stmts[at.index].(*ast.ExprStmt); !isExpr || ast.Unparen(es.X) != cl.Node {
				continue // defer close(ch), go close(ch), or close inside an expression
			}
			reported := false
			for _, op := range opsAfter(ops, cl, at) {
				if op == cl || op.Pos <= cl.End || op.Func != cl.Func || op.ChanExpr != cl.ChanExpr {
					continue
				}
				if op.Kind != model.Send && op.Kind != model.Close {
					continue
				}
				opPath, _ := chanutil.PathEnclosingInterval(m, op.Pos, op.End)
				j := indexIn(opPath, at)
				if j <= at.index {
					continue
				}
				ok, known := noRecover[cl.Func]
				if !known {
					ok = !recovers(m, cl.Func)
					noRecover[cl.Func] = ok
				}
				// The operation must be reachable after the close: not
				// dead code after a return, panic, os.Exit, t.Fatal or a
				// goto (the model's control-flow graph decides; a goto that
				// jumps past the close on another path does not matter).
				if !ok || !m.ReachAfter(at.stmts[at.index], op.Pos).Possible() ||
					rewritten(m, c, cl.Node.(*ast.CallExpr).Args[0], cl.End, op.Pos, at.stmts[at.index+1:j+1]) {
					continue
				}
				out = append(out, diag(m, cl, op))
				reported = true
				break // one finding per close is enough
			}
			if !reported {
				if d, ok := loopAgain(m, c, cl, clPath, at); ok {
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// opsAfter returns the operations (ops, in source order) that can follow
// the close cl in its statement list: those after the close and inside the
// list. Only these can be on the close's path; looking at each operation
// of the channel for each close was quadratic in a function that closes
// one channel in many branches.
func opsAfter(ops []*model.ChanOp, cl *model.ChanOp, at slot) []*model.ChanOp {
	from := sort.Search(len(ops), func(i int) bool { return ops[i].Pos > cl.End })
	to := sort.Search(len(ops), func(i int) bool { return ops[i].Pos >= at.list.End() })
	if to < from {
		return nil
	}
	return ops[from:to]
}

// loopAgain reports a close made unconditionally in a loop body that the
// loop then runs again: the next iteration's send, or the close itself,
// meets a closed channel.
func loopAgain(m *model.File, c *model.Chan, cl *model.ChanOp, clPath []ast.Node, at slot) (analysis.Diagnostic, bool) {
	body, ok := at.list.(*ast.BlockStmt)
	if !ok {
		return analysis.Diagnostic{}, false
	}
	var loop ast.Stmt
	for i, n := range clPath {
		if n == body && i+1 < len(clPath) {
			switch l := clPath[i+1].(type) {
			case *ast.RangeStmt:
				if l.Body == body {
					loop = l
				}
			case *ast.ForStmt:
				if l.Body == body && l.Cond == nil {
					loop = l // for { }: runs again for sure
				}
			}
			break
		}
	}
	if loop == nil {
		return analysis.Diagnostic{}, false
	}
	// The channel must be the same one on every iteration: a variable
	// declared outside the loop and not written inside it.
	arg := ast.Unparen(cl.Node.(*ast.CallExpr).Args[0])
	root := model.RootIdent(arg)
	if root == nil {
		return analysis.Diagnostic{}, false
	}
	if indexed(arg) {
		// ch[i], x[i].ch: a different channel each iteration.
		return analysis.Diagnostic{}, false
	}
	if p := m.DeclPos(root); !p.IsValid() || (p >= loop.Pos() && p < loop.End()) {
		return analysis.Diagnostic{}, false
	}
	// Every pass must finish and come back: nothing in the body leaves
	// the loop early (return, break of the loop, goto out, a call that
	// ends the function or may). The model's LoopExit decides, as for the
	// range hover and unclosedrange; a break of a select or switch inside
	// stays in the pass. The close then runs again on the next pass.
	if _, leaves := m.LoopExit(loop); leaves {
		return analysis.Diagnostic{}, false
	}
	if recovers(m, cl.Func) {
		return analysis.Diagnostic{}, false
	}
	// Writes to the channel anywhere in the loop reset it.
	if rewritten(m, c, arg, loop.Pos(), loop.End(), body.List) {
		return analysis.Diagnostic{}, false
	}
	// Report the first send on the channel in the loop body (it runs again
	// after the close) or, failing that, the close itself.
	target := cl
	for _, op := range c.Ops {
		if op.Kind == model.Send && op.Func == cl.Func && op.ChanExpr == cl.ChanExpr && op.Pos > body.Pos() && op.End < body.End() {
			target = op
			break
		}
	}
	var msg string
	if target.Kind == model.Send {
		msg = fmt.Sprintf("send on channel %s in a loop that closes it on line %d: the next iteration sends on a closed channel, which panics", target.ChanExpr, chanutil.LineOf(m, cl.Pos))
	} else {
		msg = fmt.Sprintf("channel %s is closed in a loop: the next iteration closes it again, which panics", cl.ChanExpr)
	}
	return analysis.Diagnostic{
		Pos:      target.Pos,
		End:      target.End,
		Category: name,
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: cl.Pos, End: cl.End, Message: cl.ChanExpr + " closed here, on every iteration"}},
	}, true
}

func diag(m *model.File, cl, op *model.ChanOp) analysis.Diagnostic {
	var msg string
	if op.Kind == model.Send {
		msg = fmt.Sprintf("send on channel %s after it was closed on line %d: a send on a closed channel panics", op.ChanExpr, chanutil.LineOf(m, cl.Pos))
	} else {
		msg = fmt.Sprintf("channel %s is closed a second time (first on line %d): closing a closed channel panics", op.ChanExpr, chanutil.LineOf(m, cl.Pos))
	}
	return analysis.Diagnostic{
		Pos:      op.Pos,
		End:      op.End,
		Category: name,
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: cl.Pos, End: cl.End, Message: op.ChanExpr + " closed here"}},
	}
}

// stmtSlot finds the innermost statement on path and its place in the
// enclosing statement list.
func stmtSlot(path []ast.Node) (slot, bool) {
	for i, n := range path {
		if _, ok := n.(*ast.FuncLit); ok {
			return slot{}, false
		}
		st, ok := n.(ast.Stmt)
		if !ok || i+1 >= len(path) {
			continue
		}
		if s, ok := slotOf(path[i+1], st); ok {
			return s, true
		}
	}
	return slot{}, false
}

func slotOf(parent ast.Node, st ast.Stmt) (slot, bool) {
	var list []ast.Stmt
	switch p := parent.(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	default:
		return slot{}, false
	}
	if i := stmtIndex(list, st); i >= 0 {
		return slot{list: parent, index: i, stmts: list}, true
	}
	return slot{}, false
}

// stmtIndex is the index of st in list, or -1. A statement list is in
// source order, so a binary search finds it (a scan per operation was
// quadratic in a huge function).
func stmtIndex(list []ast.Stmt, st ast.Stmt) int {
	i := sort.Search(len(list), func(i int) bool { return list[i].Pos() >= st.Pos() })
	for ; i < len(list) && list[i].Pos() == st.Pos(); i++ {
		if list[i] == st {
			return i
		}
	}
	return slices.Index(list, st) // not where its position says: scan
}

// indexIn returns the index, in at's statement list, of the statement on
// path that is a direct child of at's list, or -1.
func indexIn(path []ast.Node, at slot) int {
	for i, n := range path {
		if n == at.list && i > 0 {
			if st, ok := path[i-1].(ast.Stmt); ok {
				return stmtIndex(at.stmts, st)
			}
			return -1
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return -1
		}
	}
	return -1
}

// recovers reports a deferred recover in f: code that panics on purpose,
// as tests do.
func recovers(m *model.File, f *model.Func) bool {
	for _, b := range m.Builtins {
		if b.Name == "recover" && b.DirectlyDeferred && b.Func != nil && b.Func.Parent == f {
			return true
		}
	}
	return false
}

// rewritten reports whether the channel variable may hold another channel
// by the time op runs: it is assigned between the close and op, assigned in
// a function literal, or (for a field or an indexed channel) anything is
// called in between.
func rewritten(m *model.File, c *model.Chan, arg ast.Expr, from, to token.Pos, between []ast.Stmt) bool {
	var writes []token.Pos
	for _, mk := range c.Makes {
		writes = append(writes, mk.Pos)
	}
	writes = append(writes, c.Assigned...)
	writes = append(writes, c.NilSets...)
	for _, p := range writes {
		if p > from && p < to {
			return true
		}
		if f := chanutil.FuncAt(m, p); f != nil && f.Lit && f != chanutil.FuncAt(m, from) {
			return true
		}
	}
	root := model.RootIdent(arg)
	if root == nil {
		return true
	}
	simple := false
	if id, ok := ast.Unparen(arg).(*ast.Ident); ok && id == root {
		simple = true
	}
	found := false
	for _, st := range between {
		ast.Inspect(st, func(n ast.Node) bool {
			if found || n == nil || n.Pos() >= to {
				return false
			}
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if r := model.RootIdent(l); r != nil && r.Name == root.Name {
						found = true
					}
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					if r := model.RootIdent(n.X); r != nil && r.Name == root.Name {
						found = true
					}
				}
			case *ast.CallExpr:
				if !simple && !chanutil.IsBuiltin(m, n.Fun, "close") && !chanutil.IsBuiltin(m, n.Fun, "len") {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// indexed reports whether a channel expression goes through an index:
// chans[i], x[i].ch, m[k].done.
func indexed(e ast.Expr) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.IndexExpr, *ast.IndexListExpr:
			return true
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return false
		}
	}
}
