package nopartner

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// The receiver that quits on an error: every receive from an unbuffered
// channel is in one loop of a goroutine that runs once, and that loop can
// end on an error path of its own (an if on an error value that returns
// or breaks out of the loop). The sender cannot know: once the loop has
// ended nothing receives, and the next send blocks forever.
//
//	go func() {
//		for v := range ch {
//			if err := process(v); err != nil {
//				return
//			}
//		}
//	}()
//	for _, v := range items {
//		ch <- v // blocks forever after process failed
//	}
//
// Reported on a plain send (not a select case with a way out) in another
// function than the loop's, when that send can run after the one whose
// value made the loop quit: it sits in a loop, follows another send of the
// channel in its function, or is in a function callers can call again
// (exported, or called from two places or from a loop). When the exit is
// in a select case on another channel (handling work from another
// channel failed) the loop can quit before any value of this one came,
// and any plain send counts. An exit whose condition reads no error value
// and that reports no error on a channel of errors, such as a sentinel
// value the sender sends last (`if v == quit { return }`), is the protocol
// the sender controls and is not reported.

// errExitPartner reports the first such send of the class.
func errExitPartner(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.recvs) == 0 || len(c.sends) == 0 {
		return analysis.Diagnostic{}, false
	}
	file := fileAt(pass, c.recvs[0].pos)
	if file == nil {
		return analysis.Diagnostic{}, false
	}
	loop, fn := loopAround(pass, c.recvs[0].pos)
	if loop == nil || !calledOnce(pass, fn) {
		return analysis.Diagnostic{}, false
	}
	for _, r := range c.recvs {
		if r.maybe || fileAt(pass, r.pos) != file || !(loop.Pos() <= r.pos && r.pos < loop.End()) {
			return analysis.Diagnostic{}, false
		}
		if l, _ := loopAround(pass, r.pos); l != loop {
			return analysis.Diagnostic{}, false
		}
	}
	exit, cond := errorExit(pass, loop)
	if exit.What == "" {
		return analysis.Diagnostic{}, false
	}
	for _, s := range c.sends {
		if !s.blocking || s.maybe {
			continue
		}
		sf := fileAt(pass, s.pos)
		if sf == nil || funcAt(pass, s.pos) == fn {
			continue
		}
		if !exitOnOtherCase(file, loop, exit, c) && !sendRepeats(pass, sf, c, s) {
			continue
		}
		if fd, ok := funcAt(pass, s.pos).(*ast.FuncDecl); ok && startedOncePerPass(pass, c, loop, fd) { // onepass.go
			continue
		}
		how := "returns"
		if exit.What == "break" {
			how = "breaks out"
		}
		return analysis.Diagnostic{Pos: s.pos, End: s.end, Category: name,
			Message: message("errExit", map[string]any{
				"Chan": s.text, "Loop": chanutil.Where(pass.Fset, loop.Pos(), s.pos),
				"How": how, "ExitAt": chanutil.Where(pass.Fset, exit.Pos, s.pos), "Cond": types.ExprString(cond),
				"Before": blocksBeforeSend(pass, s.pos),
			}),
			Related: []analysis.RelatedInformation{
				{Pos: loop.Pos(), Message: "the only loop that receives from it"},
				{Pos: exit.Pos, Message: "the loop ends here on an error: nothing receives after it"},
				{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
			}}, true
	}
	return analysis.Diagnostic{}, false
}

// errorExit finds, in the loop's body, an if that is an error path (the
// model's ErrorPath: its condition reads a value of type error, or its body
// sends on a channel of errors) and whose body leaves the loop
// (loopLeaves): a return, or a break of this loop (unlabelled and not
// inside a nested for, range, switch or select, or labelled with the
// loop's label).
func errorExit(pass *analysis.Pass, loop ast.Stmt) (model.LoopExit, ast.Expr) {
	pkg := pkgModel(pass)
	if pkg == nil {
		return model.LoopExit{}, nil
	}
	leaves := loopLeaves(pass, loop)
	var exit model.LoopExit
	var cond ast.Expr
	ast.Inspect(model.LoopBody(loop), func(n ast.Node) bool {
		if exit.What != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if pkg.ErrorPath(n).ProvenTrue() && !pkg.ReportsTestFailure(n.Body).ProvenTrue() {
				for _, e := range leaves {
					if n.Body.Pos() <= e.Pos && e.Pos < n.Body.End() {
						exit, cond = e, n.Cond
						return false
					}
				}
			}
		}
		return true
	})
	return exit, cond
}

// exitOnOtherCase: the exit is in the body of a select case of the loop
// whose communication is not a receive from the channel (an error while
// handling work from another channel): the loop can end before any value
// of this channel arrives, so even its first send can block.
//
//	for {
//		select {
//		case <-s.stop:
//			return
//		case n := <-s.work:
//			if err := s.handle(n); err != nil {
//				return // s.stop has no receiver from here on
//			}
//		}
//	}
func exitOnOtherCase(file *ast.File, loop ast.Stmt, exit model.LoopExit, c *class) bool {
	path, _ := model.EnclosingPath(file, exit.Pos, exit.End)
	for _, n := range path {
		if n == ast.Node(loop) {
			return false
		}
		cc, ok := n.(*ast.CommClause)
		if !ok {
			continue
		}
		if cc.Comm == nil {
			return false // default: runs when no value is ready, of any channel
		}
		if _, isSend := cc.Comm.(*ast.SendStmt); isSend {
			return false
		}
		for _, r := range c.recvs {
			if cc.Comm.Pos() <= r.pos && r.pos < cc.Comm.End() {
				return false
			}
		}
		return true
	}
	return false
}

// sendRepeats: the send can run after another send of the class: it is in
// a loop, an earlier send of the class is in the same function, or its
// function can be called again.
func sendRepeats(pass *analysis.Pass, file *ast.File, c *class, s op) bool {
	if inLoopAt(pass, s.pos) {
		return true
	}
	fn := funcAt(pass, s.pos)
	for _, o := range c.sends {
		if o.pos < s.pos && o.blocking && fn != nil && fn.Pos() <= o.pos && o.pos < fn.End() && funcAt(pass, o.pos) == fn {
			return true
		}
	}
	fd, ok := fn.(*ast.FuncDecl)
	if !ok || underCallback(pass, s.pos) {
		return false
	}
	f, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	return f != nil && fd.Name.Name != "main" && fd.Name.Name != "init" && (public(pass, f) || calledRepeatedly(pass, f))
}
