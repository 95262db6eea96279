package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// A goroutine started as `go after(n, tick, w.stop)` may close a channel
// through the callback it is given: after calls f() as a statement of its
// own body that every path reaches, and w.stop is a method of this file
// whose every path closes its receiver's field quit. A select case
// receiving from w.quit then also waits for the goroutine (its close), so
// the case that waits on the goroutine's sends does not lose to it.

// callbackCloses returns the channels of the select sel's receive cases
// that the goroutine g closes through a method value it passes to the
// function it starts (see above), matched by the written expression
// (w.quit for w.stop closing its receiver's quit): nil when there are none.
func (b *builder) callbackCloses(g *Goroutine, sel *Select) []*Chan {
	if g.Body != nil || g.Node == nil || sel == nil {
		return nil
	}
	fd := b.declOfCall(g.Node.Call)
	if fd == nil || fd.Body == nil || fd.Type.Params == nil {
		return nil
	}
	var params []*ast.Ident
	for _, f := range fd.Type.Params.List {
		if _, variadic := f.Type.(*ast.Ellipsis); variadic {
			break
		}
		params = append(params, f.Names...)
	}
	var out []*Chan
	for i, arg := range g.Node.Call.Args {
		sx, ok := ast.Unparen(arg).(*ast.SelectorExpr)
		if !ok || i >= len(params) || !b.callsEveryPath(fd.Body, params[i].Name) {
			continue
		}
		recv := types.ExprString(sx.X)
		md := b.methodDecl(sx)
		if md == nil {
			continue
		}
		rname := md.Recv.List[0].Names
		if len(rname) != 1 {
			continue
		}
		for _, op := range b.m.ChanOps {
			if op.Kind != Close || op.Chan == nil || op.Func == nil || op.Func.Node != md || !b.mustAt(op.Func, op.Pos) {
				continue
			}
			field, ok := strings.CutPrefix(op.ChanExpr, rname[0].Name+".")
			if !ok || !token.IsIdentifier(field) {
				continue
			}
			// Every case of sel on this channel must name the same value.
			want, match := recv+"."+field, false
			for _, c := range sel.Cases {
				if c.Op == nil || c.Op.Chan != op.Chan {
					continue
				}
				if c.Op.ChanExpr != want {
					match = false
					break
				}
				match = true
			}
			if match {
				out = append(out, op.Chan)
			}
		}
	}
	return out
}

// callsEveryPath reports whether body calls the function named name as a
// statement of its own top level, with no return, labelled branch or call
// that may exit (File.MayExit: panic, os.Exit, t.Fatal, ...) before it.
func (b *builder) callsEveryPath(body *ast.BlockStmt, name string) bool {
	for _, st := range body.List {
		if es, ok := st.(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok {
				if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == name {
					return true
				}
			}
		}
		leaves := false
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				leaves = true
			case *ast.BranchStmt:
				leaves = leaves || n.Label != nil
			case *ast.CallExpr:
				leaves = leaves || b.m.MayExit(n)
			}
			return !leaves
		})
		if leaves {
			return false
		}
	}
	return false
}

// methodDecl finds the method of this file a method value x.m names: on
// the typed tier by its object, on the syntax tier by name when exactly
// one method of the file has it.
func (b *builder) methodDecl(sx *ast.SelectorExpr) *ast.FuncDecl {
	var found *ast.FuncDecl
	n := 0
	for _, d := range b.m.AST.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || fd.Name.Name != sx.Sel.Name {
			continue
		}
		if info := b.m.Info; info != nil {
			if sel, ok := info.Selections[sx]; ok && sel.Kind() == types.MethodVal {
				if fn, ok := sel.Obj().(*types.Func); ok && info.Defs[fd.Name] == fn.Origin() {
					return fd
				}
			}
			continue
		}
		found, n = fd, n+1
	}
	if n == 1 {
		return found
	}
	return nil
}
