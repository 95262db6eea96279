package nopartner_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/nopartner"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), nopartner.Analyzer, "nopartner", "nopartnermain")
}
