package hints

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/golens/golens/model"
)

type goTip struct {
	Call     string
	Func     string
	Receiver string
	Args     []argTip
	Captures []capTip
	loopAddrTip
	// The wait fields are the model's GoWait (Goroutine.Wait), the one
	// the go hover reads: WaitedBy the wait, WaitLines where;
	// WaitThrough a wait in another function; WaitWhy why golens cannot
	// tell; NothingWaits the proven negative; GiveUp how the wait can
	// give up for good, GiveUpThen what waits after that; WaitEnd when it
	// ends, if the goroutine may not end it.
	WaitedBy     string
	WaitLines    []int
	WaitThrough  string
	WaitWhy      string
	NothingWaits bool
	// OtherWaitBy, OtherWaitLine, OtherGoLine: with NothingWaits, a
	// wg.Wait() in another goroutine the function starts that waits for
	// this one (model.GoWait.InOtherGo).
	OtherWaitBy   string
	OtherWaitLine int
	OtherGoLine   int
	// OtherDoneCall, OtherDoneLine: the goroutine's Done on that
	// WaitGroup when it runs only on some of its paths
	// (model.GoWait.InOtherGoDoneSome), as the go hover says it.
	OtherDoneCall string
	OtherDoneLine int
	// Starter: with NothingWaits, what the end of the starting function
	// means for the goroutine (model.File.StarterOf, as the go hover
	// reads it): "main", "mainNeverEnds", "mainGoexit" or "other".
	Starter    string
	GiveUp     string
	GiveUpThen string
	WaitEnd    *model.WaitEnd
	// StartBlockedLine, StartBlockedChan, StartBlockedRecv: a send (or a
	// receive) before the go statement that blocks forever, so the
	// goroutine is never started (model.File.StartBlocked).
	StartBlockedLine int
	StartBlockedChan string
	StartBlockedRecv bool
	StartBlockedMade int // the make of StartBlockedChan: the scan that proves the block starts there
	// StartCondCall, StartCondLine, StartCondWhere: a call before the go
	// statement that can wait on a sync.Cond while no other goroutine
	// exists (model.File.StartCondWait).
	StartCondCall  string
	StartCondLine  int
	StartCondWhere string
	// WaitUnreached: the line of a range before the wait that never ends
	// (model.File.WaitUnreached).
	WaitUnreached int
	// WaitEndedBy, WaitEndedLine, WaitEndedGoexit: a call before the wait
	// that ends the function first (model.File.WaitEndedFirst), as the
	// hover says it.
	WaitEndedBy     string
	WaitEndedLine   int
	WaitEndedGoexit bool
	// WaitPanicLine, WaitPanicChan, WaitPanicClosed: a send before the
	// wait that panics first (model.File.WaitPanicsFirst).
	WaitPanicLine, WaitPanicClosed int
	WaitPanicChan                  string
	// NeverSendLine, NeverChan, NeverDrainLine: the wait never returns
	// (model.File.WaitNeverReturns), as the hover says it.
	NeverSendLine  int
	NeverChan      string
	NeverDrainLine int
	// StuckLine...: a send the goroutine never gets past
	// (model.File.GoStuck), as the hover says it.
	StuckLine, StuckClosed, StuckDrain int
	StuckChan                          string
	StuckPanics, StuckByRange          bool
	// StuckNth, StuckRecvLines, StuckCap: the send is beyond what the
	// channel's receives and buffer can take (model.StuckGo.Nth).
	// MayWaitBy...: a Wait in a sibling goroutine that may wait for this
	// one (model.File.SiblingWait), as the hover says it.
	MayWaitBy              string
	MayWaitLine, MayWaitGo int
	StuckNth               int
	StuckRecvLine          int // a receive instead of a send (model.StuckGo.Recv)
	StuckRecvLines         []int
	StuckCap               int64
	// Stick: what can block for good before the wait sees the goroutine
	// finish (model.File.GoMayStick), as the hover says it.
	Stick *model.MayStickText
	// GoExitBy, GoExitLine: the exit call every path of the goroutine
	// ends in (model.File.GoEndsProgram), as the hover says it.
	GoExitBy   string
	GoExitLine int
	// WaitSkipped, WaitSkippedKind: an exit some path from the go
	// statement takes before the wait (model.File.WaitSkipped).
	WaitSkipped     int
	WaitSkippedKind string
	WaitSkippedCall string // for kind "exit": the call that skips a deferred wait
}

func (s *state) goroutines() {
	for _, g := range s.m.Goroutines {
		if g.Node == nil || g.Node.Call == nil {
			continue
		}
		s.goStmt(g)
	}
}

func (s *state) goStmt(g *model.Goroutine) {
	obj := s.off(g.Pos)
	end := s.off(g.End)
	call := g.Node.Call
	lit, _ := ast.Unparen(call.Fun).(*ast.FuncLit)
	head := end
	if lit != nil && lit.Body != nil {
		head = s.off(lit.Body.Lbrace + 1)
	}
	if s.only < 0 && (end < s.start || obj > s.end) {
		return
	}
	if s.only >= 0 && obj != s.only {
		return
	}
	tipBase := func() goTip {
		w := g.Wait()
		t := goTip{Call: g.Call, WaitedBy: w.By, WaitThrough: w.Through, GiveUp: w.GiveUp, GiveUpThen: w.Then, WaitEnd: w.End,
			WaitWhy: w.CannotTell(), NothingWaits: w.Nothing()}
		if g.Func != nil {
			t.Func = funcName(g.Func)
		}
		if w.Pos.IsValid() {
			t.WaitLines = []int{s.line(w.Pos)}
		}
		if w.By != "" {
			if e := s.m.GoEndsProgram(g); e != nil {
				t.GoExitBy, t.GoExitLine = e.Call, s.line(e.Pos)
			}
		}
		if o := w.InOtherGo; t.NothingWaits && o != nil && o.InGo != nil {
			t.OtherWaitBy, t.OtherWaitLine, t.OtherGoLine = o.Recv+".Wait()", s.line(o.Pos), s.line(o.InGo.Pos)
			if w.InOtherGoDoneSome.IsValid() {
				t.OtherDoneCall, t.OtherDoneLine = o.Recv+".Done()", s.line(w.InOtherGoDoneSome)
			}
		} else if o := s.m.SiblingWait(g); t.NothingWaits && o != nil {
			t.MayWaitBy, t.MayWaitLine, t.MayWaitGo = o.Recv+".Wait()", s.line(o.Pos), s.line(o.InGo.Pos)
		}
		if t.NothingWaits {
			t.Starter = s.m.StarterOf(g).String()
		}
		if b := s.m.StartBlocked(g); b != nil {
			t.StartBlockedLine, t.StartBlockedChan, t.StartBlockedRecv, t.StartBlockedMade = s.line(b.Node.Pos()), b.Chan.Name, b.Recv, s.line(b.Make.Pos())
		} else if c := s.m.StartCondWait(g); c != nil {
			t.StartCondCall, t.StartCondLine, t.StartCondWhere = c.Call, s.line(c.At), c.Where
		}
		if r := s.m.WaitUnreached(g); r != nil {
			t.WaitUnreached = s.line(r.Pos)
		} else if e := s.m.WaitEndedFirst(g); e != nil {
			t.WaitEndedBy, t.WaitEndedLine, t.WaitEndedGoexit = e.Call, s.line(e.Pos), e.Kind == model.ExitGoexit
		} else if p := s.m.WaitPanicsFirst(g); p != nil {
			t.WaitPanicLine, t.WaitPanicChan, t.WaitPanicClosed = s.line(p.Send.Pos), p.Send.ChanExpr, s.line(p.Closed.Pos)
		} else {
			if d := s.m.WaitNeverReturns(g); d != nil {
				t.NeverSendLine, t.NeverChan, t.NeverDrainLine = s.line(d.Send.Pos), d.Chan.Name, s.line(d.Drain.Pos)
			} else if st := s.m.GoStuck(g); st != nil && st.Recv != nil {
				t.StuckRecvLine, t.StuckChan = s.line(st.Recv.Pos), st.Recv.ChanExpr
				if st.Closed.IsValid() {
					t.StuckClosed = s.line(st.Closed)
				}
			} else if st != nil {
				t.StuckLine, t.StuckChan, t.StuckPanics, t.StuckByRange = s.line(st.Send.Pos), st.Send.ChanExpr, st.Panics, st.ByRange
				if st.Closed.IsValid() {
					t.StuckClosed = s.line(st.Closed)
				}
				if st.Drain.IsValid() {
					t.StuckDrain = s.line(st.Drain)
				}
				if st.Nth > 0 {
					t.StuckNth, t.StuckCap = st.Nth, st.Cap
					for _, r := range st.Recvs {
						t.StuckRecvLines = append(t.StuckRecvLines, s.line(r))
					}
				}
			} else if st := s.m.GoMayStick(g); st != nil {
				t.Stick = s.m.MayStickTextOf(st, funcName)
			}
			if e := s.m.WaitSkipped(g); e != nil {
				t.WaitSkipped, t.WaitSkippedKind, t.WaitSkippedCall = s.line(e.Pos), e.Kind.String(), e.Call
			}
		}
		t.Receiver = g.Receiver // as Go evaluates it: &t for a pointer method on an addressable t
		return t
	}

	// Arguments: evaluated now, in the goroutine running the go statement.
	if !s.skip(obj, end) {
		var args []argTip
		var names []string
		for _, a := range call.Args {
			if s.isConstant(a, "") {
				continue
			}
			text := s.m.Text(a.Pos(), a.End())
			_, isCall := ast.Unparen(a).(*ast.CallExpr)
			args = append(args, argTip{Expr: text, Call: isCall})
			names = append(names, text)
		}
		if len(args) > 0 {
			it := item{kind: Goroutine, obj: obj, sub: 'a', off: end}
			it.label = s.argsLabel("go", call, args, names)
			if s.wantTip {
				t := tipBase()
				t.Args = args
				t.loopAddrTip = s.loopAddrs(g.LoopAddrs)
				it.tip, it.tipData = "go.args", t
			}
			s.emit(&it)
		}
	}

	// Captures: shared with the starting goroutine.
	if lit != nil && len(g.Captures) > 0 && !s.skip(obj, head) {
		names := make([]string, len(g.Captures))
		caps := make([]capTip, len(g.Captures))
		var perIter, versionKnown bool
		if s.wantTip {
			perIter, versionKnown = s.m.AtLeast("go1.22")
		}
		for i, c := range g.Captures {
			names[i] = c.Name
			caps[i] = capTip{Name: c.Name, Written: c.Written, Loop: c.IsLoop}
			if caps[i].Loop && versionKnown {
				caps[i].GoLine = strings.TrimPrefix(s.m.GoVersion(), "go")
				caps[i].GoRule = s.m.GoVersionRule()
				caps[i].PerIteration, caps[i].Shared = perIter, !perIter
			}
		}
		it := item{kind: Goroutine, obj: obj, sub: 'c', off: head}
		if list, ok := fitSome(names, maxLabel-len("captures ")); ok {
			it.label = label("go.captures", labelArgs{S: list})
		} else {
			it.label = label("go.ncaptures", labelArgs{N: len(names)})
		}
		if s.wantTip {
			t := tipBase()
			t.Captures = caps
			it.tip, it.tipData = "go.captures", t
		}
		s.emit(&it)
	}
}

// isPackageName reports whether id names an imported package.
func (s *state) isPackageName(id *ast.Ident) bool {
	if info := s.m.Info; info != nil {
		if obj := info.Uses[id]; obj != nil {
			_, ok := obj.(*types.PkgName)
			return ok
		}
	}
	if id.Obj != nil {
		return false
	}
	for _, imp := range s.m.AST.Imports {
		name := ""
		if imp.Name != nil {
			name = imp.Name.Name
		} else {
			p := imp.Path.Value
			p = p[1 : len(p)-1]
			for i := len(p) - 1; i >= 0; i-- {
				if p[i] == '/' {
					p = p[i+1:]
					break
				}
			}
			name = p
		}
		if name == id.Name {
			return true
		}
	}
	return false
}

// loopAddrTip is the loop-address note of a go or defer tooltip, as the
// hovers give it (model.Goroutine.LoopAddrs, Defer.LoopAddrs): the loop
// variables whose address the statement takes now, and what the file's Go
// version (go.mod's go line or the file's //go:build line) says about them.
type loopAddrTip struct {
	LoopAddrs                    []string
	LoopGoLine, LoopGoRule       string
	LoopPerIteration, LoopShared bool
}

func (s *state) loopAddrs(names []string) loopAddrTip {
	t := loopAddrTip{LoopAddrs: names}
	if len(names) > 0 {
		if perIter, known := s.m.AtLeast("go1.22"); known {
			t.LoopGoLine = strings.TrimPrefix(s.m.GoVersion(), "go")
			t.LoopGoRule = s.m.GoVersionRule()
			t.LoopPerIteration, t.LoopShared = perIter, !perIter
		}
	}
	return t
}

// LoopWhat names what reads the pointer, for the note.
func (t goTip) LoopWhat() string { return "the goroutine" }
