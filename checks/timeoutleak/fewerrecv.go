package timeoutleak

import (
	"fmt"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// More sends than receives: the function starts goroutines that each send
// on a channel of its own, and receives fewer values than they send (the
// first answer wins, the others wait forever).
//
//	ch := make(chan result)
//	for _, s := range [3]string{"a", "b", "c"} {
//		go func() { ch <- query(s) }()
//	}
//	return <-ch // two goroutines block forever

func fewerReceives(m *model.File) []analysis.Diagnostic {
	var cands []*model.Chan
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return nil
	}
	var out []analysis.Diagnostic
	for _, c := range cands {
		if d, ok := fewerReceive(m, c); ok {
			out = append(out, d)
		} else if capacity, known := c.Capacity(); known && c.OnlySendsRecvs() {
			if d, ok := firstReturn(m, c, capacity); ok { // firstreturn.go
				out = append(out, d)
			}
		}
	}
	return out
}

func fewerReceive(m *model.File, c *model.Chan) (analysis.Diagnostic, bool) {
	f := m.FuncAt(c.Decl)
	if f == nil {
		return analysis.Diagnostic{}, false
	}
	capacity, known := c.Capacity()
	if !known {
		return analysis.Diagnostic{}, false
	}
	if !c.OnlySendsRecvs() {
		return analysis.Diagnostic{}, false // closed, ranged, passed, stored, len
	}
	gos := map[*model.Goroutine]bool{}
	var recvs []*model.ChanOp
	var firstGo *model.Goroutine
	for _, op := range c.Ops {
		switch op.Kind {
		case model.Send:
			g := op.InGo
			if g == nil || g.Body == nil || op.Func != g.Body || g.Func != f || op.Select != nil {
				return analysis.Diagnostic{}, false
			}
			gos[g] = true
			if firstGo == nil || g.Pos < firstGo.Pos {
				firstGo = g
			}
		case model.Recv:
			if op.Func != f || op.InGo != nil || op.InLoop {
				return analysis.Diagnostic{}, false
			}
			recvs = append(recvs, op)
		default:
			return analysis.Diagnostic{}, false
		}
	}
	if len(gos) == 0 || len(recvs) == 0 {
		return analysis.Diagnostic{}, false
	}
	sends := 0
	loopCount := 0
	when := ""
	for g := range gos {
		n := m.CertainSends(c, g)
		times := 1
		if g.InLoop {
			k, ok := loopTimes(m, f, g.Pos)
			if !ok && len(gos) == 1 {
				// The bound is a parameter: count for the call of this
				// file passing the largest constant (model.CallerLoopPasses).
				var at token.Pos
				var param string
				if k, at, param, ok = m.CallerLoopPasses(f, g.Pos); ok {
					when = fmt.Sprintf("when %s is called with %s = %d (line %d), ", funcName(f), param, k, m.Line(at))
				}
			}
			if !ok {
				return analysis.Diagnostic{}, false
			}
			times, loopCount = k, k
		}
		sends += n * times
	}
	for _, r := range recvs {
		if r.Pos < firstGo.Pos {
			return analysis.Diagnostic{}, false // received before the goroutines start: another story
		}
	}
	stuck := sends - len(recvs) - int(capacity)
	if stuck <= 0 {
		return analysis.Diagnostic{}, false
	}
	// What a goroutine can block on before its send (a Lock, a Wait, a
	// receive, in a call the sent value makes too: the model's
	// BlocksBefore): it may block there and never send, so the finding
	// does not say which send is stuck, and a buffer is no fix.
	before := ""
	for _, op := range c.Ops {
		if op.Kind == model.Send {
			if before, _ = m.BlocksBefore(op.InGo, op); before != "" {
				break
			}
		}
	}
	// Every go statement whose goroutines send, by line: a sender started
	// after the receives is one of them (r21n_select_loser), not one of
	// the first statement's.
	var goLines []int
	for g := range gos {
		goLines = append(goLines, m.Line(g.Pos))
	}
	sort.Ints(goLines)
	who := fmt.Sprintf("the goroutines started on %s send %d values", lineList(goLines), sends)
	if loopCount > 0 && len(gos) == 1 {
		who = fmt.Sprintf("the %d goroutines started on line %d send %d values", loopCount, m.Line(firstGo.Pos), sends)
	} else if len(gos) == 1 {
		who = fmt.Sprintf("the goroutine started on line %d sends %d values", m.Line(firstGo.Pos), sends)
	}
	times := "once"
	if len(recvs) > 1 {
		times = strconv.Itoa(len(recvs)) + " times"
	}
	room := ""
	if capacity > 0 {
		room = fmt.Sprintf(" and the buffer holds %d", capacity)
	}
	tail := "one send never completes and the goroutine making it blocks forever"
	switch {
	case before != "":
		tail = strandedBefore(stuck, len(gos) == 1 && loopCount == 0, before)
	case stuck > 1 && len(gos) == 1 && loopCount == 0:
		tail = fmt.Sprintf("%d sends never complete and the goroutine blocks forever on the first of them", stuck)
	case stuck > 1:
		tail = fmt.Sprintf("%d sends never complete and the goroutines making them block forever", stuck)
	}
	d := analysis.Diagnostic{
		Pos: firstGo.Pos, End: firstGo.Pos + 2, Category: name,
		Message: fmt.Sprintf("%s%s on %s, but %s receives at most %s%s: %s",
			when, who, c.Name, funcName(f), times, room, tail),
		Related: []analysis.RelatedInformation{{Pos: recvs[0].Pos, Message: "the receive"}, {Pos: c.Makes[0].Pos, Message: c.Name + " made here"}},
	}
	if fix, ok := bufferFix(m, c, c.Makes[0], sends-len(recvs)); ok && sends-len(recvs) > 0 && when == "" && before == "" {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d, true
}

// loopTimes is how many times the loop around pos (in f) runs, when the
// model counts its passes exactly and it is the only loop between the go
// statement and f (OnlyLoop; LoopPasses: `for i := 0; i < N; i++` or
// `for range N` with a constant N, or a range over a composite literal):
// exact, and at least one.
func loopTimes(m *model.File, f *model.Func, pos token.Pos) (int, bool) {
	loop := m.OnlyLoop(f, pos)
	if loop == nil {
		return 0, false
	}
	n, ok := m.LoopPasses(loop)
	return n, ok && n > 0
}

// strandedBefore says how the goroutines end when fewer values are
// received than sent and one of them can block before its send (before,
// the model's text): every goroutine that does not finish its sends
// blocks forever, in a send or in that earlier wait, and at least one
// cannot finish (stuck is how many sends are left over), but golens cannot
// tell which of the two holds it. The model's text is markdown; a
// diagnostic is plain text.
func strandedBefore(stuck int, oneGo bool, before string) string {
	before = strings.ReplaceAll(before, "`", "")
	switch {
	case oneGo:
		return fmt.Sprintf("the goroutine blocks forever, in one of its sends or before it: %s, and a buffer does not end a wait there", before)
	case stuck == 1:
		return fmt.Sprintf("at least one goroutine blocks forever, in its send or before it: %s, and a buffer does not end a wait there", before)
	}
	return fmt.Sprintf("at least %d sends never complete, and the goroutines that do not finish block forever, in a send or before it: %s, and a buffer does not end a wait there", stuck, before)
}

// lineList words source lines: "line 18", "lines 18 and 29", "lines 4, 9
// and 12".
func lineList(ls []int) string {
	if len(ls) == 1 {
		return "line " + strconv.Itoa(ls[0])
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = strconv.Itoa(l)
	}
	return "lines " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
