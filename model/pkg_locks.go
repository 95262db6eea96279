package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sync"
)

// The package's lock helpers, for the lock flows of its files (typed
// tier): a function of one file that calls `s.lockAll()`, declared in
// another file, holds what lockAll returns holding, and is released by
// what `s.unlockAll()` releases. Both the checks (checks/modelpass) and
// the server (package typed) build every file's model with its package
// (BuildIn), so the flow, the hover on the Lock and lockleak read the
// same summaries: those of the file that declares the helper, as that
// file composes them.

// pkgLocks indexes the lock calls of the package's files.
type pkgLocks struct {
	// calls are the Lock, Unlock, RLock and RUnlock method calls of
	// every file, by the position of the call and of the method name
	// (an Effect's Pos is one of them).
	calls map[token.Pos]*ast.CallExpr
	// locking are the functions whose bodies call Lock or RLock: the
	// helpers a caller in another file may return holding a mutex from.
	locking map[*types.Func]bool
}

// fileModels gives the models of the package's files (SetFileModels).
type fileModels struct {
	once  sync.Once
	model func(*ast.File) *File
	mu    sync.Mutex
	sums  map[*types.Func]*Summary
	done  map[*ast.File]bool
}

// SetFileModels tells the package where the models of its files are:
// model returns the model of one of them (built on first call, or
// already built), built with this package (BuildIn). The lock flows read
// the summaries of helpers declared in another file through it.
func (p *Package) SetFileModels(model func(*ast.File) *File) {
	p.models.once.Do(func() { p.models.model = model })
}

// FuncSummary is the summary of fn, a function declared in one of the
// package's files, as the model of that file composes it; nil when fn is
// not declared in the package's files or no model of its file is known.
func (p *Package) FuncSummary(fn *types.Func) *Summary {
	if p == nil || fn == nil || p.Types == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() != p.Types {
		return nil
	}
	p.models.mu.Lock()
	model := p.models.model
	if s, ok := p.models.sums[fn]; ok {
		p.models.mu.Unlock()
		return s
	}
	p.models.mu.Unlock()
	if model == nil {
		return nil
	}
	var file *ast.File
	for _, f := range p.Files {
		if f.FileStart <= fn.Pos() && fn.Pos() <= f.FileEnd {
			file = f
			break
		}
	}
	if file == nil {
		return nil
	}
	m := model(file)
	if m == nil {
		return nil
	}
	// The file's summaries, indexed once.
	sums := m.Summaries()
	p.models.mu.Lock()
	defer p.models.mu.Unlock()
	if p.models.sums == nil {
		p.models.sums, p.models.done = map[*types.Func]*Summary{}, map[*ast.File]bool{}
	}
	if !p.models.done[file] {
		p.models.done[file] = true
		for _, s := range sums {
			if s.Obj != nil {
				p.models.sums[s.Obj] = s
			}
		}
	}
	s, ok := p.models.sums[fn]
	if !ok {
		p.models.sums[fn] = nil
	}
	return s
}

func (p *Package) lockIndex() *pkgLocks {
	p.locksOnce.Do(func() {
		x := &pkgLocks{calls: map[token.Pos]*ast.CallExpr{}, locking: map[*types.Func]bool{}}
		for _, f := range p.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				locks := false
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok || len(call.Args) != 0 {
						return true
					}
					sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
					if !ok {
						return true
					}
					switch sel.Sel.Name {
					case "Lock", "RLock":
						locks = true
					case "Unlock", "RUnlock":
					default:
						return true
					}
					x.calls[call.Pos()] = call
					x.calls[sel.Sel.Pos()] = call
					return true
				})
				if locks && p.Info != nil {
					if fn, ok := p.Info.Defs[fd.Name].(*types.Func); ok {
						x.locking[fn] = true
					}
				}
			}
		}
		p.locks = x
	})
	return p.locks
}

// lockCallAt is the Lock, Unlock, RLock or RUnlock call of the package's
// files at pos (the call or its method name), or nil.
func (p *Package) lockCallAt(pos token.Pos) *ast.CallExpr {
	if p == nil {
		return nil
	}
	return p.lockIndex().calls[pos]
}

// locksIn reports whether fn, a function of the package, calls Lock or
// RLock in its body: a helper a caller may return holding a mutex from.
func (p *Package) locksIn(fn *types.Func) bool {
	if p == nil || fn == nil {
		return false
	}
	return p.lockIndex().locking[fn.Origin()]
}
