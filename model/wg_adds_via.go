package model

import (
	"go/token"
	"slices"
)

// AddVia is an Add on a WaitGroup made in another function, reached
// through a call that is given the WaitGroup: du's walkDir(dir, &n, …)
// calling n.Add(1) for each subdirectory before it starts the walker
// (The Go Programming Language, 8.8). The Wait's hover lists the Adds on
// the WaitGroup's own variable; these are the ones made through its
// pointer in the functions the WaitGroup is passed to.
type AddVia struct {
	Pos token.Pos // the Add, in the callee (or a function it calls)
	At  token.Pos // the call that passes the WaitGroup
	Via string    // the callee called there
	// Maybe: the callee adds only on some of its paths (under an if, in
	// a loop).
	Maybe bool
}

// AddsVia lists the Adds on w's WaitGroup that the file's functions make
// through calls, in the order of the calls, each once.
func (f *File) AddsVia(w *WaitGroupOp) []AddVia {
	if w == nil || !w.Key.Valid() {
		return nil
	}
	var out []AddVia
	for _, s := range f.Summaries() {
		if s.Func != nil && s.Func.Lit {
			continue // its effects are in its enclosing function's summary too
		}
		for _, e := range s.Effects {
			if e.Kind != EffAdd || !e.At.IsValid() || e.key != w.Key {
				continue
			}
			if slices.ContainsFunc(out, func(a AddVia) bool { return a.Pos == e.Pos && a.At == e.At }) {
				continue
			}
			out = append(out, AddVia{Pos: e.Pos, At: e.At, Via: e.Via, Maybe: e.Certainty != Proven})
		}
	}
	slices.SortFunc(out, func(a, b AddVia) int { return int(a.At) - int(b.At) })
	return out
}

// AddsViaText says where AddsVia's Adds are, for the Wait's hover:
// "`walkDir`, called at line 48, may add to it too (line 36)"; "" when
// there are none.
//
// An Add that may run after w returned (LateAdds, when w is a Wait) is
// left out: the Wait's hover says that of it apart.
func (f *File) AddsViaText(w *WaitGroupOp) string {
	t := ""
	late := f.lateAddAt(w)
	for _, a := range f.AddsVia(w) {
		if late[a.Pos] {
			continue
		}
		if t != "" {
			t += "; "
		}
		verb := "adds to it too"
		if a.Maybe {
			verb = "may add to it too"
		}
		t += "`" + a.Via + "`, called at " + f.where(a.At) + ", " + verb + " (" + f.where(a.Pos) + ")"
	}
	return t
}
