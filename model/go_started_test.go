package model_test

import (
	"go/ast"
	"go/types"
	"strings"
	"testing"
)

const goStartedSrc = `package p

import "sync"

type s struct{}

func (x *s) loop()     {}
func (x *s) helper()   {}
func (x *s) notRun()   {}
func (x *s) Exported() {}
func named()           {}
func inArg() int       { return 0 }

func start(x *s, wg *sync.WaitGroup) {
	go named()
	go func() {
		defer wg.Done()
		x.loop()
		if true {
			x.helper() // not a statement of the literal's own body
		}
		_ = inArg()
	}()
	x.notRun()
	x.Exported()
}
`

// StartedByGo: the functions a go statement runs at the top level of its
// goroutine.
func TestStartedByGo(t *testing.T) {
	p, file := checkedPackage(t, goStartedSrc)
	exported := func(obj types.Object) bool { return obj.Exported() }
	decls := map[string]ast.Node{}
	var lit ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			decls[n.Name.Name] = n
		case *ast.FuncLit:
			lit = n
		}
		return true
	})
	for _, c := range []struct {
		fn   ast.Node
		name string
		want string
	}{
		{decls["named"], "named", "proven true line 15"},
		{lit, "literal", "proven true line 16"},
		{decls["loop"], "loop", "proven true line 16"},
		{decls["helper"], "helper", "proven false"},
		{decls["inArg"], "inArg", "proven false"},
		{decls["notRun"], "notRun", "proven false"},
		{decls["Exported"], "Exported", "unknown outside the package"},
	} {
		f := p.StartedByGo(c.fn, exported)
		got := f.Certainty.String()
		if f.Certainty == 2 {
			got += map[bool]string{true: " true", false: " false"}[f.Holds]
		}
		want, why, _ := strings.Cut(c.want, " line ")
		if w, rest, ok := strings.Cut(c.want, " outside"); ok {
			want, why = w, "outside"+rest
		}
		if got != want || why != "" && !strings.Contains(f.Why, why) {
			t.Errorf("%s: got %s (%s), want %s", c.name, got, f.Why, c.want)
		}
	}
}
