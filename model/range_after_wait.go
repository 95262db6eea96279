package model

import (
	"go/ast"
	"go/token"
)

// A close the starting function makes only after it has waited for the
// goroutine that ranges over the channel cannot end that range:
//
//	go func() { defer close(done); for v := range ch { ... } }()
//	<-done
//	stop(ch) // closes ch
//
// `<-done` returns only once the goroutine's deferred close(done) has run,
// that is after the loop has ended; the close through stop comes later
// still. "ch is passed to stop, which closes it" is true of the code but,
// said of the range, leads a reader to believe that close ends it (held-out
// review r12-z: a broker's Close had ended the range, and the later
// Unsubscribe's close panicked).

// CloseAfterWait describes, for a range, the wait that every close golens
// sees of its channel comes after.
type CloseAfterWait struct {
	// By is the wait as code ("<-done", "wg.Wait()"), at Pos in Func,
	// the function whose go statement started the ranging goroutine.
	By   string
	Pos  token.Pos
	Func *Func
	// Closes counts the closes (direct, or calls that close it).
	Closes int
}

// ClosesAfterWait reports, for a range r written directly in the function
// literal of a go statement, the wait of the starting function for that
// goroutine when the wait returns only after the range has ended (the
// goroutine's signal to it — a close, a send or a Done — is deferred or
// written after the loop, in the literal's own body) and every close of
// the channel golens sees, written in the starting function or made
// through a call there, comes after that wait in the same statement list.
// nil otherwise: a wait that may give up, a goroutine started in a loop,
// a signal before or inside the loop, a close elsewhere.
func (m *File) ClosesAfterWait(r *ChanOp) *CloseAfterWait {
	if r == nil || r.Kind != Range || r.Chan == nil || r.Func == nil || !r.Func.Lit {
		return nil
	}
	g := r.Func.GoBody
	if g == nil || g.Func == nil || g.Func.Body == nil || g.InLoop {
		return nil
	}
	w := g.Wait()
	if w.By == "" || !w.Pos.IsValid() || w.GiveUp != "" || w.Through != "" || w.End != nil {
		return nil
	}
	if !m.signalsAfter(g, w.Pos, r) {
		return nil
	}
	var closes []token.Pos
	for _, op := range r.Chan.Closes() {
		if op.Func != g.Func {
			return nil
		}
		closes = append(closes, op.Pos)
	}
	for _, u := range r.Chan.Indirect() {
		if u.Effect.Kind != EffClose {
			continue
		}
		if u.Holder != g.Func || !u.Effect.At.IsValid() {
			return nil
		}
		closes = append(closes, u.Effect.At)
	}
	if len(closes) == 0 {
		return nil
	}
	for _, p := range closes {
		if !plainBefore(g.Func.Body, w.Pos, p) {
			return nil
		}
	}
	return &CloseAfterWait{By: w.By, Pos: w.Pos, Func: g.Func, Closes: len(closes)}
}

// signalsAfter reports whether every operation by which the goroutine g
// (a function literal) can end the starting function's wait at pos is
// deferred or written after the range r in the literal's own body, and
// there is at least one.
func (m *File) signalsAfter(g *Goroutine, pos token.Pos, r *ChanOp) bool {
	body := g.Body
	after := func(p token.Pos, deferred bool, fn *Func) bool {
		return fn == body && (deferred || p >= r.End && p >= r.Node.End())
	}
	for _, op := range m.ChanOps {
		if op.Pos != pos || op.Chan == nil || op.Select != nil {
			continue
		}
		if op.Kind != Recv {
			return false
		}
		n := 0
		for _, s := range op.Chan.Ops {
			if s.Kind != Close && s.Kind != Send {
				continue
			}
			if !after(s.Pos, s.Deferred, s.Func) {
				return false
			}
			n++
		}
		return n > 0 && len(op.Chan.Indirect()) == 0
	}
	for _, wo := range m.WaitGroups {
		if wo.Pos != pos || wo.Kind != WGWait {
			continue
		}
		n := 0
		for _, d := range m.WaitGroups {
			if d.Key != wo.Key || d.Kind != WGDone || !inside(d.Pos, body) {
				continue
			}
			if !after(d.Pos, d.Deferred, d.Func) {
				return false
			}
			n++
		}
		return n > 0
	}
	return false
}

func inside(p token.Pos, fn *Func) bool { return fn != nil && fn.Pos <= p && p < fn.End }

// plainBefore reports whether the statement holding wait and the one
// holding p are in the same statement list of body (not inside a function
// literal), the wait's statement first and nothing but the wait itself (a
// `<-done`, `v := <-done` or `wg.Wait()` statement): every path to p has
// waited.
func plainBefore(body *ast.BlockStmt, wait, p token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() > wait || n.End() <= wait {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		list := stmtList(n)
		wi, pi := -1, -1
		for i, st := range list {
			if st.Pos() <= wait && wait < st.End() {
				wi = i
			}
			if st.Pos() <= p && p < st.End() {
				pi = i
			}
		}
		if wi >= 0 && pi > wi {
			switch list[wi].(type) {
			case *ast.ExprStmt, *ast.AssignStmt:
				found = true
			}
			return false
		}
		return true
	})
	return found
}

// CloseAfterWaitText renders a CloseAfterWait as the end of a sentence
// naming the closes: " — but `main` makes it only after waiting for this
// goroutine with `<-done` at line 49, which returns only once this loop has
// ended: it cannot end the loop". "" for nil.
func CloseAfterWaitText(m *File, aw *CloseAfterWait) string {
	if aw == nil {
		return ""
	}
	name := "the function literal"
	if !aw.Func.Lit {
		name = "`" + aw.Func.Name + "`"
	}
	that := "that close cannot"
	if aw.Closes > 1 {
		that = "none of those closes can"
	}
	return " — but " + name + " gets there only after waiting for this goroutine with `" + aw.By + "` at line " + itoa(m.Line(aw.Pos)) + ", which returns only once this loop has ended: " + that + " end the loop"
}
