package nopartner

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// The finite producer and the receiver that stops early: a goroutine
// sends each element of a range (a slice, map, string or count, not
// another channel) on an unbuffered channel with a plain send; the only
// loop that receives from the channel can leave (a return or break once
// it has what it wanted). When it leaves before the last value, the
// producer's next send has no receiver and blocks forever.
//
//	func newWatcher(src []string) *watcher {
//		w := &watcher{events: make(chan string), src: src}
//		go w.run()
//		return w
//	}
//	func (w *watcher) run() {
//		for _, e := range w.src {
//			w.events <- e // blocks once waitFor has returned
//		}
//		close(w.events)
//	}
//	func (w *watcher) waitFor(name string) bool {
//		for e := range w.events {
//			if e == name {
//				return true
//			}
//		}
//		return false
//	}
//
// Reported at the producer's send when every send is a plain send in that
// one range of one goroutine's function, every close is that goroutine's,
// every receive is in one loop of another function with its own way out,
// that function stops nothing (stopsOthers), and each run of the
// receiving function has a channel of its own: made in it (madePerRun),
// or the channel is a field the constructor starting the goroutine makes,
// and the receiving method is called only once on a value that
// constructor returned, in a function that does nothing else with that
// value than call its methods, outside any loop (a second call would
// drain the rest). The method must not be callable from outside the
// package.

// finiteProducer reports the first send of such a class.
func finiteProducer(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.sends) == 0 || len(c.recvs) == 0 {
		return analysis.Diagnostic{}, false
	}
	info := pass.TypesInfo
	p, ok := producerOf(pass, c)
	if !ok {
		return analysis.Diagnostic{}, false
	}
	s0, sfile, prod, goStmt, goFile := p.send, p.file, p.fn, p.goStmt, p.goFile
	var loop *ast.RangeStmt
	for _, s := range c.sends {
		if !s.blocking || s.maybe || fileAt(pass, s.pos) != sfile {
			return analysis.Diagnostic{}, false
		}
		l, fn := loopAround(pass, s.pos)
		r, ok := l.(*ast.RangeStmt)
		if !ok || fn != prod || loop != nil && r != loop {
			return analysis.Diagnostic{}, false
		}
		loop = r
	}
	switch info.TypeOf(loop.X).Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map, *types.Basic:
	case *types.Pointer: // a pointer to an array
	default:
		return analysis.Diagnostic{}, false
	}
	for _, cl := range c.closes {
		if fileAt(pass, cl) != sfile || !(prod.Pos() <= cl && cl < prod.End()) {
			return analysis.Diagnostic{}, false
		}
	}
	// The receiver: one loop of another function, with a way out.
	r0 := c.recvs[0]
	rfile := fileAt(pass, r0.pos)
	if rfile == nil {
		return analysis.Diagnostic{}, false
	}
	rloop, recvFn := loopAround(pass, r0.pos)
	if rloop == nil || recvFn == prod || prod.Pos() <= recvFn.Pos() && recvFn.End() <= prod.End() {
		return analysis.Diagnostic{}, false
	}
	for _, r := range c.recvs {
		if r.maybe || fileAt(pass, r.pos) != rfile {
			return analysis.Diagnostic{}, false
		}
		if l, _ := loopAround(pass, r.pos); l != rloop {
			return analysis.Diagnostic{}, false
		}
	}
	if _, isRange := rloop.(*ast.RangeStmt); isRange && recvFn.Pos() <= goStmt.Pos() && goStmt.Pos() < recvFn.End() {
		return analysis.Diagnostic{}, false // timeoutleak's, as in endless.go
	}
	body := model.LoopBody(rloop)
	exit := ownExit(pass, rloop, c)
	if exit.What == "" || pkgModel(pass).ReportsTestFailure(body).ProvenTrue() || stopsOthers(pass, recvFn, prod) {
		return analysis.Diagnostic{}, false
	}
	perRun := true
	for _, mk := range c.made {
		if !madePerRun(pass, recvFn, mk) {
			perRun = false
		}
	}
	if !perRun && !calledOnceOnFresh(pass, c, recvFn, goStmt, goFile) {
		return analysis.Diagnostic{}, false
	}
	how := "returns"
	if exit.What == "break" {
		how = "breaks out"
	}
	before := blocksBeforeSend(pass, s0.pos)
	return analysis.Diagnostic{Pos: s0.pos, End: s0.end, Category: name,
		Message: message("finite", map[string]any{
			"Chan": s0.text, "Loop": chanutil.Where(pass.Fset, loop.Pos(), s0.pos),
			"RecvLoop": chanutil.Where(pass.Fset, rloop.Pos(), s0.pos), "Func": funcName(recvFn),
			"How": how, "ExitAt": chanutil.Where(pass.Fset, exit.Pos, s0.pos),
			// Stuck before its next send (a Lock, a Wait: the model's
			// BlocksBeforeSend), the producer may never reach it.
			"Before": before,
		}),
		Related: []analysis.RelatedInformation{
			{Pos: loop.Pos(), Message: "the producer's range: one send for each value"},
			{Pos: rloop.Pos(), Message: "the only loop that receives from the channel"},
			{Pos: exit.Pos, Message: message("stopsHere", map[string]any{"Before": before})},
			{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
		}}, true
}

// calledOnceOnFresh: the class is one field, made in the function that
// holds the go statement (the constructor), which starts the producer as
// a method of the value it builds; and recvFn is a method the package
// calls at most once on each value that constructor returns (the model's
// CalledOnceOnFresh: not callable from outside the package, each call
// v.recvFn(...) on a local v := ctor(...) used only to call methods,
// outside any loop that does not also hold v's declaration).
func calledOnceOnFresh(pass *analysis.Pass, c *class, recvFn ast.Node, goStmt *ast.GoStmt, goFile *ast.File) bool {
	info := pass.TypesInfo
	for _, v := range c.vars {
		if vv, ok := v.(*types.Var); !ok || !vv.IsField() {
			return false
		}
	}
	md, ok := recvFn.(*ast.FuncDecl)
	if !ok || md.Recv == nil {
		return false
	}
	method, ok := info.Defs[md.Name].(*types.Func)
	if !ok {
		return false
	}
	ctor, ok := funcAt(pass, goStmt.Pos()).(*ast.FuncDecl)
	if !ok || ctor.Recv != nil {
		return false
	}
	for _, mk := range c.made {
		if !(ctor.Pos() <= mk && mk < ctor.End()) {
			return false
		}
	}
	ctorObj := info.Defs[ctor.Name]
	if ctorObj == nil {
		return false
	}
	return pkgModel(pass).CalledOnceOnFresh(method, ctorObj).ProvenTrue()
}
