package snippets

import (
	"go/version"
	"strings"
	"testing"
)

// Every pattern, typed by its own label, must be offered in its own kind of
// slot and in none of these places. ‸ stands for the typed label.
var (
	badStatementSpots = map[string]string{
		"line comment":   "package p\n\nfunc f() {\n\t// ‸\n}\n",
		"block comment":  "package p\n\nfunc f() {\n\t/*\n\t‸\n\t*/\n}\n",
		"string":         "package p\n\nfunc f() {\n\t_ = \"‸\"\n}\n",
		"raw string":     "package p\n\nfunc f() {\n\t_ = `\n‸\n`\n}\n",
		"assignment":     "package p\n\nfunc f() {\n\tx := ‸\n}\n",
		"call argument":  "package p\n\nfunc f() {\n\tprintln(\n\t\t‸\n\t)\n}\n",
		"struct literal": "package p\n\ntype T struct{ A int }\n\nfunc f() {\n\t_ = T{\n\t\t‸\n\t}\n}\n",
		"slice literal":  "package p\n\nfunc f() {\n\t_ = []int{\n\t\t‸\n\t}\n}\n",
		"selector":       "package p\n\nfunc f() {\n\tx.‸\n}\n",
		"struct type":    "package p\n\ntype T struct {\n\t‸\n}\n",
		"switch body":    "package p\n\nfunc f(x int) {\n\tswitch x {\n\t‸\n\tcase 1:\n\t}\n}\n",
		"return value":   "package p\n\nfunc f() int {\n\treturn ‸\n}\n",
		"if condition":   "package p\n\nfunc f() {\n\tif ‸ {\n\t}\n}\n",
		"interface type": "package p\n\ntype I interface {\n\t‸\n}\n",
		"var block":      "package p\n\nvar (\n\t‸\n)\n",
		"parameter list": "package p\n\nfunc f(\n\t‸\n) {\n}\n",
		"before package": "‸\npackage p\n",
	}
	statementSlot = "package p\n\nfunc f() {\n\t‸\n}\n"
	topLevelSlot  = "package p\n\nfunc f() {}\n\n‸\n"
)

func TestNotOfferedPerPattern(t *testing.T) {
	env := Env{GoVersion: "1.26", Requires: []string{"golang.org/x/sync"}}
	offered := func(p *Pattern, host string, env Env) bool {
		i := strings.Index(host, "‸")
		src := host[:i] + p.Label + host[i+len("‸"):]
		for _, it := range Complete([]byte(src), i+len(p.Label), env) {
			if it.Pattern == p.Name {
				return true
			}
		}
		return false
	}
	for _, p := range Patterns() {
		e := env
		if p.BeforeGo != "" {
			e.GoVersion = "1.21"
			if p.MinGo != "" {
				e.GoVersion = p.MinGo
			}
		}
		own, other := statementSlot, topLevelSlot
		if p.Scope == ScopeTopLevel {
			own, other = topLevelSlot, statementSlot
		}
		if !offered(p, own, e) {
			t.Errorf("%s: not offered in its own slot", p.Name)
		}
		if offered(p, other, e) {
			t.Errorf("%s: offered in a %s slot", p.Name, map[Scope]string{ScopeStatement: "top-level", ScopeTopLevel: "statement"}[p.Scope])
		}
		for where, host := range badStatementSpots {
			if offered(p, host, e) {
				t.Errorf("%s: offered in %s", p.Name, where)
			}
		}
		// Outside the Go versions it supports, or without its module.
		if p.MinGo != "" && version.Compare(p.MinGo, "go1.21") > 0 {
			old := e
			old.GoVersion = "1.21"
			if offered(p, own, old) {
				t.Errorf("%s: offered on Go 1.21 though it needs %s", p.Name, p.MinGo)
			}
		}
		if p.BeforeGo != "" {
			newer := e
			newer.GoVersion = strings.TrimPrefix(p.BeforeGo, "go")
			if offered(p, own, newer) {
				t.Errorf("%s: offered on %s", p.Name, p.BeforeGo)
			}
		}
		if p.Requires != "" {
			without := e
			without.Requires = nil
			if offered(p, own, without) {
				t.Errorf("%s: offered without %s in go.mod", p.Name, p.Requires)
			}
		}
	}
}
