package timeoutleak

import (
	"go/ast"
	"go/token"
	"strings"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// testFailures are the methods of testing.T, B and F that fail the test.
// Fatal, Fatalf and FailNow also end the calling goroutine through
// runtime.Goexit (go doc testing.T.FailNow), but on a path the test
// already reports as failed: like a give-up case that fails the test
// (failsOnGiveUp), a leak there is not reported. Error, Errorf and Fail
// mark the test failed and go on: they are no exit at all.
var testFailures = map[string]bool{
	"Fatal": true, "Fatalf": true, "FailNow": true, // exits (ExitGoexit)
	"Error": true, "Errorf": true, "Fail": true, // not exits
}

// stopsGoroutine reports a call that ends its goroutine without ending the
// program or failing the test: an exit the model classifies as
// runtime.Goexit (model.ExitGoexit) that is not one of testing's failing
// calls — runtime.Goexit itself, and t.Skip, t.Skipf, t.SkipNow on
// testing's T, B, F or TB. Deferred calls still run.
func stopsGoroutine(m *model.File, call *ast.CallExpr) bool {
	kind, ok := m.ExitCall(call)
	if !ok || kind != model.ExitGoexit {
		return false
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && testFailures[sel.Sel.Name] {
		return false
	}
	return true
}

// howEnds says how the function leaves at pos: "returns", or "stops
// (t.Skip)" for a call that ends its goroutine.
func howEnds(m *model.File, pos token.Pos) string {
	path, _ := chanutil.PathEnclosingInterval(m, pos, pos+1)
	for _, n := range path {
		if call, ok := n.(*ast.CallExpr); ok && call.Pos() == pos && stopsGoroutine(m, call) {
			return "stops (" + chanutil.NodeText(m, call.Fun) + ")"
		}
	}
	return "returns"
}

// methodOf is the method or function name of a callee as written:
// "Skip" for "t.Skip", "Goexit" for "runtime.Goexit".
func methodOf(callee string) string {
	if i := strings.LastIndexByte(callee, '.'); i >= 0 {
		return callee[i+1:]
	}
	return callee
}

// quietEnd reports an exit of the model's flow (model.Exit) after which
// the program goes on without the function's goroutine: a return, the end
// of the body, or runtime.Goexit and t.Skip (stopsGoroutine). A panic,
// os.Exit, log.Fatal and testing's failing calls are not: the program is
// over, or the test already failed, on those paths. The path questions
// asked of the model (OpReach, ExitsAvoiding) count these exits only.
func quietEnd(e *model.Exit) bool {
	switch e.Kind {
	case model.ExitReturn, model.ExitEnd:
		return true
	case model.ExitGoexit:
		return !testFailures[methodOf(e.Callee())]
	}
	return false
}
