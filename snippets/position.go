package snippets

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// Site describes where in a file a pattern could be inserted.
type Site struct {
	Scope Scope
	// ReplaceStart and ReplaceEnd delimit the identifier under the cursor
	// (possibly empty): the text a completion replaces.
	ReplaceStart, ReplaceEnd int
	// Prefix is the part of that identifier before the cursor, what the
	// user has typed so far.
	Prefix string
	// Indent is the indentation the inserted text is laid out for: the
	// leading whitespace of the cursor's line, or the block's own depth
	// when the cursor sits on a blank line with less (Neovim's cursor is at
	// column 0 of an empty line, whatever the block).
	Indent string
	// MissingIndent is the whitespace to insert before the text to bring
	// the cursor's line to Indent.
	MissingIndent string
	// LineEnd is where the cursor's line ends (before its newline) when
	// only whitespace follows ReplaceEnd: an insertion may replace that
	// whitespace instead of leaving it trailing after the text.
	LineEnd int

	// The parse of the source used to decide, with the identifier under
	// the cursor replaced by x's of the same length (so that keywords such
	// as "go" or "for" still parse as a statement). Offsets are unchanged.
	Fset *token.FileSet
	File *ast.File
}

// FindSite decides whether offset in src is a place where a pattern may be
// inserted: at the start of an otherwise empty line that is a statement slot
// inside a function body, or an empty slot at the top level after the
// imports. The source may be broken mid-edit; whenever the parse does not
// show clearly that the cursor is in such a slot the answer is false, since
// offering a statement inside an expression would corrupt the user's code.
func FindSite(src []byte, offset int) (Site, bool) {
	if offset < 0 || offset > len(src) {
		return Site{}, false
	}
	start, end := offset, offset
	for start > 0 && isIdentByte(src[start-1]) {
		start--
	}
	for end < len(src) && isIdentByte(src[end]) {
		end++
	}
	if start < end && isDigit(src[start]) {
		return Site{}, false
	}
	lineStart := start
	for lineStart > 0 && src[lineStart-1] != '\n' {
		lineStart--
	}
	indent := string(src[lineStart:start])
	if strings.Trim(indent, " \t") != "" {
		return Site{}, false // something precedes the word on its line
	}
	for i := end; i < len(src) && src[i] != '\n'; i++ {
		if src[i] != ' ' && src[i] != '\t' && src[i] != '\r' {
			return Site{}, false // something follows the word on its line
		}
	}

	masked := make([]byte, len(src))
	copy(masked, src)
	for i := start; i < end; i++ {
		masked[i] = 'x'
	}
	fset := token.NewFileSet()
	file, _ := parser.ParseFile(fset, "", masked, parser.ParseComments|parser.AllErrors|parser.SkipObjectResolution)
	if file == nil || file.Name == nil || !file.Name.End().IsValid() {
		return Site{}, false
	}
	tf := fset.File(file.Package)
	if tf == nil || start <= tf.Offset(file.Name.End()) {
		return Site{}, false
	}
	for _, cg := range file.Comments {
		if tf.Offset(cg.Pos()) <= start && end <= tf.Offset(cg.End()) {
			return Site{}, false
		}
	}
	lineEnd := end
	for lineEnd < len(src) && (src[lineEnd] == ' ' || src[lineEnd] == '\t') {
		lineEnd++
	}
	if lineEnd < len(src) && src[lineEnd] != '\n' && src[lineEnd] != '\r' {
		lineEnd = end
	}
	site := Site{
		LineEnd:      lineEnd,
		ReplaceStart: start,
		ReplaceEnd:   end,
		Prefix:       string(src[start:offset]),
		Indent:       indent,
		Fset:         fset,
		File:         file,
	}
	startPos, endPos := tf.Pos(start), tf.Pos(end)
	if inStatementSlot(file, startPos, endPos) {
		site.Scope = ScopeStatement
		if want := strings.Repeat("\t", blockDepth(file, startPos)); len(indent) < len(want) && strings.HasPrefix(want, indent) {
			site.MissingIndent, site.Indent = want[len(indent):], want
		}
		return site, true
	}
	if indent == "" && atTopLevel(tf, file, start) {
		site.Scope = ScopeTopLevel
		return site, true
	}
	return Site{}, false
}

func isIdentByte(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c >= 0x80
}

// inStatementSlot reports whether [start, end) is either a lone identifier
// forming a whole expression statement, or an empty gap between statements,
// of a block that belongs to a function body.
func inStatementSlot(file *ast.File, start, end token.Pos) bool {
	path, _ := astutil.PathEnclosingInterval(file, start, end)
	if len(path) == 0 {
		return false
	}
	if start < end {
		id, ok := path[0].(*ast.Ident)
		if !ok || id.Pos() != start || id.End() != end || len(path) < 3 {
			return false
		}
		stmt, ok := path[1].(*ast.ExprStmt)
		if !ok || stmt.X != id {
			return false
		}
		path = path[2:]
	}
	switch n := path[0].(type) {
	case *ast.BlockStmt:
		// A block the user has not closed yet has no Rbrace; the lone
		// identifier statement inside it is still a clear slot.
		if start <= n.Lbrace || n.Rbrace.IsValid() && end > n.Rbrace {
			return false
		}
		if len(path) > 1 {
			switch path[1].(type) {
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				return false // only case clauses may go here
			}
		}
	case *ast.CaseClause:
		if start <= n.Colon {
			return false
		}
	case *ast.CommClause:
		if start <= n.Colon {
			return false
		}
	default:
		return false
	}
	for _, n := range path[1:] {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return true
		}
	}
	return false
}

// atTopLevel reports whether offset lies outside every declaration, after
// the package clause and the imports (a declaration placed before an import
// would not compile).
func atTopLevel(tf *token.File, file *ast.File, offset int) bool {
	for _, decl := range file.Decls {
		if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.IMPORT && tf.Offset(g.End()) > offset {
			return false
		}
		if _, bad := decl.(*ast.BadDecl); bad {
			continue // most likely the word being typed
		}
		if tf.Offset(decl.Pos()) <= offset && offset < tf.Offset(decl.End()) {
			return false
		}
	}
	return true
}

// blockDepth is the gofmt indentation depth of a statement at pos: one per
// enclosing block, where a switch or select body's clauses sit at the
// depth of the switch and their statements one deeper.
func blockDepth(file *ast.File, pos token.Pos) int {
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	depth := 0
	for i, n := range path {
		switch n.(type) {
		case *ast.BlockStmt:
			if i+1 < len(path) {
				switch path[i+1].(type) {
				case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
					continue
				}
			}
			depth++
		case *ast.CaseClause, *ast.CommClause:
			depth++
		}
	}
	return depth
}
