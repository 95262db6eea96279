package hints

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/golens/golens/model"
)

// maxLabel is the longest label, in characters.
const maxLabel = 24

// mayExitTip is one call of an exit variable golens does not prove bound.
type mayExitTip struct {
	Call, Var, Bound, Why string
	Line, DeclLine        int
}

type deferTip struct {
	// Endless: the line of a loop after the defer that never ends
	// (model.Defer.EndlessAfter): the call never runs.
	Endless int
	// AllAddr: every argument listed is an address (&x), so the deferred
	// call already sees the variables as they are when it runs.
	AllAddr bool
	Call    string
	Func    string
	Index   int
	Total   int
	Lo, Hi  int
	Open    bool
	Many    bool
	Once    string // the proven run-once flag of a defer in a loop (model.DeferOrder.Once)
	// OnceCond is the guard when Once is a loop counter (model.DeferOrder.OnceCond).
	OnceCond string
	Never    bool // every path from it ends the program (os.Exit, log.Fatal)
	// Ended is a deferred call that ends the program and runs before this
	// one (model.DeferOrder.EndedBy), with its line; EndedAll when it does
	// on every path.
	Ended     string
	EndedLine int
	EndedAll  bool
	// MayEnd is a deferred call that runs before this one and can end the
	// program on some of its paths (model.DeferOrder.MayEndBy), with its
	// line.
	MayEnd     string
	MayEndLine int
	// Fatal is a deferred Unlock that runs before this one and, on the
	// paths through the Unlock at FatalAfterLine, unlocks the mutex a
	// second time (model.Defer.FatalUnlock), with its line.
	Fatal          string
	FatalLine      int
	FatalAfterLine int
	Unknown        string // why the model did not work out the run order (model.DeferOrder.Why)
	// MayExits are later calls of a variable bound to os.Exit or
	// log.Fatal* that golens does not prove still bound
	// (model.File.UnprovenExitsAfter), as the hover lists them.
	MayExits []mayExitTip
	// SetsResults: the named results of Func a deferred closure assigns
	// (model.Defer.SetsResults): the only case the tooltip speaks of them.
	SetsResults []string
	Conditional bool
	Exits       []exitTip
	// Goexit names the runtime.Goexit (or t.Fatal) calls that are the only
	// exits where the call runs (model.DeferOrder.RunsAtGoexit), as the
	// hover does: "`runtime.Goexit()` at line 20".
	Goexit string
	// SwapVar, SwapAt: the exit variable whose call skips the defer and
	// the test file line that assigns it (model.File.ExitTestSwap).
	SwapVar, SwapAt string
	Receiver        string
	Args            []argTip
	Captures        []capTip
	loopAddrTip
	Written bool
}

// exitTip is what happens to a deferred call at one exit of its function.
type exitTip struct {
	Line int
	Kind string // "return", "end", "panic", "goexit", "exit", "mayexit" (a helper that exits on some paths)
	Call string // the exit call: "os.Exit(1)", "panic(err)"; for "mayexit" the helper call
	// Exit, ExitLine ("mayexit"): the call in the helper that ends the
	// program, where.
	Exit       string
	ExitLine   int
	Registered string // "all", "some", "no": has the defer run on the paths here
	Lo, Hi     int
	Open       bool
}

type argTip struct {
	Expr       string
	Value      string
	Call       bool
	Addr       string // the argument is &Addr: the call reads Addr through the pointer when it runs
	Reassigned []int
	// More counts the later writes past the first maxShownWrites, which
	// the tooltip does not list: a variable may be written thousands of
	// times after thousands of defers, and formatting every write for
	// every defer would be quadratic.
	More int
}

// maxShownWrites is how many later writes of a deferred argument the
// tooltip lists by line.
const maxShownWrites = 5

type capTip struct {
	Name    string
	Written bool
	Loop    bool
	// For a loop variable, when the file's Go version is known: GoLine
	// ("1.21"), where it comes from (GoRule: "go.mod says go 1.21", or the
	// file's //go:build line: model.File.GoVersionRule) and which
	// semantics it selects.
	GoLine, GoRule       string
	PerIteration, Shared bool
	// Fixed: a per-iteration loop variable nothing in the loop changes
	// (model.File.FixedCaptures): at return it still holds its value of
	// now.
	Fixed bool
}

func (s *state) defers() {
	for _, d := range s.m.Defers {
		if d.Func == nil || d.Node == nil {
			continue
		}
		s.deferStmt(d)
	}
}

func (s *state) deferStmt(d *model.Defer) {
	obj := s.off(d.Pos)
	end := s.off(d.End)
	head := end // where the order hint goes: the end of the first line
	lit, _ := ast.Unparen(d.Node.Call.Fun).(*ast.FuncLit)
	if lit != nil && lit.Body != nil {
		head = s.off(lit.Body.Lbrace + 1)
	}
	if s.only < 0 && (end < s.start || obj > s.end) {
		return // neither label can be in range
	}
	if s.only >= 0 && obj != s.only {
		return
	}

	// Order: read from the model's per-path Defer.Order, which hover reads
	// too, so the two never disagree.
	if o := d.Order(); o.Known && !s.skip(obj, head) {
		total := len(d.Func.Defers)
		// A defer some path returns before reaching (in a branch, or after an
		// early return) runs only if reached: the label says so, as the hover does.
		cond := o.Registered == model.Some || d.Conditional && o.Registered != model.All
		var name string
		var args labelArgs
		args.Lo, args.Hi = o.Lo, o.Hi
		goexit := s.goexitAt(o)
		if goexit != "" {
			args.W = "Goexit"
		}
		switch {
		case d.EndlessAfter.IsValid() && o.Registered != model.No:
			name = "defer.endless" // the model's loop after it that never ends
		case o.EndedBy != nil && o.EndedByAll:
			name = "defer.skipped"
			args.S = enderCallee(o.EndedBy)
		case o.Registered == model.No && len(o.Skipping()) > 0:
			name = "defer.skipped"
			args.S = o.Skipping()[0].Callee()
		case o.Registered == model.No:
			name = "" // dead code, or f never returns: nothing to say
		case o.Many:
			name = "defer.loop"
		case o.Open:
			name = "defer.open"
		case o.Lo != o.Hi && cond:
			name = "defer.range.cond"
		case o.Lo != o.Hi:
			name = "defer.range"
		case total == 1 && cond:
			name = "defer.only.cond"
		case total == 1:
			name = "defer.only"
		case cond:
			name = "defer.nth.cond"
		default:
			name = "defer.nth"
		}
		if name != "" {
			it := item{kind: Defer, obj: obj, sub: 'o', off: head, label: label(name, args)}
			if s.wantTip {
				it.tip, it.tipData = "defer.order", deferTip{
					Call: d.Call, Func: funcName(d.Func), Index: d.Index, Total: total,
					Lo: o.Lo, Hi: o.Hi, Open: o.Open, Many: o.Many, Once: o.Once, OnceCond: o.OnceCond, Conditional: cond, Never: o.Registered == model.No,
					Exits: s.exitTips(d, o), Goexit: goexit,
				}
				if name == "defer.endless" {
					t := it.tipData.(deferTip)
					t.Endless, t.Exits = s.m.Line(d.EndlessAfter), nil
					it.tipData = t
				}
				if o.Registered == model.No {
					t := it.tipData.(deferTip)
					for _, e := range o.Skipping() {
						if t.SwapVar, t.SwapAt = s.m.ExitTestSwap(e); t.SwapAt != "" {
							break
						}
					}
					it.tipData = t
				}
				if us := s.m.UnprovenExitsAfter(d); len(us) > 0 {
					t := it.tipData.(deferTip)
					for _, u := range us {
						t.MayExits = append(t.MayExits, mayExitTip{Call: u.Call, Line: s.m.Line(u.Pos), Var: u.Var.Name, Bound: u.Var.Bound, DeclLine: s.m.Line(u.Var.Decl), Why: u.Var.Why})
					}
					it.tipData = t
				}
				if e := o.MayEndBy; e != nil {
					t := it.tipData.(deferTip)
					t.MayEnd, t.MayEndLine = o.MayEndCall, s.m.Line(e.Pos)
					it.tipData = t
				}
				if by, after := d.FatalUnlock(s.m); by != nil {
					t := it.tipData.(deferTip)
					t.Fatal, t.FatalLine, t.FatalAfterLine = by.Call, s.m.Line(by.Pos), s.m.Line(after.Pos)
					t.Exits = nil
					it.tipData = t
				}
				if e := o.EndedBy; e != nil {
					t := it.tipData.(deferTip)
					t.Ended, t.EndedLine, t.EndedAll = o.EndedCall, s.m.Line(e.Pos), o.EndedByAll
					if t.EndedAll {
						t.Exits = nil
					}
					it.tipData = t
				}
			}
			s.emit(&it)
		}
	} else if o.Why != "" && !s.skip(obj, head) {
		// The model left the order unknown, and says why: the hint says
		// so rather than nothing, as the hover does.
		it := item{kind: Defer, obj: obj, sub: 'o', off: head, label: label("defer.unknown", labelArgs{})}
		if s.wantTip {
			it.tip, it.tipData = "defer.unknown", deferTip{Call: d.Call, Func: funcName(d.Func), Index: d.Index, Total: len(d.Func.Defers), Unknown: o.Why}
		}
		s.emit(&it)
	}

	// Arguments evaluated now.
	if len(d.Args) > 0 && !s.skip(obj, end) {
		var args []argTip
		var names []string
		allAddr := true
		for _, a := range d.Args {
			if s.isConstant(a.Node, a.Value) {
				continue
			}
			_, isCall := ast.Unparen(a.Node).(*ast.CallExpr)
			// &x: the pointer is fixed now, but the call reads x through
			// it when it runs.
			addr := ""
			if u, ok := ast.Unparen(a.Node).(*ast.UnaryExpr); ok && u.Op == token.AND {
				if _, ok := ast.Unparen(u.X).(*ast.CompositeLit); !ok {
					addr = s.m.Text(u.X.Pos(), u.X.End())
				}
			}
			// The writes that can run after this defer: the model's
			// WritesAfter, which the hover and the deferargs check read.
			writes, more := s.m.WritesAfter(d, a.ReassignedAt), 0
			if len(writes) > maxShownWrites {
				writes, more = writes[:maxShownWrites], len(writes)-maxShownWrites
			}
			args = append(args, argTip{Expr: a.Expr, Value: a.Value, Call: isCall, Addr: addr, Reassigned: s.lines(writes), More: more})
			if addr == "" {
				allAddr = false
			}
			names = append(names, a.Expr)
		}
		if len(args) > 0 {
			it := item{kind: Defer, obj: obj, sub: 'a', off: end}
			if v := args[0].Expr + " = " + args[0].Value; len(args) == 1 && args[0].Value != "" && utf8.RuneCountInString(v)+4 <= maxLabel {
				it.label = label("defer.value", labelArgs{S: v})
			} else {
				it.label = s.argsLabel("defer", d.Node.Call, args, names)
			}
			if s.wantTip {
				it.tip, it.tipData = "defer.args", deferTip{Call: d.Call, Func: funcName(d.Func), Receiver: d.Receiver, Args: args, AllAddr: allAddr, loopAddrTip: s.loopAddrs(d.LoopAddrs)}
			}
			s.emit(&it)
		}
	}

	// A deferred closure reads the variables it captures when it runs.
	if lit != nil && len(d.Captures) > 0 && !s.skip(obj, head) {
		// Which captures the closure assigns: the model's, by variable (a
		// shadowing declaration inside the closure is another variable).
		var caps []capTip
		anyWritten := false
		// The captures that hold their value of now when it runs (a
		// per-iteration loop variable nothing changes): the label names
		// the others, which it reads at return.
		fixed := s.m.FixedCaptures(d)
		var later []string
		goLine := ""
		if len(fixed) > 0 {
			goLine = strings.TrimPrefix(s.m.GoVersion(), "go")
		}
		for _, c := range d.Captures {
			w := slices.Contains(d.CapturesWritten, c)
			anyWritten = anyWritten || w
			f := slices.Contains(fixed, c)
			caps = append(caps, capTip{Name: c, Written: w, Fixed: f, GoLine: goLine})
			if !f {
				later = append(later, c)
			}
		}
		verb := "reads"
		if anyWritten {
			verb = "uses"
		}
		it := item{kind: Defer, obj: obj, sub: 'c', off: head}
		var w string // "at return", or "at Goexit" (see the order label)
		if o := d.Order(); o.Known && s.goexitAt(o) != "" {
			w = "Goexit"
		}
		if len(later) == 0 {
			if list, ok := fitSome(fixed, maxLabel-len("reads this pass's ")); ok {
				it.label = label("defer.readspass", labelArgs{S: list})
			} else {
				it.label = label("defer.nreadspass", labelArgs{N: len(fixed)})
			}
		} else if list, ok := fitSome(later, maxLabel-len(verb)-len("  at return")); ok {
			it.label = label("defer."+verb, labelArgs{S: list, W: w})
		} else {
			it.label = label("defer.n"+verb, labelArgs{N: len(later), W: w})
		}
		if s.wantTip {
			it.tip, it.tipData = "defer.captures", deferTip{Call: d.Call, Func: funcName(d.Func), Captures: caps, Written: anyWritten, SetsResults: d.SetsResults}
		}
		s.emit(&it)
	}
}

// goexitAt names the calls of runtime.Goexit (or t.Fatal) where the
// deferred call runs when they are the only exits where it does
// (model.DeferOrder.RunsAtGoexit), "" otherwise: the hover says the same.
func (s *state) goexitAt(o model.DeferOrder) string {
	gx, only := o.RunsAtGoexit()
	if !only {
		return ""
	}
	var calls []string
	for _, e := range gx {
		calls = append(calls, fmt.Sprintf("`%s` at line %d", e.Call, s.m.Line(e.Pos)))
	}
	return strings.Join(calls, " or ")
}

// exitTips lists, for each exit of the defer's function, what happens to
// the deferred call there.
func (s *state) exitTips(d *model.Defer, o model.DeferOrder) []exitTip {
	helpers := s.m.ExitHelpersAfter(d)
	if len(o.Exits) < 2 && len(o.Skipping()) == 0 && len(helpers) == 0 {
		return nil // one exit: the position says it all
	}
	var out []exitTip
	for _, e := range o.Exits {
		t := exitTip{Line: s.m.Line(e.Exit.Pos), Kind: e.Exit.Kind.String(), Call: e.Exit.Call,
			Registered: e.Registered.String(), Lo: e.Lo, Hi: e.Hi, Open: e.Open}
		out = append(out, t)
	}
	// A call of a function that ends the program on some of its paths
	// is one more way out (model.File.ExitHelpersAfter), in line order.
	for _, h := range helpers {
		out = append(out, exitTip{Line: s.m.Line(h.Pos), Kind: "mayexit", Call: h.Call, Exit: h.Exit, ExitLine: s.m.Line(h.ExitPos), Registered: "all"})
	}
	if len(helpers) > 0 {
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].Kind == "end" || out[j].Kind == "end" {
				return out[j].Kind == "end" && out[i].Kind != "end"
			}
			return out[i].Line < out[j].Line
		})
	}
	return out
}

// isConstant reports whether a call argument is a constant (a literal, a
// named constant, nil, true/false): nothing to tell about its evaluation.
func (s *state) isConstant(e ast.Expr, value string) bool {
	e = ast.Unparen(e)
	if info := s.m.Info; info != nil {
		if tv, ok := info.Types[e]; ok && (tv.Value != nil || tv.IsNil()) {
			return true
		}
		if id, ok := e.(*ast.Ident); ok {
			switch info.ObjectOf(id).(type) {
			case *types.Const, *types.Nil:
				return true
			}
		}
		return false
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		if e.Obj == nil {
			switch e.Name {
			case "nil", "true", "false", "iota":
				return true
			}
			return false
		}
		return e.Obj.Kind == ast.Con
	}
	// A composite expression the model could evaluate to a constant
	// (2*time.Second, "a"+"b") holds no variable.
	return value != ""
}

func funcName(f *model.Func) string {
	if f.Lit {
		return "the function literal"
	}
	return f.Name
}

// argsLabel says which arguments are evaluated now: their names when they
// fit, the callee of a lone call argument ("time.Since() runs now": the
// classic surprise), or their count.
func (s *state) argsLabel(family string, call *ast.CallExpr, args []argTip, names []string) string {
	if list, ok := fitNames(names, maxLabel-len(" evaluated now")); ok {
		return label(family+".args", labelArgs{S: list})
	}
	if len(args) == 1 && args[0].Call {
		for _, a := range call.Args {
			if c, ok := ast.Unparen(a).(*ast.CallExpr); ok && s.m.Text(a.Pos(), a.End()) == args[0].Expr {
				if fun := s.m.Text(c.Fun.Pos(), c.Fun.End()); utf8.RuneCountInString(fun) <= maxLabel-len("() runs now") {
					return label("callnow", labelArgs{S: fun})
				}
			}
		}
	}
	return label(family+".nargs", labelArgs{N: len(args)})
}

// enderCallee names the function a deferred call that ends the program
// calls, for a label: "os.Exit" for defer os.Exit(1) and for a deferred
// literal that ends with os.Exit(code).
func enderCallee(d *model.Defer) string {
	call := d.Node.Call
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && len(lit.Body.List) > 0 {
		if es, ok := lit.Body.List[len(lit.Body.List)-1].(*ast.ExprStmt); ok {
			if c, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
				call = c
			}
		}
	}
	return types.ExprString(call.Fun)
}

// LoopWhat names what reads the pointer, for the note.
func (t deferTip) LoopWhat() string { return "the deferred call" }
