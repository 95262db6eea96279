package model_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/model"
)

var update = flag.Bool("update", false, "rewrite the facts sections of testdata/*.txtar from the current model")

// TestModel checks the model of each testdata/*.txtar file's src.go against
// its "facts" section: one line per fact (see File.Dump).
func TestModel(t *testing.T) {
	checkSections(t, "testdata/*.txtar", "facts", (*model.File).Dump)
}

// checkSections compares, for each txtar file matching glob, dump of the
// syntax-tier model of its src.go with its section named section; -update
// rewrites the section.
func checkSections(t *testing.T, glob, section string, dump func(*model.File) string) {
	files, _ := filepath.Glob(glob)
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var src []byte
			idx := -1
			for i, f := range ar.Files {
				switch f.Name {
				case "src.go":
					src = f.Data
				case section:
					idx = i
				}
			}
			got := dump(model.Parse("src.go", src))
			if *update {
				if idx < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: section})
					idx = len(ar.Files) - 1
				}
				ar.Files[idx].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if idx < 0 {
				t.Fatalf("no %s section (run with -update)", section)
			}
			if want := string(ar.Files[idx].Data); got != want {
				t.Errorf("%s differ\n--- got\n%s\n--- want\n%s\n--- diff\n%s", section, got, want, diff(want, got))
			}
		})
	}
}

func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	in := func(lines []string, l string) bool {
		for _, x := range lines {
			if x == l {
				return true
			}
		}
		return false
	}
	var out []string
	for _, l := range w {
		if !in(g, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range g {
		if !in(w, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// FuzzModel: the model never panics, whatever the source, and every site
// it reports lies inside the file.
func FuzzModel(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.txtar")
	for _, s := range seeds {
		ar, err := txtar.ParseFile(s)
		if err != nil {
			continue
		}
		for _, file := range ar.Files {
			if file.Name == "src.go" {
				f.Add(file.Data)
			}
		}
	}
	f.Add([]byte("package p\nfunc f() { go func() { defer close(ch) ; select { case <-"))
	f.Add([]byte("package p\nfunc f() { var ch chan int; for range ch {}; ch <- 1; x := <-ch }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m := model.Parse("fuzz.go", src)
		for _, s := range m.Sites() {
			if a, b := m.Offset(s.Start), m.Offset(s.End()); a < 0 || b > len(src) || a > b {
				t.Fatalf("site %v outside the file: %d-%d of %d", s.Kind, a, b, len(src))
			}
		}
		_ = m.Dump()
	})
}
