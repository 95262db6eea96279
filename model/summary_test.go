package model_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/model"
)

// TestSummaries checks testdata/summary/*.txtar: the summaries, channel
// Closed facts and goroutine Waited facts of src.go (syntax tier) against
// the "summaries" section (see File.DumpSummaries).
func TestSummaries(t *testing.T) {
	files, _ := filepath.Glob("testdata/summary/*.txtar")
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
				case "summaries":
					idx = i
				}
			}
			got := model.Parse("src.go", src).DumpSummaries()
			if *update {
				if idx < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: "summaries"})
					idx = len(ar.Files) - 1
				}
				ar.Files[idx].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if idx < 0 {
				t.Fatal("no summaries section (run with -update)")
			}
			if want := string(ar.Files[idx].Data); got != want {
				t.Errorf("summaries differ\n--- diff\n%s", diff(want, got))
			}
		})
	}
}
