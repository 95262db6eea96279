package nvim

import (
	"strings"
	"testing"
)

// hoverClaim is what Neovim's hover must and must not say at a place: the
// unique marker in the fixture, moved by delta bytes.
type hoverClaim struct {
	name, marker  string
	delta         int
	want, notWant string
}

// hoverParam is one place testdata/hover.lua hovers at, named.
type hoverParam struct {
	Name string `json:"name"`
	position
}

// hoverAnswer is what testdata/hover.lua recorded for one place: the
// request's error, a null result, or the hover's text.
type hoverAnswer struct {
	Name  string `json:"name"`
	Error string `json:"error"`
	Null  bool   `json:"null"`
	Value string `json:"value"`
}

// checkHoverClaims opens src as a module's main.go in Neovim
// (testdata/hover.lua), hovers at each claim's place in order, and checks
// that each answer is a hover holding want and not notWant.
func checkHoverClaims(t *testing.T, src string, claims []hoverClaim) {
	t.Helper()
	var params struct {
		Cases []hoverParam `json:"cases"`
	}
	for _, c := range claims {
		params.Cases = append(params.Cases, hoverParam{Name: c.name, position: at(t, src, c.marker, c.delta)})
	}
	r := runNvim(t, "hover.lua", module(src), params)
	var rec struct {
		Hovers []hoverAnswer `json:"hovers"`
	}
	r.decode(t, &rec)
	if len(rec.Hovers) != len(claims) {
		t.Fatalf("the script recorded %d hovers, want %d", len(rec.Hovers), len(claims))
	}
	for i, c := range claims {
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
