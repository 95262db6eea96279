// Command syntaxscan runs the syntax tier of every golens check over the
// .go files under a directory (default: GOROOT/src) and prints each finding
// and the count per check: the syntax tier has no types, so its precision
// is measured on its own.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/model"
)

func main() {
	root := filepath.Join(runtime.GOROOT(), "src")
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	counts := map[string]int{}
	lines := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor" || d.Name() == "cmd") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		lines += strings.Count(string(src), "\n")
		m := model.Parse(p, src)
		for _, c := range all.Checks() {
			if c.Syntax == nil {
				continue
			}
			for _, d := range c.Syntax(m) {
				counts[c.Analyzer.Name]++
				fmt.Printf("%s: %s: %s\n", m.Fset.Position(d.Pos), c.Analyzer.Name, d.Message)
			}
		}
		return nil
	})
	var names []string
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Printf("%d lines\n", lines)
	for _, n := range names {
		fmt.Printf("%-18s %d\n", n, counts[n])
	}
}
