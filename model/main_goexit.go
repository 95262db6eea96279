package model

import "go/ast"

// EndsByGoexit reports whether every way the function holding from can
// end once from has run is runtime.Goexit (or testing's FailNow family):
// then it never returns. It gives that call as written, or "" when some
// path may return normally, panic, call os.Exit, or the model does not
// follow the function's flow.
//
// For main this matters: a program whose main goroutine calls
// runtime.Goexit does not exit; the other goroutines run on, and the
// program dies only once they have all ended ("no goroutines (main
// called runtime.Goexit) - deadlock!"). So "when main returns, this
// goroutine stops wherever it is" is false there (truth case
// rv2_goexit_main).
func (m *File) EndsByGoexit(from ast.Node) string {
	if from == nil {
		return ""
	}
	fl := m.flowAt(from.Pos())
	if fl == nil {
		return ""
	}
	var first *Exit
	for _, e := range fl.exitOf {
		r := m.ReachAfter(from, e.Pos)
		if r == ReachUnknown {
			return ""
		}
		if !r.Possible() {
			continue
		}
		if e.Kind != ExitGoexit {
			return ""
		}
		if first == nil || e.Pos < first.Pos {
			first = e
		}
	}
	if first == nil {
		return ""
	}
	return first.Call
}
