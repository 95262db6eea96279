package model_test

import (
	"go/types"
	"strings"
	"testing"
)

const onceOnFreshSrc = `package p

type w struct{ events chan int }

func newW() *w { return &w{events: make(chan int)} }
func other() *w { return newW() }

func (x *w) once()      {}
func (x *w) twice()     {}
func (x *w) inLoop()    {}
func (x *w) loopHolds() {}
func (x *w) passed()    {}
func (x *w) notCtor()   {}
func (x *w) asValue()   {}
func (x *w) Exported()  {}
func (x *w) never()     {}
func (x *w) reassigned() {}

func use(*w) {}

func a() {
	v := newW()
	v.once()
	v.twice()
	v.twice()
	v.Exported()
	for i := 0; i < 3; i++ {
		v.inLoop()
	}
	for i := 0; i < 3; i++ {
		u := newW()
		u.loopHolds()
	}
	p := newW()
	p.passed()
	use(p)
	o := other()
	o.notCtor()
	f := newW().asValue
	f()
	r := newW()
	r = newW()
	r.reassigned()
}
`

// CalledOnceOnFresh: proven only when every call of the method is the one
// call on a fresh value of the constructor, outside loops that reuse it.
func TestCalledOnceOnFresh(t *testing.T) {
	p, _ := checkedPackage(t, onceOnFreshSrc)
	scope := p.Types.Scope()
	ctor := scope.Lookup("newW")
	wt := scope.Lookup("w").Type()
	ms := types.NewMethodSet(types.NewPointer(wt))
	method := func(name string) *types.Func {
		for i := range ms.Len() {
			if f := ms.At(i).Obj().(*types.Func); f.Name() == name {
				return f
			}
		}
		t.Fatalf("no method %s", name)
		return nil
	}
	for _, c := range []struct {
		method, want string // certainty, then a word of the reason
	}{
		{"once", "proven"},
		{"loopHolds", "proven"}, // the loop makes a new value each pass
		{"twice", "unknown 2 times"},
		{"inLoop", "unknown loop"},
		{"passed", "unknown used other than"},
		{"notCtor", "unknown not the value newW returned"},
		{"asValue", "unknown other than by a call"},
		{"Exported", "unknown outside the package"},
		{"never", "unknown never calls"},
		{"reassigned", "unknown assigned"},
	} {
		f := p.CalledOnceOnFresh(method(c.method), ctor)
		cert, word, _ := strings.Cut(c.want, " ")
		if f.Certainty.String() != cert || f.Certainty == 2 && !f.Holds || !strings.Contains(f.Why, word) {
			t.Errorf("%s: got %s (%s), want %s", c.method, f.Certainty, f.Why, c.want)
		}
	}
}
