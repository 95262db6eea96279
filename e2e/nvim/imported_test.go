package nvim

import (
	"strings"
	"testing"
)

// importedMain passes a channel to a function of another package of the
// module, which closes it: only the typed tier, reading worker's source,
// knows.
const importedMain = `package main

import (
	"fmt"

	"example.com/e2e/worker"
)

func main() {
	ch := make(chan int)
	go worker.Run(ch)
	for v := range ch {
		fmt.Println(v)
	}
}
`

const importedWorker = `package worker

// Run sends three values and closes out.
func Run(out chan<- int) {
	defer close(out)
	for i := 0; i < 3; i++ {
		out <- i
	}
}
`

// TestImportedFacts: in a real Neovim, the hover on a range over a channel
// closed by a function of another package says, once the typed tier has
// loaded, which function closes it and where.
func TestImportedFacts(t *testing.T) {
	fx := module(importedMain)
	fx.files["worker/run.go"] = importedWorker
	const want = "passed to `worker.Run` in the go statement at line 11, which closes it (line 5 of worker/run.go)"
	params := map[string]any{"until": want}
	pos := at(t, importedMain, "range ch", 0)
	params["line"], params["character"] = pos.Line, pos.Character
	r := runNvim(t, "hover_until.lua", fx, params)
	var rec struct {
		First string `json:"first"`
		Last  string `json:"last"`
		Found bool   `json:"found"`
		Error string `json:"error"`
	}
	r.decode(t, &rec)
	if !rec.Found {
		t.Fatalf("the hover never said %q (error %q); last hover:\n%s", want, rec.Error, rec.Last)
	}
	if strings.Contains(rec.Last, "never ends") {
		t.Errorf("the typed hover says the loop never ends:\n%s", rec.Last)
	}
	t.Logf("first hover (syntax tier):\n%s\ntyped hover:\n%s", rec.First, rec.Last)
}
