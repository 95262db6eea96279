package model

import (
	"go/ast"
)

// A registry closes an entry's channel where it removes the entry: under
// one mutex, beside a delete from one map (Unsubscribe: if _, ok :=
// b.subs[name]; ok { delete(b.subs, name); close(s.C) }; Close: for name,
// s := range b.subs { close(s.C); delete(b.subs, name) }). Two such closes
// of one field close one channel at most once when the map holds each
// entry once and nothing else closes it; golens does not prove that, but
// it sees the guard, and a hover then does not state "the second close
// panics" as if nothing stood between the closes.

// CloseGuard is what every close of a set holds in common: the mutex each
// holds at its close, and the map each deletes from in the statement list
// of its close.
type CloseGuard struct {
	Mutex string // as written: "b.mu"
	Map   string // as written: "b.subs"
}

// CloseGuardOf is the guard the closes ops share (see CloseGuard), or nil:
// each a close of a struct field's channel, not deferred, made by a
// function that locks Mutex (Lock, not RLock) in a statement before the
// close on every path into it and releases it only after the close or in
// a deferred call, with a delete(Map, ...) statement beside the close.
func (m *File) CloseGuardOf(ops []*ChanOp) *CloseGuard {
	if len(ops) < 2 {
		return nil
	}
	var g *CloseGuard
	for _, op := range ops {
		h := m.closeGuard(op)
		if h == nil || g != nil && *g != *h {
			return nil
		}
		g = h
	}
	return g
}

func (m *File) closeGuard(cl *ChanOp) *CloseGuard {
	if cl == nil || cl.Kind != Close || cl.Deferred || cl.Chan == nil || !cl.Chan.IsField || cl.Func == nil || cl.Func.Body == nil {
		return nil
	}
	mp := deleteBeside(m, cl)
	if mp == "" {
		return nil
	}
	for _, l := range m.Locks {
		if l.Kind != Lock || l.Func != cl.Func || l.Pos >= cl.Pos || l.Through != "" || !plainBefore(cl.Func.Body, l.Pos, cl.Pos) {
			continue
		}
		held := true
		for _, u := range m.Locks {
			if u.Kind == Unlock && u.Func == cl.Func && u.Recv == l.Recv && !u.Deferred && u.Pos < cl.Pos {
				held = false // released before the close, on some path
			}
		}
		if held {
			return &CloseGuard{Mutex: l.Recv, Map: mp}
		}
	}
	return nil
}

// deleteBeside is the map (as written) that a delete(map, key) statement
// in the statement list holding the close cl deletes from; "" when there
// is none.
func deleteBeside(m *File, cl *ChanOp) string {
	path, _ := EnclosingPath(m.AST, cl.Pos, cl.Pos)
	for i := 1; i < len(path); i++ {
		if path[i] == cl.Func.Node {
			break
		}
		list := stmtList(path[i])
		if list == nil {
			continue
		}
		for _, st := range list {
			es, ok := st.(*ast.ExprStmt)
			if !ok {
				continue
			}
			call, ok := ast.Unparen(es.X).(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				continue
			}
			if m.keyBuilder().isBuiltin(call.Fun, "delete") {
				return m.Text(call.Args[0].Pos(), call.Args[0].End())
			}
		}
		return "" // only the innermost list
	}
	return ""
}
