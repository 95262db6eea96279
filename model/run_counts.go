package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// How often the package runs a function of its own: the go statement that
// starts it, the calls that name it, and whether one of them repeats.
// These are facts about the package's own code only: a function that code
// outside the package can call (exported, or used by an external test) may
// run any number of times more, which the caller rules out (exported).

// GoStart is a go statement and the file holding it.
type GoStart struct {
	Stmt *ast.GoStmt
	File *ast.File
	// InLoop: the go statement is inside a for or range loop of its own
	// function (LoopsAround), so it may start a goroutine on every pass.
	InLoop bool
}

// PackageCall is a call that names a function of the package (f(...),
// x.f(...), as a plain call, a go statement's or a defer's).
type PackageCall struct {
	Call *ast.CallExpr
	File *ast.File
	// InLoop: the call is inside a for or range loop of its own function
	// (LoopsAround), so it may run on every pass.
	InLoop bool
}

// runIndex is built by one walk of the package (runs).
type runIndex struct {
	goByObj map[types.Object]GoStart // the last go statement, in file order, that names it
	goByLit map[*ast.FuncLit]GoStart
	goStmts []GoStart // every go statement, in file order (go_started.go)
	calls   map[types.Object][]PackageCall
	// named counts every identifier that refers to the object as written
	// (info.Uses, not its generic origin).
	named map[types.Object]int
}

// runs indexes, once per package, the go statements by the function they
// start and the calls by the function they name: the run-count questions
// are asked once per candidate function, and walking every file each time
// was quadratic (a quarter of golens's time on go-redis).
func (p *Package) runs() *runIndex {
	p.runsOnce.Do(func() {
		idx := &runIndex{goByObj: map[types.Object]GoStart{}, goByLit: map[*ast.FuncLit]GoStart{},
			calls: map[types.Object][]PackageCall{}, named: map[types.Object]int{}}
		for _, file := range p.Files {
			// loops counts, per enclosing function, the loops around the
			// node being visited.
			loops := []int{0}
			var stack []ast.Node
			ast.Inspect(file, func(n ast.Node) bool {
				if n == nil {
					top := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					switch top.(type) {
					case *ast.FuncDecl, *ast.FuncLit:
						loops = loops[:len(loops)-1]
					case *ast.ForStmt, *ast.RangeStmt:
						loops[len(loops)-1]--
					}
					return true
				}
				stack = append(stack, n)
				switch n := n.(type) {
				case *ast.FuncDecl, *ast.FuncLit:
					loops = append(loops, 0)
				case *ast.ForStmt, *ast.RangeStmt:
					loops[len(loops)-1]++
				case *ast.GoStmt:
					g := GoStart{n, file, loops[len(loops)-1] > 0}
					idx.goStmts = append(idx.goStmts, g)
					if lit, ok := n.Call.Fun.(*ast.FuncLit); ok {
						idx.goByLit[lit] = g
					}
					if id := calledIdent(n.Call); id != nil {
						if obj := p.Info.Uses[id]; obj != nil {
							idx.goByObj[obj] = g
						}
					}
				case *ast.CallExpr:
					if id := calledIdent(n); id != nil {
						if obj := p.Info.Uses[id]; obj != nil {
							idx.calls[obj] = append(idx.calls[obj], PackageCall{n, file, loops[len(loops)-1] > 0})
						}
					}
				case *ast.Ident:
					if obj := p.Info.Uses[n]; obj != nil {
						idx.named[obj]++
					}
				}
				return true
			})
		}
		p.runIdx = idx
	})
	return p.runIdx
}

// calledIdent is the identifier a call names its function by: f in f(...),
// Sel in x.f(...).
func calledIdent(call *ast.CallExpr) *ast.Ident {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	}
	return nil
}

// GoStartOf is the go statement that starts fn (a *ast.FuncDecl or
// *ast.FuncLit): for a literal, the go statement whose function it is; for
// a declaration, the last go statement of the package, in file order, that
// names it. It says nothing of other ways fn runs: see OnlyGoStart.
func (p *Package) GoStartOf(fn ast.Node) (GoStart, bool) {
	idx := p.runs()
	switch f := fn.(type) {
	case *ast.FuncLit:
		g, ok := idx.goByLit[f]
		return g, ok
	case *ast.FuncDecl:
		if obj := p.Info.Defs[f.Name]; obj != nil {
			g, ok := idx.goByObj[obj]
			return g, ok
		}
	}
	return GoStart{}, false
}

// OnlyGoStart is the go statement that runs fn when that is the only way
// the package runs it: a literal that is a go statement's function, or a
// function whose one reference in the package is a go statement's call.
// exported reports whether code outside the package may call a function
// as well; such a function has no only go statement.
func (p *Package) OnlyGoStart(fn ast.Node, exported func(types.Object) bool) (GoStart, bool) {
	if fd, ok := fn.(*ast.FuncDecl); ok {
		obj := p.Info.Defs[fd.Name]
		if obj == nil || exported(obj) || p.runs().named[obj] != 1 {
			return GoStart{}, false
		}
	}
	return p.GoStartOf(fn)
}

// CallsOf lists the calls of the package that name fn's object, in file
// order, and how many other references name it (a method value, a
// function passed or stored: each may run it any number of times).
func (p *Package) CallsOf(obj types.Object) (calls []PackageCall, other int) {
	idx := p.runs()
	calls = idx.calls[obj]
	return calls, idx.named[obj] - len(calls)
}

// RunsOnce reports whether one run of the program runs fn (a
// *ast.FuncDecl or *ast.FuncLit) at most once, as far as the package
// shows: a literal started by a go statement outside any loop of its
// function; main of package main, or a test function nothing in the
// package names (RunByToolchain); or a function that code outside the
// package cannot call (exported says which can) and that the package
// names in one call, outside loops, and nowhere else. A later call (a new
// stream's handler, a restarted loop) would otherwise run it again.
func (p *Package) RunsOnce(fn ast.Node, exported func(types.Object) bool) bool {
	return p.runsOnceWithin(fn, exported, 8)
}

// runsOnceWithin is RunsOnce, following callers on their own receiver at most
// depth deep (methods that call each other would otherwise loop).
func (p *Package) runsOnceWithin(fn ast.Node, exported func(types.Object) bool, depth int) bool {
	switch f := fn.(type) {
	case *ast.FuncLit:
		g, ok := p.runs().goByLit[f]
		if !ok {
			return false
		}
		return !g.InLoop
	case *ast.FuncDecl:
		if p.RunByToolchain(f) {
			return true
		}
		obj := p.Info.Defs[f.Name]
		if obj == nil || exported(obj) {
			return false
		}
		calls, other := p.CallsOf(obj)
		if len(calls) != 1 || other != 0 || calls[0].InLoop {
			return false
		}
		// go p.work(f) in (*Pool).Submit: a method called on its
		// caller's own receiver runs again, on the same object, on
		// every call of the caller; unless the caller runs once, its
		// one call site does not make it run once (truth/
		// r12r_pool_grow_shrink: each growth starts another work loop
		// on the same jobs channel). A constructor's go s.loop() is
		// on a new object each time, and is left as it was.
		if caller := enclosingDecl(calls[0].File, calls[0].Call.Pos()); caller != nil && caller != f && onOwnReceiver(calls[0].Call, caller) {
			return depth > 0 && p.runsOnceWithin(caller, exported, depth-1)
		}
		return true
	}
	return false
}

// enclosingDecl is the function declaration of file that holds pos.
func enclosingDecl(file *ast.File, pos token.Pos) *ast.FuncDecl {
	if file == nil {
		return nil
	}
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos < fd.End() {
			return fd
		}
	}
	return nil
}

// onOwnReceiver reports whether call is a method call on the receiver of
// the method caller (p.work(f) inside a method of p).
func onOwnReceiver(call *ast.CallExpr, caller *ast.FuncDecl) bool {
	if caller.Recv == nil || len(caller.Recv.List) != 1 || len(caller.Recv.List[0].Names) != 1 {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	return ok && id.Name == caller.Recv.List[0].Names[0].Name && id.Name != "_"
}

// RunByToolchain reports whether the toolchain runs fd once per run and
// the package never calls it: main of package main, or a test function
// (TestXxx taking *testing.T in a _test.go file) that nothing in the
// package names. go test runs each test once per run, from the start.
func (p *Package) RunByToolchain(fd *ast.FuncDecl) bool {
	if fd.Recv != nil || fd.Body == nil {
		return false
	}
	if fd.Name.Name == "main" && p.Types.Name() == "main" {
		return true
	}
	if !strings.HasPrefix(fd.Name.Name, "Test") || !strings.HasSuffix(p.Fset.Position(fd.Pos()).Filename, "_test.go") {
		return false
	}
	fn, _ := p.Info.Defs[fd.Name].(*types.Func)
	if fn == nil {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 1 || sig.Results().Len() != 0 {
		return false
	}
	ptr, ok := sig.Params().At(0).Type().(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := ptr.Elem().(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "testing" || named.Obj().Name() != "T" {
		return false
	}
	return p.runs().named[fn] == 0
}
