package hints_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/hints"
	"github.com/golens/golens/model"
)

const nothingWaitsSrc = `package main

type svc struct{ quit, done chan struct{} }

func (s *svc) Start() {
	go func() { // start
		defer close(s.done)
		<-s.quit
	}()
}

func (s *svc) Stop() {
	close(s.quit)
	<-s.done
}

func main() {
	s := &svc{quit: make(chan struct{}), done: make(chan struct{})}
	s.Start()
	n := 1
	go func() { // main
		println(n)
	}()
	s.Stop()
}
`

// TestNothingWaitsTooltip: the go hint's "nothing waits" sentence says
// "the program does not wait for goroutines" only of a goroutine main
// starts; of one a Start method starts (which Stop waits for) it says
// what the go hover says: only code outside Start can wait for it.
func TestNothingWaitsTooltip(t *testing.T) {
	for _, m := range []*model.File{model.Parse("a.go", []byte(nothingWaitsSrc)), typedModel(t, "a.go", []byte(nothingWaitsSrc))} {
		tips := map[string]string{}
		for _, h := range hints.Compute(m, 0, len(m.Src), hints.All()) {
			tip, err := hints.Tooltip(m, h.Data)
			if err != nil {
				t.Fatal(err)
			}
			line := nothingWaitsSrc[:h.Offset]
			line = nothingWaitsSrc[strings.LastIndexByte(line, '\n')+1:]
			line = line[:strings.IndexByte(line, '\n')]
			if i := strings.Index(line, "// "); i >= 0 && strings.Contains(line, "go func") {
				tips[line[i+3:]] += tip
			}
		}
		for name, want := range map[string][2]string{
			"start": {"only code outside", "The program does not wait for goroutines"},
			"main":  {"The program does not wait for goroutines", "only code outside"},
		} {
			tip := tips[name]
			if !strings.Contains(tip, want[0]) || strings.Contains(tip, want[1]) {
				t.Errorf("tier %v, goroutine %s: tooltip should say %q and not %q:\n%s", m.Tier, name, want[0], want[1], tip)
			}
		}
	}
}
