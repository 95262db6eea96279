package snippets

import (
	"bytes"
	"fmt"
	"strings"
)

// Item is one pattern offered at a cursor, in editor-neutral form.
type Item struct {
	Pattern       string // the pattern's Name
	Label         string
	FilterText    string
	Detail        string // one-line description
	Documentation string // markdown: the body and when to use it
	// InsertText replaces [ReplaceStart, ReplaceEnd), the identifier
	// under the cursor (for an LSP InsertReplaceEdit, the insert range
	// ends at the cursor instead). It is in snippet syntax when
	// IsSnippet, plain text otherwise; either way it is already indented
	// for the cursor's line, so the client must insert it as is (LSP
	// insertTextMode asIs) rather than re-indent it.
	InsertText               string
	IsSnippet                bool
	ReplaceStart, ReplaceEnd int
	AdditionalEdits          []Edit // missing imports; never overlap the replaced range
}

// Complete returns the patterns to offer at byte offset in src: statement
// patterns at the start of an empty statement slot in a function body,
// top-level patterns between declarations, each filtered by what env allows
// and by the identifier typed so far. It returns nil wherever a pattern
// would not fit (inside expressions, comments, strings, literals, or when
// the broken source leaves the position unclear).
func Complete(src []byte, offset int, env Env) []Item {
	site, ok := FindSite(src, offset)
	if !ok {
		return nil
	}
	var items []Item
	for _, p := range catalogue {
		if p.Scope != site.Scope || !p.Available(env) || !matchesPrefix(p, site.Prefix) {
			continue
		}
		items = append(items, Item{
			Pattern:         p.Name,
			Label:           p.Label,
			FilterText:      p.FilterText(),
			Detail:          p.Description,
			Documentation:   p.Markdown(),
			InsertText:      p.TextAt(src, site, env.SnippetSupport),
			IsSnippet:       env.SnippetSupport,
			ReplaceStart:    site.ReplaceStart,
			ReplaceEnd:      site.ReplaceEnd,
			AdditionalEdits: ImportEdits(site.Fset, site.File, src, p.Imports),
		})
	}
	return items
}

// InsertText is the pattern's body ready to insert on a line indented with
// indent, in snippet syntax or resolved to plain text.
func (p *Pattern) InsertText(indent string, snippet bool) string {
	if snippet {
		return Reindent(p.Body, indent)
	}
	return Reindent(ResolvePlaceholders(dropCursorLines(p.Body)), indent)
}

// dropCursorLines removes the lines that hold nothing but the final cursor
// $0: in plain text they would only leave an empty line behind.
func dropCursorLines(body string) string {
	lines := strings.Split(body, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if strings.TrimSpace(l) != "$0" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// TextAt is the text that replaces [site.ReplaceStart, site.ReplaceEnd) of
// src to insert the pattern there: InsertText, plus for a top-level pattern
// the blank lines gofmt wants around a declaration and a final newline at
// the end of the file.
func (p *Pattern) TextAt(src []byte, site Site, snippet bool) string {
	text := p.InsertText(site.Indent, snippet)
	if site.Scope != ScopeTopLevel {
		return site.MissingIndent + text
	}
	lineStart := site.ReplaceStart - len(site.Indent)
	if lineStart > 0 && !blankLineBefore(src, lineStart-1) {
		text = "\n" + text
	}
	rest := src[site.ReplaceEnd:]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		return text + "\n" // the file must end with a newline
	}
	next := rest[nl+1:]
	if end := bytes.IndexByte(next, '\n'); end >= 0 {
		next = next[:end]
	}
	lastLine := text[strings.LastIndexByte(text, '\n')+1:]
	if len(bytes.TrimSpace(next)) > 0 && strings.TrimSpace(lastLine) != "" && strings.TrimSpace(lastLine) != "$0" {
		text += "\n" // a blank line before the next declaration
	}
	return text
}

// blankLineBefore reports whether the line ending at the newline src[nl]
// is blank.
func blankLineBefore(src []byte, nl int) bool {
	start := bytes.LastIndexByte(src[:nl], '\n') + 1
	return len(bytes.TrimSpace(src[start:nl])) == 0
}

// Markdown documents the pattern for a completion item or a hover.
func (p *Pattern) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n```go\n%s\n```\n\n%s\n", p.Description, p.PlainBody(), p.When)
	var notes []string
	if p.MinGo != "" && p.MinGo != "go1.0" {
		notes = append(notes, "needs Go "+strings.TrimPrefix(p.MinGo, "go")+" or newer (go.mod's go line)")
	}
	if p.BeforeGo != "" {
		notes = append(notes, "offered to modules before Go "+strings.TrimPrefix(p.BeforeGo, "go"))
	}
	if len(p.Imports) > 0 {
		notes = append(notes, "imports `"+strings.Join(p.Imports, "`, `")+"`")
	}
	if p.Requires != "" {
		notes = append(notes, "requires module `"+p.Requires+"`")
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "\n_%s_\n", strings.Join(notes, "; "))
	}
	if len(p.See) > 0 {
		var refs []string
		for _, ref := range p.See {
			if anchor, ok := strings.CutPrefix(ref, "spec#"); ok {
				refs = append(refs, "[spec: "+strings.ReplaceAll(anchor, "_", " ")+"](https://go.dev/ref/spec#"+anchor+")")
			} else {
				refs = append(refs, "`go "+ref+"`")
			}
		}
		fmt.Fprintf(&b, "\nSee %s.\n", strings.Join(refs, ", "))
	}
	return b.String()
}

// matchesPrefix reports whether what the user typed is a case-insensitive
// subsequence of the label or a filter word, starting at its first letter —
// the same loose matching editors apply, so the server's list is not
// narrower than what the client would show.
func matchesPrefix(p *Pattern, prefix string) bool {
	if prefix == "" {
		return true
	}
	prefix = strings.ToLower(prefix)
	for _, w := range append([]string{p.Label}, p.FilterWords...) {
		if isSubsequence(prefix, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

func isSubsequence(sub, s string) bool {
	if sub == "" || s == "" || sub[0] != s[0] {
		return false
	}
	i := 0
	for j := 0; j < len(s) && i < len(sub); j++ {
		if s[j] == sub[i] {
			i++
		}
	}
	return i == len(sub)
}
