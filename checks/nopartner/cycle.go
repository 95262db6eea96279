package nopartner

import (
	"go/ast"
	"go/token"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// A send cycle: two goroutines each run a loop that is the only receiver
// of one unbuffered channel, and while handling a value each can send on
// the other's channel. When both send at once, each waits for the other to
// come back to its receive, and neither does: both block forever, or until
// a stop channel both loops give up on fires (cockroach's multiraft: the
// state loop sends an event to the store's loop while the store's loop,
// running the event's callback, sends to the state loop).
//
// The sends a loop can block on are the model's SendsReached: followed
// through the package's own functions, function literals called in place,
// and calls of function values whose possible values the package shows
// (CallTargets: a local variable assigned from a func-typed field, or the
// field itself, stands for every function the package stores in that
// field). A send that is a select case counts only when every other case
// is a receive (SendsReached) from a stop channel both loops leave on
// (the model's ReachedSend.BlocksUntil); a default, another send or any other receive lets it
// go on.

// recvLoop is the loop that holds every receive from a channel.
type recvLoop struct {
	loop ast.Node // *ast.ForStmt or *ast.RangeStmt
	fn   ast.Node // the function holding it: *ast.FuncDecl or *ast.FuncLit
	name string   // the function's name, for messages
	pos  token.Pos
}

type cycleFinder struct {
	pass *analysis.Pass
	st   *state
	pkg  *model.Package // the sends a loop reaches, the functions go statements run
}

func newCycleFinder(pass *analysis.Pass, st *state) *cycleFinder {
	return &cycleFinder{pass: pass, st: st, pkg: pkgModel(pass)}
}

// loopOf is the receiving loop of a class: every receive is in the same
// for or range loop of one function, and a go statement runs that function
// (the model's StartedByGo).
func (cf *cycleFinder) loopOf(c *class) *recvLoop {
	var out *recvLoop
	for _, r := range c.recvs {
		l := cf.enclosingLoop(r.pos)
		if l == nil || out != nil && l.loop != out.loop {
			return nil
		}
		out = l
	}
	if out == nil || !cf.pkg.StartedByGo(out.fn, cf.st.public).ProvenTrue() {
		return nil
	}
	return out
}

func (cf *cycleFinder) enclosingLoop(pos token.Pos) *recvLoop {
	loop, fn := loopAround(cf.pass, pos) // the model's LoopsAround
	if loop == nil {
		return nil
	}
	name := "the function literal"
	if fd, ok := fn.(*ast.FuncDecl); ok {
		name = fd.Name.Name
	}
	return &recvLoop{loop: loop, fn: fn, name: name, pos: loop.Pos()}
}

// sendCycles reports each pair of receiving loops that can block sending
// to each other.
func sendCycles(pass *analysis.Pass, st *state, classes []*class) []analysis.Diagnostic {
	cf := newCycleFinder(pass, st)
	loops := map[*class]*recvLoop{}
	var tracked []*class
	for _, c := range classes {
		if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.closes) > 0 || len(c.recvs) == 0 {
			continue
		}
		if l := cf.loopOf(c); l != nil {
			loops[c] = l
			tracked = append(tracked, c)
		}
	}
	sort.Slice(tracked, func(i, j int) bool { return loops[tracked[i]].pos < loops[tracked[j]].pos })
	var out []analysis.Diagnostic
	for i, a := range tracked {
		la := loops[a]
		for _, b := range tracked[i+1:] {
			lb := loops[b]
			if la.fn == lb.fn {
				continue
			}
			stops := cf.pkg.SharedStops(la.loop, lb.loop) // the model's LoopStops of both
			ab, okAB := cf.firstSend(la, b, stops)        // la's loop sends on b
			ba, okBA := cf.firstSend(lb, a, stops)        // lb's loop sends on a
			if !okAB || !okBA {
				continue
			}
			// Two loops that each receive and then answer take turns
			// (ping-pong): one of them must send without receiving first.
			// (the model's FreeRunning)
			if !cf.pkg.FreeRunning(la.loop, a.fact, b.fact, lb.loop).ProvenTrue() && !cf.pkg.FreeRunning(lb.loop, b.fact, a.fact, la.loop).ProvenTrue() {
				continue
			}
			first, second, firstLoop, secondLoop := ba, ab, lb, la
			if ab.Pos < ba.Pos {
				first, second, firstLoop, secondLoop = ab, ba, la, lb
			}
			// first is a send by firstLoop on the channel secondLoop receives.
			var stop string
			if len(first.Alts) > 0 || len(second.Alts) > 0 {
				stop = "a stop case both loops leave on"
			}
			out = append(out, analysis.Diagnostic{Pos: first.Pos, End: first.Pos, Category: name,
				Message: message("sendCycle", map[string]any{
					"Chan": first.Text, "Receiver": secondLoop.name, "RecvLoop": chanutil.Where(pass.Fset, secondLoop.pos, first.Pos),
					"Other": second.Text, "OtherAt": chanutil.Where(pass.Fset, second.Pos, first.Pos), "Sender": firstLoop.name,
					"SenderLoop": chanutil.Where(pass.Fset, firstLoop.pos, first.Pos), "Stop": stop,
				}),
				Related: []analysis.RelatedInformation{
					{Pos: second.Pos, Message: "the receiving loop's own send, which waits for this goroutine's loop"},
					{Pos: secondLoop.pos, Message: "the only loop that receives from " + first.Text},
					{Pos: firstLoop.pos, Message: "the only loop that receives from " + second.Text},
				}})
		}
	}
	return out
}

// firstSend is the first send on c that loop l's body can block on (the
// model's SendsReached).
func (cf *cycleFinder) firstSend(l *recvLoop, c *class, stops map[model.RecvKey]bool) (model.ReachedSend, bool) {
	for _, r := range cf.pkg.SendsReached(model.LoopBody(l.loop)) {
		if r.Class != nil && r.Class == c.fact && r.BlocksUntil(stops) {
			return r, true
		}
	}
	return model.ReachedSend{}, false
}
