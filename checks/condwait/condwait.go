package condwait

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "condwait"

// Analyzer reports sync.Cond.Wait calls that do not re-check their
// condition in a loop.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report sync.Cond.Wait outside a loop that re-checks the condition\n\n" +
		"Wait unlocks c.L, suspends, and locks c.L again when woken; by then another goroutine may have " +
		"changed the state, so the condition must be checked again in a for loop. A Wait guarded by no " +
		"condition at all can miss a Signal or Broadcast sent before it started waiting, and then blocks forever. " +
		"A Wait on a Cond that nothing in the package signals or broadcasts never returns.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{inspect.Analyzer, modelpass.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	waits := modelCondWaits(pass)
	for cur := range ins.Root().Preorder((*ast.ExprStmt)(nil)) {
		es := cur.Node().(*ast.ExprStmt)
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok {
			continue
		}
		w, ok := waits[call]
		if !ok {
			continue
		}
		// Whether the condition is checked again after Wait returns,
		// where the Wait stands: the model's answer (File.WaitRecheck).
		at := w.m.WaitRecheck(w.wait)
		if at.Rechecked() || at.Forwards {
			continue
		}
		if at.Settled != nil {
			// The if's condition is false whenever Wait returns: a
			// one-way flag set before every Signal and Broadcast.
			continue
		}
		recv := types.ExprString(call.Fun.(*ast.SelectorExpr).X)
		guard := at.Guard
		var body *ast.BlockStmt
		if at.Func != nil {
			body = at.Func.Body
		}
		if guard == nil && (announced(pass, w.m, body, call) || inBubble(pass, cur)) {
			continue
		}
		d := analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: name}
		if guard == nil {
			d.Message = recv + ".Wait() checks no condition: a Signal or Broadcast sent before this goroutine reaches Wait is lost (a Cond keeps no memory of it), so Wait can block forever; wait in `for !condition { " + recv + ".Wait() }`"
		} else {
			d.Message = recv + ".Wait() under an if, not a for: when Wait returns another goroutine may already have changed the state (Broadcast wakes every waiter), so the condition must be checked again; use `for` instead of `if`"
			if at.UsedAfter.IsValid() {
				// Under an if in a loop, which checks again only on its
				// next pass, after the pass has used the state.
				d.Message = message("ifInLoop", map[string]any{"Recv": recv, "UseLine": w.m.Line(at.UsedAfter), "State": at.State})
			}
			if guard.Init == nil && guard.Else == nil && len(guard.Body.List) == 1 && guard.Body.List[0] == es {
				d.SuggestedFixes = []analysis.SuggestedFix{{
					Message:   "Check the condition in a loop: replace if with for",
					TextEdits: []analysis.TextEdit{{Pos: guard.If, End: guard.If + 2, NewText: []byte("for")}},
				}}
			}
		}
		pass.Report(d)
	}
	lostWakeups(pass, ins) // lostwakeup.go
	unsignaledWaits(pass)  // unsignaled.go
	return nil, nil
}

// announced reports whether the waiter, after locking and before the
// Wait, tells other goroutines it is about to wait: a send, a go
// statement, or a write to a variable or field that outlives the function.
// A signaller that learns of it and takes the lock can only get it once
// Wait has released it, so its Signal is not lost: the usual handshake of
// tests (sync's own, runtime/pprof's blockCond) and of waiter counts.
func announced(pass *analysis.Pass, m *model.File, body *ast.BlockStmt, wait *ast.CallExpr) bool {
	if body == nil {
		return false
	}
	// The first lock the waiter takes (the model's lock calls).
	lockAt := m.FirstLock(body, wait.Pos())
	found := false
	shared := func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			obj := pass.TypesInfo.ObjectOf(e)
			return obj != nil && obj.Pos().IsValid() && (obj.Pos() < body.Pos() || obj.Pos() >= body.End())
		case *ast.SelectorExpr, *ast.IndexExpr, *ast.StarExpr:
			return true
		}
		return false
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() >= wait.Pos() {
			return false
		}
		between := lockAt.IsValid() && n.Pos() > lockAt
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			found = between
			return false
		case *ast.SendStmt:
			found = between
		case *ast.IncDecStmt:
			found = between && shared(n.X)
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					if between && shared(l) {
						found = true
					}
				}
			}
		}
		return true
	})
	return found
}

// inBubble reports whether the Wait runs inside a synctest bubble (a
// function passed to synctest.Test or synctest.Run): time is fake and the
// goroutines run in an order the test controls.
func inBubble(pass *analysis.Pass, cur inspector.Cursor) bool {
	for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
		call, ok := c.Node().(*ast.CallExpr)
		if !ok {
			continue
		}
		var id *ast.Ident
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.SelectorExpr:
			id = f.Sel
		case *ast.Ident:
			id = f
		}
		if id == nil || id.Name != "Test" && id.Name != "Run" {
			continue
		}
		if fn, ok := pass.TypesInfo.Uses[id].(*types.Func); ok && fn.Pkg() != nil && strings.HasSuffix(fn.Pkg().Path(), "synctest") {
			return true
		}
	}
	return false
}

// condWait is a Wait of the model with the file model holding it.
type condWait struct {
	wait *model.CondWait
	m    *model.File
}

// modelCondWaits returns the package's sync.Cond Wait calls as the model
// records them (File.CondWaits), the calls the Cond-wait hint marks too.
func modelCondWaits(pass *analysis.Pass) map[*ast.CallExpr]condWait {
	waits := map[*ast.CallExpr]condWait{}
	for _, m := range pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order {
		for _, w := range m.CondWaits() {
			waits[w.Call] = condWait{w, m}
		}
	}
	return waits
}

// modelCondSignals returns the package's sync.Cond Signal and Broadcast
// calls as the model records them (File.CondSignals).
func modelCondSignals(pass *analysis.Pass) map[*ast.CallExpr]*model.File {
	signals := map[*ast.CallExpr]*model.File{}
	for _, m := range pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order {
		for _, s := range m.CondSignals() {
			signals[s.Call] = m
		}
	}
	return signals
}
