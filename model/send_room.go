package model

import (
	"go/ast"
	"go/token"
	"strings"
)

// A buffered channel made for one job: `out := make(chan T, 1)` with one
// goroutine that sends its result once, the channel handed back only as
// `<-chan T`. Each run of the make makes a new channel, and each send on
// it runs at most once for each run of the make, so a channel never gets
// more values than its sends; when those are no more than its buffer,
// the buffer always has room and no send on it ever waits.

// SendRoom is what proves a send never blocks: the channel's buffer holds
// every value sent on it. nil when golens cannot prove it.
type SendRoom struct {
	// Make is the channel's one make, with a constant capacity Cap >= 1.
	Make *MakeSite
	Cap  int64
	// Sends are every send on the channel (Sends <= Cap), the op among
	// them, in source order.
	Sends []*ChanOp
	// Returned: the channel leaves its function only as a result of
	// type <-chan T, through which nothing can send.
	Returned bool
	// Method (a field made in composite literals): the method holding
	// every send, which runs at most once for each value of the struct.
	Method string
	// Job (a field holding channels carried in job values): how every
	// channel stored in the field reaches this send (jobSendRoom).
	Job *JobRoom
}

// SendRoom reports that the send op never blocks: its channel is a local
// variable declared by its one make, with a constant buffer of Cap >= 1;
// golens follows every use of the variable (it is sent on, received from,
// ranged over, closed, measured, or returned as a receive-only channel,
// and never assigned again); and the channel's sends, no more than Cap,
// each run at most once for each run of the make: none sits in a loop
// inside the make's block, and the function literals between are called
// right where they stand (go func(){...}(), defer func(){...}(),
// func(){...}()). Each run of the make then gets at most Cap values, so
// its buffer always has room. nil otherwise.
func (m *File) SendRoom(op *ChanOp) *SendRoom {
	if op == nil || op.Kind != Send || op.Select != nil || op.Chan == nil || m.AST == nil {
		return nil
	}
	c := op.Chan
	if c.IsField {
		if r := m.fieldSendRoom(op); r != nil {
			return r
		}
		return m.jobSendRoom(op)
	}
	if !c.Local || c.IsParam || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
		return nil
	}
	mk := c.Makes[0]
	if !mk.CapKnown || mk.Cap < 1 {
		return nil
	}
	sends := c.Sends()
	if int64(len(sends)) > mk.Cap {
		return nil
	}
	block, stmt := m.declaringMake(c, mk)
	if block == nil {
		return nil
	}
	room := &SendRoom{Make: mk, Cap: mk.Cap, Sends: sends}
	for _, r := range c.Refs() {
		switch r.Kind {
		case RefSend, RefRecv, RefRange, RefClose, RefLen:
		case RefDef:
			if r.Ident.Pos() != c.Decl {
				return nil
			}
		default:
			if r.Compared {
				continue
			}
			if !m.returnedRecvOnly(r.Expr) {
				return nil // passed, stored, its address taken
			}
			room.Returned = true
		}
	}
	for _, s := range sends {
		if s.Pos < stmt.End() || s.Pos >= block.End() || !onceInBlock(m.AST, s, block) {
			return nil
		}
	}
	return room
}

// declaringMake is the statement declaring c with its make mk (ch :=
// make(...), var ch = make(...)), and the block holding it; nil when c is
// declared otherwise or the function holding it has a goto.
func (m *File) declaringMake(c *Chan, mk *MakeSite) (*ast.BlockStmt, ast.Stmt) {
	path, _ := EnclosingPath(m.AST, mk.Pos, mk.Pos)
	for i, n := range path {
		var st ast.Stmt
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE || len(n.Lhs) != 1 || len(n.Rhs) != 1 || n.Lhs[0].Pos() != c.Decl || ast.Unparen(n.Rhs[0]).Pos() != mk.Pos {
				return nil, nil
			}
			st = n
		case *ast.ValueSpec:
			if len(n.Names) != 1 || len(n.Values) != 1 || n.Names[0].Pos() != c.Decl || ast.Unparen(n.Values[0]).Pos() != mk.Pos || i+2 >= len(path) {
				return nil, nil
			}
			ds, ok := path[i+2].(*ast.DeclStmt)
			if !ok {
				return nil, nil
			}
			st, i = ds, i+2
		case *ast.CallExpr, *ast.ParenExpr, *ast.Ident:
			continue
		default:
			return nil, nil
		}
		if i+1 >= len(path) {
			return nil, nil
		}
		b, ok := path[i+1].(*ast.BlockStmt)
		if !ok {
			return nil, nil // the init of an if, for or switch
		}
		if body := enclosingFuncBody(path[i:]); body == nil || hasGoto(body) {
			return nil, nil
		}
		return b, st
	}
	return nil, nil
}

// onceInBlock reports whether op runs at most once for each run of block,
// which holds it: between them there is no loop, and every function
// literal is called right where it stands, by a go, defer or expression
// statement, with no goto in its body.
func onceInBlock(file *ast.File, op *ChanOp, block *ast.BlockStmt) bool {
	path, _ := EnclosingPath(file, op.Pos, op.Pos)
	for i := 1; i < len(path); i++ {
		switch n := path[i].(type) {
		case *ast.BlockStmt:
			if n == block {
				return true
			}
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncDecl:
			return false
		case *ast.FuncLit:
			if hasGoto(n.Body) || i+2 >= len(path) {
				return false
			}
			call, ok := path[i+1].(*ast.CallExpr)
			if !ok || call.Fun != n {
				return false
			}
			switch path[i+2].(type) {
			case *ast.GoStmt, *ast.DeferStmt, *ast.ExprStmt:
			default:
				return false
			}
			i++
		}
	}
	return false
}

// returnedRecvOnly reports a mention that is a result of a return
// statement whose function declares that result as a receive-only
// channel (<-chan T): the caller can only receive from it.
func (m *File) returnedRecvOnly(e ast.Expr) bool {
	path, _ := EnclosingPath(m.AST, e.Pos(), e.End())
	if len(path) < 2 || path[0] != ast.Node(e) {
		return false
	}
	ret, ok := path[1].(*ast.ReturnStmt)
	if !ok {
		return false
	}
	idx := -1
	for i, r := range ret.Results {
		if r == e {
			idx = i
		}
	}
	if idx < 0 {
		return false
	}
	var ft *ast.FuncType
	for _, n := range path[2:] {
		if lit, ok := n.(*ast.FuncLit); ok {
			ft = lit.Type
			break
		}
		if fd, ok := n.(*ast.FuncDecl); ok {
			ft = fd.Type
			break
		}
	}
	if ft == nil || ft.Results == nil {
		return false
	}
	k := 0
	for _, f := range ft.Results.List {
		n := max(len(f.Names), 1)
		if idx < k+n {
			ct, ok := f.Type.(*ast.ChanType)
			return ok && ct.Dir == ast.RECV
		}
		k += n
	}
	return false
}

// fieldSendRoom is SendRoom for an unexported field f made only in
// composite literals (T{f: make(chan E, n)}, n >= 1 constant) and only
// sent on, received from, closed or measured: every send on it sits in one
// method M, through M's receiver, and runs at most once for each call of M
// (no loop around it, unless a return follows it in its own list with
// nothing between that could go round the loop again); no more sends than
// the buffer; and M is named only where it is called by a statement of
// its own on a variable x declared once, by x := ctor(...) or x :=
// &T{...}, a fresh value (ctor returns only composite literals), with the
// call running at most once for each run of that declaration and no two
// calls on one variable. Each value then gets at most one call of M, so
// its channel at most the sends of M. The typed tier also needs the
// package to have this file alone (the syntax tier sees one file).
func (m *File) fieldSendRoom(op *ChanOp) *SendRoom {
	c := op.Chan
	if len(c.Makes) == 0 || len(c.Assigned) > 0 || len(c.NilSets) > 0 || m.packageHasOtherFiles() || m.derived == nil {
		return nil
	}
	room := &SendRoom{Make: c.Makes[0], Cap: c.Makes[0].Cap}
	for _, mk := range c.Makes {
		if !mk.CapKnown || mk.Cap < 1 {
			return nil
		}
		room.Cap = min(room.Cap, mk.Cap)
	}
	room.Sends = c.Sends()
	if int64(len(room.Sends)) > room.Cap {
		return nil
	}
	for _, r := range c.Refs() {
		switch r.Kind {
		case RefSend, RefRecv, RefRange, RefClose, RefLen:
			if !fieldSelector(r.Expr) {
				return nil
			}
		case RefDef:
			if r.Ident.Pos() != c.Decl && !m.fieldMakeKey(c, r) {
				return nil
			}
		default:
			if !r.Compared && !m.fieldMakeKey(c, r) {
				return nil
			}
		}
	}
	var method *ast.FuncDecl
	for _, s := range room.Sends {
		path, _ := EnclosingPath(m.AST, s.Pos, s.Pos)
		fd := onceInCall(path)
		if fd == nil || method != nil && fd != method {
			return nil
		}
		method = fd
		x, _, _ := strings.Cut(s.ChanExpr, ".")
		if fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 || fd.Recv.List[0].Names[0].Name != x || assignsName(fd.Body, x) {
			return nil
		}
	}
	if method == nil || !m.calledOncePerValue(method) {
		return nil
	}
	room.Method = method.Name.Name
	return room
}

// onceInCall is the function declaration holding path[0] (a send), when
// the send runs at most once for each call of it: no function literal
// between, no goto, and no loop around it unless a return statement
// follows it in its own statement list with only simple statements
// between. nil otherwise.
func onceInCall(path []ast.Node) *ast.FuncDecl {
	returns := false
	for i := 1; i < len(path); i++ {
		switch n := path[i].(type) {
		case *ast.FuncLit:
			return nil
		case *ast.FuncDecl:
			if n.Body == nil || hasGoto(n.Body) {
				return nil
			}
			return n
		case *ast.ForStmt, *ast.RangeStmt:
			if !returns {
				return nil
			}
		}
		if _, ok := path[i-1].(*ast.SendStmt); ok { // the send statement's own list
			list := stmtList(path[i])
			for j, st := range list {
				if st != path[i-1] {
					continue
				}
				for _, after := range list[j+1:] {
					if _, ok := after.(*ast.ReturnStmt); ok {
						returns = true
						break
					}
					switch after.(type) {
					case *ast.ExprStmt, *ast.AssignStmt, *ast.SendStmt, *ast.IncDecStmt, *ast.DeclStmt:
						continue
					}
					break
				}
			}
		}
	}
	return nil
}

// calledOncePerValue reports that every mention of the method fd's name
// in the file is a call statement (x.M(), go x.M(), defer x.M()) on a
// variable x declared once by a fresh value (freshValue), each running at
// most once for each run of that declaration, one call per variable.
func (m *File) calledOncePerValue(fd *ast.FuncDecl) bool {
	if ast.IsExported(fd.Name.Name) {
		return false
	}
	d := m.derived
	d.identsOnce.Do(func() { d.idents = identsByName(m.AST) })
	seen := map[string]bool{}
	calls := 0
	for _, id := range d.idents[fd.Name.Name] {
		if id == fd.Name {
			continue
		}
		path, _ := EnclosingPath(m.AST, id.Pos(), id.End())
		if len(path) < 4 || path[0] != ast.Node(id) {
			return false
		}
		sel, ok := path[1].(*ast.SelectorExpr)
		if !ok || sel.Sel != id {
			return false
		}
		call, ok := path[2].(*ast.CallExpr)
		if !ok || call.Fun != ast.Expr(sel) {
			return false
		}
		switch path[3].(type) {
		case *ast.GoStmt, *ast.DeferStmt, *ast.ExprStmt:
		default:
			return false
		}
		x, ok := ast.Unparen(sel.X).(*ast.Ident)
		if !ok || seen[x.Name] {
			return false
		}
		seen[x.Name] = true
		def, ok := declaredOnceBefore(nil, path, x.Name)
		if !ok || !def.IsValid() || def > call.Pos() {
			return false
		}
		block, fresh := m.freshDecl(def)
		if !fresh || !onceInBlock(m.AST, &ChanOp{Pos: call.Pos()}, block) {
			return false
		}
		calls++
	}
	return calls > 0
}

// freshDecl is the block holding the declaration x := v at def, when v
// is a fresh value: a composite literal, its address, or a call of a
// function of this file whose every return gives one.
func (m *File) freshDecl(def token.Pos) (*ast.BlockStmt, bool) {
	path, _ := EnclosingPath(m.AST, def, def)
	if len(path) < 3 {
		return nil, false
	}
	as, ok := path[1].(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Lhs) != len(as.Rhs) {
		return nil, false
	}
	var v ast.Expr
	for i, l := range as.Lhs {
		if l.Pos() == def {
			v = as.Rhs[i]
		}
	}
	b, ok := path[2].(*ast.BlockStmt)
	if !ok || v == nil {
		return nil, false
	}
	if isFreshLit(v) {
		return b, true
	}
	call, ok := ast.Unparen(v).(*ast.CallExpr)
	if !ok {
		return nil, false
	}
	fn, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil, false
	}
	for _, decl := range m.AST.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || fd.Name.Name != fn.Name || fd.Body == nil {
			continue
		}
		fresh, any := true, false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				any = true
				fresh = fresh && len(n.Results) == 1 && isFreshLit(n.Results[0])
			}
			return fresh
		})
		return b, fresh && any
	}
	return nil, false
}

// isFreshLit reports T{...} or &T{...}.
func isFreshLit(e ast.Expr) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	_, ok := e.(*ast.CompositeLit)
	return ok
}
