package model

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"sync"
)

// CondWait is a call of (*sync.Cond).Wait: it unlocks c.L, waits for a
// Signal or Broadcast, and locks c.L again before returning
// (https://pkg.go.dev/sync#Cond.Wait).
type CondWait struct {
	Pos  token.Pos // the Wait selector
	Call *ast.CallExpr
	Recv string // the Cond as written: "c", "q.cond"
}

// CondSignal is a call of (*sync.Cond).Signal or Broadcast: it wakes one
// (Signal) or every (Broadcast) goroutine waiting on the Cond at that
// moment, and is lost when none waits (https://pkg.go.dev/sync#Cond.Signal).
type CondSignal struct {
	Pos       token.Pos // the Signal or Broadcast selector
	Call      *ast.CallExpr
	Recv      string // the Cond as written
	Broadcast bool
}

// condWaitSet holds a file's Cond waits and signals, found on first read.
type condWaitSet struct {
	once    sync.Once
	waits   []*CondWait
	signals []*CondSignal
	// at holds the selector positions of waits and signals (condCallAt).
	at map[token.Pos]bool
}

// CondWaits lists the file's sync.Cond Wait calls, in source order: the
// one answer the Cond-wait hint and the condwait check read. They are
// found on first read (most files have none).
func (m *File) CondWaits() []*CondWait {
	w, _ := m.condOps()
	return w
}

// CondSignals lists the file's sync.Cond Signal and Broadcast calls, in
// source order, found the same way as CondWaits: the condwait check's
// lost-wakeup rule reads them.
func (m *File) CondSignals() []*CondSignal {
	_, s := m.condOps()
	return s
}

func (m *File) condOps() ([]*CondWait, []*CondSignal) {
	d := m.derived
	if d == nil {
		return findCondOps(m)
	}
	d.conds.once.Do(func() {
		d.conds.waits, d.conds.signals = findCondOps(m)
		if n := len(d.conds.waits) + len(d.conds.signals); n > 0 {
			d.conds.at = make(map[token.Pos]bool, n)
			for _, w := range d.conds.waits {
				d.conds.at[w.Pos] = true
			}
			for _, s := range d.conds.signals {
				d.conds.at[s.Pos] = true
			}
		}
	})
	return d.conds.waits, d.conds.signals
}

// condCallAt reports whether the selector at p (the Sel of c.Wait) names
// a Cond's Wait, Signal or Broadcast (CondWaits, CondSignals).
func (m *File) condCallAt(p token.Pos) bool {
	if m.derived == nil {
		return false
	}
	m.condOps()
	return m.derived.conds.at[p]
}

// findCondOps finds calls of (*sync.Cond).Wait, Signal and Broadcast: with
// type information, by the method's receiver type; without, by variables
// and fields declared as sync.Cond / *sync.Cond or assigned from
// sync.NewCond in this file.
func findCondOps(m *File) ([]*CondWait, []*CondSignal) {
	// A model built without its source (an unsaved overlay) is searched.
	if m.Src != nil && !bytes.Contains(m.Src, []byte(".Wait(")) && !bytes.Contains(m.Src, []byte(".Signal(")) && !bytes.Contains(m.Src, []byte(".Broadcast(")) {
		return nil, nil
	}
	var isCond func(sel *ast.SelectorExpr) bool
	if m.Info != nil {
		info := m.Info
		isCond = func(sel *ast.SelectorExpr) bool {
			fn, ok := info.Uses[sel.Sel].(*types.Func)
			if !ok {
				return false
			}
			recv := fn.Signature().Recv()
			if recv == nil {
				return false
			}
			t := recv.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			n, ok := types.Unalias(t).(*types.Named)
			return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "Cond"
		}
	} else {
		syncName := ""
		for _, imp := range m.AST.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil && p == "sync" {
				syncName = "sync"
				if imp.Name != nil {
					syncName = imp.Name.Name
				}
			}
		}
		if syncName == "" || syncName == "_" || syncName == "." || m.Src != nil && !bytes.Contains(m.Src, []byte("Cond")) {
			return nil, nil
		}
		vars, fields := syntaxConds(m, syncName)
		if len(vars) == 0 && len(fields) == 0 {
			return nil, nil
		}
		isCond = func(sel *ast.SelectorExpr) bool {
			switch x := ast.Unparen(sel.X).(type) {
			case *ast.Ident:
				return x.Obj != nil && vars[x.Obj]
			case *ast.SelectorExpr:
				return fields[x.Sel.Name]
			}
			return false
		}
	}
	var waits []*CondWait
	var signals []*CondSignal
	ast.Inspect(m.AST, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 0 {
			return true
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return true
		}
		switch name := sel.Sel.Name; name {
		case "Wait":
			if isCond(sel) {
				waits = append(waits, &CondWait{Pos: sel.Sel.Pos(), Call: call, Recv: types.ExprString(sel.X)})
			}
		case "Signal", "Broadcast":
			if isCond(sel) {
				signals = append(signals, &CondSignal{Pos: sel.Sel.Pos(), Call: call, Recv: types.ExprString(sel.X), Broadcast: name == "Broadcast"})
			}
		}
		return true
	})
	return waits, signals
}

// syntaxConds finds, without types, the variables (by declaration object)
// and struct fields (by name) that hold a sync.Cond.
func syntaxConds(m *File, syncName string) (map[*ast.Object]bool, map[string]bool) {
	vars := map[*ast.Object]bool{}
	fields := map[string]bool{}
	isCondType := func(t ast.Expr) bool {
		if st, ok := t.(*ast.StarExpr); ok {
			t = st.X
		}
		sel, ok := t.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Cond" {
			return false
		}
		x, ok := sel.X.(*ast.Ident)
		return ok && x.Name == syncName && x.Obj == nil
	}
	isNewCond := func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.CallExpr:
			sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "NewCond" {
				return false
			}
			x, ok := sel.X.(*ast.Ident)
			return ok && x.Name == syncName && x.Obj == nil
		case *ast.UnaryExpr:
			if cl, ok := e.X.(*ast.CompositeLit); ok && e.Op == token.AND {
				return isCondType(cl.Type)
			}
		case *ast.CompositeLit:
			return isCondType(e.Type)
		}
		return false
	}
	mark := func(lhs ast.Expr) {
		switch l := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			if l.Obj != nil {
				vars[l.Obj] = true
			}
		case *ast.SelectorExpr:
			fields[l.Sel.Name] = true
		}
	}
	ast.Inspect(m.AST, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if isCondType(n.Type) {
				for _, name := range n.Names {
					if name.Obj != nil {
						vars[name.Obj] = true
					}
					fields[name.Name] = true
				}
			}
		case *ast.ValueSpec:
			if n.Type != nil && isCondType(n.Type) {
				for _, name := range n.Names {
					mark(name)
				}
			}
			for i, v := range n.Values {
				if i < len(n.Names) && isNewCond(v) {
					mark(n.Names[i])
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, r := range n.Rhs {
					if isNewCond(r) {
						mark(n.Lhs[i])
					}
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && isNewCond(n.Value) {
				fields[k.Name] = true
			}
		}
		return true
	})
	return vars, fields
}
