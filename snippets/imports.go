package snippets

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Edit replaces the bytes [Start, End) of the original source with NewText.
// Edits returned together never overlap; apply them from the highest offset
// down, or with ApplyEdits.
type Edit struct {
	Start, End int
	NewText    string
}

// ApplyEdits returns src with the edits applied. The edits must not overlap.
func ApplyEdits(src []byte, edits []Edit) []byte {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var b strings.Builder
	last := 0
	for _, e := range sorted {
		b.Write(src[last:e.Start])
		b.WriteString(e.NewText)
		last = e.End
	}
	b.Write(src[last:])
	return []byte(b.String())
}

// AddImports returns the edits that make src import every path in paths it
// does not import yet. The edits insert lines into an existing import block
// (in gofmt's sorted order, standard library and other paths in their own
// groups), turn a single-line import into a block, or add a new import
// declaration after the package clause. They touch nothing else, so text the
// user is typing elsewhere is never lost.
func AddImports(src []byte, paths []string) []Edit {
	fset := token.NewFileSet()
	file, _ := parser.ParseFile(fset, "", src, parser.ImportsOnly|parser.ParseComments)
	if file == nil || file.Name == nil {
		return nil
	}
	return ImportEdits(fset, file, src, paths)
}

// ImportEdits is AddImports for a file already parsed from src (with
// comments, so that a comment is never separated from its import).
func ImportEdits(fset *token.FileSet, file *ast.File, src []byte, paths []string) []Edit {
	missing := missingImports(file, paths)
	if len(missing) == 0 {
		return nil
	}
	tf := fset.File(file.Package)
	off := func(p token.Pos) int { return tf.Offset(p) }

	var decls []*ast.GenDecl
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			decls = append(decls, g)
		}
	}
	if len(decls) == 0 {
		// A new declaration on its own, after the package clause's line.
		at := lineEnd(src, off(file.Name.End()))
		return []Edit{{Start: at, End: at, NewText: "\n\n" + importDeclText(missing)}}
	}
	for _, g := range decls {
		if g.Lparen.IsValid() && !importsC(g) {
			return blockImportEdits(src, off, g, missing)
		}
	}
	// Only single-line imports. Rewrite the last one as a block when nothing
	// (a comment, a doc) could be lost by doing so; otherwise add a new
	// declaration after it.
	last := decls[len(decls)-1]
	spec := last.Specs[0].(*ast.ImportSpec)
	if last.Doc == nil && spec.Comment == nil && spec.Doc == nil && !last.Lparen.IsValid() && importPath(spec) != "C" {
		specs := append([]string{specText(spec)}, quoteAll(missing)...)
		return []Edit{{Start: off(last.Pos()), End: off(last.End()), NewText: blockText(specs)}}
	}
	at := lineEnd(src, off(last.End()))
	return []Edit{{Start: at, End: at, NewText: "\n" + importDeclText(missing)}}
}

// blockImportEdits inserts each missing path into the parenthesised import
// declaration g: before the first import of its kind (standard library or
// not) that sorts after it, else after the last import of its kind, else as a
// new group (standard library first, others last).
func blockImportEdits(src []byte, off func(token.Pos) int, g *ast.GenDecl, missing []string) []Edit {
	var edits []Edit
	var newStd, newOther []string
	for _, p := range missing {
		std := isStd(p)
		var lastOfKind, before *ast.ImportSpec
		for _, s := range g.Specs {
			spec := s.(*ast.ImportSpec)
			if isStd(importPath(spec)) != std {
				continue
			}
			if sp := importPath(spec); sp > p || sp == p && spec.Name != nil {
				// (an unnamed import sorts before a named one of the same path)
				before = spec
				break
			}
			lastOfKind = spec
		}
		switch {
		case before != nil:
			at := lineStartOf(src, off(specStart(before)))
			edits = append(edits, Edit{Start: at, End: at, NewText: "\t" + strconv.Quote(p) + "\n"})
		case lastOfKind != nil:
			at := lineEnd(src, off(lastOfKind.End()))
			edits = append(edits, Edit{Start: at, End: at, NewText: "\n\t" + strconv.Quote(p)})
		case std:
			newStd = append(newStd, "\t"+strconv.Quote(p)+"\n")
		default:
			newOther = append(newOther, "\n\t"+strconv.Quote(p))
		}
	}
	if len(g.Specs) == 0 {
		at := off(g.Lparen) + 1
		text := ""
		for _, p := range missing {
			text += "\n\t" + strconv.Quote(p)
		}
		if !strings.Contains(string(src[at:off(g.Rparen)]), "\n") {
			text += "\n" // `import ()` on one line
		}
		return []Edit{{Start: at, End: at, NewText: text}}
	}
	if len(newStd) > 0 {
		at := lineStartOf(src, off(specStart(g.Specs[0].(*ast.ImportSpec))))
		// First in the list, so it stays ahead of an import inserted
		// before the same (non-standard) first line.
		edits = append([]Edit{{Start: at, End: at, NewText: strings.Join(newStd, "") + "\n"}}, edits...)
	}
	if len(newOther) > 0 {
		at := lineEnd(src, off(g.Specs[len(g.Specs)-1].End()))
		edits = append(edits, Edit{Start: at, End: at, NewText: "\n" + strings.Join(newOther, "")})
	}
	return mergeEdits(edits)
}

// mergeEdits combines insertions at the same offset, keeping their order.
func mergeEdits(edits []Edit) []Edit {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	var out []Edit
	for _, e := range edits {
		if n := len(out); n > 0 && out[n-1].Start == e.Start && out[n-1].End == e.End {
			out[n-1].NewText += e.NewText
			continue
		}
		out = append(out, e)
	}
	return out
}

// importsC reports whether g imports cgo's "C", whose declaration belongs
// to the comment before it and is best left alone.
func importsC(g *ast.GenDecl) bool {
	for _, s := range g.Specs {
		if importPath(s.(*ast.ImportSpec)) == "C" {
			return true
		}
	}
	return false
}

func specStart(s *ast.ImportSpec) token.Pos {
	if s.Doc != nil {
		return s.Doc.Pos()
	}
	return s.Pos()
}

func missingImports(file *ast.File, paths []string) []string {
	have := map[string]bool{}
	for _, s := range file.Imports {
		p := importPath(s)
		// An import under another name does not provide the package
		// name the pattern's body uses; a blank or dot import neither.
		if s.Name == nil || s.Name.Name == path.Base(p) {
			have[p] = true
		}
	}
	var missing []string
	for _, p := range paths {
		if !have[p] {
			have[p] = true
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	return missing
}

func importPath(s *ast.ImportSpec) string {
	p, err := strconv.Unquote(s.Path.Value)
	if err != nil {
		return s.Path.Value
	}
	return p
}

// isStd reports whether an import path belongs to the standard library, by
// the convention that only those paths have no dot in their first element.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

func specText(s *ast.ImportSpec) string {
	if s.Name != nil {
		return s.Name.Name + " " + s.Path.Value
	}
	return s.Path.Value
}

func quoteAll(paths []string) []string {
	var out []string
	for _, p := range paths {
		out = append(out, strconv.Quote(p))
	}
	return out
}

func importDeclText(paths []string) string {
	if len(paths) == 1 {
		return "import " + strconv.Quote(paths[0])
	}
	return blockText(quoteAll(paths))
}

// blockText renders an import block from spec texts, standard library paths
// first, then a blank line, then the others, each group sorted.
func blockText(specs []string) string {
	var std, other []string
	for _, s := range specs {
		q := s[strings.IndexByte(s, '"'):]
		p, _ := strconv.Unquote(q)
		if isStd(p) {
			std = append(std, s)
		} else {
			other = append(other, s)
		}
	}
	// gofmt orders by path, then by name (an unnamed import first).
	byPath := func(list []string) {
		sort.SliceStable(list, func(i, j int) bool {
			qi, qj := strings.IndexByte(list[i], '"'), strings.IndexByte(list[j], '"')
			if list[i][qi:] != list[j][qj:] {
				return list[i][qi:] < list[j][qj:]
			}
			return list[i][:qi] < list[j][:qj]
		})
	}
	byPath(std)
	byPath(other)
	var b strings.Builder
	b.WriteString("import (\n")
	for _, s := range std {
		b.WriteString("\t" + s + "\n")
	}
	if len(std) > 0 && len(other) > 0 {
		b.WriteString("\n")
	}
	for _, s := range other {
		b.WriteString("\t" + s + "\n")
	}
	b.WriteString(")")
	return b.String()
}

// lineEnd returns the offset of the newline ending the line that contains
// offset (or len(src)).
func lineEnd(src []byte, offset int) int {
	for offset < len(src) && src[offset] != '\n' {
		offset++
	}
	return offset
}

func lineStartOf(src []byte, offset int) int {
	for offset > 0 && src[offset-1] != '\n' {
		offset--
	}
	return offset
}
