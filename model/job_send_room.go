package model

import (
	"go/ast"
	"go/token"
)

// A reply channel carried in a job: `reply := make(chan T, 1); q <-
// job{reply: reply}` on one side, `case j := <-q: j.reply <- v` on the
// other. Each run of the make gives a new channel, stored in one job value
// that is sent once; a sent value is received at most once, and each
// receive runs the sends on the received value's field at most once (no
// loop between). So no channel gets more values than the field has sends,
// and when those are no more than its buffer, no send on it ever waits.

// JobRoom is how a field's channels reach the send (SendRoom.Job): every
// value ever stored in the field is a channel made fresh by one of Makes
// and carried in a composite literal sent directly by one of Carriers;
// the send's value is the one received by Recv, into Var.
type JobRoom struct {
	Makes    []*MakeSite
	Carriers []*ChanOp
	Recv     *ChanOp
	Var      string
	Field    string
}

// jobSendRoom is SendRoom for an unexported field f whose every value is
// a fresh channel carried by one job value to one receiver, which sends
// on it at most once:
//
//   - every write of f in the file is the key of a keyed composite literal
//     T{f: v} (no unkeyed literal of the struct declaring f, no
//     assignment, no nil), where v is make(chan E, n) or a local channel
//     declared by its one make, with n >= 1 constant; that local is only
//     received from, ranged over, measured, compared or returned as a
//     <-chan (never sent on, closed, passed or stored elsewhere), and the
//     literal (or its address) is itself the value of a send statement
//     that runs at most once for each run of the make (onceInBlock);
//   - f is only sent on, received from or measured, and every send on it
//     is x.f <- v where x is declared by `x := <-q` or `case x := <-q:`
//     with no loop, function literal or other declaration of x between,
//     and x is used after it only to read fields (x.g, never x alone,
//     &x.g, x.g = ..., a method call, nor x.f other than to send or
//     receive);
//   - every such q is never closed (a receive then yields the zero value,
//     a nil f), is made or declared only where golens sees it, and every
//     send on q is one of the literal sends above;
//   - the field has no more sends than the smallest buffer.
//
// Each channel then reaches one value, sent once and received at most
// once, after which the field's sends run at most once each: its buffer
// always has room. The typed tier also needs the package to have this
// file alone. nil otherwise.
func (m *File) jobSendRoom(op *ChanOp) *SendRoom {
	c := op.Chan
	sel, ok := ast.Unparen(op.Operand()).(*ast.SelectorExpr)
	if !ok || len(c.Assigned) > 0 || len(c.NilSets) > 0 || !c.Decl.IsValid() || m.packageHasOtherFiles() || ast.IsExported(sel.Sel.Name) {
		return nil
	}
	fname := sel.Sel.Name
	structName := m.structDeclaring(c.Decl)
	if structName == "" {
		return nil
	}
	job := &JobRoom{Field: fname}
	sends := c.Sends()
	recvChans := map[*Chan]bool{}
	for _, s := range sends {
		recv, x := m.jobRecv(s, fname)
		if recv == nil {
			return nil
		}
		recvChans[recv.Chan] = true
		if s == op {
			job.Recv, job.Var = recv, x
		}
	}
	if job.Recv == nil {
		return nil
	}
	keys := map[*ast.Ident]bool{} // the typed tier's mentions of f as a literal key
	for _, r := range c.Refs() {
		switch {
		case r.Kind == RefSend, r.Kind == RefRecv, r.Kind == RefRange, r.Kind == RefLen, r.Compared:
		case r.Kind == RefDef && r.Ident.Pos() == c.Decl:
		case r.Kind == RefDef && r.Expr == ast.Expr(r.Ident):
			keys[r.Ident] = true
		default:
			return nil // closed, assigned, passed, stored
		}
	}
	// Every literal storing f; an unkeyed literal of the struct could
	// store anything there.
	var kvs []*ast.KeyValueExpr
	bad := false
	ast.Inspect(m.AST, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || bad {
			return !bad
		}
		for _, el := range lit.Elts {
			kv, isKV := el.(*ast.KeyValueExpr)
			if !isKV {
				if lit.Type == nil || namesType(lit.Type, structName) {
					bad = true
				}
				continue
			}
			key, isID := kv.Key.(*ast.Ident)
			if !isID || key.Name != fname || m.Info != nil && !keys[key] {
				continue
			}
			delete(keys, key)
			kvs = append(kvs, kv)
		}
		return true
	})
	if bad || len(kvs) == 0 || len(keys) > 0 {
		return nil
	}
	carried := map[*ChanOp]bool{}
	room := &SendRoom{Sends: sends, Job: job}
	for _, kv := range kvs {
		mk, carrier := m.freshInJob(kv)
		if mk == nil {
			return nil
		}
		if room.Make == nil || mk.Cap < room.Cap {
			room.Make, room.Cap = mk, mk.Cap
		}
		job.Makes = append(job.Makes, mk)
		job.Carriers = append(job.Carriers, carrier)
		carried[carrier] = true
	}
	if int64(len(sends)) > room.Cap {
		return nil
	}
	for q := range recvChans {
		if !m.onlyCarries(q, carried) {
			return nil
		}
	}
	return room
}

// structDeclaring is the name of the struct type whose field is declared
// at pos; "" when it is not a field of a named struct type of this file
// (a field of a struct type nested in one has no literal of that name).
func (m *File) structDeclaring(pos token.Pos) string {
	path, _ := EnclosingPath(m.AST, pos, pos)
	var st *ast.StructType
	for _, n := range path {
		switch n := n.(type) {
		case *ast.StructType:
			if st != nil {
				return ""
			}
			st = n
		case *ast.TypeSpec:
			if st == nil || n.Type != ast.Expr(st) {
				return ""
			}
			return n.Name.Name
		}
	}
	return ""
}

// namesType reports a literal's type written as name or name[...] (a
// generic instance).
func namesType(t ast.Expr, name string) bool {
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.Name == name
}

// jobRecv is the receive declaring x for the send s on x.f, and x: s sits
// after `x := <-q` in its statement list, or in the body of `case x :=
// <-q:`, with no loop, function literal or other declaration of x
// between, in a function with no goto; after the receive, x is only the
// operand of field reads (readsFieldsOnly). nil otherwise.
func (m *File) jobRecv(s *ChanOp, fname string) (*ChanOp, string) {
	sel, ok := ast.Unparen(s.Operand()).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != fname {
		return nil, ""
	}
	xid, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil, ""
	}
	x := xid.Name
	path, _ := EnclosingPath(m.AST, s.Pos, s.Pos)
	if body := enclosingFuncBody(path); body == nil || hasGoto(body) {
		return nil, ""
	}
	declares := func(st ast.Stmt) bool {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, l := range st.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == x {
						return true
					}
				}
			}
		case *ast.DeclStmt:
			found := false
			ast.Inspect(st, func(n ast.Node) bool {
				if vs, ok := n.(*ast.ValueSpec); ok {
					for _, id := range vs.Names {
						found = found || id.Name == x
					}
				}
				return !found
			})
			return found
		case *ast.LabeledStmt:
			return false
		}
		return false
	}
	// recvOf is the receive `x := <-q` that st is, or nil.
	recvOf := func(st ast.Stmt) *ast.UnaryExpr {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return nil
		}
		if id, ok := as.Lhs[0].(*ast.Ident); !ok || id.Name != x {
			return nil
		}
		u, ok := ast.Unparen(as.Rhs[0]).(*ast.UnaryExpr)
		if !ok || u.Op != token.ARROW {
			return nil
		}
		return u
	}
	for i := 1; i < len(path); i++ {
		switch n := path[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit, *ast.FuncDecl:
			return nil, "" // a loop between, or no receive declares x
		case *ast.IfStmt:
			if n.Init != nil && declares(n.Init) {
				return nil, ""
			}
		case *ast.SwitchStmt:
			if n.Init != nil && declares(n.Init) {
				return nil, ""
			}
		case *ast.TypeSwitchStmt:
			if n.Init != nil && declares(n.Init) || declares(n.Assign) {
				return nil, ""
			}
		}
		list := stmtList(path[i])
		if list == nil {
			continue
		}
		at := -1
		for j, st := range list {
			if ast.Node(st) == path[i-1] {
				at = j
			}
		}
		if at < 0 {
			if cc, ok := path[i].(*ast.CommClause); ok && ast.Node(cc.Comm) == path[i-1] {
				continue // the send is the clause's own comm
			}
			return nil, ""
		}
		for j := at - 1; j >= 0; j-- {
			if !declares(list[j]) {
				continue
			}
			if u := recvOf(list[j]); u != nil && m.readsFieldsOnly(list[j+1:], x, fname) {
				return m.recvOpAt(u), x
			}
			return nil, ""
		}
		if cc, ok := path[i].(*ast.CommClause); ok && cc.Comm != nil && declares(cc.Comm) {
			if u := recvOf(cc.Comm); u != nil && m.readsFieldsOnly(cc.Body, x, fname) {
				return m.recvOpAt(u), x
			}
			return nil, ""
		}
	}
	return nil, ""
}

// recvOpAt is the model's receive op of u, when it has a channel.
func (m *File) recvOpAt(u *ast.UnaryExpr) *ChanOp {
	for _, op := range m.ChanOps {
		if op.Node == ast.Node(u) && op.Kind == Recv && op.Chan != nil {
			return op
		}
	}
	return nil
}

// readsFieldsOnly reports that every mention of x in stmts reads one of
// its fields: x.g, not assigned, not its address taken, not a method
// called on it; and x.f only sent on or received from.
func (m *File) readsFieldsOnly(stmts []ast.Stmt, x, fname string) bool {
	ok := true
	for _, st := range stmts {
		var stack []ast.Node
		ast.Inspect(st, func(n ast.Node) bool {
			if !ok {
				return false
			}
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			if id, isID := n.(*ast.Ident); isID && id.Name == x {
				ok = len(stack) >= 2 && fieldRead(stack, id, fname)
			}
			stack = append(stack, n)
			return true
		})
	}
	return ok
}

// fieldRead: id (whose parents are stack) is the operand of a selector
// that reads a field, as readsFieldsOnly allows.
func fieldRead(stack []ast.Node, id *ast.Ident, fname string) bool {
	sel, ok := stack[len(stack)-1].(*ast.SelectorExpr)
	if !ok || sel.X != ast.Expr(id) {
		return false
	}
	switch p := stack[len(stack)-2].(type) {
	case *ast.SendStmt:
		return p.Chan == ast.Expr(sel) || sel.Sel.Name != fname
	case *ast.UnaryExpr:
		return p.Op == token.ARROW || p.Op != token.AND && sel.Sel.Name != fname
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == ast.Expr(sel) {
				return false
			}
		}
	case *ast.IncDecStmt:
		return false
	case *ast.CallExpr:
		if p.Fun == ast.Expr(sel) {
			return false
		}
	}
	return sel.Sel.Name != fname
}

// freshInJob checks the literal holding kv (f: v): v is a fresh channel
// with a constant buffer >= 1, its make's one channel (a make right there,
// or a local declared by its make and used as jobSendRoom allows), and the
// literal is the value of a send that runs at most once for each run of
// the make. It gives the make and that send; nil when any of it fails.
func (m *File) freshInJob(kv *ast.KeyValueExpr) (*MakeSite, *ChanOp) {
	path, _ := EnclosingPath(m.AST, kv.Pos(), kv.End())
	if len(path) < 3 || path[0] != ast.Node(kv) {
		return nil, nil
	}
	lit, ok := path[1].(*ast.CompositeLit)
	if !ok {
		return nil, nil
	}
	i := 2
	for i < len(path) {
		if _, paren := path[i].(*ast.ParenExpr); !paren {
			break
		}
		i++
	}
	if u, ok := path[min(i, len(path)-1)].(*ast.UnaryExpr); ok && u.Op == token.AND {
		i++
		for i < len(path) {
			if _, paren := path[i].(*ast.ParenExpr); !paren {
				break
			}
			i++
		}
	}
	if i >= len(path) {
		return nil, nil
	}
	send, ok := path[i].(*ast.SendStmt)
	if !ok || send.Value.End() != lit.End() {
		return nil, nil
	}
	var carrier *ChanOp
	for _, op := range m.ChanOps {
		if op.Node == ast.Node(send) && op.Kind == Send && op.Chan != nil {
			carrier = op
		}
	}
	if carrier == nil {
		return nil, nil
	}
	if call, ok := ast.Unparen(kv.Value).(*ast.CallExpr); ok {
		// A make right in the literal: a new channel each time the
		// literal is evaluated, once for each send.
		if mk := m.makeAt(call.Pos()); mk != nil && mk.CapKnown && mk.Cap >= 1 {
			return mk, carrier
		}
		return nil, nil
	}
	v, ok := ast.Unparen(kv.Value).(*ast.Ident)
	if !ok {
		return nil, nil
	}
	var lc *Chan
	for _, c := range m.Chans {
		if !c.Local {
			continue
		}
		for _, r := range c.Refs() {
			if r.Ident == v {
				lc = c
			}
		}
	}
	if lc == nil || lc.IsParam || len(lc.Makes) != 1 || len(lc.Assigned) > 0 || len(lc.NilSets) > 0 {
		return nil, nil
	}
	mk := lc.Makes[0]
	if !mk.CapKnown || mk.Cap < 1 {
		return nil, nil
	}
	block, stmt := m.declaringMake(lc, mk)
	if block == nil || carrier.Pos < stmt.End() || carrier.Pos >= block.End() || !onceInBlock(m.AST, carrier, block) {
		return nil, nil
	}
	for _, r := range lc.Refs() {
		switch {
		case r.Kind == RefRecv, r.Kind == RefRange, r.Kind == RefLen, r.Compared:
		case r.Kind == RefDef && r.Ident.Pos() == lc.Decl:
		case r.Kind == RefOther && (r.Ident == v || r.Ident == kv.Key):
			// The literal's value, and on the syntax tier its key,
			// which the parser resolves to the local of that name.
		case r.Kind == RefOther && m.returnedRecvOnly(r.Expr):
		default:
			return nil, nil // sent on, closed, passed, stored elsewhere
		}
	}
	return mk, carrier
}

// makeAt is the make site at pos, nil when the model has none there.
func (m *File) makeAt(pos token.Pos) *MakeSite {
	for _, c := range m.Chans {
		for _, mk := range c.Makes {
			if mk.Pos == pos {
				return mk
			}
		}
	}
	return nil
}

// onlyCarries reports that the channel q gets values only from the sends
// in carried and is never closed: q is made or declared where golens sees
// it, and golens follows every mention of it.
func (m *File) onlyCarries(q *Chan, carried map[*ChanOp]bool) bool {
	if !q.Local && !q.IsField || q.IsParam || len(q.Assigned) > 0 || len(q.Closes()) > 0 || q.IsField && ast.IsExported(fieldNameOf(q)) {
		return false
	}
	for _, s := range q.Sends() {
		if !carried[s] {
			return false
		}
	}
	for _, r := range q.Refs() {
		switch {
		case r.Kind == RefSend, r.Kind == RefRecv, r.Kind == RefRange, r.Kind == RefLen, r.Compared:
		case r.Kind == RefDef && r.Ident.Pos() == q.Decl:
		case q.IsField && m.fieldMakeKey(q, r):
		default:
			return false
		}
	}
	return true
}

// fieldNameOf is the field's name, the last selector of its Name.
func fieldNameOf(c *Chan) string {
	name := c.Name
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return name[i+1:]
		}
	}
	return name
}
