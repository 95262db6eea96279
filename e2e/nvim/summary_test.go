package nvim

import (
	"strings"
	"testing"
)

// summarySrc: a channel closed by the function it is passed to, and a
// WaitGroup waited in a helper (issue 9's cross-function facts).
const summarySrc = `package main

import (
	"fmt"
	"sync"
)

func produce(out chan<- int) {
	defer close(out)
	out <- 1
}

func waitAll(wg *sync.WaitGroup) { wg.Wait() }

func main() {
	ch := make(chan int)
	go produce(ch)
	for v := range ch {
		fmt.Println(v)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
	waitAll(&wg)
}
`

// TestHoverAcrossFunctions asks Neovim for the hovers whose facts come
// from function summaries.
func TestHoverAcrossFunctions(t *testing.T) {
	cases := []struct {
		name, marker string
		want         []string
	}{
		{"range closed by produce", "range ch", []string{"passed to `produce` in the go statement at line 17, which closes it (line 9)"}},
		{"go waited in a helper", "go func() {", []string{"waits for it with `waitAll(&wg)` at line 26", "`waitAll` waits on `wg` at line 13"}},
	}
	var params struct {
		Cases   []hoverParam `json:"cases"`
		Explain position     `json:"explain"`
	}
	params.Explain = at(t, summarySrc, "range ch", 0)
	for _, c := range cases {
		params.Cases = append(params.Cases, hoverParam{Name: c.name, position: at(t, summarySrc, c.marker, 0)})
	}
	r := runNvim(t, "hover.lua", module(summarySrc), params)
	var rec struct {
		Hovers []hoverAnswer `json:"hovers"`
	}
	r.decode(t, &rec)
	if len(rec.Hovers) != len(cases) {
		t.Fatalf("the script recorded %d hovers, want %d", len(rec.Hovers), len(cases))
	}
	for i, c := range cases {
		h := rec.Hovers[i]
		if h.Error != "" || h.Null {
			t.Errorf("%s: error %q, null %v", c.name, h.Error, h.Null)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(h.Value, w) {
				t.Errorf("%s: hover lacks %q:\n%s", c.name, w, h.Value)
			}
		}
	}
}
