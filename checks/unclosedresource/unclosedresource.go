package unclosedresource

import (
	"bytes"
	"fmt"
	"go/ast"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "unclosedresource"

// Analyzer reports resources that are never closed or closed before the
// error check.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report an opened file, connection or response body that is never closed\n\n" +
		"A file, net connection or listener, or HTTP response body that the function neither " +
		"closes nor lets escape leaks its descriptor; a Close deferred before the error check " +
		"runs on a nil value. The fix defers Close right after the error check.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	for _, m := range res.Order {
		if m.Info == nil {
			continue
		}
		c := &checker{pass: pass, m: m}
		c.file()
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	m    *model.File
}

// file checks the resources the file's functions open: the model's facts
// (model.File.Resources: opened where, closed where, escaping where).
func (c *checker) file() {
	for _, r := range c.m.Resources() {
		c.open(r)
	}
}

// open examines one `x, err := opener(...)` statement.
func (c *checker) open(r *model.Resource) {
	as, call, fn := r.Assign, r.Call, r.Opener
	errObj := r.Err
	what := r.Kind.What()
	testFile := strings.HasSuffix(c.pass.Fset.Position(as.Pos()).Filename, "_test.go")
	if r.VarName == "_" {
		// Leaked only if the open is expected to succeed: the error is
		// ignored too, or checked right away with a return on failure.
		// (`_, err := http.Get(bad); if err == nil { t.Fatal(...) }` is not.)
		if testFile {
			return
		}
		if errObj != nil && r.ErrCheck == nil {
			return
		}
		c.pass.Report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: name,
			Message: fmt.Sprintf("%s opened by %s is discarded without being closed, so it leaks", what, fn),
		})
		return
	}
	if r.Outer {
		return // a variable of an enclosing function or the package keeps it
	}
	closeExpr := r.CloseExpr()

	// A Close deferred before the error check (the model's
	// DeferBeforeCheck).
	if d, check := r.DeferBeforeCheck, r.CheckAfterDefer; d != nil && r.NilClosePanics {
		consequence := "when " + fn + " fails " + r.VarName + " is nil and the deferred Close panics"
		diag := analysis.Diagnostic{
			Pos: d.Pos(), End: d.End(), Category: name,
			Message: fmt.Sprintf("%s is deferred before the error from %s is checked: %s", closeExpr, fn, consequence),
			Related: []analysis.RelatedInformation{{Pos: check.Pos(), Message: "the error is checked here"}},
		}
		if fix, ok := c.moveDefer(d, check); ok {
			diag.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		c.pass.Report(diag)
		return
	}

	// Closed somewhere in the function, or gone where golens cannot
	// follow it: the model's Closes and Escapes.
	if len(r.Closes) > 0 || len(r.Escapes) > 0 || testFile || c.m.ServesForever(r.Body) {
		// (A function that serves forever — the model's ServesForever — keeps
		// what it opened as long as the process lives.)
		// In tests, a test server's Close tears down what a test leaves
		// open; only the deferred-before-check panic is reported there.
		return
	}
	diag := analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: name,
		Message: fmt.Sprintf("%s opened by %s is never closed in this function and does not escape it: call %s (with defer, after the error check)",
			what, fn, closeExpr),
	}
	if r.ErrCheck != nil && !r.InLoop {
		if fix, ok := c.insertAfter(r.ErrCheck, "defer "+closeExpr); ok {
			diag.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.pass.Report(diag)
}

// ---- fixes ----

// insertAfter inserts a statement on a new line after stmt, at its
// indentation.
func (c *checker) insertAfter(stmt ast.Stmt, text string) (analysis.SuggestedFix, bool) {
	m := c.m
	if m.Src == nil {
		return analysis.SuggestedFix{}, false
	}
	tf := m.Fset.File(stmt.Pos())
	start := tf.LineStart(m.Line(stmt.Pos()))
	indent := m.Text(start, stmt.Pos())
	if strings.TrimSpace(indent) != "" {
		return analysis.SuggestedFix{}, false
	}
	endOff := m.Offset(stmt.End())
	nl := bytes.IndexByte(m.Src[endOff:], '\n')
	if nl < 0 {
		return analysis.SuggestedFix{}, false
	}
	if rest := strings.TrimSpace(string(m.Src[endOff : endOff+nl])); rest != "" && !strings.HasPrefix(rest, "//") {
		return analysis.SuggestedFix{}, false
	}
	at := m.Pos(endOff + nl)
	return analysis.SuggestedFix{
		Message:   "Add " + text + " after the error check",
		TextEdits: []analysis.TextEdit{{Pos: at, End: at, NewText: []byte("\n" + indent + text)}},
	}, true
}

// moveDefer moves a defer statement to just after the error check.
func (c *checker) moveDefer(d *ast.DeferStmt, check *ast.IfStmt) (analysis.SuggestedFix, bool) {
	m := c.m
	if m.Src == nil {
		return analysis.SuggestedFix{}, false
	}
	tf := m.Fset.File(d.Pos())
	start := tf.LineStart(m.Line(d.Pos()))
	if strings.TrimSpace(m.Text(start, d.Pos())) != "" || m.Line(d.Pos()) != m.Line(d.End()) {
		return analysis.SuggestedFix{}, false
	}
	endOff := m.Offset(d.End())
	nl := bytes.IndexByte(m.Src[endOff:], '\n')
	if nl < 0 {
		return analysis.SuggestedFix{}, false
	}
	line := strings.TrimRight(string(m.Src[m.Offset(d.Pos()):endOff+nl]), " \t")
	ins, ok := c.insertAfter(check, line)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message: "Move the deferred Close after the error check",
		TextEdits: append([]analysis.TextEdit{{Pos: start, End: m.Pos(endOff + nl + 1)}},
			ins.TextEdits...),
	}, true
}
