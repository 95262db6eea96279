package codeactions

import (
	"go/ast"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/golens/golens/model"
	"github.com/golens/golens/snippets"
)

// Edit replaces bytes [Start, End) of the source with NewText; it is the
// same type completion uses.
type Edit = snippets.Edit

// Code action kinds, as LSP spells them.
const (
	// KindRewrite is for actions that rewrite existing code.
	KindRewrite = "refactor.rewrite"
	// KindInsertPattern is for actions that insert a catalogue pattern at
	// the cursor. It is a refactor sub-kind of its own so that a client
	// asking only for rewrites does not get the whole catalogue.
	KindInsertPattern = "refactor.insert.pattern"
)

// Action is one code action: a title, its kind and the edits it makes.
type Action struct {
	Title       string
	Kind        string
	IsPreferred bool
	// Edits never overlap. When Snippet is set every NewText is in LSP
	// snippet syntax (tab stops such as ${1:...}); otherwise plain text.
	// Only actions with tab stops set it, and only when the Env says the
	// client supports snippets.
	Edits   []Edit
	Snippet bool
}

// ActionsForSource is Actions for a file the caller has no model of yet: it
// parses src and builds the syntax-tier model.
func ActionsForSource(filename string, src []byte, start, end int, env snippets.Env) []Action {
	return Actions(model.Parse(filename, src), start, end, env)
}

// Actions returns the code actions that apply to the selection [start, end)
// (start == end for a bare cursor) of the file modelled by m. m's AST must
// come from go/parser with object resolution on (as model.Parse does): the
// rewrites use it to tell a variable declared by a statement from one it
// reuses. env.SnippetSupport decides whether edits use snippet syntax and
// env.Requires which patterns fit the module; the Go version is the model's
// (m.GoVersion), the one the hovers read, whatever env.GoVersion says.
func Actions(m *model.File, start, end int, env snippets.Env) []Action {
	if m == nil || m.AST == nil || m.Fset.File(m.AST.Pos()) == nil || start < 0 || end < start || end > len(m.Src) {
		return nil
	}
	env.GoVersion = m.GoVersion()
	f := &fileCtx{m: m, src: m.Src, tf: m.Fset.File(m.AST.Pos()), env: env}
	from, to := cursorInterval(m.Src, start, end)
	f.path, _ = astutil.PathEnclosingInterval(m.AST, f.tf.Pos(from), f.tf.Pos(to))

	var actions []Action
	actions = append(actions, f.receiveActions()...)
	actions = append(actions, f.sendActions()...)
	actions = append(actions, f.goAndWaitActions(start, end)...)
	actions = append(actions, f.closeChannelActions()...)
	actions = append(actions, f.deferActions()...)
	actions = append(actions, f.unlockActions()...)
	actions = append(actions, f.rangeLoopActions()...)
	actions = append(actions, insertPatternActions(m.Src, start, end, env)...)
	return actions
}

// cursorInterval widens a bare cursor to the character it touches, so that
// a cursor just after a statement (at the end of its line, where editors
// leave it) or just before a token counts as being on it.
// A selection is trimmed of surrounding whitespace, so that selecting whole
// lines selects the statements on them.
func cursorInterval(src []byte, start, end int) (int, int) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	if start != end {
		for start < end && isSpace(src[start]) {
			start++
		}
		for end > start && isSpace(src[end-1]) {
			end--
		}
		return start, end
	}
	if start < len(src) && !isSpace(src[start]) {
		return start, start + 1
	}
	if start > 0 && !isSpace(src[start-1]) {
		return start - 1, start
	}
	return start, end
}

// fileCtx carries what every rewrite needs about the file and the
// selection.
type fileCtx struct {
	m    *model.File
	src  []byte
	tf   *token.File
	env  snippets.Env
	path []ast.Node // innermost first, from the selection outwards
}

func (f *fileCtx) off(p token.Pos) int { return f.tf.Offset(p) }

func (f *fileCtx) text(n ast.Node) string { return string(f.src[f.off(n.Pos()):f.off(n.End())]) }

// enclosingStmt returns the innermost statement on the path and its parent.
func (f *fileCtx) enclosingStmt() (ast.Stmt, ast.Node) {
	for i, n := range f.path {
		if s, ok := n.(ast.Stmt); ok {
			if _, isBlock := s.(*ast.BlockStmt); isBlock {
				return nil, nil // between statements
			}
			if i+1 < len(f.path) {
				return s, f.path[i+1]
			}
			return s, nil
		}
	}
	return nil, nil
}

// inSelectCase reports whether stmt is the communication of a select case.
func inSelectCase(stmt ast.Stmt, parent ast.Node) bool {
	cc, ok := parent.(*ast.CommClause)
	return ok && cc.Comm == stmt
}

// ownLine reports whether node is alone on its lines — nothing but
// indentation before it and nothing but a line comment after it — and
// returns that indentation. Rewrites that turn one line into a block need
// this to stay gofmt-clean.
func (f *fileCtx) ownLine(n ast.Node) (string, bool) {
	start, end := f.off(n.Pos()), f.off(n.End())
	ls := start
	for ls > 0 && f.src[ls-1] != '\n' {
		ls--
	}
	indent := string(f.src[ls:start])
	if strings.Trim(indent, "\t") != "" {
		return "", false
	}
	rest := f.src[end:]
	if i := strings.IndexByte(string(rest), '\n'); i >= 0 {
		rest = rest[:i]
	}
	r := strings.TrimSpace(string(rest))
	if r != "" && !strings.HasPrefix(r, "//") {
		return "", false
	}
	return indent, true
}

// hasMultilineRawString reports whether n contains a raw string spanning
// lines, whose content would change if its lines were re-indented.
func hasMultilineRawString(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(lit.Value, "`") && strings.Contains(lit.Value, "\n") {
			found = true
		}
		return !found
	})
	return found
}

// indentMore adds prefix to every line of text after the first (the first
// line is placed by the caller).
func indentMore(text, prefix string) string {
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = prefix + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// lit prepares source text for an edit: escaped when the edit is a snippet.
func (f *fileCtx) lit(s string) string {
	if f.env.SnippetSupport {
		return snippets.EscapeSnippet(s)
	}
	return s
}

// placeholder renders tab stop n with a default: a snippet placeholder, or
// just the default in plain text.
func (f *fileCtx) placeholder(n int, def string) string {
	if f.env.SnippetSupport {
		return "${" + itoa(n) + ":" + snippets.EscapeSnippet(def) + "}"
	}
	return def
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// withImports adds the edits importing paths to edits.
func (f *fileCtx) withImports(edits []Edit, paths ...string) []Edit {
	edits = append(edits, snippets.AddImports(f.src, paths)...)
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	return edits
}

// enclosingFunc returns the innermost function (declaration or literal) on
// the path: its type and body.
func (f *fileCtx) enclosingFunc() (*ast.FuncType, *ast.BlockStmt) {
	for _, n := range f.path {
		switch fn := n.(type) {
		case *ast.FuncLit:
			return fn.Type, fn.Body
		case *ast.FuncDecl:
			return fn.Type, fn.Body
		}
	}
	return nil, nil
}

// contextParam returns the name of a parameter of type context.Context of
// the innermost function on the path that has one, or "".
func (f *fileCtx) contextParam() string {
	for _, n := range f.path {
		var ft *ast.FuncType
		switch fn := n.(type) {
		case *ast.FuncLit:
			ft = fn.Type
		case *ast.FuncDecl:
			ft = fn.Type
		default:
			continue
		}
		if ft.Params == nil {
			continue
		}
		for _, field := range ft.Params.List {
			sel, ok := field.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Context" {
				continue
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "context" {
				continue
			}
			for _, name := range field.Names {
				if name.Name != "_" {
					return name.Name
				}
			}
		}
	}
	return ""
}

// freshName returns base, or base followed by a number, such that no
// identifier in scope node is spelled that way.
func freshName(scope ast.Node, base string) string {
	used := map[string]bool{}
	ast.Inspect(scope, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	name := base
	for i := 2; used[name]; i++ {
		name = base + itoa(i)
	}
	return name
}

// chanOpAt returns the model's record of the channel operation node.
func (f *fileCtx) chanOpAt(node ast.Node) *model.ChanOp {
	for _, op := range f.m.ChanOps {
		if op.Node == node {
			return op
		}
	}
	return nil
}
