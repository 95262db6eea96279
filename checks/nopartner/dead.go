package nopartner

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/golens/golens/checks/internal/chanutil"
)

// A receive in a function nothing can call never runs: a function or
// method that no code outside the package can name (unexported, or
// declared only for the package's tests), that no code of the package
// refers to (a call or a method value), and whose name no interface type
// of the package or of the packages it imports declares (a call through
// such an interface might run it). For the rules about a channel nobody
// receives from, such receives do not count.

// deadRecvs splits the class's receives into those that can run and those
// in functions nothing calls; ok is false when a receive's function cannot
// be decided.
func (st *state) liveRecvs(c *class) (live []op, dead []string) {
	for _, r := range c.recvs {
		fd := chanutil.DeclAt(st.pass.Files, r.pos)
		if fd != nil && !r.maybe && st.dead(fd) {
			dead = append(dead, fd.Name.Name)
			continue
		}
		live = append(live, r)
	}
	return live, dead
}

func (st *state) dead(fd *ast.FuncDecl) bool {
	fn, _ := st.pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if fn == nil || public(st.pass, fn) {
		return false
	}
	return st.unreferenced(fn)
}

// unreferenced: nothing runs fn that golens can miss — it is not run by
// the runtime (main, init) or the testing framework, no code of the
// package refers to it, and, for a method, no interface type in view
// declares its name (a call through that interface might run it).
func (st *state) unreferenced(fn *types.Func) bool {
	name := fn.Name()
	if name == "main" || name == "init" || name == "_" {
		return false
	}
	for _, prefix := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if strings.HasPrefix(name, prefix) {
			return false // run by the testing framework
		}
	}
	if st.usedFuncs()[fn] {
		return false
	}
	if fn.Type().(*types.Signature).Recv() != nil && st.interfaceMethod(name) {
		return false
	}
	return true
}

// interfaceMethod: some interface type of the package (named or written
// in place) or of a package it imports, directly or not, declares a
// method with this name.
func (st *state) interfaceMethod(name string) bool {
	if st.ifaceMethods == nil {
		st.ifaceMethods = map[string]bool{}
		seen := map[*types.Package]bool{}
		var visit func(p *types.Package)
		visit = func(p *types.Package) {
			if seen[p] {
				return
			}
			seen[p] = true
			scope := p.Scope()
			for _, n := range scope.Names() {
				if tn, ok := scope.Lookup(n).(*types.TypeName); ok {
					if it, ok := tn.Type().Underlying().(*types.Interface); ok {
						for i := 0; i < it.NumMethods(); i++ {
							st.ifaceMethods[it.Method(i).Name()] = true
						}
					}
				}
			}
			for _, imp := range p.Imports() {
				visit(imp)
			}
		}
		visit(st.pass.Pkg)
		for _, f := range st.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if it, ok := n.(*ast.InterfaceType); ok {
					for _, m := range it.Methods.List {
						for _, id := range m.Names {
							st.ifaceMethods[id.Name] = true
						}
					}
				}
				return true
			})
		}
	}
	return st.ifaceMethods[name]
}

// exitNeverSignalled: in package main, whose every caller golens sees (no
// other package can import it), each close of and send on the exit
// channel exit sits in a declared function nothing calls (uncalledInMain),
// through any literals in it, and the channel is used nowhere golens
// loses sight of it. Such a close never runs, so a select case receiving
// from exit is never taken. There must be at least one close or send:
// a channel with none is left to the rules about it (a nil or never-set
// field). nil (ctx.Done(), time.After) is never this.
func (st *state) exitNeverSignalled(exit types.Object) bool {
	if exit == nil || st.pass.Pkg.Name() != "main" {
		return false
	}
	ec := st.of(exit)
	if ec == nil || ec.escapes || len(ec.closes)+len(ec.sends) == 0 {
		return false
	}
	sites := append([]token.Pos{}, ec.closes...)
	for _, s := range ec.sends {
		sites = append(sites, s.pos)
	}
	for _, p := range sites {
		fd := chanutil.DeclAt(st.pass.Files, p)
		if fd == nil || !st.uncalledInMain(fd) {
			return false
		}
	}
	return true
}

// uncalledInMain is dead for package main, where an exported function
// or method is no less out of reach than an unexported one (the go
// command refuses to import package main): nothing refers to it, it is
// not run by the runtime or the testing framework, it is not declared
// in a test file (an external test may name it), and, for a method, no
// interface type in view declares its name (a call through that
// interface might run it).
func (st *state) uncalledInMain(fd *ast.FuncDecl) bool {
	fn, _ := st.pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if fn == nil || st.pass.Pkg.Name() != "main" {
		return false
	}
	if strings.HasSuffix(st.pass.Fset.Position(fd.Pos()).Filename, "_test.go") {
		return false
	}
	return st.unreferenced(fn)
}

// usedFuncs is st.used, filled on first use: the functions (their
// origins) some code of the package refers to.
func (st *state) usedFuncs() map[types.Object]bool {
	if st.used == nil {
		st.used = map[types.Object]bool{}
		for _, obj := range st.pass.TypesInfo.Uses {
			if f, ok := obj.(*types.Func); ok {
				st.used[f.Origin()] = true
			}
		}
	}
	return st.used
}
