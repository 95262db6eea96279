// Package checks lists golens's concurrency checks. Each check is a
// go/analysis Analyzer in its own package under checks/, with a package doc
// that shows the mistake (WRONG) and its fix (RIGHT), analysistest testdata
// with `// want`, and SuggestedFixes where a mechanical fix exists.
//
// Checks read the concurrency model built by checks/modelpass; the ones that
// can work from syntax alone also expose a Syntax function over a syntax-tier
// model, which the language server runs at once on every keystroke, before
// the typed tier has loaded the package.
package checks

import (
	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// Check describes one check for the server and the command line.
type Check struct {
	Analyzer *analysis.Analyzer
	// Syntax, when set, runs the check on a syntax-tier model and returns
	// its diagnostics (positions in m.Fset). Nil for checks that need types.
	Syntax func(m *model.File) []analysis.Diagnostic
	// DuplicatesGopls, when set, reports whether gopls already shows a
	// diagnostic of this check by default (vet's copylocks and waitgroup
	// analyzers): with the skipGoplsDuplicates setting golens then
	// publishes no second copy and only offers its quick fix.
	DuplicatesGopls func(d analysis.Diagnostic) bool
	// Severity is how the editor shows the check's findings.
	Severity Severity
}

// Severity of a check's findings.
type Severity int

const (
	Warning     Severity = iota // a bug
	Information                 // worth knowing, not necessarily wrong
)

// DocURL is where a check's documentation lives: its package doc.
func DocURL(name string) string {
	return "https://pkg.go.dev/github.com/golens/golens/checks/" + name
}
