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
	leaving := leavingTypes(pkg)
	scope := pkg.Scope()
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
		if !ok || leaving[named] {
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

// leavingTypes returns the package's named types that its exported API
// mentions: the underlying types and exported methods of exported types,
// the types of exported functions, variables and constants, and the
// parameters and results of every exported method of any of its types
// (those can be called through interfaces elsewhere). It walks each type
// once, with one visited set for the whole package: asking per unexported
// type walked the whole API again each time (go-redis's Cmdable interface
// of several hundred methods made that minutes of CPU).
func leavingTypes(pkg *types.Package) map[*types.Named]bool {
	w := typeWalker{pkg: pkg, seen: map[types.Type]bool{}, reached: map[*types.Named]bool{}}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		o := scope.Lookup(name)
		tn, isType := o.(*types.TypeName)
		if o.Exported() {
			if isType {
				w.walk(o.Type().Underlying())
			} else {
				w.walk(o.Type())
			}
		}
		if !isType {
			continue
		}
		// Exported methods of any type of the package, exported or not:
		// their signatures (parameters and results) leave with them.
		if n, ok := tn.Type().(*types.Named); ok {
			for i := 0; i < n.NumMethods(); i++ {
				if m := n.Method(i); m.Exported() {
					sig := m.Type().(*types.Signature)
					w.walk(sig.Params())
					w.walk(sig.Results())
				}
			}
		}
	}
	return w.reached
}

// typeWalker records the package's named types reachable from a type
// (through pointers, containers, signatures, struct fields and interface
// methods); another package's named type cannot hold ours by name, so the
// walk stops there.
type typeWalker struct {
	pkg     *types.Package
	seen    map[types.Type]bool
	reached map[*types.Named]bool
}

func (w *typeWalker) walk(typ types.Type) {
	if typ == nil || w.seen[typ] {
		return
	}
	w.seen[typ] = true
	switch x := typ.(type) {
	case *types.Named:
		w.reached[x] = true
		if o := x.Origin(); o != x {
			w.reached[o] = true
		}
		if x.Obj().Pkg() != w.pkg {
			return
		}
		w.walk(x.Underlying())
	case *types.Alias:
		w.walk(types.Unalias(x))
	case *types.Pointer:
		w.walk(x.Elem())
	case *types.Slice:
		w.walk(x.Elem())
	case *types.Array:
		w.walk(x.Elem())
	case *types.Map:
		w.walk(x.Key())
		w.walk(x.Elem())
	case *types.Chan:
		w.walk(x.Elem())
	case *types.Tuple:
		for i := 0; i < x.Len(); i++ {
			w.walk(x.At(i).Type())
		}
	case *types.Signature:
		w.walk(x.Params())
		w.walk(x.Results())
	case *types.Struct:
		for i := 0; i < x.NumFields(); i++ {
			w.walk(x.Field(i).Type())
		}
	case *types.Interface:
		for i := 0; i < x.NumMethods(); i++ {
			w.walk(x.Method(i).Type())
		}
	}
}
