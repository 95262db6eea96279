package typed_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golens/golens/typed"
)

// BenchmarkImportedFacts measures what facts about an imported package
// cost: a module whose main package calls a function of a generated
// 50-file package (about 6,500 lines) with a channel and a mutex.
//   - cold: the dependency is read, parsed, type-checked and summarised
//     (the first hover model that calls into it after golens starts, or
//     after the dependency changed);
//   - cached: a new load finds it in the cache (its files are read and
//     hashed, nothing else);
//   - load: a cold typed load of the main package, for scale (go list and
//     type-checking, no model).
func BenchmarkImportedFacts(b *testing.B) {
	files := map[string]string{"go.mod": "module example.com/bench\n\ngo 1.22\n"}
	for i := 0; i < 50; i++ {
		extra := fmt.Sprintf("\nfunc Pump%[1]d(ch chan int, mu *sync.Mutex) int { return helper%[1]d_0(ch, mu) }\n", i)
		files[fmt.Sprintf("dep/f%02d.go", i)] = strings.Replace(genFile(i, 50, extra), "package bench", "package dep", 1)
	}
	files["main.go"] = `package main

import (
	"sync"

	"example.com/bench/dep"
)

func main() {
	var mu sync.Mutex
	ch := make(chan int, 1)
	ch <- 1
	dep.Pump3(ch, &mu)
}
`
	dir := writeModule(b, files)
	main := filepath.Join(dir, "main.go")
	ctx := context.Background()
	pkg, err := typed.NewLoader(typed.Config{}).Load(ctx, typed.Request{File: main})
	if err != nil {
		b.Fatal(err)
	}
	const path = "example.com/bench/dep"
	b.Run("cold", func(b *testing.B) {
		funcs := 0
		for b.Loop() {
			typed.ResetImportedCache()
			funcs = pkg.ReadImported(path)
		}
		if funcs <= 0 {
			b.Fatalf("dependency not read: %d", funcs)
		}
		b.ReportMetric(float64(funcs), "funcs")
	})
	b.Run("cached", func(b *testing.B) {
		pkg.ReadImported(path)
		for b.Loop() {
			pkg.ReadImported(path)
		}
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := typed.NewLoader(typed.Config{}).Load(ctx, typed.Request{File: main}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
