package model

import (
	"go/ast"
	"go/token"
	"strings"
)

// AfterDone lists, for a goroutine whose function literal defers the Done
// of the WaitGroup wg (`defer wg.Done()`), the deferred calls it registers
// before that defer: they run after Done (last deferred, first run), so a
// Wait on wg can return before they have run. nil when the literal defers
// no such Done, or defers nothing before it. Only defers of the literal's
// own body, outside ifs and loops, count. For `go worker(&wg, ...)`, with
// worker a function of this file (GoWorkerOf), the same is read from
// worker's body, on the parameter &wg is handed; done is that Done as
// worker writes it ("w.Done()"), wg+".Done()" for a literal.
func (m *File) AfterDone(g *Goroutine, wg string) (defers []*Defer, done string) {
	if g == nil || wg == "" {
		return nil, ""
	}
	body, name := g.Body, wg
	if body == nil {
		wk := m.GoWorkerOf(g)
		if wk == nil {
			return nil, ""
		}
		name = ""
		for i, a := range g.Node.Call.Args {
			if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
				if id, ok := ast.Unparen(u.X).(*ast.Ident); ok && id.Name == wg && wk.params[i].Name != "_" {
					name = wk.params[i].Name
				}
			}
		}
		if name == "" {
			return nil, ""
		}
		body = wk.Func
	}
	at := -1
	for _, d := range body.Defers {
		if d.Conditional || d.InLoop {
			continue
		}
		if strings.TrimSpace(d.Call) == name+".Done()" {
			at = d.Index
			break
		}
	}
	if at < 0 {
		return nil, ""
	}
	for _, d := range body.Defers {
		if d.Index < at && !d.Conditional && !d.InLoop {
			defers = append(defers, d)
		}
	}
	return defers, name + ".Done()"
}
