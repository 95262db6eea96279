package cli_test

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/all"
)

// TestFixesGofmtClean applies each suggested fix of each check, one at a
// time and without formatting, to the check's own testdata, and requires the
// result to be gofmt-clean already: the server sends these edits to the
// editor as they are. (analysistest's golden comparison formats first, so
// it cannot catch this.)
func TestFixesGofmtClean(t *testing.T) {
	for _, c := range all.Checks() {
		a := c.Analyzer
		testdata, _ := filepath.Abs(filepath.Join("..", a.Name, "testdata"))
		if _, err := os.Stat(filepath.Join(testdata, "src", a.Name)); err != nil {
			continue
		}
		t.Run(a.Name, func(t *testing.T) {
			results := analysistest.Run(&quiet{t}, testdata, a, a.Name)
			fixes := 0
			for _, r := range results {
				for _, d := range r.Diagnostics {
					for _, fix := range d.SuggestedFixes {
						byFile := map[string][]edit{}
						for _, e := range fix.TextEdits {
							tf := r.Pass.Fset.File(e.Pos)
							end := e.End
							if !end.IsValid() {
								end = e.Pos
							}
							byFile[tf.Name()] = append(byFile[tf.Name()], edit{tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)})
						}
						for name, es := range byFile {
							src, err := os.ReadFile(name)
							if err != nil {
								t.Fatal(err)
							}
							out := applyEdits(src, es)
							formatted, err := format.Source(out)
							if err != nil {
								t.Errorf("%s: fix %q gives code that does not parse: %v\n%s", r.Pass.Fset.Position(d.Pos), fix.Message, err, out)
								continue
							}
							if !bytes.Equal(formatted, out) {
								t.Errorf("%s: fix %q is not gofmt-clean:\n%s", r.Pass.Fset.Position(d.Pos), fix.Message, out)
							}
							fixes++
						}
					}
				}
			}
			t.Logf("%d fixes checked", fixes)
		})
	}
}

type edit struct {
	start, end int
	text       string
}

func applyEdits(src []byte, es []edit) []byte {
	sort.Slice(es, func(i, j int) bool { return es[i].start < es[j].start })
	var b bytes.Buffer
	last := 0
	for _, e := range es {
		b.Write(src[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.Write(src[last:])
	return b.Bytes()
}

// quiet passes analysistest's own expectation errors through only as logs:
// each check's package test owns those.
type quiet struct{ *testing.T }

func (q *quiet) Errorf(format string, args ...any) { q.T.Logf(format, args...) }
