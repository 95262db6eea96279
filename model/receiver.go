package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// Method values in go and defer statements: `defer t.m()` evaluates the
// receiver now, as the spec's method value rules say — `&t` when m has a
// pointer receiver and t is an addressable value (so later changes to t
// are seen by the call), `*p` when m has a value receiver and p is a
// pointer (a copy of *p is made now). See
// https://go.dev/ref/spec#Method_values and #Calls.

// fixReceivers sets Defer.Receiver and Goroutine.Receiver to the receiver
// as Go evaluates it, once the file's methods are known.
func (b *builder) fixReceivers(methods map[string]*Func) {
	for _, d := range b.m.Defers {
		if d.Node == nil || d.Receiver == "" {
			continue
		}
		if sel, ok := ast.Unparen(d.Node.Call.Fun).(*ast.SelectorExpr); ok {
			d.Receiver = b.evaluatedReceiver(sel, methods)
			if strings.HasPrefix(d.Receiver, "*") && d.Func != nil && d.Func.Body != nil {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && b.provenNilLocal(id, d.Func.Body) {
					d.NilReceiver = id.Name
				}
			}
		}
	}
	for _, d := range b.m.Defers {
		if d.Node != nil {
			d.LoopAddrs = b.loopAddrs(d.Node.Call, d.Receiver)
		}
	}
	for _, g := range b.m.Goroutines {
		if g.Node == nil {
			continue
		}
		sel, ok := ast.Unparen(g.Node.Call.Fun).(*ast.SelectorExpr)
		if !ok {
			continue
		}
		if x, ok := sel.X.(*ast.Ident); ok && b.isPackage(x) {
			continue
		}
		g.Receiver = b.evaluatedReceiver(sel, methods)
		if g.Receiver == "" {
			g.FuncValue = b.text(sel)
		}
	}
	for _, g := range b.m.Goroutines {
		if g.Node != nil {
			g.LoopAddrs = b.loopAddrs(g.Node.Call, g.Receiver)
		}
	}
}

// loopAddrs names the loop variables whose address a go or defer
// statement's call evaluates now: the receiver `&s` (recv, as
// evaluatedReceiver renders it) and arguments written `&s`.
func (b *builder) loopAddrs(call *ast.CallExpr, recv string) []string {
	var out []string
	add := func(e ast.Expr) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok || !b.isLoopVar(id) || slices.Contains(out, id.Name) {
			return
		}
		out = append(out, id.Name)
	}
	if strings.HasPrefix(recv, "&") {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			add(sel.X)
		}
	}
	for _, a := range call.Args {
		if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
			add(u.X)
		}
	}
	return out
}

// isLoopVar reports whether id refers to a variable a for or range clause
// declares.
func (b *builder) isLoopVar(id *ast.Ident) bool {
	var decl token.Pos
	if info := b.m.Info; info != nil {
		obj, ok := info.Uses[id].(*types.Var)
		if !ok || obj.IsField() {
			return false
		}
		decl = obj.Pos()
	} else {
		if id.Obj == nil || id.Obj.Kind != ast.Var {
			return false
		}
		decl = declPos(id.Obj)
	}
	return decl.IsValid() && b.loopVars[decl]
}

// evaluatedReceiver renders the receiver a method call or value evaluates:
// "&t", "*p", or the receiver as written.
func (b *builder) evaluatedReceiver(sel *ast.SelectorExpr, methods map[string]*Func) string {
	written := b.text(sel.X)
	ptrMethod, known := false, false
	xPtr, xKnown := false, false
	if info := b.m.Info; info != nil {
		s, ok := info.Selections[sel]
		if !ok || s.Kind() != types.MethodVal {
			return "" // a field of func type: its value, not a receiver, is evaluated now
		}
		if len(s.Index()) != 1 {
			return promotedReceiver(info, sel, s, written)
		}
		fn, ok := s.Obj().(*types.Func)
		if !ok || fn.Signature().Recv() == nil {
			return written
		}
		if _, isIface := fn.Signature().Recv().Type().Underlying().(*types.Interface); isIface {
			return written
		}
		_, ptrMethod = fn.Signature().Recv().Type().(*types.Pointer)
		known = true
		if t := info.TypeOf(sel.X); t != nil {
			_, xPtr = t.Underlying().(*types.Pointer)
			xKnown = true
		}
	} else {
		var typ string
		var ptr bool
		switch x := ast.Unparen(sel.X).(type) {
		case *ast.Ident:
			typ, ptr = b.syntaxTypeName(x)
		case *ast.SelectorExpr:
			typ, ptr = b.fieldType(x.Sel.Name)
		}
		if typ == "" {
			return "" // not known to be a method call (see below)
		}
		if strings.HasPrefix(typ, "sync.") {
			// Every method of sync.Mutex, RWMutex, WaitGroup and Cond has
			// a pointer receiver.
			ptrMethod, known = true, true
		} else if fn := methods[typ+"."+sel.Sel.Name]; fn != nil {
			ptrMethod, known = strings.HasPrefix(fn.Name, "(*"), true
		}
		xPtr, xKnown = ptr, true
	}
	if !known || !xKnown {
		// Not known to be a method: `a.f` may be a field of func type,
		// whose value (not a receiver) is evaluated now. Make no claim.
		return ""
	}
	switch {
	case ptrMethod && !xPtr:
		return "&" + parenthesize(sel.X, written)
	case !ptrMethod && xPtr:
		return "*" + parenthesize(sel.X, written)
	}
	return written
}

// provenNilLocal reports whether id is a pointer variable that is nil
// wherever it is read: declared in body as `var id *T` with no value, and
// never assigned, incremented, taken the address of or written by a range
// clause anywhere in body (function literals included). Only called for
// the rare defer of a value method on a pointer, so the walk of body is
// no cost to the build.
func (b *builder) provenNilLocal(id *ast.Ident, body *ast.BlockStmt) bool {
	var decl token.Pos
	same := func(x *ast.Ident) bool { return false }
	if info := b.m.Info; info != nil {
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.IsField() {
			return false
		}
		decl = v.Pos()
		same = func(x *ast.Ident) bool { return info.Uses[x] == v }
	} else {
		if id.Obj == nil || id.Obj.Kind != ast.Var {
			return false
		}
		decl = declPos(id.Obj)
		obj := id.Obj
		same = func(x *ast.Ident) bool { return x.Obj == obj && x.Pos() != decl }
	}
	if !decl.IsValid() || decl < body.Pos() || decl >= body.End() {
		return false
	}
	// The declaration: a var spec with a pointer type and no values.
	spec := false
	ast.Inspect(body, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return !spec
		}
		for _, name := range vs.Names {
			if name.Pos() == decl {
				_, ptr := vs.Type.(*ast.StarExpr)
				spec = ptr && len(vs.Values) == 0
			}
		}
		return false
	})
	if !spec {
		return false
	}
	written := false
	target := func(e ast.Expr) {
		if x, ok := ast.Unparen(e).(*ast.Ident); ok && same(x) {
			written = true
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if written {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				target(l)
			}
		case *ast.IncDecStmt:
			target(n.X)
		case *ast.RangeStmt:
			if n.Key != nil {
				target(n.Key)
			}
			if n.Value != nil {
				target(n.Value)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				target(n.X)
			}
		}
		return true
	})
	return !written
}

func parenthesize(e ast.Expr, s string) string {
	switch ast.Unparen(e).(type) {
	case *ast.Ident, *ast.SelectorExpr, *ast.IndexExpr, *ast.CallExpr:
		return s
	}
	return "(" + s + ")"
}

// fieldType names the type of the struct field called name, from the
// struct types declared in the file (the syntax tier keys fields by name
// too); "" when no field or several disagree.
func (b *builder) fieldType(name string) (string, bool) {
	if b.fieldTypes == nil {
		b.fieldTypes = map[string]fieldTypeInfo{}
		b.eachStructField(func(f *ast.Field) {
			typ, ptr := b.syntaxTypeOfExpr(f.Type)
			for _, id := range f.Names {
				old, seen := b.fieldTypes[id.Name]
				if seen && (old.typ != typ || old.ptr != ptr) {
					typ = ""
				}
				b.fieldTypes[id.Name] = fieldTypeInfo{typ, ptr}
			}
		})
	}
	ft := b.fieldTypes[name]
	return ft.typ, ft.ptr
}

// eachStructField calls fn on every field of every struct type declared
// at the file's top level (nested struct types included). The syntax
// tier keys fields by name, so its per-name facts are built from here.
func (b *builder) eachStructField(fn func(*ast.Field)) {
	for _, d := range b.m.AST.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		ast.Inspect(gd, func(n ast.Node) bool {
			if st, ok := n.(*ast.StructType); ok && st.Fields != nil {
				for _, f := range st.Fields.List {
					fn(f)
				}
			}
			return true
		})
	}
}

type fieldTypeInfo struct {
	typ string
	ptr bool
}

// promotedReceiver renders the receiver a promoted method value evaluates:
// the embedded field reached through x, as Go evaluates it — `&c.Mutex`
// for defer c.Unlock() on a value c embedding a sync.Mutex, `it.named` (a
// copy made now) for a value method of an embedded value. written when
// the path cannot be read.
func promotedReceiver(info *types.Info, sel *ast.SelectorExpr, s *types.Selection, written string) string {
	fn, ok := s.Obj().(*types.Func)
	if !ok || fn.Signature().Recv() == nil {
		return written
	}
	recv := fn.Signature().Recv().Type()
	if _, isIface := recv.Underlying().(*types.Interface); isIface {
		return written
	}
	_, ptrMethod := recv.(*types.Pointer)
	t := info.TypeOf(sel.X)
	if t == nil {
		return written
	}
	path := parenthesize(sel.X, written)
	idx := s.Index()
	for _, i := range idx[:len(idx)-1] {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return written
		}
		f := st.Field(i)
		path += "." + f.Name()
		t = f.Type()
	}
	_, fieldPtr := t.Underlying().(*types.Pointer)
	switch {
	case ptrMethod && !fieldPtr:
		return "&" + path
	case !ptrMethod && fieldPtr:
		return "*" + path
	}
	return path
}
