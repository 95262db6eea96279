package model_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// BenchmarkUnwaitedGoroutines asks whether anything waits for each of 400
// goroutines one main starts, each sending on a buffered channel main
// never receives from: every one goes through the whole wait search to
// its end (the give-ups crossWait tries last), which the unwaited check
// and the go hover read. The method values main passes to calls are
// listed once for main, not walked again per goroutine.
func BenchmarkUnwaitedGoroutines(b *testing.B) {
	var src strings.Builder
	src.WriteString("package main\n\nimport \"fmt\"\n\nfunc main() {\n")
	for i := range 400 {
		fmt.Fprintf(&src, "\tc%d := make(chan int, 1)\n\tgo func() { c%d <- %d }()\n\tfmt.Println(len(c%d))\n", i, i, i, i)
	}
	src.WriteString("}\n")
	for b.Loop() {
		m := model.Parse("main.go", []byte(src.String()))
		unwaited := 0
		for _, g := range m.Goroutines {
			if g.Waited().ProvenFalse() {
				unwaited++
			}
		}
		if unwaited != 400 {
			b.Fatalf("%d goroutines proven unwaited, want 400", unwaited)
		}
	}
}
