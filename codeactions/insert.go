package codeactions

import (
	"github.com/golens/golens/snippets"
)

// insertPatternActions offers each catalogue pattern that fits an empty
// statement slot (or top-level slot) at a bare cursor, as an alternative to
// completion for clients and users who reach for code actions. The text and
// imports are exactly those of the completion item.
func insertPatternActions(src []byte, start, end int, env snippets.Env) []Action {
	if start != end {
		return nil
	}
	site, ok := snippets.FindSite(src, start)
	if !ok || site.ReplaceStart != site.ReplaceEnd {
		return nil // the cursor is on a word: completion handles that
	}
	var actions []Action
	for _, p := range snippets.Patterns() {
		if p.Scope != site.Scope || !p.Available(env) {
			continue
		}
		end := site.ReplaceEnd
		if p.Scope == snippets.ScopeStatement && site.LineEnd > end {
			end = site.LineEnd // don't leave the blank line's whitespace trailing
		}
		edits := []Edit{{Start: site.ReplaceStart, End: end, NewText: p.TextAt(src, site, env.SnippetSupport)}}
		edits = append(edits, snippets.ImportEdits(site.Fset, site.File, src, p.Imports)...)
		actions = append(actions, Action{
			Title:   "Insert pattern " + p.Label + ": " + p.Description,
			Kind:    KindInsertPattern,
			Edits:   edits,
			Snippet: env.SnippetSupport,
		})
	}
	return actions
}
