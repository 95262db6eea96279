package recoveroutside

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "recoveroutside"

// Analyzer reports recover calls that cannot stop a panic.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report recover() called where it does nothing\n\n" +
		"recover stops a panic only when a deferred function that the panic runs (one deferred by a function " +
		"running when the panic began) calls it directly. Called in a normal function body, a goroutine, a non-deferred function literal, a deferred call's " +
		"arguments or a helper of the deferred function, it returns nil.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	// How each helper is referred to is a package fact of the model.
	uses := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Package.FuncRefs()
	return modelpass.Report(pass, func(m *model.File) []analysis.Diagnostic { return check(m, pass.Pkg.Name(), uses) })
}

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m, m.AST.Name.Name, nil) }

func check(m *model.File, pkgName string, uses map[*types.Func]*model.FuncRefs) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, b := range m.Builtins {
		if b.Name != "recover" || b.DirectlyDeferred || b.Func == nil || b.Func.Body == nil {
			continue
		}
		path, _ := chanutil.PathEnclosingInterval(m, b.Call.Pos(), b.Call.End())
		if d, ok := inDeferArgs(m, b, path); ok {
			out = append(out, d)
			continue
		}
		var why string
		var related []analysis.RelatedInformation
		helper := false // a helper of a deferred function: moving recover into its own defer would not help
		f := b.Func
		switch {
		case f.GoBody != nil:
			why = "it runs in a goroutine started by a go statement, not in a deferred function"
			related = append(related, analysis.RelatedInformation{Pos: f.GoBody.Pos, End: f.GoBody.Pos + 2, Message: "the go statement"})
		case f.Lit:
			// The model decides (BuiltinCall.Reach, which the recover
			// hover reads): a literal called at once is never a deferred
			// function; one assigned or passed may be deferred elsewhere.
			if b.Reach != model.RecoverNever {
				continue
			}
			why = "the function literal is called at once, not deferred"
		default:
			decl := enclosingDecl(path)
			if decl == nil {
				continue
			}
			// main and init are never deferred calls: the model's Reach
			// says so (unless a defer in this file does call them).
			if decl.Recv == nil && decl.Name.Name == "main" && pkgName == "main" && b.Reach == model.RecoverNever {
				why = "main is never a deferred function"
				break
			}
			if decl.Recv == nil && decl.Name.Name == "init" && b.Reach == model.RecoverNever {
				why = "init is never a deferred function"
				break
			}
			if uses == nil || m.Info == nil || decl.Recv != nil || ast.IsExported(decl.Name.Name) {
				continue
			}
			fn, ok := m.Info.Defs[decl.Name].(*types.Func)
			if !ok {
				continue
			}
			u := uses[fn]
			if u == nil || u.Deferred || u.Value || len(u.Calls) == 0 {
				continue
			}
			if u.FromDeferred {
				why = fmt.Sprintf("%s is called by a deferred function but is not itself deferred, and recover must be called by the deferred function itself", decl.Name.Name)
				helper = true
			} else {
				why = fmt.Sprintf("%s is only called directly, never deferred, so recover returns nil", decl.Name.Name)
			}
			for _, c := range u.Calls {
				related = append(related, analysis.RelatedInformation{Pos: c, Message: decl.Name.Name + " is called here without defer"})
			}
		}
		d := analysis.Diagnostic{
			Pos: b.Call.Pos(), End: b.Call.End(), Category: name,
			Message: "recover() here does nothing: " + why,
			Related: related,
		}
		if fix, ok := moveIntoDefer(m, b, f); ok && !helper {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		out = append(out, d)
	}
	return out
}

// inDeferArgs reports `defer recover()` and recover() among a deferred
// call's arguments, both evaluated outside any deferred function.
func inDeferArgs(m *model.File, b *model.BuiltinCall, path []ast.Node) (analysis.Diagnostic, bool) {
	for _, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return analysis.Diagnostic{}, false
		case *ast.DeferStmt:
			d := analysis.Diagnostic{Pos: b.Call.Pos(), End: b.Call.End(), Category: name}
			if n.Call == b.Call {
				d.Message = "defer recover() does nothing: recover is then called by the runtime, not by a deferred function, and the panic goes on"
				d.SuggestedFixes = []analysis.SuggestedFix{{
					Message: "Call recover from a deferred function literal",
					TextEdits: []analysis.TextEdit{{Pos: b.Call.Pos(), End: b.Call.End(),
						NewText: []byte("func() { recover() }()")}},
				}}
			} else {
				d.Message = "recover() here does nothing: the arguments of a deferred call are evaluated at the defer statement, before any panic"
			}
			return d, true
		}
	}
	return analysis.Diagnostic{}, false
}

func enclosingDecl(path []ast.Node) *ast.FuncDecl {
	for _, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit:
			return nil
		case *ast.FuncDecl:
			return n
		}
	}
	return nil
}

// moveIntoDefer builds the fix that moves the statement calling recover
// into `defer func() { ... }()` at the top of its function. It applies only
// to a statement of the function's body that reads nothing declared before
// it in the body and does not return or branch.
func moveIntoDefer(m *model.File, b *model.BuiltinCall, f *model.Func) (analysis.SuggestedFix, bool) {
	body := f.Body
	var stmt ast.Stmt
	for _, s := range body.List {
		if b.Call.Pos() >= s.Pos() && b.Call.End() <= s.End() {
			stmt = s
		}
	}
	if stmt == nil || m.Src == nil {
		return analysis.SuggestedFix{}, false
	}
	switch s := stmt.(type) {
	case *ast.IfStmt:
	case *ast.ExprStmt:
		if s.X != b.Call {
			return analysis.SuggestedFix{}, false
		}
	default:
		return analysis.SuggestedFix{}, false
	}
	ok := true
	ast.Inspect(stmt, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ReturnStmt, *ast.BranchStmt, *ast.FuncLit:
			ok = false
		case *ast.BasicLit:
			// Re-indenting would change a multi-line raw string.
			if strings.HasPrefix(n.Value, "`") && strings.Contains(n.Value, "\n") {
				ok = false
			}
		case *ast.Ident:
			if p := m.DeclPos(n); p.IsValid() && p >= body.Pos() && p < stmt.Pos() {
				ok = false
			}
		}
		return ok
	})
	text := m.Text(stmt.Pos(), stmt.End())
	if !ok || text == "" {
		return analysis.SuggestedFix{}, false
	}
	tf := m.Fset.File(stmt.Pos())
	lineStart := tf.LineStart(m.Line(stmt.Pos()))
	indent := m.Text(lineStart, stmt.Pos())
	if strings.TrimSpace(indent) != "" {
		return analysis.SuggestedFix{}, false // shares its line with other code
	}
	// The statement must end its line too (a trailing comment moves with
	// it), so the whole line can go.
	endOff := m.Offset(stmt.End())
	nl := bytes.IndexByte(m.Src[endOff:], '\n')
	if nl < 0 {
		return analysis.SuggestedFix{}, false
	}
	if rest := strings.TrimSpace(string(m.Src[endOff : endOff+nl])); rest != "" {
		if !strings.HasPrefix(rest, "//") {
			return analysis.SuggestedFix{}, false
		}
		text += " " + rest
	}
	moved := strings.ReplaceAll(text, "\n", "\n\t")
	var buf strings.Builder
	fmt.Fprintf(&buf, "\n%sdefer func() {\n%s\t%s\n%s}()", indent, indent, moved, indent)
	edits := []analysis.TextEdit{
		{Pos: body.Lbrace + 1, End: body.Lbrace + 1, NewText: []byte(buf.String())},
		{Pos: lineStart, End: m.Pos(endOff + nl + 1)},
	}
	if body.List[0] == stmt {
		// Already first: replace it in place instead of inserting above.
		edits = []analysis.TextEdit{{Pos: lineStart, End: m.Pos(endOff + nl + 1),
			NewText: []byte(strings.TrimPrefix(buf.String(), "\n") + "\n")}}
	}
	return analysis.SuggestedFix{Message: "Move the recover into a deferred function literal", TextEdits: edits}, true
}
