package snippets

import (
	"embed"
	"fmt"
	"go/version"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed patterns/*.snippet
var patternFiles embed.FS

// Scope says where a pattern may be inserted.
type Scope int

const (
	// ScopeStatement patterns are statements inside a function body.
	ScopeStatement Scope = iota
	// ScopeTopLevel patterns are declarations at the top level of a file.
	ScopeTopLevel
)

func (s Scope) String() string {
	if s == ScopeTopLevel {
		return "toplevel"
	}
	return "statement"
}

// Pattern is one entry of the catalogue, as read from its data file.
type Pattern struct {
	Name        string   // file name without extension, unique
	Label       string   // what the user types, e.g. "wg"
	FilterWords []string // further words the item should match on
	Description string   // one line, shown as the completion detail
	When        string   // when to use it and why it is written this way
	Imports     []string // import paths the body refers to
	MinGo       string   // lowest module go version ("go1.22"), "" if any
	BeforeGo    string   // offered only below this go version, "" if no bound
	Requires    string   // module path that must be required in go.mod, if any
	Scope       Scope
	// See lists references: "spec#Anchor" for a section of the language
	// specification, "doc pkg.Name" for package documentation.
	See  []string
	Body string // LSP snippet syntax, tab-indented from column 0
}

// FilterText is the text clients should match what the user typed against:
// the label first, so it wins the ranking, then the other words.
func (p *Pattern) FilterText() string {
	return strings.Join(append([]string{p.Label}, p.FilterWords...), " ")
}

// PlainBody is the body with every placeholder replaced by its default and
// the final cursor marker removed: what a client without snippet support
// inserts, and what the build tests compile.
func (p *Pattern) PlainBody() string { return ResolvePlaceholders(dropCursorLines(p.Body)) }

// Available reports whether the pattern fits a module described by env.
func (p *Pattern) Available(env Env) bool {
	v := env.goVersion()
	if p.MinGo != "" && version.Compare(v, p.MinGo) < 0 {
		return false
	}
	if p.BeforeGo != "" && version.Compare(v, p.BeforeGo) >= 0 {
		return false
	}
	if p.Requires != "" && !env.requires(p.Requires) {
		return false
	}
	return true
}

var catalogue = mustLoadCatalogue()

// Patterns returns the whole catalogue, sorted by name. The slice is shared:
// callers must not modify it.
func Patterns() []*Pattern { return catalogue }

// Lookup returns the pattern with the given name, or nil.
func Lookup(name string) *Pattern {
	for _, p := range catalogue {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func mustLoadCatalogue() []*Pattern {
	ps, err := loadCatalogue(patternFiles)
	if err != nil {
		// The files are embedded at build time, so a bad one is a
		// programming error caught by the package's tests.
		panic(err)
	}
	return ps
}

func loadCatalogue(fsys fs.FS) ([]*Pattern, error) {
	names, err := fs.Glob(fsys, "patterns/*.snippet")
	if err != nil {
		return nil, err
	}
	var ps []*Pattern
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		p, err := parsePattern(strings.TrimSuffix(path.Base(name), ".snippet"), string(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps, nil
}

// parsePattern reads "key: value" header lines up to a line "---"; the rest
// of the file is the body.
func parsePattern(name, data string) (*Pattern, error) {
	head, body, ok := strings.Cut(data, "\n---\n")
	if !ok {
		return nil, fmt.Errorf("no --- line between header and body")
	}
	p := &Pattern{Name: name, Body: strings.TrimRight(body, "\n")}
	for _, line := range strings.Split(head, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("header line without a colon: %q", line)
		}
		value = strings.TrimSpace(value)
		switch key {
		case "name":
			if value != name {
				return nil, fmt.Errorf("name %q does not match the file name", value)
			}
		case "label":
			p.Label = value
		case "filter":
			p.FilterWords = strings.Fields(value)
		case "description":
			p.Description = value
		case "when":
			p.When = value
		case "imports":
			for _, imp := range strings.Split(value, ",") {
				if imp = strings.TrimSpace(imp); imp != "" {
					p.Imports = append(p.Imports, imp)
				}
			}
		case "go":
			p.MinGo = langVersion(value)
		case "before":
			p.BeforeGo = langVersion(value)
		case "requires":
			p.Requires = value
		case "see":
			for _, ref := range strings.Split(value, ",") {
				ref = strings.TrimSpace(ref)
				if !strings.HasPrefix(ref, "spec#") && !strings.HasPrefix(ref, "doc ") {
					return nil, fmt.Errorf("reference %q is neither spec#Anchor nor doc pkg.Name", ref)
				}
				p.See = append(p.See, ref)
			}
		case "scope":
			switch value {
			case "statement":
				p.Scope = ScopeStatement
			case "toplevel":
				p.Scope = ScopeTopLevel
			default:
				return nil, fmt.Errorf("unknown scope %q", value)
			}
		default:
			return nil, fmt.Errorf("unknown header key %q", key)
		}
	}
	if p.Label == "" || p.Description == "" || p.When == "" {
		return nil, fmt.Errorf("label, description and when are required")
	}
	if _, err := parseSnippet(p.Body); err != nil {
		return nil, err
	}
	return p, nil
}

// langVersion turns a go.mod style version ("1.22", "1.22.3", "go1.22") into
// the go/version form ("go1.22"); "" stays "".
func langVersion(v string) string {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "go") {
		return v
	}
	return "go" + v
}
