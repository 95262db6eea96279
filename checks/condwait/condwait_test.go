package condwait_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/condwait"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), condwait.Analyzer, "condwait")
}
