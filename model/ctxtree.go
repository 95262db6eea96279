package model

import (
	"go/ast"
	"go/token"
	"sync"
)

// Context trees: a context made from another (context.WithCancel(parent),
// WithTimeout, WithValue, ...) is done when its parent is done. So a
// goroutine that calls the parent's cancel func signals every descendant's
// Done channel, and a wait on a descendant's Done waits for that call.
// (context.WithoutCancel is the exception: its result is never done.)

// ctxParentsOf maps each context variable assigned from a context
// constructor in the file to the parent variable it was made from.
func (b *builder) ctxParentsOf() map[VarKey]VarKey {
	b.ctxParents.once.Do(func() {
		parents := map[VarKey]VarKey{}
		ast.Inspect(b.m.AST, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Rhs) != 1 || (as.Tok != token.DEFINE && as.Tok != token.ASSIGN) {
				return true
			}
			call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			name, _ := b.pkgCall(call, "context")
			if len(name) < 5 || name[:4] != "With" || name == "WithoutCancel" {
				return true
			}
			child, ok1 := b.keyOf(as.Lhs[0])
			parent, ok2 := b.keyOf(ast.Unparen(call.Args[0]))
			if ok1 && ok2 && child != parent {
				if _, dup := parents[child]; dup {
					parents[child] = VarKey{} // assigned twice: no single parent
				} else {
					parents[child] = parent
				}
			}
			return true
		})
		b.ctxParents.parents = parents
	})
	return b.ctxParents.parents
}

// ctxParentsCache holds ctxParentsOf's answer, computed once and shared
// by the copies of the builder that summarise one channel's functions
// (chan_scope.go).
type ctxParentsCache struct {
	once    sync.Once
	parents map[VarKey]VarKey
}

// ctxDescends reports whether the context k is ctx or was made, through
// constructors in this file, from ctx.
func (b *builder) ctxDescends(k, ctx VarKey) bool {
	if !ctx.Valid() {
		return false
	}
	parents := b.ctxParentsOf()
	for i := 0; i < 16 && k.Valid(); i++ {
		if k == ctx {
			return true
		}
		k = parents[k]
	}
	return false
}
