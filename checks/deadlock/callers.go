package deadlock

import (
	"go/token"
	"go/types"
)

// Partners that run only with the mutex held. A function literal stored
// in a func-typed field and reached only through calls of that field, or
// a function called only directly, needs the mutex before it runs when
// every one of those calls is made with the mutex held (GoKer etcd/7902:
// rc.release() is called only between mu.Lock() and mu.Unlock(), and the
// leader's release closes the channel the followers' releases wait on).

// callersHold reports whether every call that can run v holds h's mutex
// (by class, in a mode that excludes h), and gives one such Lock.
func (st *analysisState) callersHold(v *unit, h held) (token.Pos, bool) {
	var calls []*callEvent
	switch {
	case v.lit != nil:
		fields := st.fieldsHolding(v)
		if len(fields) == 0 {
			return token.NoPos, false
		}
		for _, f := range fields {
			fc := st.fieldCalls(f)
			if fc == nil {
				return token.NoPos, false
			}
			calls = append(calls, fc...)
		}
	case v.fn != nil:
		calls = st.directCalls(v.fn)
	}
	if len(calls) == 0 {
		return token.NoPos, false
	}
	var at token.Pos
	for _, c := range calls {
		found := false
		for _, x := range c.held {
			if x.mu.class == h.mu.class && conflicts(x.kind, h.kind) {
				found, at = true, x.pos
				break
			}
		}
		if !found {
			return token.NoPos, false
		}
	}
	return at, true
}

// fieldsHolding lists the func-typed fields the literal v is stored in,
// when storing is all that is done with it.
func (st *analysisState) fieldsHolding(v *unit) []types.Object {
	var out []types.Object
	for f, cbs := range st.callbacks {
		for _, cb := range cbs {
			if cb.lit == v && !cb.classOnly && cb.viaCall == nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// fieldCalls lists the calls of the func-typed field f, or nil when f is
// also read some other way (copied, passed, started with go): then golens
// does not see every call.
func (st *analysisState) fieldCalls(f types.Object) []*callEvent {
	calls := st.callIndex()[f]
	stores := 0
	for _, cb := range st.callbacks[f] {
		if cb.at.IsValid() {
			stores++
		}
	}
	if st.pkg.Uses()[f] != len(calls)+stores {
		return nil
	}
	return calls
}

// callIndex lists the calls of the package by callee: the function, or
// the func-typed field.
func (st *analysisState) callIndex() map[types.Object][]*callEvent {
	if st.calls != nil {
		return st.calls
	}
	st.calls = map[types.Object][]*callEvent{}
	for _, u := range st.units {
		for _, c := range u.calls {
			switch {
			case c.callee != nil:
				st.calls[c.callee] = append(st.calls[c.callee], c)
			case c.field != nil:
				st.calls[c.field] = append(st.calls[c.field], c)
			}
		}
	}
	return st.calls
}

// directCalls lists the calls of fn, or nil when fn is also used another
// way (a method value, a go statement, an argument).
func (st *analysisState) directCalls(fn *types.Func) []*callEvent {
	var calls []*callEvent
	for _, c := range st.callIndex()[fn] {
		if c.recv == nil {
			calls = append(calls, c)
		}
	}
	if st.pkg.Uses()[fn] != len(calls) {
		return nil
	}
	return calls
}
