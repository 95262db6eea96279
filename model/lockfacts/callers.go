package lockfacts

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

// CallersHold reports whether every call that can run v holds h's mutex
// (by class, in a mode that excludes h), and gives one such Lock.
func (st *Facts) CallersHold(v *Unit, h Held) (token.Pos, bool) {
	var calls []*CallEvent
	switch {
	case v.Lit != nil:
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
	case v.Fn != nil:
		calls = st.directCalls(v.Fn)
	}
	if len(calls) == 0 {
		return token.NoPos, false
	}
	var at token.Pos
	for _, c := range calls {
		found := false
		for _, x := range c.Held {
			if x.Mu.Class == h.Mu.Class && Conflicts(x.Kind, h.Kind) {
				found, at = true, x.Pos
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
func (st *Facts) fieldsHolding(v *Unit) []types.Object {
	var out []types.Object
	for f, cbs := range st.callbacks {
		for _, cb := range cbs {
			if cb.Lit == v && !cb.ClassOnly && cb.ViaCall == nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// fieldCalls lists the calls of the func-typed field f, or nil when f is
// also read some other way (copied, passed, started with go): then golens
// does not see every call.
func (st *Facts) fieldCalls(f types.Object) []*CallEvent {
	calls := st.callIndex()[f]
	stores := 0
	for _, cb := range st.callbacks[f] {
		if cb.At.IsValid() {
			stores++
		}
	}
	if st.Pkg.Uses()[f] != len(calls)+stores {
		return nil
	}
	return calls
}

// callIndex lists the calls of the package by callee: the function, or
// the func-typed field.
func (st *Facts) callIndex() map[types.Object][]*CallEvent {
	if st.Calls != nil {
		return st.Calls
	}
	st.Calls = map[types.Object][]*CallEvent{}
	for _, u := range st.Units {
		for _, c := range u.Calls {
			switch {
			case c.Callee != nil:
				st.Calls[c.Callee] = append(st.Calls[c.Callee], c)
			case c.Field != nil:
				st.Calls[c.Field] = append(st.Calls[c.Field], c)
			}
		}
	}
	return st.Calls
}

// directCalls lists the calls of fn, or nil when fn is also used another
// way (a method value, a go statement, an argument).
func (st *Facts) directCalls(fn *types.Func) []*CallEvent {
	var calls []*CallEvent
	for _, c := range st.callIndex()[fn] {
		if c.Recv == nil {
			calls = append(calls, c)
		}
	}
	if st.Pkg.Uses()[fn] != len(calls) {
		return nil
	}
	return calls
}
