package model

import "testing"

// TestGoModGodebug reads the asynctimerchan and default= settings of a
// go.mod's godebug lines, single and in a block.
func TestGoModGodebug(t *testing.T) {
	for _, c := range []struct{ mod, async, dflt string }{
		{"module x\ngo 1.26\n", "", ""},
		{"module x\ngo 1.26\ngodebug asynctimerchan=1\n", "1", ""},
		{"module x\ngo 1.21\ngodebug (\n\tdefault=go1.23 // new timers\n\tasynctimerchan=0\n)\n", "0", "go1.23"},
		{"module x\ngo 1.26\ngodebug default=go1.21\n", "", "go1.21"},
		{"module x\n// godebug asynctimerchan=1\ngo 1.26\n", "", ""},
	} {
		a, d := goModGodebug([]byte(c.mod))
		if a != c.async || d != c.dflt {
			t.Errorf("%q: got asynctimerchan=%q default=%q, want %q %q", c.mod, a, d, c.async, c.dflt)
		}
	}
}
