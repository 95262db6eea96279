package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
)

// A channel variable assigned the result of a function of this file that
// makes a channel, closes it (often in the goroutine it starts, by
// defer) and returns it: `ch := count(3)` with
//
//	func count(n int) <-chan int {
//		out := make(chan int)
//		go func() {
//			defer close(out)
//			...
//		}()
//		return out
//	}
//
// is closed by count, as `out` is: a range over ch ends when count's
// goroutine closes it. The callee's own channel facts say so; without them
// the caller's channel was "assigned from a value golens does not follow".

// returnedClosedFact is the Closed fact of c when its one assignment stores
// the result of such a call: Proven, why naming the callee and its close.
func (b *builder) returnedClosedFact(c *Chan) (Fact, bool) {
	fd, out := b.returnedChan(c)
	if out == nil {
		return Fact{}, false
	}
	var close *ChanOp
	for _, op := range out.Closes() {
		if op.Pos >= fd.Pos() && op.Pos < fd.End() && b.unconditional(op.Pos, fd) {
			close = op
			break
		}
	}
	if close == nil {
		return Fact{}, false
	}
	after := ""
	if r := b.m.behindRange(close); r != nil {
		// The close runs only once that range ends (close_after_range.go).
		after = " once the range over `" + r.ChanExpr + "` at line " + itoa(b.m.Line(r.Pos)) + " ends"
	}
	return Fact{Certainty: Proven, Holds: true, Why: "set at line " + itoa(b.m.Line(c.Assigned[0])) + " to the channel `" + fd.Name.Name +
		"` returns, and `" + fd.Name.Name + "` closes that channel (line " + itoa(b.m.Line(close.Pos)) + ")" + after}, true
}

// returnedChan is the function of this file whose result c's one
// assignment stores, and the one local channel variable, made once in it,
// that every return of it returns as that result: the channel c holds.
// Nil when c holds anything else, or golens cannot tell.
func (b *builder) returnedChan(c *Chan) (*ast.FuncDecl, *Chan) {
	if len(c.Assigned) != 1 || len(c.Makes) > 0 || c.IsParam || c.IsField || b.m.AST == nil {
		return nil, nil
	}
	call, idx, nres := b.assignedCallAt(c, c.Assigned[0])
	if call == nil {
		return nil, nil
	}
	fd := b.fileFuncDecl(call.Fun)
	if fd == nil || fd.Recv != nil || fd.Body == nil || fd.Type.Results == nil || fd.Type.Results.NumFields() != nres {
		return nil, nil
	}
	// Every return of fd returns, as result idx, one local channel
	// variable (`paths, errc := walk(…)`: the first result).
	var out *Chan
	ok := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			var r *Chan
			if len(n.Results) == nres {
				if id, isID := ast.Unparen(n.Results[idx]).(*ast.Ident); isID {
					if k, found := b.keyOf(id); found {
						r = b.chans[k]
					}
				}
			}
			if r == nil || out != nil && r != out {
				ok = false
			}
			out = r
		}
		return ok
	})
	if !ok || out == nil || out == c || !out.Local || out.IsParam || len(out.Makes) != 1 || len(out.Assigned) > 0 || len(out.NilSets) > 0 {
		return nil, nil
	}
	return fd, out
}

// unconditional: the close at pos is a statement, or a deferred call, of
// the body of fd itself, or of a function literal that fd's body calls, or
// starts with a go statement, among its own statements (not under an if, a
// loop or a case): it runs, or is deferred, whenever that body gets so far.
func (b *builder) unconditional(pos token.Pos, fd *ast.FuncDecl) bool {
	path, _ := EnclosingPath(b.m.AST, pos, pos)
	// topStmt: path[i] is a statement listed in the body of path[i+2].
	topStmt := func(i int) ast.Node {
		if i+2 >= len(path) {
			return nil
		}
		switch path[i].(type) {
		case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
		default:
			return nil
		}
		if _, ok := path[i+1].(*ast.BlockStmt); !ok {
			return nil
		}
		return path[i+2]
	}
	for i, n := range path {
		if _, ok := n.(ast.Stmt); !ok {
			continue
		}
		switch fn := topStmt(i).(type) {
		case *ast.FuncDecl:
			return fn == fd
		case *ast.FuncLit:
			// The literal is called or started where it stands, by a
			// statement of fd's body.
			j := i + 3
			if j+1 >= len(path) {
				return false
			}
			call, ok := path[j].(*ast.CallExpr)
			if !ok || ast.Unparen(call.Fun) != fn {
				return false
			}
			return topStmt(j+1) == ast.Node(fd)
		}
		return false
	}
	return false
}

// assignedCallAt is assignedCall, also for a call of several results
// (`a, c := f(x)`): the call, the index of the result stored in c, and the
// number of results the assignment takes.
func (b *builder) assignedCallAt(c *Chan, at token.Pos) (*ast.CallExpr, int, int) {
	if call := b.assignedCall(c, at); call != nil {
		return call, 0, 1
	}
	path, _ := EnclosingPath(b.m.AST, at, at)
	for _, n := range path {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) != 1 || len(n.Lhs) < 2 {
				return nil, 0, 0
			}
			call, _ := ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
			for i, l := range n.Lhs {
				if k, ok := b.keyOf(l); ok && k == c.Key && call != nil {
					return call, i, len(n.Lhs)
				}
			}
			return nil, 0, 0
		case *ast.ValueSpec:
			if len(n.Values) != 1 || len(n.Names) < 2 {
				return nil, 0, 0
			}
			call, _ := ast.Unparen(n.Values[0]).(*ast.CallExpr)
			for i, l := range n.Names {
				if k, ok := b.keyOf(l); ok && k == c.Key && call != nil {
					return call, i, len(n.Names)
				}
			}
			return nil, 0, 0
		case ast.Stmt:
			return nil, 0, 0
		}
	}
	return nil, 0, 0
}

// assignedCall is the call whose result the assignment at at stores in c
// (`c := f(x)`, `c = f(x)`, `var c = f(x)`), or nil.
func (b *builder) assignedCall(c *Chan, at token.Pos) *ast.CallExpr {
	path, _ := EnclosingPath(b.m.AST, at, at)
	for _, n := range path {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return nil
			}
			for i, l := range n.Lhs {
				if k, ok := b.keyOf(l); ok && k == c.Key {
					call, _ := ast.Unparen(n.Rhs[i]).(*ast.CallExpr)
					return call
				}
			}
			return nil
		case *ast.ValueSpec:
			if len(n.Names) != len(n.Values) {
				return nil
			}
			for i, l := range n.Names {
				if k, ok := b.keyOf(l); ok && k == c.Key {
					call, _ := ast.Unparen(n.Values[i]).(*ast.CallExpr)
					return call
				}
			}
			return nil
		case ast.Stmt:
			return nil
		}
	}
	return nil
}

// fileFuncDecl is the declaration, in this file, of the function fun names
// (a plain identifier), or nil.
func (b *builder) fileFuncDecl(fun ast.Expr) *ast.FuncDecl {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return nil
	}
	if info := b.m.Info; info != nil {
		obj, _ := info.Uses[id].(*types.Func)
		if obj == nil {
			return nil
		}
		decls := b.m.AST.Decls
		i := sort.Search(len(decls), func(i int) bool { return decls[i].End() > obj.Pos() })
		if i < len(decls) {
			if fd, ok := decls[i].(*ast.FuncDecl); ok && fd.Name.Pos() == obj.Pos() {
				return fd
			}
		}
		return nil
	}
	if id.Obj == nil || id.Obj.Kind != ast.Fun {
		return nil
	}
	fd, _ := id.Obj.Decl.(*ast.FuncDecl)
	return fd
}
