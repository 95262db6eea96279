package closedsend

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "closedsend"

// Analyzer reports a send on, or a second close of, a channel that the same
// code path has already closed.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		_, err := modelpass.Report(pass, check)
		crossMethod(pass) // close and send through calls (crossmethod.go)
		return nil, err
	},
}

const doc = `report a send on a closed channel and a channel closed twice

A send on a closed channel panics, and so does a second close. The check
reports a send or close that the close of the same channel comes before on
every path into it, in the same function, or that a loop closing the
channel on every pass comes back to. Closes in different branches of an if,
switch or select are not on the same path and are not reported.`

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

func check(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	isTest := strings.HasSuffix(m.Fset.Position(m.AST.Pos()).Filename, "_test.go")
	for _, c := range m.Chans {
		for _, cl := range c.Closes() {
			if cl.Func == nil || cl.Func.Body == nil {
				continue
			}
			if isTest && cl.Func.Lit {
				// Tests panic on purpose inside function literals handed
				// to a helper that recovers (shouldPanic(func() {...})).
				continue
			}
			if d, ok := afterClose(m, cl); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// afterClose reports, for the close cl, the first operation the model
// proves meets the closed channel (File.AfterClose): a send or close the
// close precedes on every path, else one the loop's next pass brings
// back to (a send first, else the close itself). One finding per close.
// A function with a recover panics on purpose, as tests do.
func afterClose(m *model.File, cl *model.ChanOp) (analysis.Diagnostic, bool) {
	var straight, again *model.AfterClose
	acs := m.AfterClose(cl)
	for i := range acs {
		ac := &acs[i]
		if ac.Certainty != model.Proven {
			continue
		}
		switch {
		case ac.Loop == nil:
			if straight == nil {
				straight = ac
			}
		case again == nil || again.Op.Kind == model.Close && ac.Op.Kind == model.Send:
			again = ac
		}
	}
	if (straight == nil && again == nil) || m.CallsRecover(cl.Func.Body) {
		return analysis.Diagnostic{}, false
	}
	if straight != nil {
		return diag(m, cl, straight.Op), true
	}
	target := again.Op
	var msg string
	if target.Kind == model.Send {
		msg = fmt.Sprintf("send on channel %s in a loop that closes it on line %d: the next iteration sends on a closed channel, which panics", target.ChanExpr, chanutil.LineOf(m, cl.Pos))
	} else {
		msg = fmt.Sprintf("channel %s is closed in a loop: the next iteration closes it again, which panics", cl.ChanExpr)
	}
	return analysis.Diagnostic{
		Pos:      target.Pos,
		End:      target.End,
		Category: name,
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: cl.Pos, End: cl.End, Message: cl.ChanExpr + " closed here, on every iteration"}},
	}, true
}

func diag(m *model.File, cl, op *model.ChanOp) analysis.Diagnostic {
	var msg string
	if op.Kind == model.Send {
		msg = fmt.Sprintf("send on channel %s after it was closed on line %d: a send on a closed channel panics", op.ChanExpr, chanutil.LineOf(m, cl.Pos))
	} else {
		msg = fmt.Sprintf("channel %s is closed a second time (first on line %d): closing a closed channel panics", op.ChanExpr, chanutil.LineOf(m, cl.Pos))
	}
	return analysis.Diagnostic{
		Pos:      op.Pos,
		End:      op.End,
		Category: name,
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: cl.Pos, End: cl.End, Message: op.ChanExpr + " closed here"}},
	}
}
