package model_test

import (
	"testing"

	"github.com/golens/golens/model"
)

// BenchmarkSummaries is parse plus the model build plus every function's
// summary on the dense 5,000-line file: what the first hover that needs a
// fact across functions (a channel closed by a callee, a goroutine waited
// in a helper) costs after an edit. Compare with BenchmarkModel and
// BenchmarkParse.
func BenchmarkSummaries(b *testing.B) {
	b.SetBytes(int64(len(dense)))
	for b.Loop() {
		m := model.Parse("dense.go", dense)
		if len(m.Summaries()) == 0 {
			b.Fatal("no summaries")
		}
	}
}
