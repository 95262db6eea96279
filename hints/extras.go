package hints

import (
	"go/ast"
	"go/token"
	"sync"

	"github.com/golens/golens/model"
)

// extras are facts hints needs that the model does not record (return
// statements, sync.Cond waits). They are computed once per model — a model
// is immutable, one per document version — and kept for the few most
// recent models, so that repeated hint requests on one version (scrolling,
// resolve) do not walk the file again.
type extras struct {
	once    sync.Once
	returns map[*model.Func][]token.Pos
	conds   []condWait
	// loopVars holds the declaring positions of for-loop and range-loop
	// variables (the typed tier's captures do not mark them).
	loopVars map[token.Pos]bool
}

type condWait struct {
	obj  token.Pos
	call *ast.CallExpr
}

var extrasCache struct {
	sync.Mutex
	m    [8]*model.File
	e    [8]*extras
	next int
}

func extrasOf(m *model.File) *extras {
	c := &extrasCache
	c.Lock()
	var e *extras
	for i, cm := range c.m {
		if cm == m {
			e = c.e[i]
			break
		}
	}
	if e == nil {
		e = &extras{}
		c.m[c.next], c.e[c.next] = m, e
		c.next = (c.next + 1) % len(c.m)
	}
	c.Unlock()
	e.once.Do(func() { e.compute(m) })
	return e
}

func (e *extras) compute(m *model.File) {
	e.returns = map[*model.Func][]token.Pos{}
	for _, f := range m.Funcs {
		// Only the order of a function's second and later defers depends
		// on its returns.
		if len(f.Defers) < 2 || f.Body == nil {
			continue
		}
		var out []token.Pos
		ast.Inspect(f.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				out = append(out, n.Pos())
			}
			return true
		})
		e.returns[f] = out
	}
	e.conds = findCondWaits(m)
	e.loopVars = map[token.Pos]bool{}
	ast.Inspect(m.AST, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, x := range []ast.Expr{n.Key, n.Value} {
					if id, ok := x.(*ast.Ident); ok {
						e.loopVars[id.Pos()] = true
					}
				}
			}
		case *ast.ForStmt:
			if as, ok := n.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
				for _, x := range as.Lhs {
					if id, ok := x.(*ast.Ident); ok {
						e.loopVars[id.Pos()] = true
					}
				}
			}
		}
		return true
	})
}
