package codeactions

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/golens/golens/model"
	"github.com/golens/golens/snippets"
)

// With type information the rewrites must not need go/parser's object
// resolution: parse without it, type-check, and expect the same results as
// the syntax tier gives for the same cases.
func TestTypedTierMatchesSyntaxTier(t *testing.T) {
	names := map[string]bool{
		"goroutine/close_only_sender":  true,
		"goroutine/close_escapes":      true,
		"goroutine/close_two_senders":  true,
		"receive/define":               true,
		"receive/comma_ok_nonblocking": true,
		"lock/lock":                    true,
		"lock/explicit_unlock":         true,
		// The lock flow and Pairs decide these; the typed tier keys the
		// mutex by its types.Object, the syntax tier by name.
		"lock/early_return_path":             true,
		"lock/other_method_releases_its_own": true,
		"lock/released_in_other_method":      true,
		"lock/caller_holds":                  true,
		"lock/unlocked_in_goroutine":         true,
		"lock/locked_for_the_caller":         true,
		"lock/goroutine_locks_for_parent":    true,
		"lock/deferred_relock":               true,
		"rangeloop/never_closed":             true,
		"rangeloop/no_ok_param":              true,
	}
	// One importer for all cases: it caches the packages it has loaded.
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	checked := 0
	for _, c := range loadCases(t) {
		if !names[c.name] {
			continue
		}
		checked++
		t.Run(c.name, func(t *testing.T) {
			src, start, end := cutSelection(t, c.src)
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			info := &types.Info{
				Types: map[ast.Expr]types.TypeAndValue{},
				Defs:  map[*ast.Ident]types.Object{},
				Uses:  map[*ast.Ident]types.Object{},
				// The model reads the file's Go version from here.
				FileVersions: map[*ast.File]string{},
			}
			conf := types.Config{Importer: imp, GoVersion: "go1.26"}
			if _, err := conf.Check("p", fset, []*ast.File{file}, info); err != nil {
				t.Fatal(err)
			}
			typed := titlesAndPreference(Actions(model.Build(fset, file, src, info), start, end, snippets.Env{GoVersion: "1.26"}))
			syntax := titlesAndPreference(ActionsForSource(sourcePath(t, "1.26"), src, start, end, snippets.Env{GoVersion: "1.26"}))
			if len(typed) != len(syntax) {
				t.Fatalf("typed tier offers %q, syntax tier %q", typed, syntax)
			}
			for i := range typed {
				if typed[i] != syntax[i] {
					t.Errorf("typed tier offers %q, syntax tier %q", typed, syntax)
				}
			}
		})
	}
	if checked != len(names) {
		t.Errorf("checked %d of %d cases: a case was renamed", checked, len(names))
	}
}

// titlesAndPreference is each action's title, marked when it is preferred.
func titlesAndPreference(actions []Action) []string {
	var out []string
	for _, a := range actions {
		if a.IsPreferred {
			out = append(out, "preferred: "+a.Title)
		} else {
			out = append(out, a.Title)
		}
	}
	return out
}
