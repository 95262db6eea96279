package snippets_test

import (
	"fmt"
	"strings"

	"github.com/golens/golens/snippets"
)

// A server fills Env from the module's go.mod (requirements), the model
// (the file's Go version) and the client's capabilities, converts the cursor to a byte offset and turns each Item into
// a completion item (InsertTextFormat snippet when IsSnippet, insertTextMode
// asIs, a text edit over [ReplaceStart, ReplaceEnd), AdditionalEdits as
// additionalTextEdits).
func ExampleComplete() {
	env := snippets.ParseGoMod([]byte("module example.com/m\n\ngo 1.24\n"))
	env.GoVersion = "go1.24" // what model.File.GoVersion reports for the file
	env.SnippetSupport = false

	src := []byte("package p\n\nfunc f(items []string) {\n\twg\n}\n\nfunc process(string) {}\n")
	offset := strings.Index(string(src), "wg") + len("wg")
	for _, item := range snippets.Complete(src, offset, env) {
		edits := append([]snippets.Edit{{Start: item.ReplaceStart, End: item.ReplaceEnd, NewText: item.InsertText}}, item.AdditionalEdits...)
		fmt.Printf("%s — %s\n%s", item.Label, item.Detail, snippets.ApplyEdits(src, edits))
	}
	// Output:
	// wg — Run one goroutine per item and wait for all of them (WaitGroup Add/Done).
	// package p
	//
	// import "sync"
	//
	// func f(items []string) {
	// 	var wg sync.WaitGroup
	// 	for _, item := range items {
	// 		wg.Add(1)
	// 		go func() {
	// 			defer wg.Done()
	// 			process(item)
	// 		}()
	// 	}
	// 	wg.Wait()
	// }
	//
	// func process(string) {}
}
