package model

import (
	"go/ast"
	"go/token"
	"strings"
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
// op takes back: a send statement on the same channel that runs before
// op, once for each run of op (ownSendsBefore). It is set only when every
// receive of the channel is such a release, each with sends of its own,
// and golens follows every use of the channel (it is only sent on,
// received from, closed, or measured): then the receives never outnumber
// the sends, and op never blocks. The channel is a local variable, or an
// unexported field reached through the same variable at the send and at
// the release: the release may sit in a function of this file that is only
// called, go'd or deferred, each call after its own send, with that
// variable as the receiver or argument (sem <- x; go serve(l) with
// serve's deferred <-l.sem). When the release has several such calls, the
// send of the first is named. nil otherwise.
func (m *File) SemRelease(op *ChanOp) *ChanOp {
	if op == nil || op.Kind != Recv || op.Select != nil || op.Chan == nil || m.derived == nil {
		return nil
	}
	c := op.Chan
	if c.IsParam || !c.Local && !c.IsField || c.IsField && m.packageHasOtherFiles() {
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
	if len(c.Assigned) > 0 || len(c.NilSets) > 0 {
		return nil
	}
	if c.IsField {
		if len(c.Makes) == 0 {
			return nil
		}
	} else if len(c.Makes) != 1 {
		return nil
	}
	for _, mk := range c.Makes {
		if mk.CapExpr == "" || mk.CapKnown && mk.Cap == 0 {
			return nil // unbuffered: nothing is ever queued
		}
	}
	for _, r := range c.Refs() {
		switch r.Kind {
		case RefSend, RefRecv, RefClose:
			if c.IsField && !fieldSelector(r.Expr) {
				return nil
			}
		case RefDef:
			if r.Ident.Pos() != c.Decl && !(c.IsField && m.fieldMakeKey(c, r)) {
				return nil
			}
		default:
			if r.OnlyReads() || c.IsField && m.fieldMakeKey(c, r) {
				continue
			}
			return nil // passed, stored, ranged over, its address taken
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
		ss := m.ownSendsBefore(o)
		if len(ss) == 0 {
			return nil
		}
		for _, s := range ss {
			if used[s] {
				return nil // a receive with no send of its own, or two sharing one
			}
			used[s] = true
		}
		owners[o] = ss[0]
	}
	return owners
}

// fieldSelector reports a field mention x.f through a variable x, f
// unexported: a field no other package can reach.
func fieldSelector(e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || ast.IsExported(sel.Sel.Name) {
		return false
	}
	_, ok = ast.Unparen(sel.X).(*ast.Ident)
	return ok
}

// fieldMakeKey reports a mention of the field c that is the key of a
// composite literal element whose value is one of c's makes (T{f: make(...)}).
func (m *File) fieldMakeKey(c *Chan, r ChanRef) bool {
	if r.Ident == nil || r.Expr != ast.Expr(r.Ident) || ast.IsExported(r.Ident.Name) {
		return false
	}
	path, _ := EnclosingPath(m.AST, r.Ident.Pos(), r.Ident.End())
	if len(path) < 2 {
		return false
	}
	kv, ok := path[1].(*ast.KeyValueExpr)
	if !ok || kv.Key != ast.Expr(r.Ident) {
		return false
	}
	call, ok := ast.Unparen(kv.Value).(*ast.CallExpr)
	if !ok {
		return false
	}
	for _, mk := range c.Makes {
		if mk.Pos == call.Pos() {
			return true
		}
	}
	return false
}

// ownSendsBefore is the send statement on op's channel that runs before
// op once for each run of op (ownSendBefore), or, when op sits in a
// function declaration that it reaches first, the sends before each call
// of that function: one per call, nil when some call has none.
func (m *File) ownSendsBefore(op *ChanOp) []*ChanOp {
	path, _ := EnclosingPath(m.AST, op.Pos, op.Pos)
	if x, _, ok := strings.Cut(op.ChanExpr, "."); ok {
		// A field: the send must be through the same value.
		body := enclosingFuncBody(path)
		if body == nil {
			return nil
		}
		def, ok := declaredOnceBefore(body, path, x)
		if !ok {
			return nil
		}
		ss := m.sendsBefore(op.Chan, path, op.ChanExpr, 0)
		for _, s := range ss {
			if s.Pos < def {
				return nil
			}
		}
		return ss
	}
	return m.sendsBefore(op.Chan, path, op.ChanExpr, 0)
}

// sendsBefore walks out from path[0]: going out through statements that
// are not loops and through function literals that are called right where
// they stand (go func(){...}(), defer func(){...}(), func(){...}()), it
// looks for a send statement on the channel expression chanExpr earlier in
// one of the statement lists around it. Each run of that list runs the
// send once and path[0] at most once, after the send completed (the go or
// defer statement that starts it runs after it). No function crossed may
// hold a goto. Reaching a function declaration (depth: how many were
// crossed), it goes on from each call of the function (callSends).
func (m *File) sendsBefore(c *Chan, path []ast.Node, chanExpr string, depth int) []*ChanOp {
	for i := 1; i < len(path); i++ {
		switch n := path[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return nil // op may run more often than a send before the loop
		case *ast.FuncDecl:
			return m.callSends(c, n, chanExpr, depth)
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
				if sel, isSel := list[k].(*ast.SelectStmt); isSel {
					ss, ok = onlyWaySend(sel, list[k+1:j]), true
				}
				if !ok || ss == nil {
					continue
				}
				for _, s := range c.Ops {
					if s.Kind == Send && s.Node == ss && s.ChanExpr == chanExpr {
						return []*ChanOp{s}
					}
				}
			}
		}
	}
	return nil
}

// callSends goes on from fd, the function declaration holding a release
// on chanExpr, to the calls of fd: chanExpr must be p.f, p fd's receiver
// or a parameter that fd never assigns, and fd unexported, named in this
// file only where it is called by a statement of its own (f(), go f(),
// defer f()), with a plain variable x for p that the calling function
// declares once and never assigns; the send on x.f must come before each
// call (sendsBefore). One send per call; nil when a call has none.
func (m *File) callSends(c *Chan, fd *ast.FuncDecl, chanExpr string, depth int) []*ChanOp {
	if depth >= 2 || m.packageHasOtherFiles() || fd.Body == nil || hasGoto(fd.Body) || ast.IsExported(fd.Name.Name) || fd.Name.Name == "init" || fd.Name.Name == "main" {
		return nil
	}
	p, f, ok := strings.Cut(chanExpr, ".")
	if !ok || strings.Contains(f, ".") {
		return nil
	}
	recv, arg := false, -1
	if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 && fd.Recv.List[0].Names[0].Name == p {
		recv = true
	} else {
		k := 0
		for _, fld := range fd.Type.Params.List {
			if _, ok := fld.Type.(*ast.Ellipsis); ok {
				return nil
			}
			if len(fld.Names) == 0 {
				return nil
			}
			for _, id := range fld.Names {
				if id.Name == p {
					arg = k
				}
				k++
			}
		}
		if arg < 0 {
			return nil
		}
	}
	if assignsName(fd.Body, p) {
		return nil
	}
	d := m.derived
	d.identsOnce.Do(func() { d.idents = identsByName(m.AST) })
	var out []*ChanOp
	for _, id := range d.idents[fd.Name.Name] {
		if id == fd.Name {
			continue
		}
		path, _ := EnclosingPath(m.AST, id.Pos(), id.End())
		if len(path) < 3 || path[0] != ast.Node(id) {
			return nil
		}
		i := 1
		var x ast.Expr
		if recv {
			sel, ok := path[1].(*ast.SelectorExpr)
			if !ok || sel.Sel != id {
				return nil
			}
			x, i = sel.X, 2
		} else if fd.Recv != nil {
			return nil
		}
		call, ok := path[i].(*ast.CallExpr)
		if !ok || call.Fun != path[i-1] || call.Ellipsis.IsValid() || i+1 >= len(path) {
			return nil
		}
		switch st := path[i+1].(type) {
		case *ast.GoStmt, *ast.DeferStmt:
		case *ast.ExprStmt:
			_ = st
		default:
			return nil
		}
		if !recv {
			if arg >= len(call.Args) {
				return nil
			}
			x = call.Args[arg]
		}
		xi, ok := ast.Unparen(x).(*ast.Ident)
		if !ok || xi.Name == "_" {
			return nil
		}
		body := enclosingFuncBody(path[i:])
		if body == nil {
			return nil
		}
		def, ok := declaredOnceBefore(body, path[i:], xi.Name)
		if !ok {
			return nil
		}
		ss := m.sendsBefore(c, path[i:], xi.Name+"."+f, depth+1)
		if len(ss) == 0 {
			return nil
		}
		for _, s := range ss {
			if s.Pos < def {
				return nil // a send through another variable of that name
			}
		}
		out = append(out, ss...)
	}
	return out
}

// assignsName reports whether body assigns the variable name (=, op=,
// ++, --, or its address taken), or declares another of that name.
func assignsName(body *ast.BlockStmt, name string) bool {
	found := false
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && id.Name == name
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				found = found || is(l)
			}
		case *ast.IncDecStmt:
			found = found || is(n.X)
		case *ast.UnaryExpr:
			found = found || n.Op == token.AND && is(n.X)
		case *ast.ValueSpec:
			for _, id := range n.Names {
				found = found || id.Name == name
			}
		case *ast.RangeStmt:
			found = found || n.Key != nil && is(n.Key) || n.Value != nil && is(n.Value)
		case *ast.FuncLit:
			for _, fl := range n.Type.Params.List {
				for _, id := range fl.Names {
					found = found || id.Name == name
				}
			}
		}
		return !found
	})
	return found
}

// declaredOnceBefore reports whether name, used at the call path[0] in the
// function declaration holding path (path: from the call outwards), is that
// function's receiver or parameter, or a variable its body declares once
// (x := ..., var x) outside any loop holding the call, and whether nothing
// in the function's declaration assigns it again: every use in one run
// of the function sees one value. def is where the body declares it
// (NoPos for a parameter): a use before it names another variable.
func declaredOnceBefore(body *ast.BlockStmt, path []ast.Node, name string) (def token.Pos, ok bool) {
	// The declaration holding the path: function literals inside it
	// capture its variables, and any of them may assign one.
	var ft *ast.FuncType
	var recv *ast.FieldList
	for _, n := range path {
		if fd, ok := n.(*ast.FuncDecl); ok && fd.Body != nil {
			ft, recv, body = fd.Type, fd.Recv, fd.Body
		}
	}
	if ft == nil {
		return token.NoPos, false
	}
	isParam := false
	for _, fl := range []*ast.FieldList{recv, ft.Params} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				isParam = isParam || id.Name == name
			}
		}
	}
	defs := 0
	bad := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && id.Name == name {
					if n.Tok == token.DEFINE {
						defs++
						def = id.Pos()
					} else {
						bad = true
					}
				}
			}
		case *ast.IncDecStmt:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && id.Name == name {
				bad = true
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && id.Name == name {
				bad = true
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				if id.Name == name {
					defs++
					def = id.Pos()
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok && id.Name == name {
					bad = true
				}
			}
		case *ast.FuncLit:
			for _, fl := range n.Type.Params.List {
				for _, id := range fl.Names {
					if id.Name == name {
						bad = true
					}
				}
			}
		}
		return !bad
	})
	if bad || ft == nil {
		return token.NoPos, false
	}
	if isParam {
		return token.NoPos, defs == 0
	}
	return def, defs == 1
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

// packageHasOtherFiles reports that the typed tier sees other files in
// this file's package, which may use its unexported fields and call its
// unexported functions. (The syntax tier sees one file.)
func (m *File) packageHasOtherFiles() bool {
	for _, p := range []*Package{m.pkg, m.classPkg} {
		if p != nil && len(p.Files) > 1 {
			return true
		}
	}
	return false
}

// identsByName lists the file's identifiers by name.
func identsByName(f *ast.File) map[string][]*ast.Ident {
	out := map[string][]*ast.Ident{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			out[id.Name] = append(out[id.Name], id)
		}
		return true
	})
	return out
}

// onlyWaySend is the send case of sel when it is the only way past sel to
// the statements after it, nil otherwise: every other case (a default
// too) ends in a return, a continue or a panic, or is a receive from
// x.Done() that a statement of after stops, `if x.Err() != nil { return
// }` (a break or continue too): once Done is closed, Err is not nil
// (https://pkg.go.dev/context#Context). `select { case sem <- token{}:
// case <-ctx.Done(): return ctx.Err() }`, then `go work()`: the goroutine
// starts only after its send. A select with a second send case, or whose
// send case leaves by a jump of its own, has none.
func onlyWaySend(sel *ast.SelectStmt, after []ast.Stmt) *ast.SendStmt {
	var send *ast.SendStmt
	for _, cl := range sel.Body.List {
		cc, ok := cl.(*ast.CommClause)
		if !ok {
			return nil
		}
		if ss, ok := cc.Comm.(*ast.SendStmt); ok {
			if send != nil || endsInJump(cc.Body, false) {
				return nil
			}
			send = ss
			continue
		}
		if endsInJump(cc.Body, false) {
			continue
		}
		if x := doneRecvOf(cc.Comm); x != "" && errGuarded(x, after) {
			continue
		}
		return nil
	}
	return send
}

// endsInJump reports whether the last statement of body leaves the
// statement list holding the select or if it is in: a return, an
// unlabeled continue, a call of panic, and with loopBreak an unlabeled
// break (in an if's body it leaves the loop, switch or select around the
// list; in a select case, only the select).
func endsInJump(body []ast.Stmt, loopBreak bool) bool {
	if len(body) == 0 {
		return false
	}
	switch st := body[len(body)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return st.Label == nil && (st.Tok == token.CONTINUE || loopBreak && st.Tok == token.BREAK)
	case *ast.ExprStmt:
		call, ok := ast.Unparen(st.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		return ok && id.Name == "panic" && id.Obj == nil
	}
	return false
}

// doneRecvOf is x for a select case `case <-x.Done():`, x a variable; ""
// otherwise.
func doneRecvOf(comm ast.Stmt) string {
	es, ok := comm.(*ast.ExprStmt)
	if !ok {
		return ""
	}
	u, ok := ast.Unparen(es.X).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return ""
	}
	return methodCallOn(u.X, "Done")
}

// methodCallOn is x for a call x.name() with no arguments, x a variable;
// "" otherwise.
func methodCallOn(e ast.Expr, name string) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return ""
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return ""
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return ""
	}
	return id.Name
}

// errGuarded reports whether one of stmts is `if x.Err() != nil { ...;
// return }` (or ending in continue, break or panic), with no statement
// before it assigning x.
func errGuarded(x string, stmts []ast.Stmt) bool {
	for _, st := range stmts {
		if ifs, ok := st.(*ast.IfStmt); ok && ifs.Init == nil {
			if be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); ok && be.Op == token.NEQ {
				l, r := be.X, be.Y
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && id.Name == "nil" {
					l, r = r, l
				}
				if id, ok := ast.Unparen(r).(*ast.Ident); ok && id.Name == "nil" && methodCallOn(l, "Err") == x && endsInJump(ifs.Body.List, true) {
					return true
				}
			}
		}
		assigns := false
		ast.Inspect(st, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok {
				for _, l := range as.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && id.Name == x {
						assigns = true
					}
				}
			}
			return !assigns
		})
		if assigns {
			return false
		}
	}
	return false
}
