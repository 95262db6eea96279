package deferargs

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "deferargs"

// Analyzer reports deferred calls whose variable arguments are assigned
// again after the defer statement.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report deferred call arguments that change after the defer\n\n" +
		"The arguments of a deferred call are evaluated at the defer statement; a later " +
		"assignment to an argument's variable is not seen by the call. Informational; the " +
		"suggested fix wraps the call in a function literal so it evaluates at return.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) { return modelpass.Report(pass, check) }

// Syntax runs the check on a syntax-tier model. Without types it reports
// only arguments whose declaration shows a value type.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

func check(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	lastCalls := map[*model.Func]map[string]token.Pos{}
	var assigns map[token.Pos]ast.Stmt      // built on first need
	var byName map[nameIn][]*ast.AssignStmt // built on first need
	for _, d := range m.Defers {
		if d.Closure || d.InLoop || d.Func == nil || d.Func.Body == nil {
			continue
		}
		if lastCalls[d.Func] == nil {
			lastCalls[d.Func] = lastCallByCallee(d.Func.Body)
		}
		if restores(d, lastCalls[d.Func]) {
			continue
		}
		for _, a := range d.Args {
			if len(a.ReassignedAt) == 0 {
				continue
			}
			id, ok := ast.Unparen(a.Node).(*ast.Ident)
			if !ok || !valueTyped(m, id) {
				continue
			}
			if assigns == nil {
				assigns = assignmentsByPos(m.AST)
				byName = assignmentsByName(m.AST)
			}
			// The model gives every defer all later writes of the variable
			// (shared, not copied); a function that defers and reassigns
			// the same variable thousands of times would make this loop
			// quadratic. Only the first writes after the defer are looked
			// at: past them, the check stays silent. Of those, only the
			// writes the function can still reach after the defer count
			// (model.File.WritesAfter, which the defer hover and hint read
			// too): not dead code after a return, panic, os.Exit or
			// t.Fatal, nor a write in a branch the defer's path skips.
			for _, p := range m.WritesAfter(d, a.ReassignedAt[:min(len(a.ReassignedAt), maxReassignments)]) {
				as := assigns[p]
				if as == nil || derivesFromItself(as, id.Name) || remadeAlike(byName[nameIn{id.Name, d.Func.Body}], d.Node.Pos(), as, id.Name) {
					continue
				}
				out = append(out, diagnostic(m, d, a, id, p))
				break
			}
		}
	}
	return out
}

// maxReassignments bounds the later writes of one argument looked at.
const maxReassignments = 64

func diagnostic(m *model.File, d *model.Defer, a model.DeferArg, id *ast.Ident, at token.Pos) analysis.Diagnostic {
	call := d.Node.Call
	diag := analysis.Diagnostic{
		Pos:      a.Node.Pos(),
		End:      a.Node.End(),
		Category: name,
		Message: fmt.Sprintf("the deferred call %s uses %s as it is at the defer statement: the assignment to %s on line %d is not seen when the call runs",
			d.Call, id.Name, id.Name, m.Line(at)),
		Related: []analysis.RelatedInformation{{Pos: at, Message: id.Name + " is assigned again here, after the defer"}},
	}
	if m.Line(call.Pos()) == m.Line(call.End()) {
		diag.SuggestedFixes = []analysis.SuggestedFix{{
			Message: "Evaluate at return: wrap the call in a function literal",
			TextEdits: []analysis.TextEdit{
				{Pos: call.Pos(), End: call.Pos(), NewText: []byte("func() { ")},
				{Pos: call.End(), End: call.End(), NewText: []byte(" }()")},
			},
		}}
	}
	return diag
}

// valueTyped reports whether the variable id names holds a value (not a
// pointer-like reference through which the deferred call would see later
// changes anyway). Without types, only declarations that show the type count.
func valueTyped(m *model.File, id *ast.Ident) bool {
	if m.Info != nil {
		obj, ok := m.Info.Uses[id].(*types.Var)
		if !ok {
			return false
		}
		switch obj.Type().Underlying().(type) {
		case *types.Pointer, *types.Map, *types.Chan, *types.Signature, *types.Slice:
			return false
		case *types.Basic:
			return obj.Type().Underlying().(*types.Basic).Kind() != types.UnsafePointer
		}
		return true
	}
	if id.Obj == nil || id.Obj.Kind != ast.Var {
		return false
	}
	switch decl := id.Obj.Decl.(type) {
	case *ast.Field:
		return valueTypeExpr(decl.Type)
	case *ast.ValueSpec:
		if decl.Type != nil {
			return valueTypeExpr(decl.Type)
		}
		for i, n := range decl.Names {
			if n.Name == id.Name && i < len(decl.Values) && len(decl.Values) == len(decl.Names) {
				return valueExpr(decl.Values[i])
			}
		}
	case *ast.AssignStmt:
		if len(decl.Lhs) == len(decl.Rhs) {
			for i, l := range decl.Lhs {
				if l, ok := l.(*ast.Ident); ok && l.Name == id.Name {
					return valueExpr(decl.Rhs[i])
				}
			}
		}
		// Results of a multi-value call: only err is known to be an error.
		return id.Name == "err"
	}
	return false
}

func valueTypeExpr(t ast.Expr) bool {
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name != "any" || t.Obj != nil
	case *ast.SelectorExpr:
		return true
	case *ast.ArrayType:
		return t.Len != nil // an array, not a slice
	}
	return false
}

func valueExpr(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return true
	case *ast.BinaryExpr:
		return valueExpr(e.X) || valueExpr(e.Y)
	case *ast.CompositeLit:
		switch e.Type.(type) {
		case *ast.MapType:
			return false
		}
		return true
	}
	return false
}

// assignmentsByPos maps the position of each assignment statement (and
// x++, x--) in the file to it: the model records a write by position, and
// only these writes are assignments (not an &x whose target may or may not
// be written). One walk of the file, where looking each write up by walking
// the function body was quadratic in a function of many defers.
func assignmentsByPos(file *ast.File) map[token.Pos]ast.Stmt {
	out := map[token.Pos]ast.Stmt{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			out[n.Pos()] = n
		case *ast.IncDecStmt:
			out[n.Pos()] = n
		}
		return true
	})
	return out
}

// restores reports the save-and-restore idiom, where evaluating the
// argument now is the point: the deferred function is a setter
// (SetX, restore, reset), or the function calls it again itself after the
// defer, with the new value (defer SetLabels(old); ...; SetLabels(new)).
func restores(d *model.Defer, lastCall map[string]token.Pos) bool {
	callee := d.Callee
	if i := strings.LastIndexByte(callee, '.'); i >= 0 {
		callee = callee[i+1:]
	}
	lc := strings.ToLower(callee)
	for _, p := range []string{"set", "restore", "reset", "swap", "store"} {
		if strings.HasPrefix(lc, p) {
			return true
		}
	}
	// Called again after the defer statement (the defer's own call is
	// before its End).
	return lastCall[d.Callee] > d.End
}

// lastCallByCallee maps each callee (as calleeText writes it) to the
// position of its last call in body: computed once per function, where
// walking the body for every defer was quadratic (4,000 defers took
// seconds).
func lastCallByCallee(body *ast.BlockStmt) map[string]token.Pos {
	out := map[string]token.Pos{}
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if t := calleeText(call.Fun); call.Pos() > out[t] {
				out[t] = call.Pos()
			}
		}
		return true
	})
	return out
}

func calleeText(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := calleeText(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

// derivesFromItself reports an assignment whose new value is computed from
// the variable's old one (ctx, cancel := context.WithTimeout(ctx, d);
// x = x.Child()): the variable is re-pointed at a wrapped value, and the
// deferred call means to use the value it had before (the outer ctx, the
// parent span).
func derivesFromItself(st ast.Stmt, name string) bool {
	as, ok := st.(*ast.AssignStmt)
	if !ok || as.Tok == token.ADD_ASSIGN {
		return false
	}
	found := false
	// Only through a call: x = x + 1 is a counter, whose final value the
	// deferred call likely wants.
	for _, r := range as.Rhs {
		ast.Inspect(r, func(x ast.Node) bool {
			if c, ok := x.(*ast.CallExpr); ok {
				ast.Inspect(c, func(y ast.Node) bool {
					if id, ok := y.(*ast.Ident); ok && id.Name == name {
						found = true
					}
					return !found
				})
				return false
			}
			return !found
		})
	}
	return found
}

// nameIn is a name in the body of one function (a function literal's
// assignments are not its parent's).
type nameIn struct {
	name string
	body *ast.BlockStmt
}

// assignmentsByName indexes, in one walk of the file, every assignment
// (except +=) by the names it assigns and the function body it runs in, in
// source order.
func assignmentsByName(file *ast.File) map[nameIn][]*ast.AssignStmt {
	out := map[nameIn][]*ast.AssignStmt{}
	var bodies []*ast.BlockStmt // enclosing function bodies, innermost last
	var stack []ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(bodies) > 0 && top == bodies[len(bodies)-1] {
				bodies = bodies[:len(bodies)-1]
			}
			return true
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Body != nil {
				bodies = append(bodies, n.Body)
			}
		case *ast.FuncLit:
			bodies = append(bodies, n.Body)
		case *ast.AssignStmt:
			if n.Tok != token.ADD_ASSIGN && len(bodies) > 0 {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						k := nameIn{id.Name, bodies[len(bodies)-1]}
						out[k] = append(out[k], n)
					}
				}
			}
		}
		return true
	})
	return out
}

// remadeAlike reports a reassignment that makes a new value the way the
// one the defer saw was made (the same call): the name is reused for a
// second object, and the deferred call is meant for the first
// (ssCtx, cancel = context.WithTimeout(...) again for another stream).
// named lists the assignments to name in the defer's function, in source
// order (assignmentsByName).
func remadeAlike(named []*ast.AssignStmt, deferPos token.Pos, at ast.Stmt, name string) bool {
	as, ok := at.(*ast.AssignStmt)
	if !ok {
		return false
	}
	remade := maker(as, name)
	if remade == "" {
		return false
	}
	// The value the defer saw: the last assignment to name before the
	// defer, in the defer's own function.
	i := sort.Search(len(named), func(i int) bool { return named[i].Pos() >= deferPos })
	if i == 0 {
		return false
	}
	return maker(named[i-1], name) == remade
}

// maker names the function whose call gives name its value in as, or ""
// when the value does not come from a call.
func maker(as *ast.AssignStmt, name string) string {
	for i, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name == name {
			r := as.Rhs[0]
			if len(as.Rhs) == len(as.Lhs) {
				r = as.Rhs[i]
			}
			if c, ok := ast.Unparen(r).(*ast.CallExpr); ok {
				return types.ExprString(c.Fun)
			}
			return ""
		}
	}
	return ""
}
