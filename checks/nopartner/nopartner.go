package nopartner

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "nopartner"

// Analyzer reports channel operations that nothing in the package can
// complete.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report a receive from a channel nothing sends on or closes, and a send on a channel nothing receives from\n\n" +
		"A channel that the package never lets out of its sight, and that no code sends on or closes, " +
		"blocks every receive from it forever; one that no code receives from blocks every send once " +
		"its buffer is full. The channel is followed through assignments, function parameters and " +
		"results within the package.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{inspect.Analyzer, modelpass.Analyzer},
	Run:      run,
}

// A channel class is the set of variables (locals, parameters, unexported
// fields and package variables) that the package's code shows hold the same
// channels, with what the package does to them: a fact of the model
// (model.ChanClass, Package.ChanClasses), read here. class is this check's
// view of one: the model's fields under the names the rules use, and for
// each receive in a select the case that gives up on it (giveUp, which
// only this check's rules need).

type class struct {
	fact      *model.ChanClass
	vars      []types.Object
	made      []token.Pos // make(chan ...) assigned into the class
	sends     []op
	recvs     []op
	closes    []token.Pos
	escapes   bool // used where the package loses sight of it, or its buffer is read (len, cap)
	recvOnly  bool // handed out of the package only as <-chan: outsiders can receive
	buffered  bool
	unbounded bool // a make whose capacity is not a constant
}

type op struct {
	pos, end token.Pos
	text     string
	blocking bool    // not a select case with alternatives
	giveUp   *giveUp // a receive in a select, in a loop another case ends
	maybe    bool    // through an interface: possibly another type's channel
}

func (c *class) root() *class { return c }

type state struct {
	pass    *analysis.Pass
	pkg     *model.Package
	classes map[types.Object]*class
	results map[*types.Func]*class // functions whose results are a channel of a class
	order   []*class               // every class, in the model's order

	used         map[types.Object]bool // functions some code refers to (dead.go)
	ifaceMethods map[string]bool       // method names interfaces declare (dead.go)

	// models are the files' models: whether a select case leaves its
	// loop is their reachability answer (leavesLoop).
	models *modelpass.Result
}

// modelAt returns the model of the file holding pos, or nil.
func (st *state) modelAt(pos token.Pos) *model.File {
	if st.models == nil {
		return nil
	}
	for _, f := range st.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return st.models.Files[f]
		}
	}
	return nil
}

// of is the class of a channel variable; one the package never mentions
// gets a class of its own, with no operations.
func (st *state) of(obj types.Object) *class {
	if v, ok := obj.(*types.Var); ok {
		obj = v.Origin() // as the model keys the classes
	}
	c := st.classes[obj]
	if c == nil {
		c = &class{vars: []types.Object{obj}, escapes: !st.pkg.Trackable(obj)}
		st.classes[obj] = c
	}
	return c
}

func isChan(t types.Type) (*types.Chan, bool) {
	if t == nil {
		return nil, false
	}
	c, ok := t.Underlying().(*types.Chan)
	return c, ok
}

// readClasses builds the check's view of the package's channel classes.
func (st *state) readClasses(ins *inspector.Inspector) {
	facts := st.pkg.ChanClasses()
	// The receives whose select may give up on them: the cursor of each
	// <-x a class receives from (loopGiveUp walks up from it).
	recvAt := map[ast.Node]inspector.Cursor{}
	for _, fc := range facts.All() {
		for _, r := range fc.Recvs {
			if u, ok := r.Node.(*ast.UnaryExpr); ok && !r.ViaInterface {
				recvAt[u] = inspector.Cursor{}
			}
		}
	}
	for cur := range ins.Root().Preorder((*ast.UnaryExpr)(nil)) {
		if _, ok := recvAt[cur.Node()]; ok {
			recvAt[cur.Node()] = cur
		}
	}
	view := map[*model.ChanClass]*class{}
	for _, fc := range facts.All() {
		c := &class{fact: fc, vars: fc.Vars, made: fc.Makes, closes: fc.Closes,
			// The rules about sends read len and cap as a way out
			// too: a send guarded by len(ch) < cap(ch) need not block.
			escapes:  fc.Unseen || len(fc.LenCapReads) > 0,
			recvOnly: fc.RecvOnlyOut, buffered: fc.Buffered, unbounded: fc.UnknownCap}
		for _, s := range fc.Sends {
			// A send on a call's result only ever silences a finding
			// (a class with a sender is not "never sent on"): never
			// taken as a blocking send.
			c.sends = append(c.sends, op{s.Pos, s.End, s.Text, s.Blocking && !s.OnCall, nil, s.ViaInterface || s.OnCall})
		}
		for _, r := range fc.Recvs {
			var gu *giveUp
			if u, ok := r.Node.(*ast.UnaryExpr); ok && !r.ViaInterface {
				if cur := recvAt[u]; cur.Node() != nil {
					gu = st.loopGiveUp(cur, u)
				}
			}
			c.recvs = append(c.recvs, op{r.Pos, r.End, r.Text, r.Blocking, gu, r.ViaInterface})
		}
		view[fc] = c
		st.order = append(st.order, c)
	}
	for obj, fc := range facts.Vars() {
		st.classes[obj] = view[fc]
	}
	for fn, fc := range facts.Results() {
		st.results[fn] = view[fc]
	}
}

func run(pass *analysis.Pass) (any, error) {
	st := &state{pass: pass, classes: map[types.Object]*class{}, results: map[*types.Func]*class{}}
	st.models = pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	st.pkg = st.models.Package
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	st.readClasses(ins)

	var funcs [][2]token.Pos // every function body, for closedBefore
	for cur := range ins.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		funcs = append(funcs, [2]token.Pos{cur.Node().Pos(), cur.Node().End()})
	}
	var out []analysis.Diagnostic
	for _, c := range st.order {
		if c.fact == nil || c.fact.Unseen || len(c.made) == 0 {
			continue
		}
		before := len(out)
		// The class's Sent and Closed facts, proven false: golens sees
		// every use of its channels (len and cap only read the buffer).
		if c.fact.Sent().ProvenFalse() && c.fact.Closed().ProvenFalse() && len(c.recvs) > 0 {
			for _, r := range c.recvs {
				if r.blocking && !r.maybe && !guardedByLen(pass, c.fact, r.pos) {
					out = append(out, analysis.Diagnostic{Pos: r.pos, End: r.end, Category: name,
						Message: fmt.Sprintf("nothing in the package sends on or closes %s (made at %s), and it %s: this receive blocks forever",
							r.text, chanutil.Where(pass.Fset, c.made[0], r.pos), leaves(c)),
						Related: []analysis.RelatedInformation{{Pos: c.made[0], Message: "the channel is made here"}}})
					break
				}
			}
		}
		if c.escapes {
			continue // the other rules count a len or cap read as a way out
		}
		// Buffered: a sink whose sends may all fit (an error channel
		// nobody reads but that never fills) is not worth a finding.
		live, deadIn := st.liveRecvs(c)
		if len(live) == 0 && !c.recvOnly && len(c.sends) > 0 && !c.buffered && !c.unbounded {
			for _, s := range c.sends {
				if !s.blocking || closedBefore(funcs, c, s.pos) {
					continue
				}
				if fd := chanutil.DeclAt(pass.Files, s.pos); len(deadIn) > 0 && (fd == nil || st.dead(fd)) {
					continue // the send never runs either
				}
				dead := ""
				if len(deadIn) > 0 {
					dead = deadIn[0]
				}
				out = append(out, analysis.Diagnostic{Pos: s.pos, End: s.end, Category: name,
					Message: message("noReceiver", map[string]any{
						"Chan": s.text, "Made": chanutil.Where(pass.Fset, c.made[0], s.pos), "DeadIn": dead,
						// A function stuck before its send (a Lock,
						// a Wait, a receive: the model's
						// BlocksBeforeSend) may never make it: the
						// send blocks forever only if reached.
						"Before": blocksBeforeSend(pass, s.pos),
					}),
					Related: []analysis.RelatedInformation{{Pos: c.made[0], Message: "the channel is made here"}}})
				break
			}
		}
		if len(live) == 0 && !c.recvOnly && (c.buffered || c.unbounded) {
			if s, fn, ok := repeatedSinkSend(pass, c); ok && !closedBefore(funcs, c, s.pos) {
				dead := ""
				if len(deadIn) > 0 {
					dead = deadIn[0]
				}
				out = append(out, analysis.Diagnostic{Pos: s.pos, End: s.end, Category: name,
					Message: message("repeatedSink", map[string]any{
						"Chan": s.text, "Made": chanutil.Where(pass.Fset, c.made[0], s.pos), "Func": fn.Name(), "Exported": public(pass, fn),
						"DeadIn": dead,
					}),
					Related: []analysis.RelatedInformation{{Pos: c.made[0], Message: "the channel is made here, with a buffer"}}})
			}
		}
		if d, ok := gaveUpPartner(pass, st, c); ok {
			out = append(out, d)
		}
		if d, ok := skippedSend(pass, c); ok {
			out = append(out, d)
		}
		if d, ok := errExitPartner(pass, c); ok {
			out = append(out, d)
		} else if d, ok := errFanout(pass, c); ok { // errfanout.go
			out = append(out, d)
		} else if d, ok := fieldEarlyReturn(pass, c); ok { // fieldearly.go
			out = append(out, d)
		}
		if d, ok := broadcastBySend(pass, c); ok {
			out = append(out, d)
		}
		if d, ok := condChan(pass, c); ok { // condchan.go
			out = append(out, d)
		}
		if len(out) == before {
			// endless.go: only when no other rule has explained the class.
			if d, ok := endlessProducer(pass, c); ok {
				out = append(out, d)
			} else if d, ok := finiteProducer(pass, c); ok { // finite.go
				out = append(out, d)
			}
		}
	}
	out = append(out, sendCycles(pass, st, st.order)...)
	out = append(out, circularWaits(pass, st.order)...)
	for _, d := range out {
		pass.Report(d)
	}
	return nil, nil
}

// closedBefore reports whether the class is closed earlier in the
// function that sends at p: a send on a closed channel panics rather than
// block (runtime's crash tests do it on purpose).
func closedBefore(funcs [][2]token.Pos, c *class, p token.Pos) bool {
	inner := func(p token.Pos) [2]token.Pos {
		var best [2]token.Pos
		for _, f := range funcs {
			if f[0] <= p && p < f[1] && (best[1] == 0 || f[1]-f[0] < best[1]-best[0]) {
				best = f
			}
		}
		return best
	}
	f := inner(p)
	for _, cl := range c.closes {
		if cl < p && inner(cl) == f {
			return true
		}
	}
	return false
}

// guardedByLen reports a receive at p under a condition that reads the
// class's buffer length (for len(ch) > 0 { <-ch }, if len(ch) > 0 { ... }):
// with nothing sent the buffer stays empty and the receive never runs.
func guardedByLen(pass *analysis.Pass, c *model.ChanClass, p token.Pos) bool {
	if len(c.LenCapReads) == 0 {
		return false
	}
	in := func(n ast.Node) bool {
		if n == nil || reflect.ValueOf(n).IsNil() {
			return false
		}
		for _, r := range c.LenCapReads {
			if n.Pos() <= r && r < n.End() {
				return true
			}
		}
		return false
	}
	for _, f := range pass.Files {
		if !(f.FileStart <= p && p <= f.FileEnd) {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(f, p, p)
		for _, n := range path {
			switch n := n.(type) {
			case *ast.IfStmt:
				if in(n.Cond) {
					return true
				}
			case *ast.ForStmt:
				if in(n.Cond) {
					return true
				}
			case *ast.CaseClause:
				for _, e := range n.List {
					if in(e) {
						return true
					}
				}
			case *ast.FuncDecl, *ast.FuncLit:
				return false
			}
		}
	}
	return false
}

func leaves(c *class) string {
	if c.recvOnly {
		return "leaves the package only as a receive-only channel"
	}
	return "does not leave the package"
}

// varOf is the channel variable an expression reads: x, s.f, (x).
func (st *state) varOf(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := st.pass.TypesInfo.Uses[e].(*types.Var); ok {
			return v.Origin()
		}
	case *ast.SelectorExpr:
		if sel := st.pass.TypesInfo.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			return sel.Obj().(*types.Var).Origin()
		}
	}
	return nil
}

func (st *state) callee(c *ast.CallExpr) *types.Func {
	return chanutil.PackageCallee(st.pass.TypesInfo, st.pass.Pkg, c)
}
