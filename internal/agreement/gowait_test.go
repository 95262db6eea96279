package agreement_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// waitNote finds the sentence a go hover or a goroutine hint's tooltip
// says about the starting function's wait: one is waited, golens cannot
// tell, or nothing waits (model.GoWait). The function's name may have
// spaces ("the func literal in main").
var waitNote = map[string]*regexp.Regexp{
	"waited":     regexp.MustCompile(` waits for it with `),
	"cannotTell": regexp.MustCompile(`golens cannot tell whether [^\n]+? waits for it`),
	"nothing":    regexp.MustCompile(`Nothing in [^\n]+? waits for it`),
}

// TestGoWaitNote: the go hover and the tooltip of the goroutine hint on
// the same go statement say the same thing about who waits for the
// goroutine, because both read Goroutine.Wait; "Nothing in F waits for
// it" only where the model proves it (GoWait.Nothing). Run over the truth
// programs and the unwaited check's testdata.
func TestGoWaitNote(t *testing.T) {
	var files []string
	for _, dir := range truthPrograms(t, "go ") {
		fs, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, fs...)
	}
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "checks", "unwaited", "testdata", "src", "*"))
	for _, dir := range dirs {
		fs, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, fs...)
	}
	compared := map[string]int{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := model.Parse(filepath.Base(f), src)
		for _, g := range m.Goroutines {
			if g.Node == nil {
				continue
			}
			h := hoverAt(m, m.Offset(g.Pos))
			// The go statement's own hints: a go statement nested in its
			// literal has its hint (and its own wait) inside this range.
			end := g.End
			for _, inner := range m.Goroutines {
				if inner != g && inner.Pos > g.Pos && inner.Pos < end {
					end = inner.Pos - 1
				}
			}
			_, tips := hintsIn(t, m, m.Offset(g.Pos), m.Offset(end))
			w := g.Wait()
			for _, tip := range tips {
				if !strings.HasPrefix(tip, "**`go ") {
					continue
				}
				for kind, re := range waitNote {
					if re.MatchString(h) != re.MatchString(tip) {
						t.Errorf("%s: the go hover and the goroutine hint disagree on %q (GoWait %+v):\nhover: %s\ntip: %s",
							m.Fset.Position(g.Pos), kind, w, h, tip)
					}
					if re.MatchString(tip) {
						compared[kind]++
					}
				}
				// A go statement its function never gets to (the model's
				// StartBlocked) starts nothing: the hint says that instead
				// of what waits (truth/r22j_receive_moved_up).
				if waitNote["nothing"].MatchString(tip) != w.Nothing() && m.StartBlocked(g) == nil {
					t.Errorf("%s: the hint says nothing waits = %v, the model proves it = %v:\n%s",
						m.Fset.Position(g.Pos), !w.Nothing(), w.Nothing(), tip)
				}
			}
		}
	}
	t.Logf("wait notes compared: %v", compared)
	for kind := range waitNote {
		if compared[kind] < 3 {
			t.Errorf("only %d %q notes compared", compared[kind], kind)
		}
	}
}
