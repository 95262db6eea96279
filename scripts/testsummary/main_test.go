package main

import (
	"bytes"
	"strings"
	"testing"
)

const stream = `{"Action":"start","Package":"example.com/nvim"}
{"Action":"run","Package":"example.com/nvim","Test":"TestHover"}
{"Action":"output","Package":"example.com/nvim","Test":"TestHover","Output":"=== RUN   TestHover\n"}
{"Action":"output","Package":"example.com/nvim","Test":"TestHover","Output":"    nvim_test.go:154: skipping: nvim is not on PATH\n"}
{"Action":"output","Package":"example.com/nvim","Test":"TestHover","Output":"--- SKIP: TestHover (0.00s)\n"}
{"Action":"skip","Package":"example.com/nvim","Test":"TestHover"}
{"Action":"run","Package":"example.com/nvim","Test":"TestOK"}
{"Action":"output","Package":"example.com/nvim","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"pass","Package":"example.com/nvim","Test":"TestOK"}
{"Action":"run","Package":"example.com/nvim","Test":"TestBad"}
{"Action":"output","Package":"example.com/nvim","Test":"TestBad","Output":"    x_test.go:3: wrong answer\n"}
{"Action":"fail","Package":"example.com/nvim","Test":"TestBad"}
{"Action":"output","Package":"example.com/nvim","Output":"FAIL\texample.com/nvim\t0.1s\n"}
{"Action":"fail","Package":"example.com/nvim"}
{"ImportPath":"example.com/broken","Action":"build-output","Output":"broken.go:3:1: syntax error: non-declaration statement outside function body\n"}
{"ImportPath":"example.com/broken","Action":"build-fail"}
{"Action":"output","Package":"example.com/other","Output":"ok  \texample.com/other\t0.2s\n"}
{"Action":"pass","Package":"example.com/other"}
`

func TestSummarize(t *testing.T) {
	var out bytes.Buffer
	r := summarize(strings.NewReader(stream), &out)
	if r.passed != 1 || r.failed != 1 || r.skipped != 1 || r.packages != 2 || !r.failedRun {
		t.Errorf("result %+v", r)
	}
	want := []string{"example.com/nvim TestHover: skipping: nvim is not on PATH"}
	if len(r.skips) != 1 || r.skips[0] != want[0] {
		t.Errorf("skips %q, want %q", r.skips, want)
	}
	for _, s := range []string{"broken.go:3:1: syntax error", "wrong answer", "FAIL\texample.com/nvim", "ok  \texample.com/other"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out.String())
		}
	}
	if strings.Contains(out.String(), "nvim is not on PATH") {
		t.Error("a skipped test's output is printed inline; it belongs in the summary")
	}
}
