package nopartner

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// A channel and a condition variable waiting on each other: every receive
// from an unbuffered channel runs only after a loop that waits on a
// sync.Cond until a bool field is true (`for !w.ready { w.cond.Wait() }`),
// and that field is set only after a send on the channel. The first
// receive would need the field already set, the first setting would need
// a send already received: neither ever happens, so the send blocks
// forever and the waiter waits forever.
//
//	func (w *watcher) watch() int {
//		w.mu.Lock()
//		for !w.ready {
//			w.cond.Wait()
//		}
//		w.mu.Unlock()
//		return <-w.updates
//	}
//	func (w *watcher) notify(v int) {
//		w.updates <- v // blocks forever
//		w.mu.Lock()
//		w.ready = true
//		w.cond.Broadcast()
//		w.mu.Unlock()
//	}
//
// Reported at a send that comes before a setting of the field when the
// channel class is unbuffered, made, never closed and kept in view; every
// receive of it has such a wait loop (its body only the Wait) among the
// statements that run before it in its function; every assignment of the
// field in the package other than `= false` has a plain send of the class
// among the statements before it in its function; no composite literal
// sets the field other than to false; and the field's address is never
// taken. The argument holds across instances: the first receive of any
// instance would need some field already true.

// condChan reports the first send of such a class.
func condChan(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.closes) > 0 || len(c.sends) == 0 || len(c.recvs) == 0 {
		return analysis.Diagnostic{}, false
	}
	info := pass.TypesInfo
	var field *types.Var
	var waitLoop *ast.ForStmt
	for _, r := range c.recvs {
		if r.maybe {
			return analysis.Diagnostic{}, false
		}
		file := fileAt(pass, r.pos)
		if file == nil {
			return analysis.Diagnostic{}, false
		}
		var f *types.Var
		var loop *ast.ForStmt
		for _, s := range stmtsBefore(pass, r.pos) {
			if fs, ok := s.(*ast.ForStmt); ok {
				if v, ok := condWaitLoop(info, fs); ok {
					f, loop = v, fs
				}
			}
		}
		if f == nil || field != nil && f != field {
			return analysis.Diagnostic{}, false
		}
		if waitLoop == nil {
			waitLoop = loop
		}
		field = f
	}
	for _, s := range c.sends {
		if s.maybe {
			return analysis.Diagnostic{}, false
		}
	}
	sendAt := map[token.Pos]op{}
	for _, s := range c.sends {
		if s.blocking {
			sendAt[s.pos] = s
		}
	}
	// Every setting of the field waits behind a send of the class (the
	// model's FieldSets).
	var firstSend op
	var firstSet ast.Node
	ok := true
	for _, set := range pkgModel(pass).FieldSets(field) {
		switch set.Kind {
		case model.FieldAddress, model.FieldIncDec:
			ok = false
		case model.FieldLiteral:
			if !isFalse(info, set.Value) {
				ok = false
			}
		case model.FieldAssign:
			if set.Value != nil && isFalse(info, set.Value) {
				continue
			}
			var before *op
			for _, s := range stmtsBefore(pass, set.At.Pos()) {
				if ss, isSend := s.(*ast.SendStmt); isSend {
					if o, found := sendAt[ss.Arrow]; found {
						before = &o
					}
				}
			}
			if before == nil {
				ok = false
			} else if firstSet == nil {
				firstSend, firstSet = *before, set.At
			}
		}
		if !ok {
			break
		}
	}
	if !ok || firstSet == nil {
		return analysis.Diagnostic{}, false
	}
	r := c.recvs[0]
	return analysis.Diagnostic{Pos: firstSend.pos, End: firstSend.end, Category: name,
		Message: message("condChan", map[string]any{
			"Chan": firstSend.text, "Recv": chanutil.Where(pass.Fset, r.pos, firstSend.pos),
			"Count": len(c.recvs), "Wait": chanutil.Where(pass.Fset, waitLoop.Pos(), firstSend.pos),
			"Field": field.Name(), "Set": chanutil.Where(pass.Fset, firstSet.Pos(), firstSend.pos),
		}),
		Related: []analysis.RelatedInformation{
			{Pos: r.pos, Message: "the receive runs only after the wait loop"},
			{Pos: waitLoop.Pos(), Message: "waits until " + field.Name() + " is true"},
			{Pos: firstSet.Pos(), Message: field.Name() + " is set only here, after the send"},
			{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
		}}, true
}

// condWaitLoop matches `for !x.f { x.cond.Wait() }`: a loop whose
// condition is the negation of a bool field and whose body is only a
// call of (*sync.Cond).Wait. It returns the field.
func condWaitLoop(info *types.Info, fs *ast.ForStmt) (*types.Var, bool) {
	if fs.Init != nil || fs.Post != nil || fs.Cond == nil || len(fs.Body.List) != 1 {
		return nil, false
	}
	not, ok := ast.Unparen(fs.Cond).(*ast.UnaryExpr)
	if !ok || not.Op != token.NOT {
		return nil, false
	}
	sel, ok := ast.Unparen(not.X).(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil, false
	}
	f, _ := s.Obj().(*types.Var)
	if f == nil || !types.Identical(f.Type(), types.Typ[types.Bool]) {
		return nil, false
	}
	es, ok := fs.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return nil, false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return nil, false
	}
	fun, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	m, ok := info.Uses[fun.Sel].(*types.Func)
	if !ok || m.Name() != "Wait" || m.Pkg() == nil || m.Pkg().Path() != "sync" {
		return nil, false
	}
	recv := m.Type().(*types.Signature).Recv()
	if recv == nil {
		return nil, false
	}
	rt := recv.Type()
	if p, ok := rt.(*types.Pointer); ok {
		rt = p.Elem()
	}
	if n, ok := rt.(*types.Named); !ok || n.Obj().Name() != "Cond" {
		return nil, false
	}
	return f, true
}

func isFalse(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && tv.Value.String() == "false"
}

// stmtsBefore lists the statements that have completed whenever p is
// reached: the model's StmtsBefore.
func stmtsBefore(pass *analysis.Pass, p token.Pos) []ast.Stmt {
	if m := modelOf(pass, p); m != nil {
		return m.StmtsBefore(p)
	}
	return nil
}
