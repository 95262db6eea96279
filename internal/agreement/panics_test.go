package agreement_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/golens/golens/checks/closedsend"
	"github.com/golens/golens/checks/recoveroutside"
	"github.com/golens/golens/model"
)

// TestRecoverReach: the recover hover and recoveroutside state one fact,
// whether this recover can stop a panic (model.BuiltinCall.Reach). Where
// recoveroutside reports "recover() here does nothing", the hover says it
// returns nil and never that it stops a panic; and where the model proves
// it never can (RecoverNever, or nested inside another deferred function
// for the panic that unwinds), the hover says so and, for RecoverNever,
// recoveroutside reports it.
func TestRecoverReach(t *testing.T) {
	checked, reported := 0, 0
	for _, m := range models(t, "recoveroutside") {
		found := findingsAt(recoveroutside.Syntax(m))
		for _, b := range m.Builtins {
			if b.Name != "recover" {
				continue
			}
			where := m.Fset.Position(b.Pos).String()
			h := hoverAt(m, m.Offset(b.Pos))
			_, isReported := found[int(b.Call.Pos())]
			stops := strings.Contains(h, "stops the panic") || strings.Contains(h, "stops a panic unwinding")
			if isReported {
				reported++
				if stops || !strings.Contains(h, "returns nil") {
					t.Errorf("%s: recoveroutside reports the recover, the hover says:\n%s", where, h)
				}
			}
			switch b.Reach {
			case model.RecoverNever:
				if !isReported {
					t.Errorf("%s: the model says the recover never stops a panic, recoveroutside is silent", where)
				}
				if !strings.Contains(h, "always returns nil") {
					t.Errorf("%s: the model says the recover never stops a panic, the hover says:\n%s", where, h)
				}
			case model.RecoverStops, model.RecoverWhenDeferred:
				if isReported && b.DirectlyDeferred {
					t.Errorf("%s: recoveroutside reports a recover the model says a deferred call makes directly", where)
				}
			}
			checked++
		}
		// Every finding is on a recover of the model.
		for pos := range found {
			ok := false
			for _, b := range m.Builtins {
				ok = ok || b.Name == "recover" && int(b.Call.Pos()) == pos
			}
			if !ok {
				t.Errorf("%s: recoveroutside finding on no recover of the model", m.Fset.Position(tokenPos(pos)))
			}
		}
	}
	if checked < 10 || reported < 3 {
		t.Errorf("only %d recovers checked, %d reported", checked, reported)
	}
}

// sendsNamed is the close hover's list of sends that can follow it.
var sendsNamed = regexp.MustCompile("Sends on `[^`]+` at (lines? [0-9, and]+)")

// TestSendAfterClose: closedsend's "send on channel ch after it was closed
// on line N" and the close hover's "Sends on `ch` at line M" read one fact
// (model.File.SendsAfterClose, on the flow): every send closedsend reports
// after a close is one the model says can follow it, and the hover of
// that close names its line. The converse is not asked: closedsend stays
// silent where a deferred recover or a send in another statement list is
// in the way, while the hover names every send that can follow.
func TestSendAfterClose(t *testing.T) {
	checked := 0
	for _, m := range models(t, "closedsend") {
		for _, d := range closedsend.Syntax(m) {
			if !strings.HasPrefix(d.Message, "send on channel") || len(d.Related) == 0 {
				continue
			}
			var cl, send *model.ChanOp
			for _, op := range m.ChanOps {
				switch {
				case op.Kind == model.Close && op.Pos == d.Related[0].Pos:
					cl = op
				case op.Kind == model.Send && op.Pos == d.Pos:
					send = op
				}
			}
			where := m.Fset.Position(d.Pos).String()
			if cl == nil || send == nil {
				t.Errorf("%s: closedsend finding on no close and send of the model", where)
				continue
			}
			inModel := false
			for _, s := range m.SendsAfterClose(cl) {
				inModel = inModel || s == send
			}
			if !inModel {
				t.Errorf("%s: closedsend reports a send the model says cannot follow the close at line %d", where, m.Line(cl.Pos))
			}
			h := hoverAt(m, m.Offset(cl.Pos))
			named := sendsNamed.FindStringSubmatch(h)
			if named == nil || !contains(regexp.MustCompile(`[0-9]+`).FindAllString(named[1], -1), fmt.Sprint(m.Line(send.Pos))) {
				t.Errorf("%s: closedsend reports the send after the close at line %d, whose hover does not name it:\n%s", where, m.Line(cl.Pos), h)
			}
			checked++
		}
	}
	if checked < 3 {
		t.Errorf("only %d sends after a close checked", checked)
	}
}
