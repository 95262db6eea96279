package nilchan

import (
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "nilchan"

// Analyzer reports sends, receives and ranges on a channel variable that is
// nil on every path.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

const doc = `report operations on a channel that is never made

A channel variable declared with ` + "`var ch chan T`" + ` and never assigned is nil.
A send or receive on a nil channel blocks forever and a range over it never
starts an iteration. Setting a channel to nil on purpose to disable a select
case is an idiom and is not reported, and neither is a nil channel used as a
case of a select that has other cases.`

func run(pass *analysis.Pass) (any, error) {
	if _, err := modelpass.Report(pass, check); err != nil {
		return nil, err
	}
	checkFields(pass)
	return nil, nil
}

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

func check(m *model.File) []analysis.Diagnostic {
	return append(checkChans(m), backgroundDone(m)...) // bgdone.go
}

func checkChans(m *model.File) []analysis.Diagnostic {
	var cands []*model.Chan
	for _, c := range m.Chans {
		if !c.NeverMade() || len(c.NilSets) > 0 || len(c.Ops) == 0 {
			continue
		}
		// Only variables local to a function: a package-level variable
		// may be made in another file or by an init function.
		if chanutil.FuncAt(m, c.Decl) == nil {
			continue
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return nil
	}
	var out []analysis.Diagnostic
	for _, c := range cands {
		if !neverWritten(c, c.Refs()) {
			continue
		}
		spec := c.BareDecl() // the model's: the only declaration that leaves it nil
		if spec == nil {
			continue // declared by a range clause, a type switch, …: not nil
		}
		for _, op := range c.Ops {
			var what string
			switch op.Kind {
			case model.Send:
				what = "send on"
			case model.Recv:
				what = "receive from"
			case model.Range:
				what = "range over"
			default:
				continue // close(nil) panics; vet-like checks elsewhere
			}
			if op.Select != nil && len(op.Select.Select.Cases) > 1 {
				// A nil channel in a select only disables its case.
				continue
			}
			why := "blocks forever"
			if op.Kind == model.Range {
				why = "blocks forever before the first iteration"
			}
			d := analysis.Diagnostic{
				Pos:      op.Pos,
				End:      op.End,
				Category: name,
				Message: fmt.Sprintf("%s nil channel %s %s: %s is declared but never made",
					what, op.ChanExpr, why, c.Name),
				Related: []analysis.RelatedInformation{{Pos: c.Decl, Message: c.Name + " declared here, without make"}},
			}
			if c.Dir == model.Bidirectional {
				d.SuggestedFixes = makeFix(m, c, spec)
			}
			out = append(out, d)
		}
	}
	return out
}

// neverWritten reports whether every mention of the channel is a channel
// operation: no assignment, no &ch, no range clause writing it, and no
// other use (a nil comparison, passing it on) that suggests the nil is known.
func neverWritten(c *model.Chan, uses []model.ChanRef) bool {
	for _, u := range uses {
		switch u.Kind {
		case model.RefAddr:
			return false
		case model.RefDef:
			if u.Ident.Pos() != c.Decl {
				return false
			}
		case model.RefOther:
			// Compared with nil, passed or stored: whoever wrote that
			// knows the channel may be nil; stay silent.
			return false
		}
	}
	return true
}

// makeFix makes c in its declaring spec, when the spec declares c alone
// with a written channel type (a make of a one-way channel would be
// useless too).
func makeFix(m *model.File, c *model.Chan, spec *ast.ValueSpec) []analysis.SuggestedFix {
	if _, isChan := spec.Type.(*ast.ChanType); !isChan || len(spec.Names) != 1 {
		return nil
	}
	typ := chanutil.NodeText(m, spec.Type)
	if typ == "" {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message: fmt.Sprintf("Make %s: var %s = make(%s)", c.Name, c.Name, typ),
		TextEdits: []analysis.TextEdit{{
			Pos:     spec.Names[0].End(),
			End:     spec.Type.End(),
			NewText: []byte(" = make(" + typ + ")"),
		}},
	}}
}
