package model

import (
	"go/ast"
	"go/token"
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
	if !c.Local || c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
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
