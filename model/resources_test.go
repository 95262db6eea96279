package model_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestResources: what each function opens, and where the model sees it
// closed or escaping.
func TestResources(t *testing.T) {
	const src = `package p

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
)

func closed(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

func leaked(path string) {
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
	}
}

func returned(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	return c, err
}

func body(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer func() { resp.Body.Close() }()
	return io.ReadAll(resp.Body)
}

func discarded(path string) {
	_, _ = os.Create(path)
}

var g *os.File

func outer(path string) {
	var err error
	g, err = os.Open(path)
	_ = err
}

func early(addr string) error {
	c, err := net.Dial("tcp", addr)
	defer c.Close()
	if err != nil {
		return err
	}
	return nil
}

func usedFirst(path string) {
	f, err := os.Open(path)
	println(err)
	if err != nil {
		return
	}
	f.Close()
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	m := model.Build(fset, f, []byte(src), info)
	var got []string
	line := func(p token.Pos) int { return fset.Position(p).Line }
	for _, r := range m.Resources() {
		s := fmt.Sprintf("%s by %s at %d: %s", r.Kind.What(), r.Opener, line(r.Call.Pos()), r.VarName)
		for _, c := range r.Closes {
			s += fmt.Sprintf(" closed@%d", line(c))
		}
		for _, e := range r.Escapes {
			s += fmt.Sprintf(" escapes@%d", line(e))
		}
		if r.Outer {
			s += " outer"
		}
		if r.NilClosePanics {
			s += " nil-close-panics"
		}
		if r.ErrCheck != nil {
			s += fmt.Sprintf(" checked@%d", line(r.ErrCheck.Pos()))
		}
		if r.DeferBeforeCheck != nil {
			s += fmt.Sprintf(" deferred@%d-before-check@%d", line(r.DeferBeforeCheck.Pos()), line(r.CheckAfterDefer.Pos()))
		}
		got = append(got, s)
	}
	want := []string{
		"the file by os.Open at 12: f closed@16 checked@13",
		"the file by os.Open at 21: f",
		"the connection by net.Dial at 28: c escapes@29 nil-close-panics",
		"the response body by http.Get at 33: resp closed@37 nil-close-panics checked@34",
		"the file by os.Create at 42: _",
		"the file by os.Open at 49: g outer", // the package variable keeps it
		"the connection by net.Dial at 54: c closed@55 nil-close-panics deferred@55-before-check@56",
		"the file by os.Open at 63: f closed@68", // err is printed before it is checked
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("Resources:\n%s\nwant:\n%s", g, w)
	}
	if sm := model.Parse("p.go", []byte(src)); sm.Resources() != nil {
		t.Error("syntax tier: Resources should be nil")
	}
}
