package snippets

import (
	"strings"
	"testing"
)

// A cursor at column 0 of a blank line in a block (where Neovim's normal
// mode cursor sits) still gets the block's indentation.
func TestBlankLineGetsBlockIndent(t *testing.T) {
	cases := []struct {
		name, src string
		want      string
	}{
		{"func body", "package p\n\nfunc f() {\n@\n\tprintln()\n}\n", "\t"},
		{"nested if", "package p\n\nfunc f(b bool) {\n\tif b {\n@\n\t}\n}\n", "\t\t"},
		{"switch case", "package p\n\nfunc f(x int) {\n\tswitch x {\n\tcase 1:\n@\n\t\tprintln()\n\t}\n}\n", "\t\t"},
		{"already indented", "package p\n\nfunc f() {\n\t@\n\tprintln()\n}\n", ""},
		{"whitespace after the cursor", "package p\n\nfunc f() {\n@\t\n\tprintln()\n}\n", "\t"},
	}
	for _, c := range cases {
		off := strings.Index(c.src, "@")
		src := strings.Replace(c.src, "@", "", 1)
		site, ok := FindSite([]byte(src), off)
		if !ok || site.Scope != ScopeStatement {
			t.Fatalf("%s: no statement site at %d", c.name, off)
		}
		if site.MissingIndent != c.want {
			t.Errorf("%s: MissingIndent = %q, want %q", c.name, site.MissingIndent, c.want)
		}
	}
}
