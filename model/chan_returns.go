package model

import (
	"go/ast"
	"sync"
)

// Where a function hands a channel to its caller: the summaries record
// "returns it" (EffReturn) for every return statement whose result is the
// channel (`return out`, `return (out), nil`, `return (<-chan T)(out)`).
// The waitbeforedrain check reads it to tell that a channel reaches the
// caller only at a return after a Wait.

// ChanReturn is one return statement that hands the channel to the caller
// of the function it belongs to. It is proven: the return statement runs
// the result whenever it runs.
type ChanReturn struct {
	Stmt *ast.ReturnStmt
	// Result is the result as written: out, (out), (<-chan T)(out).
	Result ast.Expr
	// Func is the function the return statement belongs to (FuncAt): a
	// return inside a function literal returns from the literal.
	Func *Func
}

// chanReturnsOnce holds each channel's returns, computed on first read.
type chanReturnsOnce struct {
	mu sync.Mutex
	of map[*Chan][]ChanReturn
}

// Returns lists the return statements of this file that return the
// channel, in source order, as the summaries record them (the effects on
// c of kind EffReturn, Chan.Indirect). Computed once per channel.
func (c *Chan) Returns() []ChanReturn {
	d := c.derived
	if d == nil || d.b == nil {
		return nil
	}
	d.returns.mu.Lock()
	out, done := d.returns.of[c]
	d.returns.mu.Unlock()
	if done {
		return out
	}
	m := d.b.m
	// Read outside the lock: Indirect may run the whole-file derivation.
	for _, u := range c.Indirect() {
		e := u.Effect
		if e.Kind != EffReturn || e.At.IsValid() || m.AST == nil || e.Pos < m.AST.FileStart || e.Pos >= m.AST.FileEnd {
			continue
		}
		path, _ := EnclosingPath(m.AST, e.Pos, e.Pos)
		for i, n := range path {
			r, ok := n.(*ast.ReturnStmt)
			if !ok {
				continue
			}
			if i > 0 {
				if res, ok := path[i-1].(ast.Expr); ok && res.Pos() == e.Pos {
					out = append(out, ChanReturn{Stmt: r, Result: res, Func: m.FuncAt(e.Pos)})
				}
			}
			break
		}
	}
	d.returns.mu.Lock()
	if d.returns.of == nil {
		d.returns.of = map[*Chan][]ChanReturn{}
	}
	d.returns.of[c] = out
	d.returns.mu.Unlock()
	return out
}
