package hints

import "testing"

// Counted labels agree in number: "reads 1 var", not "reads 1 vars".
func TestLabelPlurals(t *testing.T) {
	cases := []struct {
		id   string
		n    int
		want string
	}{
		{"defer.nreads", 1, "reads 1 var at return"},
		{"defer.nreads", 3, "reads 3 vars at return"},
		{"defer.nuses", 1, "uses 1 var at return"},
		{"defer.nuses", 2, "uses 2 vars at return"},
		{"go.ncaptures", 1, "captures 1 var"},
		{"go.ncaptures", 4, "captures 4 vars"},
		{"defer.nargs", 1, "arg evaluated now"},
		{"go.nargs", 2, "2 args evaluated now"},
	}
	for _, c := range cases {
		if got := label(c.id, labelArgs{N: c.n}); got != c.want {
			t.Errorf("label(%s, %d) = %q, want %q", c.id, c.n, got, c.want)
		}
	}
}
