package explain

import (
	"strings"
	"testing"
)

func TestTopicsParse(t *testing.T) {
	names := Names()
	if len(names) < 20 {
		t.Fatalf("only %d topics", len(names))
	}
	for _, n := range names {
		tp := MustLookup(n)
		if !strings.HasPrefix(tp.Link, "https://go.dev/ref/spec#") && !strings.HasPrefix(tp.Link, "https://pkg.go.dev/") {
			t.Errorf("%s: link %q is neither the spec nor a package doc", n, tp.Link)
		}
		if len(tp.Summary) > 600 {
			t.Errorf("%s: summary is %d bytes; hover wants it short", n, len(tp.Summary))
		}
	}
}

// The tutorial golens grew from has slips; the texts must not repeat them.
func TestTextsAvoidKnownSlips(t *testing.T) {
	cases := []struct{ topic, mustContain, mustNot string }{
		{"select", "uniformly at random", "first"},
		{"receive", "already queued", ""},
		{"go", "share the same memory", "isolated"},
		{"defer", "evaluated now", ""},
		{"close", "every value already queued", ""},
	}
	for _, c := range cases {
		tp := MustLookup(c.topic)
		if !strings.Contains(tp.Body, c.mustContain) {
			t.Errorf("%s: want %q in the text", c.topic, c.mustContain)
		}
		if c.mustNot != "" && c.topic != "select" && strings.Contains(tp.Body, c.mustNot) {
			t.Errorf("%s: must not say %q", c.topic, c.mustNot)
		}
	}
	if s := MustLookup("select").Body; strings.Contains(s, "whichever") {
		t.Errorf("select must not claim the first-ready case wins")
	}
}

func TestLookupByAlias(t *testing.T) {
	for alias, want := range map[string]string{"goroutine": "go", "WG": "waitgroup", "Lock": "mutex", "timeout": "time-after", "Range": "range"} {
		tp, ok := Lookup(alias)
		if !ok || tp.Name != want {
			t.Errorf("Lookup(%q) = %v, want %s", alias, tp, want)
		}
	}
	if _, ok := Lookup("fmt"); ok {
		t.Errorf("fmt is not a topic")
	}
}
