package hints

import (
	"go/ast"
	"go/token"
	"sync"

	"github.com/golens/golens/model"
)

// extras are facts hints needs that the model does not record yet: the
// sync.Cond waits (loop variables and return statements, which hints once
// found here too, are the model's: Capture.IsLoop, Defer.Order). They are computed once per model — a model
// is immutable, one per document version — and kept for the few most
// recent models, so that repeated hint requests on one version (scrolling,
// resolve) do not walk the file again.
type extras struct {
	once  sync.Once
	conds []condWait
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
	e.conds = findCondWaits(m)
}
