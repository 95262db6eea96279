package model

import (
	"go/types"
)

// An unexported struct field of channel type that no file of its package
// sets (no make, no assignment, no composite literal naming it or listing
// every field, no &s.f: chanFieldWrites) is nil in every value of the
// struct: only the package can set an unexported field. The nilchan check
// reports every operation on such a field from this fact, and the hints
// and hovers of the typed tier say the same of each operation (File.NilField).
// A package importing reflect or unsafe may set fields behind the type
// checker's back: none is said nil there.

// NilChanField reports whether v (a field's generic origin) is an
// unexported channel field of p that no file of p sets.
func (p *Package) NilChanField(v *types.Var) bool {
	if p == nil || v == nil || !v.IsField() || v.Exported() || p.Types == nil || v.Pkg() != p.Types {
		return false
	}
	if _, isChan := v.Type().Underlying().(*types.Chan); !isChan {
		return false
	}
	p.nilFieldsOnce.Do(func() {
		for _, imp := range p.Types.Imports() {
			if imp.Path() == "reflect" || imp.Path() == "unsafe" {
				p.fieldsOpaque = true
				return
			}
		}
		p.chanFieldsSet = map[*types.Var]bool{}
		for _, f := range p.Files {
			chanFieldWrites(p.Info, f, p.chanFieldsSet)
		}
	})
	return !p.fieldsOpaque && !p.chanFieldsSet[v.Origin()]
}

// NilField is, on the typed tier of a model built in its package, the
// field c is when c is a field of channel type that the package never
// sets (Package.NilChanField): every operation on it acts on a nil
// channel. nil otherwise.
func (m *File) NilField(c *Chan) *types.Var {
	p := m.pkg
	if p == nil {
		p = m.classPkg
	}
	if p == nil || c == nil || !c.IsField {
		return nil
	}
	v, ok := c.Key.Object().(*types.Var)
	if !ok || !p.NilChanField(v) {
		return nil
	}
	return v
}
