package model

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strconv"
)

// A package-level variable bound to a function that never returns (var
// osExit = os.Exit, so that a test can swap it) ends the program when it
// is called, as long as nothing assigns it another function. Calling it
// through the variable changes nothing at run time: os.Exit still skips
// every deferred call. golens counts such a call as an exit only where it
// proves the binding: on the typed tier, when no file of the package as
// loaded assigns the variable or takes its address (the type checker's
// uses of it are all read). The syntax tier reads one file, and the
// package may have others (a test file that swaps the variable is the
// usual reason for it), so there the call is only a call that may exit
// (MayExit) and the hovers say what golens knows.

// ExitVar is a package-level variable bound at its declaration to
// os.Exit, log.Fatal*, log.Panic* or runtime.Goexit.
type ExitVar struct {
	Name  string    // "osExit"
	Bound string    // what it is bound to: "os.Exit"
	Decl  token.Pos // the variable's name in its declaration
	Kind  ExitKind  // how a call of Bound ends the function
	// Proven: no file of the package assigns the variable or takes its
	// address, so every call of it calls Bound. When false, Why says
	// what golens does not know, and Reassigned is the first write golens
	// sees (NoPos when there is none).
	Proven     bool
	Why        string
	Reassigned token.Pos
	// TestSwap is where a _test.go file of the package's directory
	// assigns the variable or takes its address ("main_test.go:12"),
	// read from disk (testFileWrite): the package golens loads has no
	// test files, so Proven speaks of the built program, and under go
	// test the variable may hold another function. "" when none does.
	TestSwap string
}

// ExitVarCall returns the package-level variable a call calls, when that
// variable is bound to a function that never returns (ExitVar), or the
// local variable bound so at its declaration and assigned again
// (localExitVar: one never assigned again makes the call an exit itself);
// nil otherwise. A proven one makes the call an exit (ExitCall); an
// unproven one only a call that may exit (MayExit).
func (m *File) ExitVarCall(call *ast.CallExpr) *ExitVar {
	fb := m.exitFlows().fb
	if fb == nil || call == nil {
		return nil
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil
	}
	if ev := fb.exitVar(id); ev != nil {
		return ev
	}
	return fb.localExitVar(id)
}

// exitVar is ExitVarCall for the called identifier id, cached by the
// variable's declaration.
func (fb *flowBuilder) exitVar(id *ast.Ident) *ExitVar {
	spec, name := fb.exitVarDecl(id)
	if spec == nil {
		return nil
	}
	fb.litExitMu.Lock()
	defer fb.litExitMu.Unlock()
	if ev, ok := fb.exitVars[name.Pos()]; ok {
		return ev
	}
	ev := fb.exitVarOf(spec, name)
	if fb.exitVars == nil {
		fb.exitVars = map[token.Pos]*ExitVar{}
	}
	fb.exitVars[name.Pos()] = ev
	return ev
}

// exitVarDecl finds the declaration of the package-level variable id
// uses, in this file: the value spec and the declaring name. nil when id
// is not such a variable, or it is declared in another file.
func (fb *flowBuilder) exitVarDecl(id *ast.Ident) (*ast.ValueSpec, *ast.Ident) {
	if info := fb.m.Info; info != nil {
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
			return nil, nil
		}
		if v.Pos() < fb.m.AST.FileStart || v.Pos() >= fb.m.AST.FileEnd {
			return nil, nil
		}
		path, _ := EnclosingPath(fb.m.AST, v.Pos(), v.Pos())
		if len(path) < 2 {
			return nil, nil
		}
		name, ok := path[0].(*ast.Ident)
		spec, ok2 := path[1].(*ast.ValueSpec)
		if !ok || !ok2 || info.Defs[name] != types.Object(v) {
			return nil, nil
		}
		return spec, name
	}
	if id.Obj == nil || id.Obj.Kind != ast.Var || fb.m.AST.Scope == nil || fb.m.AST.Scope.Lookup(id.Name) != id.Obj {
		return nil, nil
	}
	spec, ok := id.Obj.Decl.(*ast.ValueSpec)
	if !ok {
		return nil, nil
	}
	for _, n := range spec.Names {
		if n.Obj == id.Obj {
			return spec, n
		}
	}
	return nil, nil
}

// exitVarOf decides for the variable declared by name in spec: bound to
// an exit function (one name per value), and whether the binding holds.
func (fb *flowBuilder) exitVarOf(spec *ast.ValueSpec, name *ast.Ident) *ExitVar {
	if len(spec.Values) != len(spec.Names) {
		return nil
	}
	var val ast.Expr
	for i, n := range spec.Names {
		if n == name {
			val = spec.Values[i]
		}
	}
	sel, ok := ast.Unparen(val).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	kind, bound, ok := fb.exitFunc(sel)
	if !ok {
		return nil
	}
	ev := &ExitVar{Name: name.Name, Bound: bound, Decl: name.Pos(), Kind: kind}
	m := fb.m
	ev.TestSwap = testFileWrite(m, name.Name)
	if info := m.Info; info != nil {
		obj := info.Defs[name]
		// Every use the type checker recorded, in every file it checked:
		// a write anywhere in the package is found, or read as unknown
		// when its file is not at hand.
		for use, o := range info.Uses {
			if o != obj {
				continue
			}
			file := m.AST
			if use.Pos() < m.AST.FileStart || use.Pos() >= m.AST.FileEnd {
				file = nil
				if m.pkg != nil {
					for _, f := range m.pkg.Files {
						if use.Pos() >= f.FileStart && use.Pos() < f.FileEnd {
							file = f
						}
					}
				}
			}
			if file == nil {
				if ev.Why == "" {
					ev.Why = "golens does not read " + filepath.Base(m.Fset.Position(use.Pos()).Filename) + ", which uses it"
				}
				continue
			}
			if writes(file, use) && (ev.Reassigned == token.NoPos || use.Pos() < ev.Reassigned) {
				ev.Reassigned = use.Pos()
			}
		}
		switch {
		case ev.Reassigned.IsValid():
			ev.Why = "it is assigned at " + fb.where(ev.Reassigned)
		case ev.Why == "":
			ev.Proven = true
		}
		return ev
	}
	// The syntax tier: the writes of this file, and a hedge for the others.
	ast.Inspect(m.AST, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id != name && id.Obj == name.Obj && !ev.Reassigned.IsValid() && writes(m.AST, id) {
			ev.Reassigned = id.Pos()
		}
		return !ev.Reassigned.IsValid()
	})
	switch {
	case ev.Reassigned.IsValid():
		ev.Why = "it is assigned at " + fb.where(ev.Reassigned)
	case ev.TestSwap != "":
		ev.Why = "this file never assigns it, but " + ev.TestSwap + " does under go test, and golens reads only this file here"
	default:
		ev.Why = "this file never assigns it, but golens reads only this file here and another file of the package (a test) may"
	}
	return ev
}

// testFileWrite is the first place, "main_test.go:12", where a test file
// of the same package in the directory of m's file assigns the
// package-level variable name or takes its address: a test swapping `var
// osExit = os.Exit` for a function that records the code. golens loads
// packages without their tests (the server, the typed tier), so this is
// the only way it learns of the swap. Each test file is read from disk and
// parsed on its own (an unsaved edit of it is not seen), and only for a
// variable bound to an exit function, which few files declare; a name a
// test file declares itself (a local, or its own package-level variable)
// is not the variable. "" when no test file does, or the directory cannot
// be read.
func testFileWrite(m *File, name string) string {
	if m.AST == nil || m.Fset == nil {
		return ""
	}
	self := m.Fset.Position(m.AST.Package).Filename
	if self == "" || !filepath.IsAbs(self) {
		return ""
	}
	tests, _ := filepath.Glob(filepath.Join(filepath.Dir(self), "*_test.go"))
	for _, path := range tests {
		if path == self {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution|parser.PackageClauseOnly)
		if err != nil || f.Name.Name != m.AST.Name.Name {
			continue // an external test package (pkg_test) cannot assign it by this name
		}
		f, err = parser.ParseFile(fset, path, src, 0)
		if f == nil {
			continue
		}
		if f.Scope != nil && f.Scope.Lookup(name) != nil {
			continue // the test file declares a name of its own
		}
		var at token.Pos
		ast.Inspect(f, func(n ast.Node) bool {
			if at.IsValid() {
				return false
			}
			if id, ok := n.(*ast.Ident); ok && id.Name == name && id.Obj == nil && writes(f, id) {
				at = id.Pos()
			}
			return true
		})
		if at.IsValid() {
			return filepath.Base(path) + ":" + strconv.Itoa(fset.Position(at).Line)
		}
	}
	return ""
}

// where renders p as "line 9", or "main_test.go:12" in another file.
func (fb *flowBuilder) where(p token.Pos) string {
	pos := fb.m.Fset.Position(p)
	if p >= fb.m.AST.FileStart && p < fb.m.AST.FileEnd {
		return "line " + strconv.Itoa(pos.Line)
	}
	return filepath.Base(pos.Filename) + ":" + strconv.Itoa(pos.Line)
}

// writes reports whether the identifier id of file is written: the left
// of an assignment, a range key or value assigned with =, or the operand
// of & (whoever holds the pointer may write it).
func writes(file *ast.File, id *ast.Ident) bool {
	path, _ := EnclosingPath(file, id.Pos(), id.End())
	if len(path) < 2 || path[0] != ast.Node(id) {
		return false
	}
	i := 1
	for i < len(path) {
		if _, ok := path[i].(*ast.ParenExpr); !ok {
			break
		}
		i++
	}
	if i >= len(path) {
		return false
	}
	switch p := path[i].(type) {
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if ast.Unparen(l) == ast.Expr(id) {
				return true
			}
		}
	case *ast.RangeStmt:
		return p.Tok == token.ASSIGN && (ast.Unparen(p.Key) == ast.Expr(id) || p.Value != nil && ast.Unparen(p.Value) == ast.Expr(id))
	case *ast.UnaryExpr:
		return p.Op == token.AND
	}
	return false
}

// exitFunc reports whether sel names (not calls) a function that never
// returns: os.Exit, log.Fatal*, log.Panic*, runtime.Goexit.
func (fb *flowBuilder) exitFunc(sel *ast.SelectorExpr) (ExitKind, string, bool) {
	x, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return 0, "", false
	}
	var path string
	if info := fb.m.Info; info != nil {
		pn, ok := info.Uses[x].(*types.PkgName)
		if !ok {
			return 0, "", false
		}
		path = pn.Imported().Path()
	} else {
		if x.Obj != nil {
			return 0, "", false
		}
		path = fb.b.imports[x.Name]
	}
	bound := path + "." + sel.Sel.Name
	switch {
	case path == "os" && sel.Sel.Name == "Exit":
		return ExitProcess, bound, true
	case path == "runtime" && sel.Sel.Name == "Goexit":
		return ExitGoexit, bound, true
	case path == "log":
		switch sel.Sel.Name {
		case "Fatal", "Fatalf", "Fatalln":
			return ExitProcess, bound, true
		case "Panic", "Panicf", "Panicln":
			return ExitPanic, bound, true
		}
	}
	return 0, "", false
}

// UnprovenExit is a call of an exit variable whose binding golens does
// not prove (ExitVar.Proven is false): it may end the function there.
type UnprovenExit struct {
	Pos  token.Pos
	Call string // as written: "osExit(3)"
	Var  *ExitVar
}

// UnprovenExitsAfter lists, in source order, the calls of unproven exit
// variables bound to a function that ends the program (os.Exit,
// log.Fatal*: Kind ExitProcess) in d's own function (outside function
// literals) that control can reach once the defer statement has run. The
// defer order counts them as calls that return; the hovers and hints say
// that they may end the program without running the deferred call.
func (m *File) UnprovenExitsAfter(d *Defer) []UnprovenExit {
	if d == nil || d.Node == nil || d.Func == nil || d.Func.Body == nil {
		return nil
	}
	var out []UnprovenExit
	callsBesideDefer(d, func(n *ast.CallExpr) {
		if ev := m.ExitVarCall(n); ev != nil && !ev.Proven && ev.Kind == ExitProcess && m.ReachAfter(d.Node, n.Pos()).Possible() {
			out = append(out, UnprovenExit{Pos: n.Pos(), Call: m.Text(n.Pos(), n.End()), Var: ev})
		}
	})
	return out
}

// ExitTestSwap is, for an exit at a call of a package-level variable
// bound to os.Exit or log.Fatal* (osExit(3), proven bound in the package
// as loaded), the variable's name and where a test file of the package
// assigns it (ExitVar.TestSwap): the exit is the built program's, and
// under go test the call may do something else. "" when the exit is no
// such call or no test file swaps the variable.
func (m *File) ExitTestSwap(e *Exit) (name, where string) {
	if e == nil || e.Kind != ExitProcess || m.AST == nil {
		return "", ""
	}
	path, _ := EnclosingPath(m.AST, e.Pos, e.Pos)
	for _, n := range path {
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Pos() != e.Pos {
			continue
		}
		if ev := m.ExitVarCall(call); ev != nil && ev.TestSwap != "" {
			return ev.Name, ev.TestSwap
		}
		break
	}
	return "", ""
}
