package nopartner

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/golens/golens/checks/internal/chanutil"
)

// The fan-out whose collector quits on the first error: a function makes
// an unbuffered channel, starts goroutines in a loop that each send one
// result on it, then receives in a loop that returns (or breaks out) on an
// error. Every goroutine whose value was not received yet then blocks on
// its send forever.
//
//	errCh := make(chan error)
//	for _, x := range xs {
//		go func() { errCh <- do(x) }()
//	}
//	for range xs {
//		if err := <-errCh; err != nil {
//			return err // the other goroutines block on errCh forever
//		}
//	}
//
// Reported at the send when the channel is a local of that function, made
// there, unbuffered and never leaving it (the goroutines' literals
// capture it); every send is a plain send of one function literal started
// by one go statement inside a loop of the function, not itself in a
// loop of the literal; every receive is a plain receive in one loop of
// the function after the go statement, whose exit is an error path
// (errorExit); and nothing closes the channel.

// errFanout reports the first send of such a class.
func errFanout(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) != 1 || c.buffered || c.unbounded || len(c.sends) == 0 || len(c.recvs) == 0 || len(c.closes) != 0 {
		return analysis.Diagnostic{}, false
	}
	for _, v := range c.vars {
		vv, ok := v.(*types.Var)
		if !ok || vv.IsField() || vv.Parent() == pass.Pkg.Scope() {
			return analysis.Diagnostic{}, false
		}
	}
	file := fileAt(pass, c.made[0])
	if file == nil {
		return analysis.Diagnostic{}, false
	}
	fn := funcAt(pass, c.made[0])
	if fn == nil {
		return analysis.Diagnostic{}, false
	}
	for _, v := range c.vars {
		if !(fn.Pos() <= v.Pos() && v.Pos() < fn.End()) {
			return analysis.Diagnostic{}, false
		}
	}
	// The senders: one literal, started by one go statement in a loop of fn.
	var lit *ast.FuncLit
	for _, s := range c.sends {
		if !s.blocking || s.maybe || fileAt(pass, s.pos) != file {
			return analysis.Diagnostic{}, false
		}
		l, ok := funcAt(pass, s.pos).(*ast.FuncLit)
		if !ok || lit != nil && l != lit {
			return analysis.Diagnostic{}, false
		}
		lit = l
		if loop, _ := loopAround(pass, s.pos); loop != nil && lit.Pos() <= loop.Pos() {
			return analysis.Diagnostic{}, false
		}
	}
	path, _ := astutil.PathEnclosingInterval(file, lit.Pos(), lit.End())
	if len(path) < 3 {
		return analysis.Diagnostic{}, false
	}
	call, ok := path[1].(*ast.CallExpr)
	if !ok || call.Fun != ast.Expr(lit) {
		return analysis.Diagnostic{}, false
	}
	goStmt, ok := path[2].(*ast.GoStmt)
	if !ok || goStmt.Call != call {
		return analysis.Diagnostic{}, false
	}
	goLoop, goFn := loopAround(pass, goStmt.Pos())
	if goLoop == nil || goFn != fn || goLoop.Pos() < c.made[0] {
		return analysis.Diagnostic{}, false
	}
	// The collector: every receive in one loop of fn after the go loop.
	var loop ast.Stmt
	for _, r := range c.recvs {
		if !r.blocking || r.maybe || r.giveUp != nil || fileAt(pass, r.pos) != file {
			return analysis.Diagnostic{}, false
		}
		l, lfn := loopAround(pass, r.pos)
		if l == nil || lfn != fn || loop != nil && l != loop || l.Pos() < goLoop.End() {
			return analysis.Diagnostic{}, false
		}
		loop = l
	}
	if _, isRange := loop.(*ast.RangeStmt); isRange {
		if rs := loop.(*ast.RangeStmt); c.recvs[0].pos <= rs.X.End() && rs.X.Pos() <= c.recvs[0].pos {
			return analysis.Diagnostic{}, false // ranging over the channel itself: it is never closed, another finding
		}
	}
	exit, cond := errorExit(pass, loop)
	if exit.What == "" {
		return analysis.Diagnostic{}, false
	}
	s0 := c.sends[0]
	how := "returns"
	if exit.What == "break" {
		how = "breaks out"
	}
	return analysis.Diagnostic{Pos: s0.pos, End: s0.end, Category: name,
		Message: message("errFanout", map[string]any{
			"Chan": s0.text, "GoLoop": chanutil.Where(pass.Fset, goLoop.Pos(), s0.pos),
			"Loop": chanutil.Where(pass.Fset, loop.Pos(), s0.pos),
			"How":  how, "ExitAt": chanutil.Where(pass.Fset, exit.Pos, s0.pos), "Cond": types.ExprString(cond),
		}),
		Related: []analysis.RelatedInformation{
			{Pos: goStmt.Pos(), Message: "one sending goroutine for each run of this loop"},
			{Pos: loop.Pos(), Message: "the only loop that receives from it"},
			{Pos: exit.Pos, Message: "the loop ends here on an error: the remaining goroutines are never received from"},
			{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
		}}, true
}
