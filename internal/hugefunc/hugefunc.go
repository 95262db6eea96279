// Package hugefunc generates Go files holding one huge function, made of n
// statements of one kind, for the benchmarks that measure whether golens's
// per-file passes stay linear inside a single function (issue 10: a pass
// that looks something up once per statement, and scans the whole body
// for each lookup, is quadratic there even when it is linear in the number
// of functions).
package hugefunc

import (
	"fmt"
	"strings"
)

// Kinds names the statement kinds File can repeat.
var Kinds = []string{"go", "send", "defer", "lock", "rlock", "select", "close", "ifclose", "nested", "lockreturn"}

// unitOf is one repetition of a kind, its number as %[1]d, and how many
// statements (counting nested ones) it holds.
func unitOf(kind string) (string, int) {
	switch kind {
	case "go":
		return "\tgo work(%[1]d)\n", 1
	case "send":
		return "\tch <- %[1]d\n", 1
	case "defer":
		// A deferred call whose argument is assigned again afterwards
		// (deferargs reports every one), through a callee named apart
		// so that no later call of the same callee hides it.
		return "\tdefer show%[1]d(x)\n\tx = next()\n", 2
	case "lock":
		return "\tmu.Lock()\n\tn++\n\tmu.Unlock()\n", 3
	case "rlock":
		return "\trw.RLock()\n\tif n > %[1]d {\n\t\trw.RUnlock()\n\t\treturn\n\t}\n\trw.RUnlock()\n", 4
	case "lockreturn":
		// Early returns with the mutex held, each a leak lockleak
		// reports: every return asks whether an Unlock later in an
		// enclosing block pairs with the Lock.
		return "\tmu.Lock()\n\tif n == %[1]d {\n\t\treturn\n\t}\n\tmu.Unlock()\n", 4
	case "select":
		return "\tselect {\n\tcase v := <-ch:\n\t\tn += v\n\tcase ch <- %[1]d:\n\tdefault:\n\t}\n", 3
	case "close":
		return "\tc%[1]d := make(chan int, 1)\n\tc%[1]d <- %[1]d\n\tclose(c%[1]d)\n", 3
	case "ifclose":
		// Closes of one channel in branches that exclude one another
		// as far as syntax shows: each close is checked against the
		// operations after it.
		return "\tif n == %[1]d {\n\t\tclose(ch)\n\t}\n", 2
	case "nested":
		// The same operations one block down, inside a loop body that
		// is itself one statement of the function.
		return "\t\tgo work(%[1]d)\n\t\tch <- %[1]d\n\t\tmu.Lock()\n\t\tmu.Unlock()\n", 4
	}
	panic("hugefunc: unknown kind " + kind)
}

// File returns a file whose function huge holds about n statements of the
// given kind, and the number of statements it holds.
func File(kind string, n int) ([]byte, int) {
	unit, per := unitOf(kind)
	var b strings.Builder
	b.WriteString(`package huge

import (
	"fmt"
	"sync"
)

var (
	mu sync.Mutex
	rw sync.RWMutex
)

func work(int)  {}
func next() int { return 0 }

var _ = fmt.Sprint

`)
	units := max(1, n/per)
	if kind == "defer" {
		for i := range units {
			fmt.Fprintf(&b, "func show%d(v int) { fmt.Println(v) }\n", i)
		}
	}
	b.WriteString("\nfunc huge(ch chan int) {\n\tx, n := 0, 0\n\t_, _ = x, n\n")
	if kind == "nested" {
		b.WriteString("\tfor {\n")
	}
	for i := range units {
		if strings.Contains(unit, "%[1]d") {
			fmt.Fprintf(&b, unit, i)
		} else {
			b.WriteString(unit)
		}
	}
	if kind == "nested" {
		b.WriteString("\t}\n")
	}
	b.WriteString("}\n")
	return []byte(b.String()), units * per
}
