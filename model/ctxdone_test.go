package model_test

import (
	"go/parser"
	"go/token"
	"testing"

	"github.com/golens/golens/model"
)

// TestDoneSource: a receive from x.Done() is a context's Done (Source
// "x.Done") only when x may be a context; a job whose Done method returns
// its own channel is not, when the file declares that method.
func TestDoneSource(t *testing.T) {
	const src = `package p

import "context"

type job struct{ done chan struct{} }

func (j *job) Done() <-chan struct{} { return j.done }

func f(ctx context.Context, j *job) {
	<-ctx.Done()
	<-j.Done()
	c2, cancel := context.WithCancel(ctx)
	defer cancel()
	<-c2.Done()
	<-context.Background().Done()
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := model.Build(fset, f, []byte(src), nil)
	want := map[string]string{"ctx.Done()": "ctx.Done", "j.Done()": "", "c2.Done()": "c2.Done", "context.Background().Done()": "context.Background().Done"}
	seen := 0
	for _, op := range m.ChanOps {
		w, ok := want[op.ChanExpr]
		if !ok {
			continue
		}
		seen++
		if op.Source != w {
			t.Errorf("<-%s: Source %q, want %q", op.ChanExpr, op.Source, w)
		}
	}
	if seen != len(want) {
		t.Errorf("saw %d of %d receives", seen, len(want))
	}
}
