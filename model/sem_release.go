package model

import (
	"go/ast"
	"sync"
)

// A buffered channel used as a semaphore: each worker takes a slot with a
// send (sem <- struct{}{}) before it starts, and gives it back with a
// receive (<-sem) when it is done. Such a release never blocks when the
// code that runs it has itself sent on the channel first, once for each
// release, and no other receive of the channel exists: every receive that
// completed took the token of another, earlier send, so when a release
// runs, the token of its own send is still in the buffer. (On an
// unbuffered channel no such send can ever complete — its only receivers
// are releases that come after sends — and the release is never reached.)

// SemRelease (a receive outside a select) is the send that puts the token
// op takes back: a send statement on the same local channel that runs
// before op, once for each run of op (ownSendBefore). It is set only when
// every receive of the channel is such a release, each with a send of its
// own, and golens follows every use of the channel (it is only sent on,
// received from, closed, or measured): then the receives never outnumber
// the sends, and op never blocks. nil otherwise.
func (m *File) SemRelease(op *ChanOp) *ChanOp {
	if op == nil || op.Kind != Recv || op.Select != nil || op.Chan == nil || m.derived == nil {
		return nil
	}
	c := op.Chan
	if !c.Local || c.IsParam || c.IsField {
		return nil // a cheap no for most channels, before the cache
	}
	v, _ := m.derived.semReleases.LoadOrStore(c, &semOnce{})
	s := v.(*semOnce)
	s.once.Do(func() { s.owners = m.semOwners(c) })
	return s.owners[op]
}

// semOnce caches one channel's releases (derived.semReleases).
type semOnce struct {
	once   sync.Once
	owners map[*ChanOp]*ChanOp
}

// semOwners maps every receive of c to the send that owns it, or is nil
// when some receive has none (SemRelease).
func (m *File) semOwners(c *Chan) map[*ChanOp]*ChanOp {
	if len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
		return nil
	}
	if mk := c.Makes[0]; mk.CapExpr == "" || mk.CapKnown && mk.Cap == 0 {
		return nil // unbuffered: nothing is ever queued
	}
	for _, r := range c.Refs() {
		switch r.Kind {
		case RefSend, RefRecv, RefClose:
		case RefDef:
			if r.Ident.Pos() != c.Decl {
				return nil
			}
		default:
			if !r.OnlyReads() {
				return nil // passed, stored, ranged over, its address taken
			}
		}
	}
	owners := map[*ChanOp]*ChanOp{}
	used := map[*ChanOp]bool{}
	for _, o := range c.Ops {
		if o.Kind == Range || o.Kind == Recv && o.Select != nil {
			return nil
		}
		if o.Kind != Recv {
			continue
		}
		s := m.ownSendBefore(o)
		if s == nil || used[s] {
			return nil // a receive with no send of its own, or two sharing one
		}
		used[s] = true
		owners[o] = s
	}
	return owners
}

// ownSendBefore is the send statement on op's channel that runs before op
// once for each run of op: going out from op, through statements that are
// not loops and through function literals that are called right where
// they stand (go func(){...}(), defer func(){...}(), func(){...}()), it is
// a send statement of the same channel expression earlier in one of the
// statement lists around op. Each run of that list runs the send once and
// op at most once, after the send completed (the go or defer statement
// that starts op runs after it). No function crossed may hold a goto. nil
// when there is none.
func (m *File) ownSendBefore(op *ChanOp) *ChanOp {
	path, _ := EnclosingPath(m.AST, op.Pos, op.Pos)
	for i := 1; i < len(path); i++ {
		switch n := path[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return nil // op may run more often than a send before the loop
		case *ast.FuncDecl:
			return nil
		case *ast.FuncLit:
			if hasGoto(n.Body) || i+2 >= len(path) {
				return nil
			}
			call, ok := path[i+1].(*ast.CallExpr)
			if !ok || call.Fun != n {
				return nil // a function value that may be called any number of times
			}
			switch path[i+2].(type) {
			case *ast.GoStmt, *ast.DeferStmt, *ast.ExprStmt:
			default:
				return nil
			}
			i++ // the call: its arguments run before the body
			continue
		}
		list := stmtList(path[i])
		if list == nil {
			continue
		}
		if fd := enclosingFuncBody(path[i:]); fd != nil && hasGoto(fd) {
			return nil
		}
		for j, st := range list {
			if st != path[i-1] {
				continue
			}
			for k := j - 1; k >= 0; k-- {
				ss, ok := list[k].(*ast.SendStmt)
				if !ok {
					continue
				}
				for _, s := range op.Chan.Ops {
					if s.Kind == Send && s.Node == ss && s.Select == nil && s.ChanExpr == op.ChanExpr {
						return s
					}
				}
			}
		}
	}
	return nil
}

// enclosingFuncBody is the body of the innermost function on path (a
// path from a node outwards).
func enclosingFuncBody(path []ast.Node) *ast.BlockStmt {
	for _, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit:
			return n.Body
		case *ast.FuncDecl:
			return n.Body
		}
	}
	return nil
}
