package waitbeforedrain

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// The same deadlock split across methods of one type, the errgroup shape:
//
//	func (g *group) Go(f func() error) {
//		g.wg.Add(1)
//		go func() {
//			defer g.wg.Done()
//			if err := f(); err != nil {
//				g.errs <- err // unbuffered: waits for a receiver
//			}
//		}()
//	}
//	func (g *group) Wait() error {
//		g.wg.Wait() // waits for the goroutine, which waits for the drain below
//		select {
//		case err := <-g.errs:
//			return err
//		default:
//			return nil
//		}
//	}
//
// Reported at the Wait when a channel field of the package (unexported,
// every value stored in it an unbuffered make, never closed, never passed
// or stored elsewhere, so nothing outside the package can receive from
// it) is sent on only by goroutine literals that a function of the
// package starts after Add on a WaitGroup field and that call Done on that
// field only after the send (or deferred), and every receive from it in
// the package follows a Wait on that same WaitGroup field of the same
// variable, in the same function: nothing can receive before the Wait
// returns, and the Wait cannot return before the send completes.

// fieldChan gathers what the package does with one channel field.
type fieldChan struct {
	obj    *types.Var
	makes  []token.Pos
	sends  []fieldOp
	recvs  []fieldOp
	closes []fieldOp
	broken bool // used some other way: the package loses sight of it
	// buffered: some make stored in it has a buffer (or one not known
	// to be zero).
	buffered bool
}

type fieldOp struct {
	x      *ast.SelectorExpr // r.ch
	pos    token.Pos
	end    token.Pos
	cur    inspector.Cursor
	choice bool // a case of a select with other cases or a default
}

func fieldDrains(pass *analysis.Pass) {
	ins, _ := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if ins == nil {
		return
	}
	info := pass.TypesInfo
	fields := map[*types.Var]*fieldChan{}
	var order []*fieldChan
	for cur := range ins.Root().Preorder((*ast.SelectorExpr)(nil), (*ast.CompositeLit)(nil)) {
		if lit, ok := cur.Node().(*ast.CompositeLit); ok {
			// A literal without keys sets fields we do not see by name.
			if st, ok := structOf(info.TypeOf(lit)); ok && len(lit.Elts) > 0 {
				if _, keyed := lit.Elts[0].(*ast.KeyValueExpr); !keyed {
					for i := 0; i < st.NumFields(); i++ {
						if f := getField(fields, &order, st.Field(i)); f != nil {
							f.broken = true
						}
					}
				}
			}
			continue
		}
		sel := cur.Node().(*ast.SelectorExpr)
		s := info.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal {
			continue
		}
		v, ok := s.Obj().(*types.Var)
		if !ok {
			continue
		}
		f := getField(fields, &order, v)
		if f == nil {
			continue
		}
		classifyFieldUse(info, f, sel, cur)
	}
	// Keyed literals: T{ch: make(chan E)}.
	for cur := range ins.Root().Preorder((*ast.KeyValueExpr)(nil)) {
		kv := cur.Node().(*ast.KeyValueExpr)
		id, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || !v.IsField() {
			continue
		}
		if f := getField(fields, &order, v); f != nil {
			storeInto(info, f, kv.Value)
		}
	}
	decls := map[types.Object]*ast.FuncDecl{}
	for cur := range ins.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := cur.Node().(*ast.FuncDecl)
		if obj := info.Defs[fd.Name]; obj != nil {
			decls[obj] = fd
		}
	}
	for _, f := range order {
		if f.broken || len(f.makes) == 0 || len(f.recvs) == 0 {
			continue
		}
		if d, ok := fieldRangeClose(pass, decls, f); ok { // rangeclose.go's shape on a field
			pass.Report(d)
			continue
		}
		if f.buffered || len(f.sends) == 0 {
			continue
		}
		if d, ok := fieldDeadlock(pass, decls, f); ok {
			pass.Report(d)
		}
	}
}

// getField returns the record of an unexported, non-embedded channel field
// declared in this package, or nil for any other field.
func getField(fields map[*types.Var]*fieldChan, order *[]*fieldChan, v *types.Var) *fieldChan {
	if f, ok := fields[v]; ok {
		return f
	}
	if !v.IsField() || v.Exported() || v.Embedded() || v.Pkg() == nil {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Chan); !ok {
		return nil
	}
	f := &fieldChan{obj: v}
	fields[v] = f
	*order = append(*order, f)
	return f
}

func structOf(t types.Type) (*types.Struct, bool) {
	if t == nil {
		return nil, false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// classifyFieldUse records one x.f: a send on it, a receive from it, a
// store into it; anything else breaks the field.
func classifyFieldUse(info *types.Info, f *fieldChan, sel *ast.SelectorExpr, cur inspector.Cursor) {
	parent := cur.Parent()
	expr := ast.Expr(sel)
	for {
		if p, ok := parent.Node().(*ast.ParenExpr); ok {
			expr = p
			parent = parent.Parent()
			continue
		}
		break
	}
	switch p := parent.Node().(type) {
	case *ast.SendStmt:
		if p.Chan == expr {
			f.sends = append(f.sends, fieldOp{sel, p.Arrow, p.End(), parent, inSelectWithOthers(parent)})
			return
		}
	case *ast.UnaryExpr:
		if p.Op == token.ARROW {
			f.recvs = append(f.recvs, fieldOp{sel, p.OpPos, p.End(), parent, inSelectWithOthers(parent)})
			return
		}
	case *ast.RangeStmt:
		if p.X == expr {
			f.recvs = append(f.recvs, fieldOp{sel, p.For, p.X.End(), parent, false})
			return
		}
	case *ast.AssignStmt:
		for i, l := range p.Lhs {
			if l == expr && len(p.Lhs) == len(p.Rhs) && p.Tok == token.ASSIGN {
				storeInto(info, f, p.Rhs[i])
				return
			}
		}
	case *ast.BinaryExpr:
		return // x.ch == nil
	case *ast.CallExpr:
		if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && id.Name == "close" && len(p.Args) == 1 && p.Args[0] == expr {
			if _, b := info.Uses[id].(*types.Builtin); b {
				f.closes = append(f.closes, fieldOp{sel, p.Pos(), p.End(), parent, false})
				return
			}
		}
	}
	f.broken = true
}

// storeInto records a value stored into the field: an unbuffered make is
// followed; nil stores nothing; anything else (a buffered make, another
// channel) breaks the field.
func storeInto(info *types.Info, f *fieldChan, e ast.Expr) {
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		if _, isNil := info.Uses[id].(*types.Nil); isNil {
			return
		}
	}
	call, ok := e.(*ast.CallExpr)
	if ok {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "make" {
			if _, b := info.Uses[id].(*types.Builtin); b {
				if len(call.Args) == 1 {
					f.makes = append(f.makes, call.Pos())
					return
				}
				if tv := info.Types[call.Args[1]]; tv.Value == nil || tv.Value.String() != "0" {
					f.buffered = true
				}
				f.makes = append(f.makes, call.Pos())
				return
			}
		}
	}
	f.broken = true
}

// inSelectWithOthers: the operation is the communication of a select case
// and the select has another case or a default.
func inSelectWithOthers(c inspector.Cursor) bool {
	for ; c.Node() != nil; c = c.Parent() {
		switch n := c.Node().(type) {
		case *ast.CommClause:
			if n.Comm == nil {
				return false
			}
			sel := c.Parent().Parent().Node().(*ast.SelectStmt)
			return len(sel.Body.List) > 1
		case *ast.AssignStmt, *ast.ExprStmt, *ast.SendStmt, *ast.UnaryExpr:
		default:
			return false
		}
	}
	return false
}

// wgCall matches r.w.M() for a method M of sync.WaitGroup on a field w:
// it returns the field and the variable r.
func wgCall(info *types.Info, call *ast.CallExpr, method string) (*types.Var, types.Object, bool) {
	fun, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || fun.Sel.Name != method {
		return nil, nil, false
	}
	fn, ok := info.Uses[fun.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return nil, nil, false
	}
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return nil, nil, false
	}
	rt := recv.Type()
	if p, ok := rt.(*types.Pointer); ok {
		rt = p.Elem()
	}
	if n, ok := rt.(*types.Named); !ok || n.Obj().Name() != "WaitGroup" {
		return nil, nil, false
	}
	wsel, ok := ast.Unparen(fun.X).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, false
	}
	s := info.Selections[wsel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil, nil, false
	}
	id, ok := ast.Unparen(wsel.X).(*ast.Ident)
	if !ok {
		return nil, nil, false
	}
	root := info.Uses[id]
	if root == nil {
		return nil, nil, false
	}
	w, _ := s.Obj().(*types.Var)
	return w, root, w != nil
}

// rootVar is the variable r of r.ch.
func rootVar(info *types.Info, x *ast.SelectorExpr) types.Object {
	id, ok := ast.Unparen(x.X).(*ast.Ident)
	if !ok {
		return nil
	}
	return info.Uses[id]
}

// enclosingFunc is the innermost function declaration or literal around c.
func enclosingFunc(c inspector.Cursor) inspector.Cursor {
	for c = c.Parent(); c.Node() != nil; c = c.Parent() {
		switch c.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return c
		}
	}
	return c
}

func bodyOf(n ast.Node) *ast.BlockStmt {
	switch f := n.(type) {
	case *ast.FuncDecl:
		return f.Body
	case *ast.FuncLit:
		return f.Body
	}
	return nil
}

// waitBefore finds, in the receive's own function, a statement r.w.Wait()
// on the receive's variable r that runs before it on every path to it: an
// expression statement of a block whose later statement holds the receive.
func waitBefore(info *types.Info, decls map[types.Object]*ast.FuncDecl, recv fieldOp) (*ast.CallExpr, *types.Var, *ast.CallExpr, bool) {
	fn := enclosingFunc(recv.cur)
	body := bodyOf(fn.Node())
	root := rootVar(info, recv.x)
	if body == nil || root == nil {
		return nil, nil, nil, false
	}
	var call, inner *ast.CallExpr
	var wg *types.Var
	var walk func(b []ast.Stmt)
	walk = func(list []ast.Stmt) {
		for i, s := range list {
			if call != nil {
				return
			}
			if s.Pos() > recv.pos {
				return
			}
			if es, ok := s.(*ast.ExprStmt); ok {
				if c, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && i+1 < len(list) &&
					list[i+1].Pos() <= recv.pos && recv.pos < list[len(list)-1].End() {
					if w, r, ok := wgCall(info, c, "Wait"); ok && r == root {
						call, wg = c, w
						return
					}
					if w, in, ok := waitingMethod(info, decls, c, root); ok {
						call, wg, inner = c, w, in
						return
					}
				}
			}
			if s.Pos() <= recv.pos && recv.pos < s.End() {
				// Descend into the statement that holds the receive.
				ast.Inspect(s, func(n ast.Node) bool {
					if call != nil {
						return false
					}
					switch n := n.(type) {
					case *ast.FuncLit:
						return false
					case *ast.BlockStmt:
						if n.Pos() <= recv.pos && recv.pos < n.End() {
							walk(n.List)
						}
						return false
					case *ast.CaseClause:
						if n.Pos() <= recv.pos && recv.pos < n.End() {
							walk(n.Body)
						}
						return false
					case *ast.CommClause:
						if n.Pos() <= recv.pos && recv.pos < n.End() {
							walk(n.Body)
						}
						return false
					}
					return true
				})
			}
		}
	}
	walk(body.List)
	return call, wg, inner, call != nil
}

// waitingMethod: c is r.m(...), a call of a method of the package whose
// body waits, as one of its own top-level statements, on a WaitGroup
// field of its receiver (`func (b *batch) run() { ...; b.wg.Wait(); ... }`):
// the statements after the call run after that Wait returned.
func waitingMethod(info *types.Info, decls map[types.Object]*ast.FuncDecl, c *ast.CallExpr, root types.Object) (*types.Var, *ast.CallExpr, bool) {
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, false
	}
	if id, ok := ast.Unparen(sel.X).(*ast.Ident); !ok || info.Uses[id] != root {
		return nil, nil, false
	}
	fd := decls[info.Uses[sel.Sel]]
	if fd == nil || fd.Body == nil || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
		return nil, nil, false
	}
	recv := info.Defs[fd.Recv.List[0].Names[0]]
	for _, s := range fd.Body.List {
		if model.HoldsReturn(s) {
			return nil, nil, false // a return before the Wait may skip it
		}
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			continue
		}
		if wc, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
			if w, r, ok := wgCall(info, wc, "Wait"); ok && r == recv {
				return w, wc, true
			}
		}
	}
	return nil, nil, false
}

// countedSender: the send is a plain statement of a goroutine literal
// (go func() { ... }()) whose function first calls r.w.Add before the go
// statement, and whose body calls Done on w only deferred or after the
// send. It returns the go statement.
func countedSender(info *types.Info, s fieldOp, wg *types.Var) (*ast.GoStmt, bool) {
	if s.choice {
		return nil, false
	}
	lit := enclosingFunc(s.cur)
	fl, ok := lit.Node().(*ast.FuncLit)
	if !ok {
		return nil, false
	}
	call, ok := lit.Parent().Node().(*ast.CallExpr)
	if !ok || call.Fun != ast.Expr(fl) {
		return nil, false
	}
	g, ok := lit.Parent().Parent().Node().(*ast.GoStmt)
	if !ok {
		return nil, false
	}
	// Done on the same field of the same variable as the send's:
	// deferred, or after the send; none before it.
	root := rootVar(info, s.x)
	if root == nil {
		return nil, false
	}
	done, early := false, false
	ast.Inspect(fl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if w, r, ok := wgCall(info, n.Call, "Done"); ok && w == wg && r == root {
				done = true
			}
			return false
		case *ast.CallExpr:
			if w, r, ok := wgCall(info, n, "Done"); ok && w == wg && r == root {
				if n.Pos() < s.pos {
					early = true
				}
				done = true
			}
		}
		return true
	})
	if !done || early {
		return nil, false
	}
	// Add on the same field in the starter, before the go statement.
	starter := enclosingFunc(lit.Parent().Parent())
	body := bodyOf(starter.Node())
	if body == nil {
		return nil, false
	}
	added := false
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && c.Pos() < g.Pos() {
			if w, r, ok := wgCall(info, c, "Add"); ok && w == wg && r == root {
				added = true
			}
		}
		return !added
	})
	return g, added
}

// fieldDeadlock checks the shape and builds the finding at the Wait.
func fieldDeadlock(pass *analysis.Pass, decls map[types.Object]*ast.FuncDecl, f *fieldChan) (analysis.Diagnostic, bool) {
	info := pass.TypesInfo
	var wait, inner *ast.CallExpr
	var wg *types.Var
	for _, r := range f.recvs {
		c, w, in, ok := waitBefore(info, decls, r)
		if !ok || wg != nil && w != wg {
			return analysis.Diagnostic{}, false
		}
		if wait == nil {
			wait, inner = c, in
		}
		wg = w
	}
	// A close before the Wait would make the sends panic, not block.
	for _, cl := range f.closes {
		if _, w, _, ok := waitBefore(info, decls, cl); !ok || w != wg {
			return analysis.Diagnostic{}, false
		}
	}
	// A Done in a goroutine that never sends would not matter; a Done
	// before the send, checked in countedSender, would.
	var goStmt *ast.GoStmt
	for _, s := range f.sends {
		g, ok := countedSender(info, s, wg)
		if !ok {
			return analysis.Diagnostic{}, false
		}
		if goStmt == nil {
			goStmt = g
		}
	}
	text := types.ExprString(f.sends[0].x)
	recvText := types.ExprString(f.recvs[0].x)
	fset := pass.Fset
	at, after := wait, "this Wait"
	related := []analysis.RelatedInformation{
		{Pos: goStmt.Pos(), Message: "this goroutine sends on " + text + " before it is done"},
		{Pos: f.sends[0].pos, End: f.sends[0].end, Message: "the send waits for a receiver"},
		{Pos: f.recvs[0].pos, End: f.recvs[0].end, Message: recvText + " received from here, only after the Wait"},
		{Pos: f.makes[0], Message: "the channel is made here (unbuffered)"},
	}
	if inner != nil {
		// The Wait is in a method the receiving function calls first:
		// report it there, and the call as where the drain waits.
		at = inner
		after = "the call of " + types.ExprString(wait.Fun) + " returns (the call at " + chanutil.Where(fset, wait.Pos(), inner.Pos()) + ", the receive"
		related = append(related, analysis.RelatedInformation{Pos: wait.Pos(), End: wait.End(), Message: "the receiver calls this first, and receives only after it returns"})
	}
	where := chanutil.Where(fset, f.recvs[0].pos, at.Pos())
	if inner != nil {
		where = "at " + where + ")"
		after += " " + where
		where = ""
	}
	return analysis.Diagnostic{
		Pos:      at.Pos(),
		End:      at.End(),
		Category: name,
		Message: fmt.Sprintf("deadlock: %s waits for the goroutine started at %s, which sends on the unbuffered channel %s before it is done; %s is received from only after %s%s: once the goroutine sends, neither side can go on",
			types.ExprString(at), chanutil.Where(fset, goStmt.Pos(), at.Pos()), text, recvText, after, parenthesized(where)),
		Related: related,
	}, true
}

func parenthesized(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// fieldRangeClose: a goroutine counted by a WaitGroup field ranges over
// the channel field, and every close of the field follows a Wait on that
// WaitGroup field (the dispatcher whose Close waits for its loop before
// closing the loop's channel).
//
//	func newDispatcher() *dispatcher {
//		d := &dispatcher{events: make(chan string)}
//		d.wg.Add(1)
//		go d.loop() // defer d.wg.Done(); for e := range d.events { ... }
//		return d
//	}
//	func (d *dispatcher) Close() {
//		d.wg.Wait() // never returns
//		close(d.events)
//	}
func fieldRangeClose(pass *analysis.Pass, decls map[types.Object]*ast.FuncDecl, f *fieldChan) (analysis.Diagnostic, bool) {
	info := pass.TypesInfo
	if len(f.closes) == 0 {
		return analysis.Diagnostic{}, false
	}
	var wait, inner *ast.CallExpr
	var wg *types.Var
	for _, cl := range f.closes {
		c, w, in, ok := waitBefore(info, decls, cl)
		if !ok || wg != nil && w != wg {
			return analysis.Diagnostic{}, false
		}
		if wait == nil {
			wait, inner = c, in
		}
		wg = w
	}
	for _, r := range f.recvs {
		rs, ok := r.cur.Node().(*ast.RangeStmt)
		if !ok {
			continue
		}
		g, ok := rangingGoroutine(pass, decls, r, rs, wg)
		if !ok {
			continue
		}
		at := wait
		if inner != nil {
			at = inner
		}
		fset := pass.Fset
		text := types.ExprString(r.x)
		cl := f.closes[0]
		related := []analysis.RelatedInformation{
			{Pos: g.Pos(), Message: "this goroutine is done only after its range over " + text + " ends"},
			{Pos: rs.For, End: rs.X.End(), Message: "the range ends only when the channel is closed"},
			{Pos: cl.pos, End: cl.end, Message: "closed here, after the Wait"},
		}
		if inner != nil {
			related = append(related, analysis.RelatedInformation{Pos: wait.Pos(), End: wait.End(), Message: "the close runs only after this call returns"})
		}
		return analysis.Diagnostic{
			Pos:      at.Pos(),
			End:      at.End(),
			Category: name,
			Message: fmt.Sprintf("deadlock: %s waits for the goroutine started at %s, which ranges over %s until it is closed; it is closed only after this Wait (%s): the range never ends, so the goroutine is never done and the Wait never returns",
				types.ExprString(at), chanutil.Where(fset, g.Pos(), at.Pos()), text, chanutil.Where(fset, cl.pos, at.Pos())),
			Related: related,
		}, true
	}
	return analysis.Diagnostic{}, false
}

// rangingGoroutine: the range is a top-level statement, with no return
// before it and no way out of its body, of a function run by a go
// statement (a literal, or a method started as go r.m()) after Add on the
// WaitGroup field of the same variable, and that function calls Done on
// that field of the range's variable deferred or after the range.
func rangingGoroutine(pass *analysis.Pass, decls map[types.Object]*ast.FuncDecl, r fieldOp, rs *ast.RangeStmt, wg *types.Var) (*ast.GoStmt, bool) {
	info := pass.TypesInfo
	fn := enclosingFunc(r.cur)
	body := bodyOf(fn.Node())
	root := rootVar(info, r.x)
	if body == nil || root == nil {
		return nil, false
	}
	if m := fileModel(pass, rs.Pos()); m == nil || !m.RangeUntilClosed(body, rs) {
		return nil, false
	}
	done, early := false, false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if w, rv, ok := wgCall(info, n.Call, "Done"); ok && w == wg && rv == root {
				done = true
			}
			return false
		case *ast.CallExpr:
			if w, rv, ok := wgCall(info, n, "Done"); ok && w == wg && rv == root {
				if n.Pos() < rs.Pos() {
					early = true
				}
				done = true
			}
		}
		return true
	})
	if !done || early {
		return nil, false
	}
	// The go statement that runs the function, and the root the starter
	// passes (the literal's captured variable, or the method's receiver
	// expression).
	var g *ast.GoStmt
	var starterRoot types.Object
	switch fnode := fn.Node().(type) {
	case *ast.FuncLit:
		call, ok := fn.Parent().Node().(*ast.CallExpr)
		if !ok || call.Fun != ast.Expr(fnode) {
			return nil, false
		}
		if g, ok = fn.Parent().Parent().Node().(*ast.GoStmt); !ok {
			return nil, false
		}
		starterRoot = root
	case *ast.FuncDecl:
		if fnode.Recv == nil || len(fnode.Recv.List) != 1 || len(fnode.Recv.List[0].Names) != 1 || info.Defs[fnode.Recv.List[0].Names[0]] != root {
			return nil, false
		}
		obj := info.Defs[fnode.Name]
		n := 0
		for _, file := range pass.Files {
			ast.Inspect(file, func(x ast.Node) bool {
				if id, ok := x.(*ast.Ident); ok && info.Uses[id] == obj {
					n++
				}
				gs, ok := x.(*ast.GoStmt)
				if !ok {
					return true
				}
				if sel, ok := ast.Unparen(gs.Call.Fun).(*ast.SelectorExpr); ok && info.Uses[sel.Sel] == obj {
					if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
						g, starterRoot = gs, info.Uses[id]
					}
				}
				return true
			})
		}
		if n != 1 || g == nil || starterRoot == nil {
			return nil, false // run some other way too
		}
	default:
		return nil, false
	}
	// Add before the go statement, in the function holding it.
	var starter ast.Node
	for _, file := range pass.Files {
		if file.FileStart <= g.Pos() && g.Pos() < file.FileEnd {
			starter = innermostFuncAt(file, g.Pos())
		}
	}
	sbody := bodyOf(starter)
	if sbody == nil {
		return nil, false
	}
	added := false
	ast.Inspect(sbody, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && c.Pos() < g.Pos() {
			if w, rv, ok := wgCall(info, c, "Add"); ok && w == wg && rv == starterRoot {
				added = true
			}
		}
		return !added
	})
	return g, added
}

// fileModel is the model of the package file holding p (modelpass).
func fileModel(pass *analysis.Pass, p token.Pos) *model.File {
	res, _ := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	if res == nil {
		return nil
	}
	for _, m := range res.Order {
		if m.AST != nil && m.AST.FileStart <= p && p < m.AST.FileEnd {
			return m
		}
	}
	return nil
}

// innermostFuncAt is the function declaration or literal whose body holds p.
func innermostFuncAt(file *ast.File, p token.Pos) ast.Node {
	var best ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil || p < n.Pos() || p >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			best = n
		}
		return true
	})
	return best
}
