package timeoutleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "timeoutleak"

// Analyzer reports a goroutine that leaks when a select gives up waiting
// for its result.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      func(pass *analysis.Pass) (any, error) { return modelpass.Report(pass, check) },
}

const doc = `report a goroutine leaked by a timeout

A goroutine that sends its result on an unbuffered channel waits until
someone receives it. When the only receive is a select that can take
another case instead (time.After, ctx.Done(), a timer, default), and that
case wins, nobody ever receives: the goroutine blocks on its send forever
and everything it references stays alive. Buffer the channel so the send
always completes.`

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

func check(m *model.File) []analysis.Diagnostic {
	locals := localChans(m)
	out := append(checkGiveUps(m, locals), rangeExits(m)...)
	out = append(out, strandedReceivers(m, locals)...) // recvstrand.go
	return append(out, fewerReceives(m)...)            // fewerrecv.go
}

// localChan is a channel made once in its function and never reassigned,
// with every mention of it in the file (the model's Refs): what
// checkGiveUps and strandedReceivers follow.
type localChan struct {
	c    *model.Chan
	f    *model.Func
	uses []model.ChanRef
}

// localChans finds the file's local channels, shared by the checks that
// read them.
func localChans(m *model.File) []localChan {
	var out []localChan
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		if f := m.FuncAt(c.Decl); f != nil {
			out = append(out, localChan{c: c, f: f, uses: c.Refs()})
		}
	}
	return out
}

func checkGiveUps(m *model.File, locals []localChan) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, lc := range locals {
		if len(lc.c.Sends()) == 0 || len(lc.c.Receives()) == 0 {
			continue
		}
		if d, ok := checkChan(m, lc.c, lc.f, lc.uses); ok {
			out = append(out, d)
		}
	}
	return out
}

func checkChan(m *model.File, c *model.Chan, f *model.Func, uses []model.ChanRef) (analysis.Diagnostic, bool) {
	capacity, known := c.Capacity()
	if !known {
		return analysis.Diagnostic{}, false
	}
	for _, u := range uses {
		switch u.Kind {
		case model.RefSend, model.RefRecv, model.RefClose, model.RefLen:
		case model.RefDef:
			if u.Ident.Pos() != c.Decl {
				return analysis.Diagnostic{}, false
			}
		default:
			return analysis.Diagnostic{}, false // passed, stored, ranged over: not only the select receives
		}
	}
	var sends []*model.ChanOp
	var giveUp *model.SelectCase
	var earlyRet token.Pos
	var earlyExit *model.Exit
	var plainRecv *model.ChanOp
	sawPlainRecv := false
	for _, op := range c.Ops {
		switch op.Kind {
		case model.Send:
			g := op.InGo
			if g == nil || g.Body == nil || op.Func != g.Body || g.Func != f || g.InLoop && !m.SameLoop(g.Pos, c.Makes[0].Pos) || op.InLoop || op.Select != nil {
				return analysis.Diagnostic{}, false
			}
			sends = append(sends, op)
		case model.Recv:
			if op.Func == f && op.Select == nil && !op.InLoop && earlyRet == token.NoPos && giveUp == nil && !sawPlainRecv {
				// A plain receive: the goroutine is stranded when f
				// returns between the go statement and it.
				sawPlainRecv = true
				plainRecv = op
				continue
			}
			if op.Func != f || op.Select == nil || op.Select.Select.InLoop && !m.SameLoop(op.Pos, c.Makes[0].Pos) || giveUp != nil || sawPlainRecv {
				// A second receive (a later select) may drain it.
				return analysis.Diagnostic{}, false
			}
			s := op.Select.Select
			other := s.Default
			if other == nil {
				for _, tc := range s.Timeouts() {
					if tc != op.Select {
						other = tc
						break
					}
				}
			}
			if other == nil {
				// A case that receives from another channel (stop, done,
				// ctx.Done()) gives up just as a timer does.
				for _, oc := range s.Cases {
					// A case the model proves is never ready while the
					// select runs (its values all taken before, or its
					// senders held back) cannot be taken.
					if oc != op.Select && oc.Op != nil && oc.Op.Kind == model.Recv && oc.Op.Chan != c && !nilChan(oc.Op.Chan) && m.CaseNeverReady(oc.Op) == nil {
						other = oc
						break
					}
				}
			}
			if other == nil {
				return analysis.Diagnostic{}, false
			}
			if giveUp == nil {
				giveUp = other
			}
		case model.Range:
			return analysis.Diagnostic{}, false
		}
	}
	if plainRecv != nil && len(sends) > 0 {
		if earlyExit = returnBetween(m, sends[0].InGo, plainRecv.Pos); earlyExit == nil {
			return analysis.Diagnostic{}, false
		}
		earlyRet = earlyExit.Pos
	} else if giveUp == nil || failsOnGiveUp(m, giveUp) {
		return analysis.Diagnostic{}, false
	} else if sends = unstrandedSends(m, c, f, giveUp, sends); len(sends) == 0 {
		return analysis.Diagnostic{}, false // errpath.go
	}
	// Count the sends on the busiest path of each goroutine: a send in
	// each branch of an if, or a send followed by return, is one send.
	perGo := map[*model.Goroutine]bool{}
	total := 0
	for _, op := range sends {
		g := op.InGo
		if perGo[g] {
			continue
		}
		perGo[g] = true
		n, ok := m.MaxSends(c, g.Body.Body.List)
		if !ok {
			return analysis.Diagnostic{}, false
		}
		total += n.Max()
	}
	if int64(total) <= capacity {
		return analysis.Diagnostic{}, false
	}
	first := sends[0]
	// What the goroutine can block on before its send (a Lock, a
	// receive, in the sent value's call too): it may never reach the
	// send, and a buffer does not end that wait, so no buffer fix then.
	before, _ := m.BlocksBefore(first.InGo, first)
	if earlyRet != token.NoPos {
		kind := "unbuffered channel"
		if capacity > 0 {
			kind = fmt.Sprintf("channel (buffer %d, %d sends)", capacity, total)
		}
		mk := c.Makes[0]
		d := analysis.Diagnostic{
			Pos: first.Pos, End: first.End, Category: name,
			Message: fmt.Sprintf("goroutine leaks when %s %s on line %d, before the receive on line %d: %s",
				funcName(f), howEnds(earlyExit), m.Line(earlyRet), m.Line(plainRecv.Pos), strandedSend(kind, c.Name, before)),
			Related: []analysis.RelatedInformation{
				{Pos: earlyRet, Message: "returns before receiving"},
				{Pos: plainRecv.Pos, Message: "the only receive"},
				{Pos: first.InGo.Pos, End: first.InGo.Pos + 2, Message: "goroutine started here"},
				{Pos: mk.Pos, Message: c.Name + " made here"},
			},
		}
		if fix, ok := bufferFix(m, c, mk, total); ok && before == "" {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		return d, true
	}
	what := "its default case"
	if !giveUp.Default && giveUp.Timeout != "" {
		what = "its " + giveUp.Timeout + " case"
	} else if !giveUp.Default {
		what = "its <-" + giveUp.Op.ChanExpr + " case"
	}
	kind := "unbuffered channel"
	if capacity > 0 {
		kind = fmt.Sprintf("channel (buffer %d, %d sends)", capacity, total)
	}
	mk := c.Makes[0]
	d := analysis.Diagnostic{
		Pos:      first.Pos,
		End:      first.End,
		Category: name,
		Message: fmt.Sprintf("goroutine leaks when the select on line %d takes %s: %s",
			m.Line(giveUp.Select.Pos), what, strandedSend(kind, c.Name, before)),
		Related: []analysis.RelatedInformation{
			{Pos: giveUp.Pos, End: giveUp.Colon, Message: "the select can give up here"},
			{Pos: first.InGo.Pos, End: first.InGo.Pos + 2, Message: "goroutine started here"},
			{Pos: mk.Pos, Message: c.Name + " made here"},
		},
	}
	if fix, ok := bufferFix(m, c, mk, total); ok && before == "" {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d, true
}

// strandedSend says how the goroutine is stranded once nothing receives
// from the channel: in its send, or, when it can block before the send
// (model.File.BlocksBefore: a Lock, a receive, a Wait, here or in a call
// the sent value makes), possibly there, where a buffer does not help.
// The model's text is markdown; a diagnostic is plain text.
func strandedSend(kind, ch, before string) string {
	if before == "" {
		return fmt.Sprintf("its send on %s %s then blocks forever", kind, ch)
	}
	return fmt.Sprintf("nothing receives from %s %s after that, so the goroutine blocks forever, in its send or before it: %s, and a buffer does not end a wait there", kind, ch, strings.ReplaceAll(before, "`", ""))
}

// bufferFix gives the channel room for all the goroutines' sends.
func bufferFix(m *model.File, c *model.Chan, mk *model.MakeSite, n int) (analysis.SuggestedFix, bool) {
	call := m.MakeCall(mk)
	if call == nil {
		return analysis.SuggestedFix{}, false
	}
	newCap := strconv.Itoa(n)
	var edit analysis.TextEdit
	switch len(call.Args) {
	case 1:
		edit = analysis.TextEdit{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(", " + newCap)}
	case 2:
		if _, lit := ast.Unparen(call.Args[1]).(*ast.BasicLit); !lit {
			return analysis.SuggestedFix{}, false
		}
		edit = analysis.TextEdit{Pos: call.Args[1].Pos(), End: call.Args[1].End(), NewText: []byte(newCap)}
	default:
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Buffer %s so the send never waits: make(%s, %d)", c.Name, chanutil.NodeText(m, call.Args[0]), n),
		TextEdits: []analysis.TextEdit{edit},
	}, true
}

// failsOnGiveUp reports whether the give-up case fails the test or may
// end its goroutine or the program: a call the model counts as a possible
// exit (model.File.MayExit: panic, log.Fatal, os.Exit, t.Fatal, t.Skip,
// and anything named like them), or one of testing's failing calls that go
// on (t.Error, t.Errorf, t.Fail). The leak then only happens on a path
// that is already reported as a failure, or that golens cannot follow.
func failsOnGiveUp(m *model.File, sc *model.SelectCase) bool {
	found := false
	for _, st := range sc.Body() {
		ast.Inspect(st, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return !found
			}
			if m.MayExit(call) {
				found = true
			}
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && testFailures[sel.Sel.Name] {
				found = true
			}
			return !found
		})
	}
	return found
}

// returnBetween finds where f, having started the goroutine g, can return
// (or end its goroutine quietly: quietEnd) before the receive at
// recvPos: the first of the model's exits some path from the go statement
// reaches without passing the receive (ExitsAvoiding), written before the
// receive. Panics, os.Exit and testing's failing calls end the program or
// fail the test: they are not counted.
func returnBetween(m *model.File, g *model.Goroutine, recvPos token.Pos) *model.Exit {
	for _, e := range m.ExitsAvoiding(g.Node, recvPos) {
		if e.Pos >= recvPos {
			break
		}
		if e.Kind != model.ExitEnd && quietEnd(e) {
			return e
		}
	}
	return nil
}

func funcName(f *model.Func) string {
	if f.Lit {
		return "the function literal"
	}
	return f.Name
}

// nilChan reports whether a case's channel is a local variable declared
// without a value and never made (model.Chan.NeverMade): a receive from
// it is never ready, so that case never gives up on the wait beside it
// (r20j_merge_nil: `var cancel chan struct{}` "not wired up yet"). A
// field is left out: code golens does not see may make it.
func nilChan(c *model.Chan) bool {
	return c != nil && c.NeverMade()
}
