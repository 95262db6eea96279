package lockfacts

import (
	"go/ast"
	"go/types"
	"strings"
)

// A Cond's Wait unlocks the Cond's L while it waits and locks it again
// before it returns (https://pkg.go.dev/sync#Cond.Wait); every other mutex
// the goroutine holds stays held. A goroutine that holds another mutex
// while it waits blocks forever when every Signal and Broadcast of the
// Cond comes after a Lock of that mutex: the signaller waits for the
// mutex, and the waiter keeps it until it is signalled.

// The kinds of Cond events, beside the channel and WaitGroup ones.
const (
	// WaitCondWait is a cond.Wait(): a wait, ended by a Signal or
	// Broadcast of the same Cond.
	WaitCondWait WaitKind = 100 + iota
	// WaitCondSignal is a cond.Signal() or cond.Broadcast(): a partner.
	WaitCondSignal
)

// condOp records a Wait, Signal or Broadcast of a sync.Cond field whose L
// the package names (model.Package.CondLocks), as the model's Cond
// operations list it (model.File.CondWaits, CondSignals). The Wait's held
// set is what the walk holds there (the Cond's own mutex too, as the lock
// flow says); HeldAcrossWait leaves out what Wait releases. It reports
// whether c was one.
func (w *walker) condOp(blk ast.Node, stmt ast.Stmt, c *ast.CallExpr, h []Held, deferred bool) bool {
	typ, method, x, _, ok := w.syncMethod(c)
	if !ok || typ != "Cond" || w.u.File == nil {
		return false
	}
	var kind WaitKind
	found := false
	switch method {
	case "Wait":
		kind = WaitCondWait
		for _, cw := range w.u.File.CondWaits() {
			found = found || cw.Call == c
		}
	case "Signal", "Broadcast":
		kind = WaitCondSignal
		for _, cs := range w.u.File.CondSignals() {
			found = found || cs.Call == c
		}
	}
	if !found {
		return false
	}
	r := w.st.refOf(x)
	if _, named := w.st.conds[r.Class]; !named {
		// Without the Cond's L golens cannot tell which held mutex the
		// Wait releases: it records nothing.
		return true
	}
	e := &WaitEvent{Kind: kind, Class: r.Class, Text: r.Text, Root: r.Root, Path: r.Path, Pos: c.Pos(), End: c.End(), Held: h, Deferred: deferred, Stmt: stmt, Block: blk}
	if kind == WaitCondWait {
		w.u.Waits = append(w.u.Waits, e)
	} else {
		w.u.Partner = append(w.u.Partner, e)
	}
	return true
}

// CondL is the class of the mutex a Cond wait releases while it waits
// (the Cond's L), or nil when w is no Cond wait.
func (st *Facts) CondL(w *WaitEvent) types.Object {
	if w.Kind != WaitCondWait {
		return nil
	}
	if cl, ok := st.conds[w.Class]; ok {
		return cl.Class
	}
	return nil
}

// HeldAcrossWait is what of h the wait w keeps held: all of it, but for a
// Cond wait the mutexes of the Cond's L's class (by class: the Cond may
// belong to another instance than the one named, and leaving a mutex out
// only makes golens quieter).
func (st *Facts) HeldAcrossWait(w *WaitEvent, h []Held) []Held {
	l := st.CondL(w)
	if l == nil {
		return h
	}
	var out []Held
	for _, x := range h {
		if x.Mu.Class != l {
			out = append(out, x)
		}
	}
	return out
}

// CondLText names, as written at the wait w, the mutex a Cond wait
// releases while it waits: "q.mu" for q.cond.Wait(); "" when w is no Cond
// wait.
func (st *Facts) CondLText(w *WaitEvent) string {
	cl, ok := st.conds[w.Class]
	if w.Kind != WaitCondWait || !ok {
		return ""
	}
	owner := w.Text
	if i := strings.LastIndexByte(owner, '.'); i >= 0 {
		owner = owner[:i]
	} else {
		return cl.Name
	}
	return owner + "." + cl.Name
}
