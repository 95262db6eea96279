package lockfacts

import (
	"go/types"
	"strings"
)

// Mutexes are matched by class: a.mu and b.mu of one struct type are one
// class. Whether a partner's Lock waits for the mutex a waiter holds
// depends on the value, though, and two cases prove nothing of the sort:
//
//   - The partner is a function literal the holder starts, and the Lock
//     is of a mutex reached from the holder's own variables by another
//     path: the holder holds n.mu, the literal calls c.Total() for c
//     ranging over n.children, which locks n.children[].mu (a value reached
//     through a field of n, n itself only in a cycle nothing proves).
//   - The wait and the partner operation are on the same field of one
//     value, each reached from its own function's variables: a stage holds
//     s.mu and sends on s.next.in; the partner loop ranges over s'.in and
//     locks s'.mu. The channel being one, s' is s.next, and the partner
//     locks s.next.mu, not s.mu.
//
// OtherValue answers for both.

// OtherValue reports whether the Lock of mu in v (the function of the
// partner operation p of the wait w, which holder makes with h held) is,
// in holder's terms, of the same field as h reached through another path
// from the same variable: a mutex of another value unless the values form
// a cycle, which nothing proves. Only a mutex of h's own class (not one
// of the same class through a pointer field) is compared.
func (st *Facts) OtherValue(holder *Unit, w *WaitEvent, h Mutex, v *Unit, p *WaitEvent, mu Mutex) bool {
	if holder == nil || v == nil || h.Root == nil || mu.Root == nil || h.Class != mu.Class {
		return false
	}
	hx := st.origin(h.Root, h.Path)
	// The partner is a literal written in the holder: the variables of
	// the holder it uses are the holder's.
	if v != holder && v.Lit != nil && nestedIn(v, holder) {
		mx := st.origin(mu.Root, mu.Path)
		if in := mx.root.Pos(); !(v.Lit.Pos() <= in && in < v.Lit.End()) && mx.root == hx.root && mx.path != hx.path {
			return true
		}
	}
	// Through the field waited on: w's and p's owners are one value.
	if w == nil || p == nil || w.Root == nil || p.Root == nil || w.Class != p.Class {
		return false
	}
	wx, px := st.origin(w.Root, w.Path), st.origin(p.Root, p.Path)
	suffix := "." + w.Class.Name()
	if !strings.HasSuffix(wx.path, suffix) || !strings.HasSuffix(px.path, suffix) {
		return false
	}
	wOwner, pOwner := strings.TrimSuffix(wx.path, suffix), strings.TrimSuffix(px.path, suffix)
	mx := st.origin(mu.Root, mu.Path)
	if mx.root != px.root || !pathUnder(mx.path, pOwner) {
		return false
	}
	if wx.root != hx.root {
		return false
	}
	return wOwner+mx.path[len(pOwner):] != hx.path
}

// valuePath is a variable and a path from it, with indexes written "[]".
type valuePath struct {
	root types.Object
	path string
}

// origin follows the variable root back to the field it is read from
// (model.Package.ValueOrigin), a few steps at most.
func (st *Facts) origin(root types.Object, path string) valuePath {
	out := valuePath{root, path}
	for range 4 {
		r, ok := st.Pkg.ValueOrigin(out.root)
		if !ok {
			break
		}
		out = valuePath{r.Root, r.Path + out.path}
	}
	return out
}

// pathUnder reports whether path is owner or a path below it.
func pathUnder(path, owner string) bool {
	if !strings.HasPrefix(path, owner) {
		return false
	}
	rest := path[len(owner):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// nestedIn reports whether the unit v is written inside holder.
func nestedIn(v, holder *Unit) bool {
	for u := v.Parent; u != nil; u = u.Parent {
		if u == holder {
			return true
		}
	}
	return false
}
