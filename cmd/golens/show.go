package main

import (
	_ "embed"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/hints"
	"github.com/golens/golens/hover"
	"github.com/golens/golens/listing"
	"github.com/golens/golens/model"
)

//go:embed example/tour.go
var tour []byte

// showCmd prints a file annotated with what golens says at each construct.
func showCmd(args []string, stdout, stderr io.Writer) int {
	name, src := "tour.go (built in; pass a file to see your own)", tour
	color := false
	var files []string
	for _, a := range args {
		switch a {
		case "-color", "--color":
			color = true
		default:
			files = append(files, a)
		}
	}
	if len(files) > 1 {
		fmt.Fprintln(stderr, "golens show: one file at a time")
		return 2
	}
	if len(files) == 1 {
		if !strings.EqualFold(filepath.Ext(files[0]), ".go") {
			fmt.Fprintf(stderr, "golens show: %s is not a Go file: golens show annotates one .go file (or, with no file, a built-in tour)\n", files[0])
			return 2
		}
		if fi, err := os.Stat(files[0]); err == nil && fi.IsDir() {
			fmt.Fprintf(stderr, "golens show: %s is a directory: pass one .go file\n", files[0])
			return 2
		}
		b, err := os.ReadFile(files[0])
		if err != nil {
			fmt.Fprintln(stderr, "golens show:", err)
			return 1
		}
		name, src = files[0], b
	}
	m := model.Parse(name, src)
	notes := annotations(m)
	fmt.Fprintf(stdout, "golens: %s — %d notes\n%s\n\n", name, len(notes), listing.Legend)
	if err := listing.Render(stdout, src, notes, listing.Options{Color: color}); err != nil {
		fmt.Fprintln(stderr, "golens show:", err)
		return 1
	}
	return 0
}

// annotations gathers what golens's features say about the file: the
// hovers, the inlay hints and the findings of the checks that work from
// syntax (the typed checks need the package: use golens check).
func annotations(m *model.File) []listing.Note {
	var notes []listing.Note
	seen := map[string]bool{}
	// Every site's start, then the sync.OnceFunc calls, which the model
	// finds when asked rather than as sites.
	var starts []token.Pos
	for _, s := range m.Sites() {
		starts = append(starts, s.Start)
	}
	for _, o := range m.OnceFuncCalls() {
		starts = append(starts, o.Sel.Pos())
	}
	for _, start := range starts {
		h := hover.At(m, m.Offset(start))
		if h == nil {
			continue
		}
		// The hover's first two paragraphs are the headline and what the
		// construct does here; the rest is the general explanation.
		parts := strings.SplitN(h.Markdown, "\n\n", 3)
		text := hover.PlainText(parts[0])
		if len(parts) > 1 {
			text += ": " + hover.PlainText(parts[1])
		}
		key := fmt.Sprint(m.Line(start), text)
		if seen[key] {
			continue
		}
		seen[key] = true
		notes = append(notes, listing.Note{Offset: h.Start, Kind: "hover", Text: text})
	}
	for _, h := range hints.Compute(m, 0, len(m.Src), hints.All()) {
		// Each hint gets its own line here, so the separator an editor
		// needs between two hints at one position is not shown.
		notes = append(notes, listing.Note{Offset: h.Offset, Kind: "hint", Text: "hint: " + strings.TrimPrefix(h.Label, "; ")})
	}
	for _, c := range all.Checks() {
		if c.Syntax == nil {
			continue
		}
		for _, d := range c.Syntax(m) {
			text := c.Analyzer.Name + ": " + d.Message
			if len(d.SuggestedFixes) > 0 {
				text += " [fix: " + d.SuggestedFixes[0].Message + "]"
			}
			notes = append(notes, listing.Note{Offset: m.Offset(d.Pos), Kind: "check", Text: text})
		}
	}
	return notes
}
