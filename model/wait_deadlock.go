package model

import (
	"go/ast"
	"go/token"
	"sync"
)

// WaitDeadlock is the wait-before-drain deadlock at one wg.Wait(): the
// goroutines the Wait waits for send on Chan before they are done, and
// Chan is drained only after the Wait, in the waiting function. When Chan
// is unbuffered (or the counted sends exceed its buffer) a sender finds no
// receiver until the Wait returns, and the Wait does not return until the
// senders are done. It is the one computation of that fact: the
// waitbeforedrain check reports it at the Wait, and the go hover and hint
// read it (WaitNeverReturns) for the goroutines it names.
type WaitDeadlock struct {
	Wait *WaitGroupOp
	Chan *Chan
	// Senders are the goroutines that send on Chan and signal the
	// WaitGroup only after: the workers Chan is passed to first (in the
	// order of its mentions), then the senders of its send operations.
	Senders []WaitSender
	// Drain is the first receive or range of Chan, after the Wait.
	Drain *ChanOp
	// Capacity is Chan's buffer; Sends, when it is not 0, is how many
	// values the sends can queue (CountSends), more than Capacity.
	Capacity int64
	Sends    int
	// Stmts is the statement list holding the Wait's statement, at
	// Index; Drain is in the statements after it.
	Stmts []ast.Stmt
	Index int
}

// WaitSender is a goroutine that sends on a channel and signals a
// WaitGroup: a go statement (Go) or a function literal passed to wg.Go.
type WaitSender struct {
	Pos    token.Pos // the go keyword, or the wg.Go call
	InLoop bool
	Go     *Goroutine // nil for wg.Go
	// Sends are its send operations on the channel: in its own literal,
	// or the sends on the channel parameter of the worker function it runs
	// (Worker).
	Sends  []*ChanOp
	Worker *GoWorker
}

// waitDeadlockSet holds the file's WaitDeadlocks and the wg.Go literals they
// read, computed on first use.
type waitDeadlockSet struct {
	once      sync.Once
	goLits    map[token.Pos]*WaitGroupOp
	deadlocks []*WaitDeadlock
}

func (m *File) waitDeadlockFacts() *waitDeadlockSet {
	var wf *waitDeadlockSet
	if m.derived != nil {
		wf = &m.derived.waits
	} else {
		wf = &waitDeadlockSet{} // a model built by hand: computed each time
	}
	wf.once.Do(func() {
		// Function literals passed to wg.Go run as goroutines that
		// signal wg.
		wf.goLits = map[token.Pos]*WaitGroupOp{}
		for _, w := range m.WaitGroups {
			if w.Kind == WGGo && len(w.Call.Args) == 1 {
				if lit, ok := ast.Unparen(w.Call.Args[0]).(*ast.FuncLit); ok {
					wf.goLits[lit.Pos()] = w
				}
			}
		}
		wf.deadlocks = m.waitDeadlocks(wf.goLits)
	})
	return wf
}

// WaitDeadlocks lists the file's wait-before-drain deadlocks, at most one
// per pair of a Wait and a channel of its function, in the order of the
// Waits and then of the channels.
func (m *File) WaitDeadlocks() []*WaitDeadlock { return m.waitDeadlockFacts().deadlocks }

func (m *File) waitDeadlocks(goLits map[token.Pos]*WaitGroupOp) []*WaitDeadlock {
	var waits []*WaitGroupOp
	for _, w := range m.WaitGroups {
		if w.Kind == WGWait && !w.Deferred && w.Func != nil && w.Key.Valid() {
			waits = append(waits, w)
		}
	}
	if len(waits) == 0 {
		return nil
	}
	// Pair each Wait with the channels of its own function (grouped once:
	// pairing every Wait with every channel is quadratic in large files).
	candsOf := map[*Func][]*Chan{}
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		f := m.FuncAt(c.Decl)
		candsOf[f] = append(candsOf[f], c)
	}
	var out []*WaitDeadlock
	for _, w := range waits {
		for _, c := range candsOf[w.Func] {
			if len(c.Receives()) == 0 {
				continue // nothing drains it here (see waitbeforedrain's returned.go)
			}
			if d := m.waitDeadlock(w, c, goLits); d != nil {
				out = append(out, d)
			}
		}
	}
	return out
}

// waitDeadlock is the deadlock of the pair, or nil: every mention of c is
// a send, receive, range, close or len, or an argument of a worker
// goroutine (go worker(..., c, ..., &wg)) started before the Wait; every
// send is a plain send in a goroutine of the waiting function, started
// before the Wait, that signals its WaitGroup only after the send
// (WaitSignaller); every receive is in the waiting function after the
// Wait, the first in the statements that follow the Wait's statement; and
// c is unbuffered, or holds fewer values than the sends that are counted
// (none in a loop, no worker).
func (m *File) waitDeadlock(w *WaitGroupOp, c *Chan, goLits map[token.Pos]*WaitGroupOp) *WaitDeadlock {
	capacity, known := c.Capacity()
	if !known {
		return nil
	}
	f := w.Func
	var senders []WaitSender
	countable := true
	// go worker(..., ch, ..., &wg): the channel is handed to a function of
	// this file that sends on it and signals the WaitGroup.
	workerArg := map[*ast.Ident]*Goroutine{}
	for _, g := range m.Goroutines {
		if g.Func != f || g.Body != nil {
			continue
		}
		for _, a := range g.Node.Call.Args {
			if id, ok := ast.Unparen(a).(*ast.Ident); ok && m.DeclPos(id) == c.Decl {
				workerArg[id] = g
			}
		}
	}
	for _, u := range c.Refs() {
		switch u.Kind {
		case RefSend, RefRecv, RefRange, RefClose, RefLen:
		case RefDef:
			if u.Ident.Pos() != c.Decl {
				return nil
			}
		default:
			g := workerArg[u.Ident]
			if g == nil {
				return nil
			}
			s, ok := m.workerSender(w, g, u.Ident)
			if !ok {
				return nil
			}
			senders = append(senders, s)
			countable = false // the worker's sends are not counted
		}
	}
	var firstRecv *ChanOp
	var sendOps []*ChanOp
	for _, op := range c.Ops {
		switch op.Kind {
		case Send:
			s, ok := m.waitSignaller(w, op, goLits)
			if !ok || op.Select != nil {
				return nil
			}
			senders = append(senders, s)
			sendOps = append(sendOps, op)
			if s.InLoop || op.InLoop {
				countable = false
			}
		case Recv, Range:
			if op.Func != f || op.InGo != w.InGo || op.Pos < w.Call.End() {
				return nil
			}
			if firstRecv == nil {
				firstRecv = op
			}
		}
	}
	if firstRecv == nil || len(senders) == 0 {
		return nil
	}
	sends := CountSends(sendOps) // sends on paths that exclude each other count once
	if capacity > 0 && (!countable || int64(sends) <= capacity) {
		return nil
	}
	list, index, ok := m.StmtSlot(w.Call)
	if !ok {
		return nil
	}
	// The receive must follow the Wait on the same path: inside the
	// statements after it in the same list.
	if last := list[len(list)-1]; firstRecv.Pos > last.End() {
		return nil
	}
	return &WaitDeadlock{Wait: w, Chan: c, Senders: senders, Drain: firstRecv,
		Capacity: capacity, Sends: sends, Stmts: list, Index: index}
}

// WaitSignaller reports whether the send op runs in a goroutine, started
// before the Wait w by the waiting function, that signals the same
// WaitGroup only after the send (a go statement's literal), or that is a
// function literal passed to its wg.Go.
func (m *File) WaitSignaller(w *WaitGroupOp, op *ChanOp) (WaitSender, bool) {
	return m.waitSignaller(w, op, m.waitDeadlockFacts().goLits)
}

func (m *File) waitSignaller(w *WaitGroupOp, op *ChanOp, goLits map[token.Pos]*WaitGroupOp) (WaitSender, bool) {
	if op.Func == nil || !op.Func.Lit {
		return WaitSender{}, false
	}
	if g := op.InGo; g != nil && (g.Body == op.Func || DeferredSend(g.Body, op)) {
		if g.Func != w.Func || g.Pos > w.Pos {
			return WaitSender{}, false
		}
		if g.Body == op.Func && !m.GoDoneOnlyAfter(g, w.Key, op.Pos) {
			return WaitSender{}, false // no Done, or one before the send: Wait does not wait for it
		}
		// A send in a closure the goroutine defers runs before its
		// deferred Done only when that Done was deferred first.
		if g.Body != op.Func && !m.deferredSendFirst(g.Body, func(d *WaitGroupOp) bool { return d.InGo == g }, w.Key, op) {
			return WaitSender{}, false
		}
		return WaitSender{Pos: g.Pos, InLoop: g.InLoop, Go: g, Sends: []*ChanOp{op}}, true
	}
	if gw := goLits[op.Func.Pos]; gw != nil && gw.Key == w.Key && gw.Func == w.Func && gw.Pos < w.Pos && op.InGo == w.InGo {
		return WaitSender{Pos: gw.Call.Pos(), InLoop: m.InnermostLoop(gw.Call.Pos()) != nil, Sends: []*ChanOp{op}}, true
	}
	return WaitSender{}, false
}

// workerSender reports whether the goroutine `go worker(..., ch, ...,
// &wg)`, started before the Wait, runs a function declared in this file
// (GoWorker) that only sends on the channel parameter, in plain sends of
// its own body, and calls Done on the WaitGroup parameter only after its
// sends (or in a defer).
func (m *File) workerSender(w *WaitGroupOp, g *Goroutine, chArg *ast.Ident) (WaitSender, bool) {
	if g.Pos > w.Pos {
		return WaitSender{}, false
	}
	wk := m.GoWorkerOf(g)
	if wk == nil {
		return WaitSender{}, false
	}
	chParam := wk.Param(chArg)
	wgKey, ok := wk.WaitGroupParam(m, w.Key)
	if chParam == nil || !ok {
		return WaitSender{}, false
	}
	// Every mention of the channel parameter (the model's Refs) is a
	// plain send of the worker's own body.
	var param *Chan
	for _, c := range m.Chans {
		if c.IsParam && c.Decl == chParam.Pos() {
			param = c
		}
	}
	if param == nil {
		return WaitSender{}, false
	}
	var lastSend token.Pos
	var sends []*ChanOp
	inWorker := func(d *WaitGroupOp) bool { return within(d.Pos, wk.Func) }
	for _, u := range param.Refs() {
		switch {
		case u.Kind == RefDef && u.Ident == chParam:
		case u.Kind == RefSend && u.Op.Func == wk.Func && u.Op.Select == nil:
			lastSend = max(lastSend, u.Op.Pos)
			sends = append(sends, u.Op)
		case u.Kind == RefSend && u.Op.Select == nil && DeferredSend(wk.Func, u.Op):
			// A send in a closure the worker defers: it runs as the
			// worker returns, before the deferred Done only when that
			// Done was deferred first.
			if !m.deferredSendFirst(wk.Func, inWorker, wgKey, u.Op) {
				return WaitSender{}, false
			}
			sends = append(sends, u.Op)
		default:
			return WaitSender{}, false
		}
	}
	if len(sends) == 0 || lastSend.IsValid() && !m.DoneOnlyAfter(wk.Func, wgKey, lastSend) {
		return WaitSender{}, false
	}
	return WaitSender{Pos: g.Pos, InLoop: g.InLoop, Go: g, Sends: sends, Worker: wk}, true
}

// StmtSlot returns the statement list holding the expression statement
// `call` and its index in it.
func (m *File) StmtSlot(call *ast.CallExpr) ([]ast.Stmt, int, bool) {
	path, _ := EnclosingPath(m.AST, call.Pos(), call.End())
	for i, n := range path {
		es, ok := n.(*ast.ExprStmt)
		if !ok {
			continue
		}
		if ast.Unparen(es.X) != call || i+1 >= len(path) {
			return nil, 0, false
		}
		list := stmtList(path[i+1])
		for j, s := range list {
			if s == es {
				return list, j, true
			}
		}
		return nil, 0, false
	}
	return nil, 0, false
}
