package nvim

import (
	"strings"
	"testing"
)

// truthfulSrc holds facts about the program that issue 9's reviews found
// stated wrongly or not at all, as Neovim's hover shows them now: a once
// made anew on every call, a receive nothing can ever satisfy, defers that
// a deferred os.Exit skips, and a context released when its parent is done.
const truthfulSrc = `package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

func greet() {
	sync.OnceFunc(func() { fmt.Println("hello") })()
}

func wait(code int) {
	never := make(chan int)
	if code > 1 {
		<-never
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	defer fmt.Println("never printed")
	defer func() { os.Exit(0) }()
	greet()
	greet()
	wait(1)
	<-ctx.Done()
}
`

// TestTruthfulHover: each hover states what a run of truthfulSrc shows
// ("hello" printed twice; "never printed" never printed) and not what the
// construct does in general.
func TestTruthfulHover(t *testing.T) {
	cases := []struct {
		name, marker  string
		delta         int
		want, notWant string
	}{
		{"OnceFunc called in place", "OnceFunc(func", 0, "f runs every time", "at most once"},
		{"receive nothing satisfies", "<-never", 0, "nothing closes it (golens follows every use of it): this receive **blocks forever**", "may be closed"},
		{"defer skipped by a deferred os.Exit", `defer fmt.Println("never printed")`, 0, "skipped", "runs 2nd"},
		{"WithTimeout released with its parent", "WithTimeout(", 0, "its parent is done", "discarded"},
	}
	type hoverParam struct {
		Name string `json:"name"`
		position
	}
	var params struct {
		Cases []hoverParam `json:"cases"`
	}
	for _, c := range cases {
		params.Cases = append(params.Cases, hoverParam{Name: c.name, position: at(t, truthfulSrc, c.marker, c.delta)})
	}
	r := runNvim(t, "hover.lua", module(truthfulSrc), params)
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
