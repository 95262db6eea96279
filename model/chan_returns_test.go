package model_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

const chanReturnsSrc = `package p

func plain() chan int {
	out := make(chan int)
	return out
}

func paren() (<-chan int, error) {
	out := make(chan int)
	if false {
		return nil, nil
	}
	return (out), nil
}

func conv() <-chan int {
	out := make(chan int)
	return (<-chan int)(out)
}

func inLit() func() chan int {
	out := make(chan int)
	return func() chan int { return out }
}

func kept() {
	out := make(chan int)
	_ = out
}
`

// TestChanReturns: the return statements that hand each channel to the
// caller, with the function each belongs to, on both tiers.
func TestChanReturns(t *testing.T) {
	for tier, m := range exitModels(t, "returns.go", []byte(chanReturnsSrc)) {
		t.Run(tier, func(t *testing.T) {
			got := map[string][]string{} // function holding the channel -> "func: result"
			for _, c := range m.Chans {
				fn := m.FuncAt(c.Decl)
				if fn == nil {
					continue
				}
				for _, r := range c.Returns() {
					name := r.Func.Name
					if r.Func.Lit {
						name = "lit"
					}
					if r.Stmt == nil || r.Stmt.Pos() > r.Result.Pos() || r.Result.End() > r.Stmt.End() {
						t.Errorf("%s: result %s is not in its return statement", fn.Name, model.ExprText(r.Result))
					}
					got[fn.Name] = append(got[fn.Name], name+": "+m.Text(r.Result.Pos(), r.Result.End()))
				}
			}
			for fn, want := range map[string]string{
				"plain": "plain: out",
				"paren": "paren: (out)",
				"conv":  "conv: (<-chan int)(out)",
				"inLit": "lit: out",
				"kept":  "",
			} {
				if g := strings.Join(got[fn], "|"); g != want {
					t.Errorf("Returns of the channel of %s = %q, want %q", fn, g, want)
				}
			}
		})
	}
}
