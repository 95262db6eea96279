package model

// PanicWhere says when a panic call runs, relative to the function that
// holds it.
type PanicWhere int

const (
	// PanicHere: a panic statement; the function stops there and its
	// deferred calls run.
	PanicHere PanicWhere = iota
	// PanicDeferred: `defer panic(v)`; it panics when the function's
	// deferred calls run, and the calls registered before it run after it
	// (https://go.dev/ref/spec#Defer_statements).
	PanicDeferred
	// PanicStarted: `go panic(v)`; it panics in the new goroutine, where
	// nothing is deferred: none of the function's deferred calls run and
	// nothing recovers it, so the program exits
	// (https://go.dev/ref/spec#Handling_panics).
	PanicStarted
)

func (w PanicWhere) String() string { return [...]string{"here", "deferred", "started"}[w] }

// PanicUnwind is what runs when a panic call panics: which defer
// statements of its function can have registered a call that runs as the
// panic unwinds, and which recovers those calls make directly. The panic
// hover reads it; it is the one answer, from the control flow, to "which
// defers has this panic passed", so no feature counts defers by position.
type PanicUnwind struct {
	Where PanicWhere
	// Known: Defers and Recovers come from the control flow. When not, Why
	// says why (the defer order is unknown, or no followed path reaches
	// the panic) and MayRecover lists the recovers the function's deferred
	// calls make directly, any of which may or may not have been
	// registered when it panics.
	Known bool
	Why   string
	// Defers: the defer statements whose calls can run as the panic
	// unwinds (registered on some path to it; for a deferred panic,
	// registered before it).
	Defers []*Defer
	// Recovers: the recovers called directly by those deferred calls that
	// can stop the panic (Reach stops or when-deferred).
	Recovers   []*BuiltinCall
	MayRecover []*BuiltinCall
}

// PanicUnwind answers PanicUnwind for the panic call p; the zero value for
// anything else.
func (m *File) PanicUnwind(p *BuiltinCall) PanicUnwind {
	if p == nil || p.Name != "panic" || p.Func == nil {
		return PanicUnwind{}
	}
	f := p.Func
	for _, g := range m.Goroutines {
		if g.Node != nil && g.Node.Call == p.Call {
			return PanicUnwind{Where: PanicStarted, Known: true}
		}
	}
	var self *Defer
	for _, d := range f.Defers {
		if d.Node != nil && d.Node.Call == p.Call {
			self = d
		}
	}
	u := PanicUnwind{Where: PanicHere}
	if self != nil {
		u.Where = PanicDeferred
	}
	if len(f.Defers) == 0 || len(f.Defers) == 1 && self != nil {
		u.Known = true // nothing else is deferred in f
		return u
	}
	for _, d := range f.Defers {
		if o := d.Order(); !o.Known {
			return m.panicUnknown(u, f, self, o.Why)
		}
	}
	if self == nil {
		if p.PanicExit() == nil {
			return m.panicUnknown(u, f, nil, "golens does not follow the path to this panic in "+f.Name)
		}
		u.Known, u.Defers, u.Recovers = true, p.Registered(), p.Recovers()
		return u
	}
	// A deferred panic: the calls that run after it are those registered
	// before its own, on some path through the function (an earlier pass
	// of a loop counts).
	for _, d := range f.Defers {
		if d == self {
			continue
		}
		switch m.ReachAfter(d.Node, self.Pos) {
		case ReachUnknown:
			return m.panicUnknown(u, f, self, "golens does not follow the path from the defer at "+d.Call+" to this one")
		case ReachSome, ReachAlways:
			u.Defers = append(u.Defers, d)
		}
	}
	u.Known, u.Recovers = true, m.recoversBy(u.Defers)
	return u
}

func (m *File) panicUnknown(u PanicUnwind, f *Func, self *Defer, why string) PanicUnwind {
	u.Known, u.Why = false, why
	var ds []*Defer
	for _, d := range f.Defers {
		if d != self {
			ds = append(ds, d)
		}
	}
	u.MayRecover = m.recoversBy(ds)
	return u
}

// recoversBy lists the recovers that can stop a panic when called
// directly by the deferred call of one of ds.
func (m *File) recoversBy(ds []*Defer) []*BuiltinCall {
	var out []*BuiltinCall
	for _, r := range m.Builtins {
		if r.Name != "recover" || r.Reach != RecoverStops && r.Reach != RecoverWhenDeferred {
			continue
		}
	by:
		for _, by := range r.DeferredBy {
			for _, d := range ds {
				if by == d {
					out = append(out, r)
					break by
				}
			}
		}
	}
	return out
}
