package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
)

// OnceFuncCall is a call of sync.OnceFunc, OnceValue or OnceValues. Each
// evaluation of the call makes a new function with its own once: that
// function calls f only on its first call, and later and concurrent calls
// of the same function wait for that call and get its results (or its
// panic) again (https://pkg.go.dev/sync#OnceFunc). So how often f runs
// depends on how often this call runs and who shares what it returns,
// which is what the fields record, each only where the syntax proves it.
//
// It is not a Site: the build does not look for these calls. OnceFuncAt
// finds the one at a position when it is asked (a hover), from the path
// that holds it.
type OnceFuncCall struct {
	Name string     // "OnceFunc", "OnceValue" or "OnceValues"
	Sel  *ast.Ident // the selector: the hover's span
	Call *ast.CallExpr
	// Func is the function whose body holds the call (it runs each time
	// Func runs); nil when the call is in a package-level declaration.
	Func *Func
	// PackageVar is the package-level variable the call initialises
	// (var get = sync.OnceValue(f)): the call runs once, at package
	// initialisation, so every call of the function it made shares one
	// run of f. "" otherwise.
	PackageVar string
	// CalledAtOnce: the function made is called right where it is made
	// (sync.OnceFunc(f)()) and then dropped: each time this line runs, f
	// runs.
	CalledAtOnce bool
	// Loop is the innermost loop of Func around the call: it makes a new
	// function on each pass. nil when none.
	Loop ast.Stmt
}

// OnceFuncAt returns the sync.OnceFunc, OnceValue or OnceValues call
// whose selector holds pos (ends included, as SiteAt), or nil. It walks
// only the declaration holding pos (EnclosingPath).
func (m *File) OnceFuncAt(pos token.Pos) *OnceFuncCall {
	if m == nil || m.AST == nil || !pos.IsValid() {
		return nil
	}
	path, _ := EnclosingPath(m.AST, pos, pos)
	// pos is on the selector's name, or just after it (then the path
	// starts at the call's parenthesis).
	var sel *ast.SelectorExpr
	var call *ast.CallExpr
	for i, n := range path {
		if i > 3 {
			break
		}
		if c, ok := n.(*ast.CallExpr); ok {
			if s, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && pos >= s.Sel.Pos() && pos <= s.Sel.End() {
				sel, call = s, c
				path = path[i:]
				break
			}
		}
	}
	if sel == nil || len(call.Args) != 1 {
		return nil
	}
	switch sel.Sel.Name {
	case "OnceFunc", "OnceValue", "OnceValues":
	default:
		return nil
	}
	if !m.isSyncPkg(sel.X) {
		return nil
	}
	o := &OnceFuncCall{Name: sel.Sel.Name, Sel: sel.Sel, Call: call, Func: m.funcAt(call.Pos())}
	// The node that holds the call, past parentheses.
	parent := ast.Node(nil)
	for _, n := range path[1:] {
		if _, ok := n.(*ast.ParenExpr); !ok {
			parent = n
			break
		}
	}
	switch p := parent.(type) {
	case *ast.CallExpr:
		o.CalledAtOnce = ast.Unparen(p.Fun) == ast.Expr(call)
	case *ast.ValueSpec:
		if o.Func == nil && isTopLevelSpec(m.AST, p) {
			for i, v := range p.Values {
				if ast.Unparen(v) == ast.Expr(call) && i < len(p.Names) && p.Names[i].Name != "_" {
					o.PackageVar = p.Names[i].Name
				}
			}
		}
	}
	if o.Func != nil {
		o.Loop = m.InnermostLoop(call.Pos())
	}
	return o
}

// isSyncPkg reports whether x names the imported package sync: by the type
// information on the typed tier, by the file's imports on the syntax tier
// (an identifier no declaration of the file resolves).
func (m *File) isSyncPkg(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	if !ok {
		return false
	}
	if m.Info != nil {
		if pn, ok := m.Info.Uses[id].(*types.PkgName); ok {
			return pn.Imported().Path() == "sync"
		}
		if _, ok := m.Info.Uses[id]; ok {
			return false
		}
	}
	if id.Obj != nil {
		return false
	}
	for _, imp := range m.AST.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil || p != "sync" {
			continue
		}
		name := "sync"
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name == id.Name {
			return true
		}
	}
	return false
}

// isTopLevelSpec reports whether spec is a spec of one of file's own
// declarations (not one inside a function).
func isTopLevelSpec(file *ast.File, spec *ast.ValueSpec) bool {
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Pos() <= spec.Pos() && spec.End() <= g.End() {
			for _, s := range g.Specs {
				if s == ast.Spec(spec) {
					return true
				}
			}
		}
	}
	return false
}

// OnceFuncCalls lists the file's sync.OnceFunc, OnceValue and OnceValues
// calls in source order, for the features that list every explained
// construct (golens show, the truth suite); a hover asks OnceFuncAt. It
// walks the file once when called; the build never calls it.
func (m *File) OnceFuncCalls() []*OnceFuncCall {
	if m == nil || m.AST == nil {
		return nil
	}
	var out []*OnceFuncCall
	ast.Inspect(m.AST, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if s, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && len(c.Args) == 1 {
			switch s.Sel.Name {
			case "OnceFunc", "OnceValue", "OnceValues":
				if o := m.OnceFuncAt(s.Sel.Pos()); o != nil {
					out = append(out, o)
				}
			}
		}
		return true
	})
	return out
}
