package timeoutleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// The receiving loop returns early: a loop starts one goroutine per pass,
// each sending once on the channel, and a second loop making as many
// passes receives one value per pass but returns on the first error. When
// it returns before its last pass, the goroutines whose values were not
// received block forever on their send.
//
//	errc := make(chan error)
//	for _, f := range fs {
//		go func() { errc <- f() }()
//	}
//	for range fs {
//		if err := <-errc; err != nil {
//			return err // the other senders block forever
//		}
//	}
//
// The passes are the model's: both loops range over the same variable,
// unchanged in the function (same count, whatever it is), or both make a
// number of passes LoopPasses proves. With a buffer the relative form stays
// silent (a buffer of len(fs) is the fix); with proven counts the buffer
// must be too small for the values left after the first pass.

func firstReturn(m *model.File, c *model.Chan, capacity int64) (analysis.Diagnostic, bool) {
	none := analysis.Diagnostic{}
	f := m.FuncAt(c.Decl)
	if f == nil || f.Body == nil {
		return none, false
	}
	var send, recv *model.ChanOp
	for _, op := range c.Ops {
		switch op.Kind {
		case model.Send:
			if send != nil {
				return none, false
			}
			send = op
		case model.Recv:
			if recv != nil {
				return none, false
			}
			recv = op
		default:
			return none, false
		}
	}
	if send == nil || recv == nil || send.Select != nil || recv.Select != nil || send.InLoop {
		return none, false
	}
	g := send.InGo
	if g == nil || g.Body == nil || send.Func != g.Body || g.Func != f || !g.InLoop {
		return none, false
	}
	if m.CertainSends(c, g) != 1 {
		return none, false
	}
	if recv.Func != f || recv.InGo != nil || !recv.InLoop {
		return none, false
	}
	goLoop := bodyLoop(m, f, g.Pos)
	recvLoop := bodyLoop(m, f, recv.Pos)
	if goLoop == nil || recvLoop == nil || recvLoop.Pos() < goLoop.End() {
		return none, false
	}
	// Every pass of the first loop starts the goroutine, every pass of the
	// second receives before it can return (the model's PassReach; a panic
	// or a return leaves the pass, os.Exit and log.Fatal end the program).
	leavesPass := func(e *model.Exit) bool { return quietEnd(e) || e.Kind == model.ExitPanic }
	if m.PassReach(goLoop, g.Node, leavesPass) != model.ReachAlways || m.PassReach(recvLoop, recv.Node, leavesPass) != model.ReachAlways {
		return none, false
	}
	// The first return of the receiving loop after the receive: the
	// model's LoopExits.
	var ret model.LoopExit
	for _, e := range m.LoopExits(recvLoop) {
		if e.What == "return" && e.Pos > recv.End {
			ret = e
			break
		}
	}
	if ret.What == "" {
		return none, false
	}
	passes := ""
	n1, ok1 := m.LoopPasses(goLoop)
	n2, ok2 := m.LoopTrips(recvLoop) // at most n2: the return makes fewer
	switch {
	case ok1 && ok2 && n1 == n2:
		if int64(n1)-1-capacity <= 0 {
			return none, false
		}
		passes = fmt.Sprintf("the %d goroutines started on line %d each send once on %s", n1, m.Line(g.Pos), c.Name)
	case capacity == 0 && m.SameRangeValue(f, goLoop, recvLoop):
		x := types.ExprString(goLoop.(*ast.RangeStmt).X)
		passes = fmt.Sprintf("the goroutines started on line %d, one per element of %s, each send once on %s", m.Line(g.Pos), x, c.Name)
	default:
		return none, false
	}
	room := "the unbuffered " + c.Name
	if capacity > 0 {
		room = fmt.Sprintf("%s (its buffer holds %d)", c.Name, capacity)
	}
	d := analysis.Diagnostic{
		Pos: g.Pos, End: g.Pos + 2, Category: name,
		Message: fmt.Sprintf("%s, but the loop on line %d that receives them returns on line %d: when it returns before its last pass, every goroutine whose value was not received blocks forever on %s",
			passes, m.Line(recvLoop.Pos()), m.Line(ret.Pos), room),
		Related: []analysis.RelatedInformation{
			{Pos: ret.Pos, Message: "returns with values left unreceived"},
			{Pos: recv.Pos, Message: "the only receive"},
			{Pos: c.Makes[0].Pos, Message: c.Name + " made here"},
		},
	}
	return d, true
}

// bodyLoop is the one loop around pos in f (the model's OnlyLoop) when
// pos is in its body, not its header; nil otherwise.
func bodyLoop(m *model.File, f *model.Func, pos token.Pos) ast.Stmt {
	loop := m.OnlyLoop(f, pos)
	if loop == nil {
		return nil
	}
	if body := model.LoopBody(loop); body == nil || pos <= body.Lbrace || pos >= body.Rbrace {
		return nil
	}
	return loop
}
