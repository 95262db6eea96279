package selfdeadlock

import (
	"fmt"
	"go/ast"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "selfdeadlock"

// Analyzer reports a send that blocks forever because nothing could receive
// it yet: a send on a fresh unbuffered channel, or more sends than its
// buffer holds, before any goroutine is started or the channel is passed
// anywhere.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		if _, err := modelpass.Report(pass, check); err != nil {
			return nil, err
		}
		return run(pass) // sends through the package's calls (crosscall.go)
	},
}

const doc = `report a send or receive that deadlocks its own goroutine

A send on an unbuffered channel waits for a receiver; a send on a full
buffered channel waits for room; a receive waits for a value. When the
channel was just made and the same goroutine sends on it (or receives from
it) before starting any goroutine or passing the channel anywhere, no other
goroutine can ever be its partner, so the operation blocks forever.`

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

func check(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, b := range m.SelfBlocks() {
		out = append(out, diagnostic(m, b))
	}
	return out
}

// diagnostic words the model's SelfBlock, with a fix that buffers the
// channel for a send.
func diagnostic(m *model.File, b *model.SelfBlock) analysis.Diagnostic {
	c, call, capacity := b.Chan, b.Make, b.Capacity
	related := []analysis.RelatedInformation{{Pos: call.Pos(), End: call.End(), Message: c.Name + " made here"}}
	if b.Recv {
		return analysis.Diagnostic{
			Pos:      b.Node.Pos(),
			End:      b.Node.End(),
			Category: name,
			Message:  fmt.Sprintf("receive from channel %s blocks forever: nothing can send on it yet (no goroutine started since it was made, %s not passed anywhere)", c.Name, c.Name),
			Related:  related,
		}
	}
	blocked := b.Node.(*ast.SendStmt)
	var msg string
	if capacity == 0 {
		msg = fmt.Sprintf("send on unbuffered channel %s blocks forever: nothing can receive from it yet (no goroutine started since it was made, %s not passed anywhere)", c.Name, c.Name)
	} else {
		msg = fmt.Sprintf("send on channel %s blocks forever: it is send number %d and the buffer holds %d, and nothing can receive from it yet", c.Name, capacity+1, capacity)
	}
	d := analysis.Diagnostic{
		Pos:      blocked.Arrow,
		End:      blocked.End(),
		Category: name,
		Message:  msg,
		Related:  related,
	}
	n := int(b.Most)
	newCap := strconv.Itoa(n)
	var edit analysis.TextEdit
	switch len(call.Args) {
	case 1:
		edit = analysis.TextEdit{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(", " + newCap)}
	case 2:
		if _, lit := ast.Unparen(call.Args[1]).(*ast.BasicLit); !lit {
			return d
		}
		edit = analysis.TextEdit{Pos: call.Args[1].Pos(), End: call.Args[1].End(), NewText: []byte(newCap)}
	default:
		return d
	}
	d.SuggestedFixes = []analysis.SuggestedFix{{
		Message:   fmt.Sprintf("Buffer %s for the %d values sent before anyone receives: make(%s, %d)", c.Name, n, chanutil.NodeText(m, call.Args[0]), n),
		TextEdits: []analysis.TextEdit{edit},
	}}
	return d
}
