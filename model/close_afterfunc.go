package model

import (
	"go/ast"
	"go/token"
	"sort"
)

// A close inside a callback handed to time.AfterFunc or context.AfterFunc
// runs only if the callback is called. time.AfterFunc(d, f) calls f after
// d unless the Timer it returns is stopped first (Timer.Stop: "prevents the
// Timer from firing"); context.AfterFunc(ctx, f) calls f once ctx is done,
// unless the stop func it returns is called first
// (https://pkg.go.dev/context#AfterFunc). "ch is closed at line 10" is
// then false in a run that stops the timer: the close may happen, on a
// condition the texts name.

// afterFuncCondition names the condition under which the close op, written
// in a function literal passed to time.AfterFunc or context.AfterFunc,
// runs: "if `t.Stop()` at line 11 does not stop the timer first", "once
// `ctx` is done, unless `stop()` at line 14 ran before". ok is
// false when op is not in such a literal, or when the literal runs for
// sure: a time.AfterFunc whose Timer nothing stops, or stops only after the
// callback has been called (AfterFuncStopper.StartedBy).
// noteAfterFunc records, while the file is walked, a function literal
// passed as an AfterFunc callback: the closes in it are the only ones
// afterFuncCondition must look up, and most files have none.
func (b *builder) noteAfterFunc(name string, call *ast.CallExpr) {
	if name != "AfterFunc" || len(call.Args) != 2 {
		return
	}
	if lit, ok := ast.Unparen(call.Args[1]).(*ast.FuncLit); ok {
		if b.afterFuncLits == nil {
			b.afterFuncLits = map[token.Pos]*ast.CallExpr{}
		}
		b.afterFuncLits[lit.Pos()] = call
	}
}

func (b *builder) afterFuncCondition(op *ChanOp) (when string, ok bool) {
	// Only a close written directly in a function literal can be in such
	// a callback: the others skip the walk from the file's root, which a
	// file of tens of thousands of closes would otherwise pay once each.
	if op.Func == nil || !op.Func.Lit || len(b.afterFuncLits) == 0 {
		return "", false
	}
	call := b.afterFuncLits[op.Func.Pos]
	if call == nil {
		return "", false
	}
	path, _ := EnclosingPath(b.m.AST, call.Pos(), call.End())
	pkg := "time"
	name, _ := b.pkgCall(call, pkg)
	if name != "AfterFunc" {
		pkg = "context"
		if name, _ = b.pkgCall(call, pkg); name != "AfterFunc" {
			return "", false
		}
	}
	// The Timer or stop func and the call that stops it
	// (AfterFuncStopper: callsites.go), which the AfterFunc hover reads
	// too.
	st := b.afterFuncStop(call, path, pkg)
	where := ""
	if st.At.IsValid() {
		where = "`" + st.Text + "` at line " + itoa(b.m.Line(st.At))
	}
	if st.Reset && pkg == "time" {
		// Reset reschedules the call: it still runs, later.
		return "when the timer fires, which " + where + " reschedules", true
	}
	if st.StartedBy.IsValid() {
		// Every stopping call comes after a receive only the callback
		// can satisfy: it has been called by then, and no stop prevents
		// it (afterFuncStarted).
		where = ""
	}
	if pkg == "time" {
		if where == "" {
			return "", false // nothing stops the timer first: the callback runs after the delay
		}
		return "if " + where + " does not stop the timer first", true
	}
	ctx := "`" + b.text(call.Args[0]) + "`"
	if st.NeverDone != "" {
		return "if " + ctx + " were ever done: it never is, so the function is never called", true
	}
	if where == "" {
		return "once " + ctx + " is done", true
	}
	return "once " + ctx + " is done, unless " + where + " ran before", true
}

// afterFuncStarted reports the receive that proves the callback of the
// AfterFunc call has been called before each of the stopping calls stops
// (their positions): `t := time.AfterFunc(d, func() { ch <- 1; ... })`,
// then `<-ch`, then `t.Stop()`. A stop after that receive cannot prevent
// the call: Stop returns false, the callback runs on (a run of
// truth/testdata/r8_afterfunc_stop_after_run.txtar prints "stopped: false"
// and reaches the close). It holds only where golens sees all of it:
//   - the result is declared by the statement A (t := or var t =), written
//     directly in a statement list L and assigned nowhere else, so each
//     run of L makes one timer;
//   - the channel is a local made by a statement of L before A, never
//     assigned again, so each run of L has a fresh channel, and every send
//     on it and close of it is written in the callback (len, cap and
//     comparisons aside, every other mention of it is a receive);
//   - a statement S of L after A receives from it unconditionally (not in
//     a function literal, a select, a condition or behind && or ||), and
//     every stopping call is written in a statement of L after S.
//
// It returns NoPos when any of this does not hold.
func (b *builder) afterFuncStarted(call *ast.CallExpr, path []ast.Node, stopper VarKey, stops []token.Pos) (token.Pos, string) {
	if len(call.Args) != 2 || len(stops) == 0 {
		return token.NoPos, ""
	}
	lit, ok := ast.Unparen(call.Args[1]).(*ast.FuncLit)
	if !ok {
		return token.NoPos, ""
	}
	// The declaring statement A and its list L.
	var list []ast.Stmt
	var decl ast.Stmt
	var body ast.Node
	for j := 0; j < len(path); j++ {
		n := path[j]
		if _, isStmt := n.(ast.Stmt); isStmt && decl == nil {
			decl = n.(ast.Stmt)
			if j+1 < len(path) {
				list = stmtList(path[j+1])
			}
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			if n != lit && body == nil {
				body = n
			}
		}
	}
	if list == nil || body == nil {
		return token.NoPos, ""
	}
	switch d := decl.(type) {
	case *ast.AssignStmt:
		if d.Tok != token.DEFINE {
			return token.NoPos, ""
		}
	case *ast.DeclStmt:
	default:
		return token.NoPos, ""
	}
	ia := stmtIndex(list, decl.Pos())
	if ia < 0 || list[ia] != decl || b.assignedElsewhere(body, stopper, decl) {
		return token.NoPos, ""
	}
	// The last statement before every stop must come after a receive.
	first := len(list)
	for _, p := range stops {
		i := stmtIndex(list, p)
		if i <= ia {
			return token.NoPos, ""
		}
		first = min(first, i)
	}
	var ops map[ast.Node]*ChanOp
	for _, st := range list[ia+1 : first] {
		for _, u := range plainReceives(st) {
			if ops == nil {
				ops = make(map[ast.Node]*ChanOp)
				for _, op := range b.m.ChanOps {
					if op.Kind == Recv && op.Pos >= list[ia].End() && op.Pos < list[first-1].End() {
						ops[op.Node] = op
					}
				}
			}
			op := ops[u]
			if op != nil && op.Chan != nil && b.onlyCallbackFeeds(op.Chan, lit, list[:ia]) {
				return op.Pos, op.Chan.Name
			}
		}
	}
	return token.NoPos, ""
}

// stmtIndex is the index of the statement of list that holds p, -1 when
// none does.
func stmtIndex(list []ast.Stmt, p token.Pos) int {
	i := sort.Search(len(list), func(i int) bool { return list[i].End() > p })
	if i < len(list) && list[i].Pos() <= p {
		return i
	}
	return -1
}

// plainReceives lists the receives st makes every time it runs: those in
// an expression statement, an assignment or a var declaration, outside
// function literals and the right operand of && and ||.
func plainReceives(st ast.Stmt) []*ast.UnaryExpr {
	switch st.(type) {
	case *ast.ExprStmt, *ast.AssignStmt, *ast.DeclStmt:
	default:
		return nil
	}
	var out []*ast.UnaryExpr
	ast.Inspect(st, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BinaryExpr:
			if n.Op == token.LAND || n.Op == token.LOR {
				ast.Inspect(n.X, func(m ast.Node) bool {
					if u, ok := m.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
						out = append(out, u)
					}
					_, lit := m.(*ast.FuncLit)
					return !lit
				})
				return false
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				out = append(out, n)
			}
		}
		return true
	})
	return out
}

// onlyCallbackFeeds reports whether c is a local made by one of the
// statements before (each run of their list makes a fresh channel), never
// assigned again, and every send on it and close of it is written in the
// callback lit (or a literal inside it): a receive from it completes only
// after the callback has been called.
func (b *builder) onlyCallbackFeeds(c *Chan, lit *ast.FuncLit, before []ast.Stmt) bool {
	if !c.Local || c.IsParam || !c.Decl.IsValid() || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
		return false
	}
	if i := stmtIndex(before, c.Decl); i < 0 || stmtIndex(before, c.Makes[0].Pos) != i {
		return false
	}
	inLit := func(f *Func) bool {
		for ; f != nil; f = f.Parent {
			if f.Lit && f.Pos == lit.Pos() {
				return true
			}
		}
		return false
	}
	for _, u := range c.Refs() {
		switch {
		case u.OnlyReads(), u.Kind == RefRecv:
		case u.Kind == RefDef:
			if u.Ident.Pos() != c.Decl {
				return false
			}
		case u.Kind == RefSend || u.Kind == RefClose:
			if u.Op == nil || !inLit(u.Op.Func) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// assignedElsewhere reports whether the variable key is assigned in body
// by any statement but decl, or has its address taken.
func (b *builder) assignedElsewhere(body ast.Node, key VarKey, decl ast.Stmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == decl {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if k, ok := b.keyOf(l); ok && k == key {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if k, ok := b.keyOf(n.X); ok && k == key {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
