package deadlock

import (
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model/lockfacts"
)

const name = "deadlock"

// Analyzer reports deadlocks between mutexes, and between a mutex and a
// channel or WaitGroup, that show across the functions of a package.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report deadlocks through calls: a mutex locked again by a callee, an AB-BA lock order, a lock held across a wait whose partner needs it\n\n" +
		"Go's mutexes are not reentrant and not tied to a goroutine. A function that holds a mutex and calls one " +
		"that locks it again blocks forever; two code paths that take the same two mutexes in opposite orders " +
		"deadlock when they run at once; and a goroutine that holds a mutex while it waits on a channel or a " +
		"WaitGroup blocks forever when the goroutine it waits for must take that mutex first.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

// The facts this check decides from (the mutexes held at each point of
// each function, what each function may lock through the package's
// functions it calls, its waits and their partners, stored callbacks,
// Cond locks, constructor fields, parent pointers) are the model's:
// package lockfacts, built once per package by modelpass
// (modelpass.Result.Locks). This check only decides what to report.

// analysisState is the package's lock facts, with the pass the findings
// are reported to.
type analysisState struct {
	*lockfacts.Facts
	pass *analysis.Pass
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	st := &analysisState{Facts: res.Locks(), pass: pass}
	var diags []analysis.Diagnostic
	diags = append(diags, st.doubleLocks()...)
	diags = append(diags, st.lockOrder()...)
	diags = append(diags, st.heldAcrossWait()...)
	diags = append(diags, st.heldAcrossSelect()...)
	diags = append(diags, st.passedLocks()...)
	diags = append(diags, st.aliasedRelocks()...)
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Pos < diags[j].Pos })
	for _, d := range diags {
		pass.Report(d)
	}
	return nil, nil
}
