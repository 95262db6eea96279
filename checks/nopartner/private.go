package nopartner

import (
	"go/types"
)

// An exported field of an unexported struct type is out of other packages'
// reach as long as the type itself is: no exported function, method,
// variable or type of the package mentions it (a *T result, a field or an
// embedded T of an exported struct, an exported interface's method). Code
// elsewhere that gets such a value through an interface cannot name the
// type to reach the field.

// privateFields lists the exported fields of unexported struct types that
// do not leave the package.
func privateFields(pkg *types.Package) map[*types.Var]bool {
	out := map[*types.Var]bool{}
	scope := pkg.Scope()
	var exported []types.Object
	for _, name := range scope.Names() {
		if o := scope.Lookup(name); o.Exported() {
			exported = append(exported, o)
		}
	}
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.Exported() || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 {
			continue
		}
		st, ok := named.Underlying().(*types.Struct)
		if !ok || typeLeaves(named, exported) {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			if f := st.Field(i); f.Exported() && !f.Embedded() {
				out[f] = true
			}
		}
	}
	return out
}

// typeLeaves: an exported object of the package mentions t.
func typeLeaves(t *types.Named, exported []types.Object) bool {
	for _, o := range exported {
		switch o := o.(type) {
		case *types.TypeName:
			if mentions(o.Type().Underlying(), t, map[types.Type]bool{}) {
				return true
			}
			if n, ok := o.Type().(*types.Named); ok {
				for i := 0; i < n.NumMethods(); i++ {
					if m := n.Method(i); m.Exported() && mentions(m.Type(), t, map[types.Type]bool{}) {
						return true
					}
				}
			}
		default:
			if mentions(o.Type(), t, map[types.Type]bool{}) {
				return true
			}
		}
	}
	// Exported methods of unexported types can be called through
	// interfaces elsewhere: their signatures count too.
	return methodsMention(t, exported)
}

func methodsMention(t *types.Named, _ []types.Object) bool {
	pkg := t.Obj().Pkg()
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		n, ok := tn.Type().(*types.Named)
		if !ok {
			continue
		}
		for i := 0; i < n.NumMethods(); i++ {
			m := n.Method(i)
			if !m.Exported() {
				continue
			}
			sig := m.Type().(*types.Signature)
			if mentions(sig.Params(), t, map[types.Type]bool{}) || mentions(sig.Results(), t, map[types.Type]bool{}) {
				return true
			}
		}
	}
	return false
}

// mentions: t appears in typ (through pointers, containers, signatures,
// struct fields and interface methods).
func mentions(typ types.Type, t *types.Named, seen map[types.Type]bool) bool {
	if typ == nil || seen[typ] {
		return false
	}
	seen[typ] = true
	switch x := typ.(type) {
	case *types.Named:
		if x == t || x.Origin() == t {
			return true
		}
		if x.Obj().Pkg() != t.Obj().Pkg() {
			return false // another package's type cannot hold ours by name
		}
		return mentions(x.Underlying(), t, seen)
	case *types.Alias:
		return mentions(types.Unalias(x), t, seen)
	case *types.Pointer:
		return mentions(x.Elem(), t, seen)
	case *types.Slice:
		return mentions(x.Elem(), t, seen)
	case *types.Array:
		return mentions(x.Elem(), t, seen)
	case *types.Map:
		return mentions(x.Key(), t, seen) || mentions(x.Elem(), t, seen)
	case *types.Chan:
		return mentions(x.Elem(), t, seen)
	case *types.Tuple:
		for i := 0; i < x.Len(); i++ {
			if mentions(x.At(i).Type(), t, seen) {
				return true
			}
		}
	case *types.Signature:
		return mentions(x.Params(), t, seen) || mentions(x.Results(), t, seen)
	case *types.Struct:
		for i := 0; i < x.NumFields(); i++ {
			if mentions(x.Field(i).Type(), t, seen) {
				return true
			}
		}
	case *types.Interface:
		for i := 0; i < x.NumMethods(); i++ {
			if mentions(x.Method(i).Type(), t, seen) {
				return true
			}
		}
	}
	return false
}
