package model_test

import (
	"testing"

	"github.com/golens/golens/model"
)

// TestSummaries checks testdata/summary/*.txtar: the summaries, channel
// Closed facts and goroutine Waited facts of src.go (syntax tier) against
// the "summaries" section (see File.DumpSummaries).
func TestSummaries(t *testing.T) {
	checkSections(t, "testdata/summary/*.txtar", "summaries", (*model.File).DumpSummaries)
}
