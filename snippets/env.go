package snippets

import (
	"strings"
)

// unknownGoVersion is the language version patterns are chosen for when
// Env.GoVersion is empty: the hover then says golens cannot tell which
// loop-variable semantics apply, so only patterns correct under both are
// offered. Those are the ones for go1.21: the Go 1.22 patterns capture the
// loop variable in a goroutine (one variable for all iterations before
// 1.22), while the go1.21 WaitGroup pattern passes it as an argument, which
// is also right on 1.22 and later.
const unknownGoVersion = "go1.21"

// Env is what the patterns need to know about the module the file is in and
// about the client.
type Env struct {
	// GoVersion is the Go version the file is compiled at, as the model
	// reports it (model.File.GoVersion: "go1.25"; "1.25" is accepted
	// too); "" means unknown, and then only patterns correct on every
	// version are offered (see unknownGoVersion). The server fills it from
	// the model so that patterns, code actions and hovers read one source.
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
		return unknownGoVersion
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

// ParseGoMod reads the required module paths from the text of a go.mod file
// into an Env (GoVersion and SnippetSupport are left empty: the Go version
// comes from the model, which also reads go/types' per-file versions). It is
// a small line reader for the require directives, tolerant of a file being
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
		case fields[0] == "require" && len(fields) == 2 && fields[1] == "(":
			inRequire = true
		case fields[0] == "require" && len(fields) >= 3:
			env.Requires = append(env.Requires, unquoteModPath(fields[1]))
		}
	}
	return env
}

func unquoteModPath(s string) string { return strings.Trim(s, "\"`") }
