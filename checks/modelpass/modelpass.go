// Package modelpass is a go/analysis Analyzer that builds golens's
// concurrency model of every file in the package once, so that each check
// reads the same model instead of rebuilding it.
package modelpass

import (
	"go/ast"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
	"github.com/golens/golens/model/lockfacts"
)

// Result maps each file of the package to its typed model.
type Result struct {
	Files map[*ast.File]*model.File
	// Order lists the models in the package's file order.
	Order []*model.File
	// Package holds the facts only the package's files together prove
	// (constructor fields, parent pointers, Cond locks, stored callbacks,
	// function lock summaries), each computed on first read.
	Package *model.Package

	locksOnce sync.Once
	locks     *lockfacts.Facts
}

// Locks returns the package's lock facts (package lockfacts), built on
// first read. Its summaries (acquisitions, waits) are memoized as they are
// read, in an order that decides how recursion is cut, so one analyzer
// reads them: deadlock. A second reader must not run concurrently with it.
func (r *Result) Locks() *lockfacts.Facts {
	r.locksOnce.Do(func() { r.locks = lockfacts.Build(r.Package, r.Files) })
	return r.locks
}

// Analyzer builds the models. Checks list it in Requires and read
// pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).
var Analyzer = &analysis.Analyzer{
	Name:       "golensmodel",
	Doc:        "builds golens's concurrency model of each file (used by the other golens checks)",
	Run:        run,
	ResultType: reflect.TypeOf((*Result)(nil)),
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{Files: map[*ast.File]*model.File{}, Package: model.NewPackage(pass.Fset, pass.Files, pass.TypesInfo, pass.Pkg)}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.Pos())
		var src []byte
		if tf != nil {
			// The source is used only to quote code in messages; a file
			// whose disk content differs from what was parsed (an
			// unsaved overlay) is modelled without it.
			if b, err := pass.ReadFile(tf.Name()); err == nil && len(b) == tf.Size() {
				src = b
			}
		}
		// Built in the package: its channel facts read the package's
		// channel classes, as nopartner does, and the lock flows follow
		// the lock helpers declared in the package's other files.
		m := model.BuildInPackage(res.Package, f, src, nil)
		// The lock flows record what is held at each call and channel
		// operation (deadlock's lock facts read it), and follow a
		// Cond's L as the mutex it was made with (package facts).
		m.TrackHeld()
		m.UsePackage(res.Package)
		res.Files[f] = m
		res.Order = append(res.Order, m)
	}
	res.Package.SetFileModels(func(f *ast.File) *model.File { return res.Files[f] })
	return res, nil
}

// Report runs check on the model of every file of the package and reports
// what it finds: the Run of a check whose core is a function of one model.
func Report(pass *analysis.Pass, check func(m *model.File) []analysis.Diagnostic) (any, error) {
	res := pass.ResultOf[Analyzer].(*Result)
	for _, m := range res.Order {
		for _, d := range check(m) {
			pass.Report(d)
		}
	}
	return nil, nil
}
