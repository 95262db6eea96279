// Package listing prints a Go file annotated inline with what golens says
// about it: under each line, one note per construct, pointing at its column.
// It only formats; the caller gathers the notes from golens's features.
package listing

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Note is one annotation.
type Note struct {
	Offset int    // byte offset in the source the note points at
	Kind   string // "hover", "hint", "check"
	Text   string // plain text; long texts are wrapped
}

// Legend is the one line that says what the marks under the code mean.
const Legend = "legend: ╰─ what a hover says here   ╰▸ an inlay hint   ╰✗ a check's finding [and its quick fix]"

// Options control the rendering.
type Options struct {
	Width int  // wrap notes at this many columns (default 100)
	Color bool // ANSI colours for terminals
}

// Render writes src with its notes.
func Render(w io.Writer, src []byte, notes []Note, opts Options) error {
	if opts.Width <= 0 {
		opts.Width = 100
	}
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].Offset < notes[j].Offset })
	lines := strings.SplitAfter(string(src), "\n")
	width := len(fmt.Sprint(len(lines)))
	offset, ni := 0, 0
	for i, line := range lines {
		if line == "" {
			continue
		}
		end := offset + len(line)
		text := strings.TrimRight(line, "\r\n")
		if _, err := fmt.Fprintf(w, "%*d │ %s\n", width, i+1, strings.ReplaceAll(text, "\t", "    ")); err != nil {
			return err
		}
		for ni < len(notes) && notes[ni].Offset < end {
			n := notes[ni]
			ni++
			col := visualColumn(line, n.Offset-offset)
			prefix := fmt.Sprintf("%*s │ %s", width, "", strings.Repeat(" ", col))
			marker := map[string]string{"hover": "╰─ ", "hint": "╰▸ ", "check": "╰✗ "}[n.Kind]
			if marker == "" {
				marker = "╰─ "
			}
			body := wrap(n.Text, opts.Width-utf8.RuneCountInString(prefix)-3)
			for j, l := range body {
				lead := marker
				if j > 0 {
					lead = "   "
				}
				if opts.Color {
					l = colour(n.Kind) + l + "\x1b[0m"
				}
				if _, err := fmt.Fprintf(w, "%s%s%s\n", prefix, lead, l); err != nil {
					return err
				}
			}
		}
		offset = end
	}
	return nil
}

func colour(kind string) string {
	switch kind {
	case "hint":
		return "\x1b[36m"
	case "check":
		return "\x1b[31m"
	}
	return "\x1b[33m"
}

// visualColumn is the display column of byte offset off in line, with tabs
// shown as four spaces.
func visualColumn(line string, off int) int {
	col := 0
	for i, r := range line {
		if i >= off {
			break
		}
		if r == '\t' {
			col += 4
		} else {
			col++
		}
	}
	return col
}

// wrap splits text into lines of at most width runes (at least 30).
func wrap(text string, width int) []string {
	if width < 30 {
		width = 30
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		cur := ""
		for _, word := range words {
			if cur != "" && utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(word) > width {
				out = append(out, cur)
				cur = word
				continue
			}
			if cur != "" {
				cur += " "
			}
			cur += word
		}
		if cur != "" {
			out = append(out, cur)
		}
	}
	return out
}
