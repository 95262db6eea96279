package codeactions_test

import (
	"fmt"
	"strings"

	"github.com/golens/golens/codeactions"
	"github.com/golens/golens/model"
	"github.com/golens/golens/snippets"
)

// The server passes the model it caches for the document version and the
// selection as byte offsets, and converts each Action to an LSP code action
// (snippet text edits only when Snippet is set).
func ExampleActions() {
	src := []byte("package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc f() {\n\tmu.Lock()\n}\n")
	m := model.Parse("p.go", src)
	cursor := strings.Index(string(src), "Lock")
	for _, a := range codeactions.Actions(m, cursor, cursor, snippets.Env{GoVersion: "1.26"}) {
		fmt.Printf("%s [%s]\n%s", a.Title, a.Kind, snippets.ApplyEdits(src, a.Edits))
	}
	// Output:
	// Add defer mu.Unlock() [refactor.rewrite]
	// package p
	//
	// import "sync"
	//
	// var mu sync.Mutex
	//
	// func f() {
	// 	mu.Lock()
	// 	defer mu.Unlock()
	// }
}
