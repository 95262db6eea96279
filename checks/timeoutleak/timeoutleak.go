package timeoutleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/golens/golens/checks"
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
	Run:      func(pass *analysis.Pass) (any, error) { return runOnModels(pass, check) },
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
	type cand struct {
		c *model.Chan
		f *model.Func
	}
	var cands []cand
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		if len(c.Sends()) == 0 || len(c.Receives()) == 0 {
			continue
		}
		f := funcAt(m, c.Decl)
		if f == nil {
			continue
		}
		cands = append(cands, cand{c, f})
	}
	if len(cands) == 0 {
		return nil
	}
	want := map[token.Pos]bool{}
	for _, cd := range cands {
		want[cd.c.Decl] = true
	}
	uses := collectUses(m, m.AST, func(p token.Pos) bool { return want[p] })
	var out []analysis.Diagnostic
	for _, cd := range cands {
		if d, ok := checkChan(m, cd.c, cd.f, uses[cd.c.Decl]); ok {
			out = append(out, d)
		}
	}
	return out
}

func checkChan(m *model.File, c *model.Chan, f *model.Func, uses []use) (analysis.Diagnostic, bool) {
	capacity, known := c.Capacity()
	if !known {
		return analysis.Diagnostic{}, false
	}
	for _, u := range uses {
		switch u.kind {
		case useSend, useRecv, useClose, useLen:
		case useDef:
			if u.id.Pos() != c.Decl {
				return analysis.Diagnostic{}, false
			}
		default:
			return analysis.Diagnostic{}, false // passed, stored, ranged over: not only the select receives
		}
	}
	var sends []*model.ChanOp
	var giveUp *model.SelectCase
	for _, op := range c.Ops {
		switch op.Kind {
		case model.Send:
			g := op.InGo
			if g == nil || g.Body == nil || op.Func != g.Body || g.Func != f || g.InLoop || op.InLoop || op.Select != nil {
				return analysis.Diagnostic{}, false
			}
			sends = append(sends, op)
		case model.Recv:
			if op.Func != f || op.Select == nil || op.Select.Select.InLoop {
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
				return analysis.Diagnostic{}, false
			}
			if giveUp == nil {
				giveUp = other
			}
		case model.Range:
			return analysis.Diagnostic{}, false
		}
	}
	if giveUp == nil || int64(len(sends)) <= capacity {
		return analysis.Diagnostic{}, false
	}
	first := sends[0]
	what := "its default case"
	if !giveUp.Default {
		what = "its " + giveUp.Timeout + " case"
	}
	kind := "unbuffered channel"
	if capacity > 0 {
		kind = fmt.Sprintf("channel (buffer %d, %d sends)", capacity, len(sends))
	}
	mk := c.Makes[0]
	d := analysis.Diagnostic{
		Pos:      first.Pos,
		End:      first.End,
		Category: name,
		Message: fmt.Sprintf("goroutine leaks when the select on line %d takes %s: its send on %s %s then blocks forever",
			lineOf(m, giveUp.Select.Pos), what, kind, c.Name),
		Related: []analysis.RelatedInformation{
			{Pos: giveUp.Pos, End: giveUp.Colon, Message: "the select can give up here"},
			{Pos: first.InGo.Pos, End: first.InGo.Pos + 2, Message: "goroutine started here"},
			{Pos: mk.Pos, Message: c.Name + " made here"},
		},
	}
	if fix, ok := bufferFix(m, c, mk, len(sends)); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d, true
}

// bufferFix gives the channel room for all the goroutines' sends.
func bufferFix(m *model.File, c *model.Chan, mk *model.MakeSite, n int) (analysis.SuggestedFix, bool) {
	path, _ := astutil.PathEnclosingInterval(m.AST, mk.Pos, mk.Pos+1)
	var call *ast.CallExpr
	for _, p := range path {
		if ce, ok := p.(*ast.CallExpr); ok && ce.Pos() == mk.Pos {
			call = ce
			break
		}
	}
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
		Message:   fmt.Sprintf("Buffer %s so the send never waits: make(%s, %d)", c.Name, nodeText(m, call.Args[0]), n),
		TextEdits: []analysis.TextEdit{edit},
	}, true
}
