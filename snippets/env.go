package snippets

import (
	"strings"
)

// DefaultGoVersion is the language version assumed when Env.GoVersion is
// empty (no go.mod found): the first with per-iteration loop variables,
// which several patterns rely on, but before WaitGroup.Go.
const DefaultGoVersion = "go1.22"

// Env is what the patterns need to know about the module the file is in and
// about the client.
type Env struct {
	// GoVersion is the go line of the module's go.mod ("1.22", "1.25.0"
	// or "go1.25"); "" means unknown, taken as DefaultGoVersion.
	GoVersion string
	// Requires lists the module paths in go.mod's require directives
	// (e.g. "golang.org/x/sync"); patterns needing a module are offered
	// only when it is listed.
	Requires []string
	// SnippetSupport says the client accepts snippet syntax
	// (completionItem.snippetSupport for completions, snippet text edits
	// for code actions). Without it, placeholders are replaced by their
	// defaults.
	SnippetSupport bool
}

func (e Env) goVersion() string {
	if e.GoVersion == "" {
		return DefaultGoVersion
	}
	return langVersion(e.GoVersion)
}

func (e Env) requires(module string) bool {
	for _, r := range e.Requires {
		if r == module {
			return true
		}
	}
	return false
}

// ParseGoMod reads the go version and the required module paths from the
// text of a go.mod file into an Env (SnippetSupport is left false). It is a
// small line reader for just these two directives, tolerant of a file being
// edited: lines it does not understand are skipped.
func ParseGoMod(data []byte) Env {
	var env Env
	inRequire := false
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch {
		case inRequire:
			if fields[0] == ")" {
				inRequire = false
			} else {
				env.Requires = append(env.Requires, unquoteModPath(fields[0]))
			}
		case fields[0] == "go" && len(fields) == 2:
			env.GoVersion = fields[1]
		case fields[0] == "require" && len(fields) == 2 && fields[1] == "(":
			inRequire = true
		case fields[0] == "require" && len(fields) >= 3:
			env.Requires = append(env.Requires, unquoteModPath(fields[1]))
		}
	}
	return env
}

func unquoteModPath(s string) string { return strings.Trim(s, "\"`") }

// LangVersion is the module's language version in go/version form
// ("go1.25"), DefaultGoVersion when unknown.
func (e Env) LangVersion() string { return e.goVersion() }
