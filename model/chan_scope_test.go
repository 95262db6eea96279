package model

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/internal/densefile"
)

// TestScopedChanFactsAgree checks that the close facts of a channel
// computed from the summaries of its own functions alone (chan_scope.go,
// what a hover pays for) are the facts the whole-file derivation gives, for
// every channel a scope decides in every Go file of the project's test
// data (the truth programs, the checks', hovers' and hints' cases) and in
// the dense benchmark file. A hover and a whole-file hint must never tell
// two stories.
func TestScopedChanFactsAgree(t *testing.T) {
	sources := projectTestSources(t)
	scoped := 0
	for _, s := range sources {
		m1 := Parse(s.name, s.src)
		m2 := Parse(s.name, s.src)
		m2.Summaries() // the whole-file derivation
		if len(m1.Chans) != len(m2.Chans) {
			t.Fatalf("%s: %d channels, then %d", s.name, len(m1.Chans), len(m2.Chans))
		}
		for i, c := range m1.Chans {
			if c.derived == nil {
				continue
			}
			f := c.derived.b.scopedChanFacts(c, len(m1.Funcs))
			if f == nil {
				continue
			}
			scoped++
			c2 := m2.Chans[i]
			full := chanFacts{indirect: c2.indirect, closed: c2.closed, someCloses: c2.someCloses, neverSent: c2.neverSent}
			if got, want := renderChanFacts(m1, *f), renderChanFacts(m2, full); got != want {
				t.Errorf("%s: channel %s (line %d): scoped facts\n%s\nwhole-file facts\n%s", s.name, c.Name, m1.Line(c.Decl), got, want)
			}
		}
	}
	if scoped < 500 {
		t.Errorf("only %d channels decided by a scope: the test compares too little", scoped)
	}
	t.Logf("%d sources, %d channels compared", len(sources), scoped)
}

func renderChanFacts(m *File, f chanFacts) string {
	var b strings.Builder
	fmt.Fprintf(&b, "closed %v %v %q never sent %v\n", f.closed.Certainty, f.closed.Holds, f.closed.Why, f.neverSent)
	for _, u := range f.indirect {
		e := u.Effect
		holder := -1
		if u.Holder != nil {
			holder = m.Line(u.Holder.Pos)
		}
		fmt.Fprintf(&b, "use %v %d %d %q %q %v %v %q holder %d %s\n", e.Kind, e.Pos, e.At, e.In, e.Via, e.Certainty, e.InGo, e.Why, holder, UseText(m, u))
	}
	var some []string
	for op, when := range f.someCloses {
		some = append(some, fmt.Sprintf("some %d %q", op.Pos, when))
	}
	sort.Strings(some)
	b.WriteString(strings.Join(some, "\n"))
	return b.String()
}

// A source is one Go file of the project's test data.
type source struct {
	name string
	src  []byte
}

// projectTestSources lists every Go file of the project's test data (the
// truth programs, the checks', hovers' and hints' cases, files inside
// txtar archives too) and the dense benchmark file.
func projectTestSources(t *testing.T) []source {
	sources := []source{{"dense.go", densefile.Source(300)}}
	filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return nil
		}
		switch {
		case strings.HasSuffix(path, ".go"):
			src, _ := os.ReadFile(path)
			sources = append(sources, source{path, src})
		case strings.HasSuffix(path, ".txtar"):
			ar, err := txtar.ParseFile(path)
			if err != nil {
				return nil
			}
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".go") {
					sources = append(sources, source{path + ":" + f.Name, f.Data})
				}
			}
		}
		return nil
	})
	if len(sources) < 200 {
		t.Fatalf("found %d test sources; the walk of the test data is broken", len(sources))
	}
	return sources
}

// TestScopedChanFactsBudget checks that a reader asking for every
// channel's facts (a whole-file hint request) gets the whole-file
// derivation after a few scopes, instead of one scope per channel: the
// cost stays linear in the file.
func TestScopedChanFactsBudget(t *testing.T) {
	m := Parse("dense.go", densefile.Source(1000))
	for _, c := range m.Chans {
		c.Closed()
	}
	d := m.derived
	if !d.full.Load() || d.scopedRuns != maxScopedRuns {
		t.Errorf("after reading %d channels' facts: whole-file derivation %v, %d scopes (want true, %d)", len(m.Chans), d.full.Load(), d.scopedRuns, maxScopedRuns)
	}
}
