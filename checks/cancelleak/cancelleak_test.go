package cancelleak_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/cancelleak"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cancelleak.Analyzer, "cancelleak")
}
