package nopartner

import (
	"embed"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"text/template"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// The partner that gives up: every receive from an unbuffered channel is a
// case of a select inside a loop, and another case of that select leaves
// the loop (a stop, done or ctx.Done() case that returns). Once that case
// has been taken nothing receives any more, so a plain send blocks forever
// (etcd's node.Status after Stop).

//go:embed messages.tmpl
var messageFiles embed.FS

var messages = template.Must(template.ParseFS(messageFiles, "messages.tmpl"))

func message(name string, d any) string {
	var b strings.Builder
	if err := messages.ExecuteTemplate(&b, name, d); err != nil {
		panic(err) // embedded and exercised by the analysistest cases
	}
	return b.String()
}

// giveUp describes the loop a receive sits in and the case that ends it.
type giveUp struct {
	sel  token.Pos // the select
	exit token.Pos // the case that leaves the loop
	comm string    // that case's communication, e.g. <-n.stop
	once bool      // the select is in no loop: it runs once per call
	fn   ast.Node  // the function holding the select
	// exitVar is the channel variable the exit case receives from, when
	// it is one (nil for ctx.Done(), time.After(...)).
	exitVar types.Object
	// exitComm is the exit case's communication.
	exitComm ast.Stmt
}

// loopGiveUp returns, for a receive (or send) that is the communication of a select
// case inside a for or range loop of the same function, the other case of
// that select after which the loop never comes round again (leavesLoop).
// A default case does not count: a polling loop is called again.
func (st *state) loopGiveUp(c inspector.Cursor, recv ast.Node) *giveUp {
	var clause *ast.CommClause
	for p := c.Parent(); p.Node() != nil; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.AssignStmt, *ast.ExprStmt, *ast.ParenExpr:
			continue
		case *ast.CommClause:
			if n.Comm != nil && n.Comm.Pos() <= recv.Pos() && recv.End() <= n.Comm.End() {
				clause = n
				c = p
			}
		}
		break
	}
	if clause == nil {
		return nil
	}
	sel, ok := c.Parent().Parent().Node().(*ast.SelectStmt)
	if !ok {
		return nil
	}
	var loop ast.Stmt // the innermost loop around the select
	var fn ast.Node
	for p := c.Parent().Parent().Parent(); p.Node() != nil && fn == nil; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if loop == nil {
				loop = n.(ast.Stmt)
			}
		case *ast.FuncLit, *ast.FuncDecl:
			fn = p.Node()
		}
	}
	inLoop := loop != nil
	m := st.modelAt(sel.Pos())
	for _, s := range sel.Body.List {
		cc := s.(*ast.CommClause)
		// In a loop the other case must end it; a select that runs once
		// is done with this case as soon as another one is taken.
		if cc == clause || cc.Comm == nil || inLoop && !leavesLoop(m, loop, cc) {
			continue
		}
		if pkgModel(st.pass).ReportsTestFailure(&ast.BlockStmt{List: cc.Body}).ProvenTrue() {
			// A test giving up with t.Fatal is failing: what it leaves
			// blocked is the failure's consequence, left to the test.
			continue
		}
		return &giveUp{sel: sel.Select, exit: cc.Pos(), comm: commText(cc.Comm), once: !inLoop, fn: fn, exitVar: st.recvVar(cc.Comm), exitComm: cc.Comm}
	}
	return nil
}

// leavesLoop: once the case cc has been taken, its loop never starts
// another pass and the case leaves it (the model's CaseLeavesLoop).
func leavesLoop(m *model.File, loop ast.Stmt, cc *ast.CommClause) bool {
	return m.CaseLeavesLoop(loop, cc).ProvenTrue()
}

// recvVar is the channel variable a select case's receive reads, or nil.
func (st *state) recvVar(s ast.Stmt) types.Object {
	x := model.CaseRecvChan(s)
	if x == nil {
		return nil
	}
	return st.varOf(x)
}

// goStartedBeforeLoop: the send at p is in a function literal that a go
// statement outside the loop around the select at sel starts. A literal
// started inside the loop (each pass its own goroutine next to the
// select) is timeoutleak's case; a literal stored as a callback runs when
// its caller decides, which the package need not show.
func goStartedBeforeLoop(pass *analysis.Pass, sel, p token.Pos) bool {
	loop, _ := loopAround(pass, sel)
	m := modelOf(pass, p)
	if loop == nil || m == nil {
		return false
	}
	lit := m.FuncAt(p)
	if lit == nil || !lit.Lit || loop.Pos() <= lit.Pos && lit.End <= loop.End() {
		return false
	}
	return lit.GoBody != nil // the model's: a literal a go statement starts
}

// senderStops reports whether the function holding the send at p (or a
// function of the package it calls) itself closes or sends on the exit
// channel: the sender then signals the loop's end after its own sends,
// and the receiver gives up only once nothing is left to send
// (for ... { out <- v }; close(done)).
func senderStops(pass *analysis.Pass, st *state, exit types.Object, p token.Pos) bool {
	if exit == nil {
		return false
	}
	return senderClosesExit(pass, st, exit, p)
}

// senderCancels: the exit case is a context's Done, and the function
// holding the send at p cancels a context it made itself (WithCancel,
// WithTimeout, ... in that function) after the send — a later call of
// its cancel func, or one it defers. Like senderStops for a stop channel,
// the sender then ends the loop after its own sends: main sending a
// request, reading the reply, then cancel() (a run of
// truth/r9c_ctx_value_of_cancel prints the reply and ends). Whether the
// loop's context derives from that one is not checked: where the sender
// holds a cancel of its own, the rule stays silent rather than guess.
func senderCancels(pass *analysis.Pass, comm string, p token.Pos) bool {
	if !strings.HasSuffix(comm, ".Done()") {
		return false
	}
	m := modelOf(pass, p)
	if m == nil {
		return false
	}
	fn := m.FuncAt(p)
	if fn == nil {
		return false
	}
	for _, c := range m.CtxCalls {
		if c.Func != fn || c.Name == "Done" || c.CancelName == "" {
			continue
		}
		if c.CancelDefer() != nil {
			return true
		}
		for _, e := range c.CancelCalls() {
			at := e.Pos
			if e.At.IsValid() {
				at = e.At
			}
			if !e.InGo && at > p && m.FuncAt(at) == fn {
				return true
			}
		}
	}
	return false
}

// callersStop is senderStops up the calls: the send at p is in a function
// that is only ever called (never used as a value), and every function
// calling it closes or sends on the exit channel itself or through the
// functions it calls — a logger's Log called by code that also calls its
// Stop (truth/r13f_double_stop). A caller that does not is followed up in
// turn, to its own callers (an actor's call helper, called by Get and Put,
// called by main, which defers Stop: truth/r17a_actor_store). Through a go
// statement the starting function's stop counts only when the model
// proves it waits for the goroutine: otherwise the goroutine's send may
// come after the stop. Which comes first is not checked, as in
// senderStops: where the callers hold the stop, the rule stays silent
// rather than guess. A path that reaches an exported function of a
// package other packages can import leaves the package: its callers are
// not in view, so whether they send after the stop is not known, and the
// rule stays silent on that path too (a sink's Log and Close, called in
// order by its importer: truth/r17l_sink_package). With no exit channel
// (a ctx.Done() case) only such paths count.
//
// The second result names the exported function such a path reaches
// ("" when none does): the caller then words the finding as what a call
// of it after the stop does, not as what this program does.
func callersStop(pass *analysis.Pass, st *state, exit types.Object, p token.Pos) (bool, string) {
	fd := chanutil.DeclAt(pass.Files, p)
	if fd == nil {
		return false, ""
	}
	if lit := funcAt(pass, p); lit != nil && lit != ast.Node(fd) {
		return false, "" // a literal inside it: called when its holder decides
	}
	var outside string
	ok := callersStopFrom(pass, st, exit, fd, map[*ast.FuncDecl]bool{}, 8, &outside)
	return ok, outside
}

// callersStopFrom is callersStop for the declaration fd, following callers
// at most depth deep. done holds the answer for each declaration already
// asked (false while it is being asked: a call cycle does not stop).
func callersStopFrom(pass *analysis.Pass, st *state, exit types.Object, fd *ast.FuncDecl, done map[*ast.FuncDecl]bool, depth int, outside *string) bool {
	if ok, asked := done[fd]; asked {
		return ok
	}
	done[fd] = false
	ok := callersStopAsk(pass, st, exit, fd, done, depth, outside)
	done[fd] = ok
	return ok
}

func callersStopAsk(pass *analysis.Pass, st *state, exit types.Object, fd *ast.FuncDecl, done map[*ast.FuncDecl]bool, depth int, outside *string) bool {
	if fd.Body == nil || depth <= 0 {
		return false
	}
	obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	pkg := pkgModel(pass)
	if obj == nil || pkg == nil {
		return false
	}
	if pass.Pkg.Name() != "main" && public(pass, obj) {
		// Called from outside the package: not in view.
		if *outside == "" {
			*outside = obj.Name()
			if r := obj.Signature().Recv(); r != nil {
				*outside = "(" + types.TypeString(r.Type(), types.RelativeTo(pass.Pkg)) + ")." + obj.Name()
			}
		}
		return true
	}
	calls, other := pkg.CallsOf(obj)
	if len(calls) == 0 || other != 0 {
		return false // used as a value somewhere, or never called
	}
	for _, call := range calls {
		g := goStarting(pass, call.Call)
		if g != nil && !g.Wait().Waited.ProvenTrue() {
			// The starter may stop the loop while the goroutine
			// still sends.
			return false
		}
		if senderClosesExit(pass, st, exit, call.Call.Pos()) {
			continue
		}
		caller := chanutil.DeclAt(pass.Files, call.Call.Pos())
		if caller == nil || funcAt(pass, call.Call.Pos()) != ast.Node(caller) {
			return false // in a literal: run when its holder decides
		}
		if !callersStopFrom(pass, st, exit, caller, done, depth-1, outside) {
			return false
		}
	}
	return true
}

// goStarting is the model's goroutine whose go statement makes call, or
// nil when call is not a go statement's.
func goStarting(pass *analysis.Pass, call *ast.CallExpr) *model.Goroutine {
	m := modelOf(pass, call.Pos())
	if m == nil {
		return nil
	}
	for _, g := range m.Goroutines {
		if g.Node != nil && g.Node.Call == call {
			return g
		}
	}
	return nil
}

// senderClosesExit is senderStops for a known exit channel.
func senderClosesExit(pass *analysis.Pass, st *state, exit types.Object, p token.Pos) bool {
	if exit == nil {
		return false
	}
	ec := st.of(exit)
	file := fileAt(pass, p)
	if file == nil {
		return false
	}
	fn := funcAt(pass, p)
	if fn == nil {
		return false
	}
	within := []ast.Node{fn}
	var dynamic []*types.Selection // interface method calls: any implementation may run
	ast.Inspect(fn, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if callee := chanutil.PackageCallee(pass.TypesInfo, pass.Pkg, call); callee != nil {
				if fd := pkgModel(pass).FuncDecl(callee); fd != nil {
					within = append(within, fd)
				}
			} else if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				if s := pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.MethodVal && types.IsInterface(s.Recv()) {
					dynamic = append(dynamic, s)
				}
			}
		}
		return true
	})
	sites := append([]token.Pos{}, ec.closes...)
	for _, s := range ec.sends {
		sites = append(sites, s.pos)
	}
	for _, q := range sites {
		for _, w := range within {
			if w.Pos() <= q && q < w.End() {
				return true
			}
		}
		// comps[i].Stop() through an interface may be the method that
		// closes the exit channel: the sender then may end the loop
		// itself (truth/r10e_multi_iface_stoppers: main stops each
		// component in a deferred loop, after its send), so stay silent.
		if fd := chanutil.DeclAt(pass.Files, q); fd != nil && fd.Recv != nil && len(dynamic) > 0 {
			if m, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
				if recv := m.Signature().Recv(); recv != nil {
					for _, d := range dynamic {
						iface, _ := d.Recv().Underlying().(*types.Interface)
						if iface != nil && d.Obj().Name() == m.Name() && (types.Implements(recv.Type(), iface) || types.Implements(types.NewPointer(recv.Type()), iface)) {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

func commText(s ast.Stmt) string {
	switch s := s.(type) {
	case *ast.ExprStmt:
		return types.ExprString(s.X)
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			return types.ExprString(s.Rhs[0])
		}
	case *ast.SendStmt:
		return types.ExprString(s.Chan) + " <- " + types.ExprString(s.Value)
	}
	return "other"
}

// gaveUpPartner reports the first plain send on an unbuffered channel of
// the package whose every receive is a select case in a loop that another
// case of the same select ends. A channel that is closed, buffered, or
// received from anywhere else (a plain receive, a range) is left alone.
func gaveUpPartner(pass *analysis.Pass, st *state, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.closes) > 0 || len(c.recvs) == 0 {
		return analysis.Diagnostic{}, false
	}
	for _, r := range c.recvs {
		// One select, so that the message can name it.
		if r.giveUp == nil || r.giveUp.sel != c.recvs[0].giveUp.sel || !calledOnce(pass, r.giveUp.fn) {
			return analysis.Diagnostic{}, false
		}
	}
	r := c.recvs[0]
	if neverReadyCtxDone(pass, r.giveUp.exit) {
		// The case that would end the loop receives from the Done of a
		// context that is never cancelled (context.WithoutCancel): it
		// never fires, and the loop goes on receiving.
		return analysis.Diagnostic{}, false
	}
	if r.giveUp.exitComm != nil && ctxNeverCancelled(st.pass, r.giveUp.exitComm) {
		// The Done of a context whose cancel nothing calls
		// (ctxnever.go): that case is never taken either.
		return analysis.Diagnostic{}, false
	}
	if st.exitNeverSignalled(r.giveUp.exitVar) {
		// The case that would end the loop receives from a channel that
		// only code nothing in the program calls closes or sends on (a
		// Stop main never calls): it is never taken, the loop goes on
		// receiving, and no send blocks for want of a receiver
		// (truth/r18b_loop_never_stopped).
		return analysis.Diagnostic{}, false
	}
	for _, s := range c.sends {
		// A send in the receiver's own function (a goroutine it starts)
		// next to a select that runs once is timeoutleak's case, with its
		// fix; a select in a loop is this rule's.
		sameDecl := chanutil.DeclAt(pass.Files, s.pos) == chanutil.DeclAt(pass.Files, r.pos)
		if !s.blocking || sameDecl && (r.giveUp.once || !goStartedBeforeLoop(pass, r.giveUp.sel, s.pos)) || senderStops(pass, st, r.giveUp.exitVar, s.pos) || senderCancels(pass, r.giveUp.comm, s.pos) {
			continue
		}
		stop, outside := callersStop(pass, st, r.giveUp.exitVar, s.pos)
		if stop && outside == "" {
			continue
		}
		if strings.HasSuffix(r.giveUp.comm, ".Done()") && callersCancel(pass, s.pos) {
			continue
		}
		return analysis.Diagnostic{Pos: s.pos, End: s.end, Category: name,
			Message: message("gaveUp", map[string]any{
				"Chan": s.text, "Made": chanutil.Where(pass.Fset, c.made[0], s.pos), "Select": chanutil.Where(pass.Fset, r.giveUp.sel, s.pos),
				"Exit": r.giveUp.comm, "ExitAt": chanutil.Where(pass.Fset, r.giveUp.exit, s.pos), "Once": r.giveUp.once,
				// A timer the select makes itself is not one the sender
				// can select on: a fresh time.After there is another timer.
				"TimerExit": strings.HasPrefix(r.giveUp.comm, "<-time."),
				// Stuck before the send (a Cond's Wait nothing signals),
				// the goroutine never sends: the send blocks only if
				// reached.
				"Before": blocksBeforeSend(pass, s.pos),
				// A sender whose loop never ends sends without bound: no
				// buffer has room for every send after the select gives up.
				"Endless": endlessLoopAt(pass, s.pos),
				// Reached from an exported function of an importable
				// package: whether its callers send after the stop is
				// not in view, so the finding says what such a call
				// does (truth/r17l_sink_package never makes one;
				// truth/r16v_queue_push_after_close does).
				"Outside": outside,
			}),
			Related: []analysis.RelatedInformation{
				{Pos: r.pos, Message: message("gaveUpRecv", map[string]any{"Once": r.giveUp.once})},
				{Pos: r.giveUp.exit, Message: message("gaveUpExit", map[string]any{"Once": r.giveUp.once})},
				{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
			}}, true
	}
	return analysis.Diagnostic{}, false
}

// calledOnce: the function holding the select runs once (the model's
// RunsOnce): a literal started by a go statement outside loops, main or a
// test function, or an unexported function of the package called from one
// place, outside loops, and never used as a value. Otherwise a later call
// (a new stream's handler, a restarted loop) may take the value.
func calledOnce(pass *analysis.Pass, fn ast.Node) bool {
	pkg := pkgModel(pass)
	return pkg != nil && pkg.RunsOnce(fn, func(obj types.Object) bool { return public(pass, obj) })
}

// endlessLoopAt is where the loop around p that never ends starts (the
// model's LoopNeverEnds: no pass leaves it, nothing closes its time
// channel), "" when every loop around p can end.
func endlessLoopAt(pass *analysis.Pass, p token.Pos) string {
	m := modelOf(pass, p)
	if m == nil {
		return ""
	}
	loops, _ := m.LoopsAround(p)
	for _, l := range loops {
		if m.LoopNeverEnds(l) {
			return chanutil.Where(pass.Fset, l.Pos(), p)
		}
	}
	return ""
}

// neverReadyCtxDone reports whether the select case at p (its case
// keyword) receives from ctx.Done() of a context the model proves is
// never cancelled (model.CtxNever: its Done is nil, so the case is never
// ready).
func neverReadyCtxDone(pass *analysis.Pass, p token.Pos) bool {
	m := modelOf(pass, p)
	if m == nil {
		return false
	}
	for _, op := range m.ChanOps {
		if op.Kind == model.Recv && op.Select != nil && op.Select.Pos == p && strings.HasSuffix(op.Source, ".Done") {
			origin, _ := op.Ctx()
			return origin == model.CtxNever
		}
	}
	return false
}

// callersCancel is callersStop for a loop a context's Done ends: every
// path of callers up from the send at p reaches a function that calls a
// context.CancelFunc, itself or through a function of the package it
// calls or defers (main deferring c.Close(), which calls c.cancel():
// truth/r21k_refresher_stop). Which context that cancels, and whether it
// comes after the sends, is not checked: where the callers hold a cancel,
// the rule stays silent rather than guess.
func callersCancel(pass *analysis.Pass, p token.Pos) bool {
	fd := chanutil.DeclAt(pass.Files, p)
	if fd == nil {
		return false
	}
	if lit := funcAt(pass, p); lit != nil && lit != ast.Node(fd) {
		return false
	}
	return callersCancelFrom(pass, fd, map[*ast.FuncDecl]bool{}, 8)
}

func callersCancelFrom(pass *analysis.Pass, fd *ast.FuncDecl, done map[*ast.FuncDecl]bool, depth int) bool {
	if ok, asked := done[fd]; asked {
		return ok
	}
	done[fd] = false
	ok := callersCancelAsk(pass, fd, done, depth)
	done[fd] = ok
	return ok
}

func callersCancelAsk(pass *analysis.Pass, fd *ast.FuncDecl, done map[*ast.FuncDecl]bool, depth int) bool {
	if fd.Body == nil || depth <= 0 {
		return false
	}
	obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	pkg := pkgModel(pass)
	if obj == nil || pkg == nil || pass.Pkg.Name() != "main" && public(pass, obj) {
		return false
	}
	calls, other := pkg.CallsOf(obj)
	if len(calls) == 0 || other != 0 {
		return false
	}
	for _, call := range calls {
		if goStarting(pass, call.Call) != nil {
			return false
		}
		caller := chanutil.DeclAt(pass.Files, call.Call.Pos())
		if caller == nil || funcAt(pass, call.Call.Pos()) != ast.Node(caller) {
			return false
		}
		if cancelsIn(pass, caller, true) {
			continue
		}
		if !callersCancelFrom(pass, caller, done, depth-1) {
			return false
		}
	}
	return true
}

// cancelsIn reports whether fd's body calls a context.CancelFunc, or,
// when deeper, calls or defers a function of the package that does.
func cancelsIn(pass *analysis.Pass, fd *ast.FuncDecl, deeper bool) bool {
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if t := pass.TypesInfo.TypeOf(call.Fun); t != nil && t.String() == "context.CancelFunc" {
			found = true
			return false
		}
		if deeper {
			if callee := chanutil.PackageCallee(pass.TypesInfo, pass.Pkg, call); callee != nil {
				if d := pkgModel(pass).FuncDecl(callee); d != nil && d != fd && cancelsIn(pass, d, false) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
