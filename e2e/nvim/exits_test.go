package nvim

import (
	"strings"
	"testing"
)

// exitsSrc holds the facts the model's exit classifier and reachability
// decide (model/exits.go), as Neovim's hover shows them.
const exitsSrc = `package main

import (
	"fmt"
	"testing"
)

func fatal(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	for range ch {
		t.Fatal("no value expected")
	}
}

func branch(ok bool) {
	x := 1
	if ok {
		defer fmt.Println("deferred x:", x)
		return
	}
	x = 2
	_ = x
}

func main() {}
`

// TestExitsHover: in Neovim's hover, a range whose body calls t.Fatal is
// left there (t.Fatal ends the test: the loop does not "never end"), and a
// defer in a branch that returns does not name the assignment on the other
// path as one the deferred call misses.
func TestExitsHover(t *testing.T) {
	cases := []struct {
		name, marker  string
		want, notWant string
	}{
		{"range left by t.Fatal", "range ch", "or until the `t.Fatal` at line 12 leaves the loop", "never ends"},
		{"defer in a returning branch", `defer fmt.Println("deferred x:"`, "**defer", "is assigned again"},
	}
	type hoverParam struct {
		Name string `json:"name"`
		position
	}
	var params struct {
		Cases []hoverParam `json:"cases"`
	}
	for _, c := range cases {
		params.Cases = append(params.Cases, hoverParam{Name: c.name, position: at(t, exitsSrc, c.marker, 0)})
	}
	r := runNvim(t, "hover.lua", module(exitsSrc), params)
	var rec struct {
		Hovers []struct {
			Name  string `json:"name"`
			Error string `json:"error"`
			Null  bool   `json:"null"`
			Value string `json:"value"`
		} `json:"hovers"`
	}
	r.decode(t, &rec)
	if len(rec.Hovers) != len(cases) {
		t.Fatalf("the script recorded %d hovers, want %d", len(rec.Hovers), len(cases))
	}
	for i, c := range cases {
		h := rec.Hovers[i]
		t.Run(c.name, func(t *testing.T) {
			if h.Error != "" || h.Null {
				t.Fatalf("hover on %q: error %q, null %v", c.marker, h.Error, h.Null)
			}
			t.Logf("Neovim's hover on %q:\n%s", c.marker, h.Value)
			if !strings.Contains(h.Value, c.want) {
				t.Errorf("the hover lacks %q", c.want)
			}
			if strings.Contains(h.Value, c.notWant) {
				t.Errorf("the hover says %q, which is false here", c.notWant)
			}
		})
	}
}
