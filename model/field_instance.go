package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A channel field's facts gather every operation on that field of any
// value of the struct type: `close(a.quit)` is a close of the field quit.
// Said of `<-b.quit`, where b is another value, "b.quit is closed at line
// 25" is false when line 25 closes only a's. CloseOfOtherValue tells the
// texts which closes to leave out.

// CloseOfOtherValue reports whether cl closes the field of a different
// value than the one op's operand names: op is on b.f and cl closes a.f,
// where a and b are two distinct local variables, each declared once (:=
// or var) from a composite literal, &T{...}, new(T) or a function call,
// never assigned again and never addressed (&a), both in the same
// function (a value made in newTask and returned is main's t too). A close through a
// receiver, a parameter, a range variable, a package variable or a
// variable copied from another (b := a) may close op's channel and is
// kept. Leaving a close out only removes a claim.
//
// On the typed tier, with the package's facts, a value reached through
// another value's field counts too (Package.OtherOwner): close(s.next.in)
// is not a close of first.in when no store to next holds first's value.
func (m *File) CloseOfOtherValue(op, cl *ChanOp) bool {
	if op == nil || cl == nil || op == cl {
		return false
	}
	if m.closeOfOtherLocal(op, cl) || m.closeOfUnsharedLocal(op, cl) {
		return true
	}
	p := m.pkg
	if p == nil {
		p = m.classPkg
	}
	return m.Info != nil && p != nil && p.Info == m.Info && p.OtherOwner(op.Operand(), cl.Operand())
}

// CloseOfOneValue is, when cl closes the field of one fresh local value
// (close(fast.gate), fast declared once from a composite literal, a new or
// a call, never written or addressed again; see CloseOfOtherValue) and
// op's operand reaches the same field through another variable (o.gate, o
// a parameter), the close's operand as written, "fast.gate", and the two
// variables' names: the close closes op's channel only when the other
// variable holds that value. "" when not so.
func (m *File) CloseOfOneValue(op, cl *ChanOp) (closed, base, opVar string) {
	if op == nil || cl == nil || op == cl {
		return "", "", ""
	}
	fb, ok := m.sameFieldOtherVar(op, cl)
	if !ok || m.freshLocal(fb.clBase, fb.b) == nil {
		return "", "", ""
	}
	return fb.clBase.Name + "." + fb.sel, fb.clBase.Name, fb.opBase.Name
}

// closeOfOtherLocal is CloseOfOtherValue's rule for two fresh locals.
func (m *File) closeOfOtherLocal(op, cl *ChanOp) bool {
	v, ok := m.sameFieldOtherVar(op, cl)
	if !ok {
		return false
	}
	fa, fb := m.freshLocal(v.opBase, v.a), m.freshLocal(v.clBase, v.b)
	return fa != nil && fa == fb
}

// selectorBase splits x.f, with x a plain name, into x and f.
func selectorBase(e ast.Expr) (*ast.Ident, string) {
	if e == nil {
		return nil, ""
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil, ""
	}
	return id, sel.Sel.Name
}

// identKey is the variable id names: a *types.Var on the typed tier, an
// *ast.Object of kind Var on the syntax tier; nil for anything else.
func (m *File) identKey(id *ast.Ident) any {
	if m.Info != nil {
		if v, ok := m.Info.ObjectOf(id).(*types.Var); ok && !v.IsField() {
			return v
		}
		return nil
	}
	if id.Obj != nil && id.Obj.Kind == ast.Var {
		return id.Obj
	}
	return nil
}

// freshLocal is the function declaring the variable key (named by id)
// when it is a local declared once from a fresh-looking value and never
// written or addressed again (see CloseOfOtherValue); nil otherwise.
// Answers are kept per variable (derived.freshLocals) so hints asking for
// many operations walk each declaring function once per variable.
func (m *File) freshLocal(id *ast.Ident, key any) *Func {
	if m.derived != nil {
		if v, ok := m.derived.freshLocals.Load(key); ok {
			return v.(*Func)
		}
	}
	fresh := m.computeFreshLocal(id, key)
	if m.derived != nil {
		m.derived.freshLocals.Store(key, fresh)
	}
	return fresh
}

func (m *File) computeFreshLocal(id *ast.Ident, key any) *Func {
	var declPos token.Pos
	switch k := key.(type) {
	case *types.Var:
		if k.Parent() == nil || k.Pkg() != nil && k.Parent() == k.Pkg().Scope() {
			return nil
		}
		declPos = k.Pos()
	case *ast.Object:
		declPos = objectDeclPos(k)
	}
	if !declPos.IsValid() {
		return nil
	}
	fn := m.funcAt(declPos)
	if fn == nil || fn.Body == nil || declPos < fn.Body.Pos() || declPos >= fn.Body.End() {
		return nil // a parameter, a receiver or a package variable
	}
	is := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		return ok && x.Name == id.Name && m.identKey(x) == key
	}
	defines, fresh, other := 0, false, false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if other {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if !is(lhs) {
					continue
				}
				if n.Tok != token.DEFINE || lhs.Pos() != declPos || len(n.Lhs) != len(n.Rhs) {
					other = true
					return false
				}
				defines++
				fresh = m.freshValue(n.Rhs[i])
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if name.Pos() != declPos {
					continue
				}
				if len(n.Values) != len(n.Names) {
					other = true
					return false
				}
				defines++
				fresh = m.freshValue(n.Values[i])
			}
		case *ast.RangeStmt:
			if n.Key != nil && is(n.Key) || n.Value != nil && is(n.Value) {
				other = true
				return false
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && is(n.X) {
				other = true
				return false
			}
		}
		return true
	})
	if other || defines != 1 || !fresh {
		return nil
	}
	return fn
}

// objectDeclPos is the position of the name a syntax-tier object declares.
func objectDeclPos(o *ast.Object) token.Pos {
	switch d := o.Decl.(type) {
	case *ast.AssignStmt:
		for _, lhs := range d.Lhs {
			if x, ok := lhs.(*ast.Ident); ok && x.Name == o.Name {
				return x.Pos()
			}
		}
	case *ast.ValueSpec:
		for _, x := range d.Names {
			if x.Name == o.Name {
				return x.Pos()
			}
		}
	}
	return token.NoPos
}

// freshValue reports whether e looks like a value of its own: a
// composite literal, its address, new(T), or a call of a function (not a
// conversion, which may copy another value's pointer).
func (m *File) freshValue(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.UnaryExpr:
		_, ok := ast.Unparen(e.X).(*ast.CompositeLit)
		return e.Op == token.AND && ok
	case *ast.CallExpr:
		switch f := ast.Unparen(e.Fun).(type) {
		case *ast.Ident:
			if m.Info != nil {
				switch m.Info.ObjectOf(f).(type) {
				case *types.Func:
					return true
				case *types.Builtin:
					return f.Name == "new"
				}
				return false
			}
			if f.Obj != nil {
				return f.Obj.Kind == ast.Fun
			}
			return f.Name == "new"
		case *ast.SelectorExpr:
			if m.Info != nil {
				_, ok := m.Info.ObjectOf(f.Sel).(*types.Func)
				return ok
			}
			return true // pkg.F(...) or x.M(...); a conversion to pkg.T is rare
		case *ast.IndexExpr, *ast.IndexListExpr:
			return m.Info != nil && m.Info.Types[f].IsValue() // a generic function's instance
		}
	}
	return false
}

// isFieldKey reports whether k is a struct field's key on either tier.
func isFieldKey(k VarKey) bool {
	if v, ok := k.obj.(*types.Var); ok {
		return v.IsField()
	}
	return k.obj == nil && len(k.field) > 1 && k.field[0] == '.'
}

// signalOfOtherValue reports whether the wait (an effect of g's starting
// function) is on the field of another value than the one g's signal sig
// uses: `go slow.run()` closes slow.done (run's `defer close(j.done)`, j
// its receiver), and `<-fast.done` waits for fast's. The signal's
// operand is followed from the callee's receiver or parameter, or the
// literal's parameter, to the expression of the go statement; both values
// must be distinct fresh locals (CloseOfOtherValue). A signal through a
// further call is not followed (false).
func (b *builder) signalOfOtherValue(g *Goroutine, sig, wait *Effect) bool {
	if g.Node == nil || sig.At.IsValid() || wait.At.IsValid() || !isFieldKey(sig.key) && !isFieldKey(wait.key) {
		return false
	}
	sigOp, waitOp := b.opAt(sig.Pos), b.opAt(wait.Pos)
	if sigOp == nil || waitOp == nil {
		return false
	}
	sb, sf := selectorBase(sigOp.Operand())
	wb, wf := selectorBase(waitOp.Operand())
	if sb == nil || wb == nil || sf != wf {
		return false
	}
	starter := b.starterExpr(g, sigOp, sb)
	if starter == nil {
		return false
	}
	x, _ := ast.Unparen(starter).(*ast.Ident)
	if x == nil {
		return false
	}
	m := b.m
	kx, kw := m.identKey(x), m.identKey(wb)
	if kx == nil || kw == nil || kx == kw {
		return false
	}
	fx, fw := m.freshLocal(x, kx), m.freshLocal(wb, kw)
	return fx != nil && fx == fw
}

// starterExpr is the expression of g's go statement that the name sb, in
// the operation op of g's function, stands for: the call's receiver or
// argument for a receiver or parameter, sb itself for a variable a
// literal captures; nil when golens cannot tell.
func (b *builder) starterExpr(g *Goroutine, op *ChanOp, sb *ast.Ident) ast.Expr {
	m := b.m
	key := m.identKey(sb)
	if key == nil {
		return nil
	}
	call := g.Node.Call
	var ft *ast.FuncType
	var recv *ast.FieldList
	if g.Body != nil {
		if g.Body.Node == nil {
			return nil
		}
		lit, ok := g.Body.Node.(*ast.FuncLit)
		if !ok || op.Pos < lit.Pos() || op.Pos >= lit.End() {
			return nil
		}
		ft = lit.Type
	} else {
		fn := topFunc(m.funcAt(op.Pos))
		if fn == nil {
			return nil
		}
		decl, ok := fn.Node.(*ast.FuncDecl)
		if !ok || !calleeNamed(call.Fun, decl) {
			return nil
		}
		ft, recv = decl.Type, decl.Recv
	}
	if recv != nil {
		for _, f := range recv.List {
			for _, n := range f.Names {
				if m.identKey(n) == key {
					if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
						return sel.X
					}
					return nil
				}
			}
		}
	}
	i := 0
	for _, f := range ft.Params.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, n := range f.Names {
			if m.identKey(n) == key {
				if _, variadic := f.Type.(*ast.Ellipsis); variadic || i >= len(call.Args) || call.Ellipsis.IsValid() {
					return nil
				}
				a := ast.Unparen(call.Args[i])
				if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND {
					a = u.X
				}
				return a
			}
			i++
		}
	}
	if g.Body != nil {
		// A name the literal does not declare: the starting function's
		// own variable, captured.
		if p := m.declPosOf(key); p.IsValid() && (p < g.Body.Pos || p >= g.Body.End) {
			return sb
		}
	}
	return nil
}

// calleeNamed reports whether fun, the function of a go statement's call,
// names decl: f(...) for a function, x.M(...) for a method.
func calleeNamed(fun ast.Expr, decl *ast.FuncDecl) bool {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return decl.Recv == nil && f.Name == decl.Name.Name
	case *ast.SelectorExpr:
		return decl.Recv != nil && f.Sel.Name == decl.Name.Name
	}
	return false
}

// declPosOf is where the variable key is declared, or NoPos.
func (m *File) declPosOf(key any) token.Pos {
	switch k := key.(type) {
	case *types.Var:
		return k.Pos()
	case *ast.Object:
		return objectDeclPos(k)
	}
	return token.NoPos
}

// otherValueWhy says why a wait on the same field of another value
// leaves golens unable to tell whether it waits for the goroutine: "the
// wait at line 24 (`<-fast.done`) is on another value's `done` than the
// one this goroutine closes (line 14)".
func (b *builder) otherValueWhy(wait, sig *Effect) string {
	what := "the wait at line " + itoa(b.m.Line(wait.Pos))
	if op := b.opAt(wait.Pos); op != nil {
		what += " (`<-" + op.ChanExpr + "`)"
	}
	_, field := selectorBase(b.opAt(sig.Pos).Operand())
	verb := "signals"
	switch sig.Kind {
	case EffClose:
		verb = "closes"
	case EffSend:
		verb = "sends on"
	}
	return what + " is on another value's `" + field + "` than the one this goroutine " + verb + " (line " + itoa(b.m.Line(sig.Pos)) + ")"
}

// MakeOfOtherValue reports whether op works on the same field of another
// value than the one the make mk is stored in: mk is the field's value in
// `a := T{f: make(...)}` (or &T{...}), op's operand is b.f, and a and b are
// distinct fresh locals of one function (CloseOfOtherValue's rule). The
// make hover of `slow := backend{ready: make(...)}` then leaves out
// close(fast.ready). Leaving an operation out only removes a claim.
//
// On the typed tier, with the package's facts, the make's value in
// `&T{f: make(...)}` (anywhere, a literal nested in another too) is also
// told from a.f, a assigned another allocation, and from z.g.f, when the
// field g never holds this one (Package.MakeOtherOwner).
func (m *File) MakeOfOtherValue(mk *MakeSite, op *ChanOp) bool {
	if mk == nil || op == nil {
		return false
	}
	if m.makeOfOtherLocal(mk, op) {
		return true
	}
	p := m.pkg
	if p == nil {
		p = m.classPkg
	}
	if m.Info == nil || p == nil || p.Info != m.Info {
		return false
	}
	path, _ := EnclosingPath(m.AST, mk.Pos, mk.Pos+1)
	for i := 0; i+3 < len(path); i++ {
		call, ok := path[i].(*ast.CallExpr)
		if !ok || call.Pos() != mk.Pos {
			continue
		}
		kv, ok := path[i+1].(*ast.KeyValueExpr)
		if !ok || kv.Value != call {
			return false
		}
		alloc, ok := path[i+3].(*ast.UnaryExpr)
		if !ok || alloc.Op != token.AND {
			return false
		}
		return p.MakeOtherOwner(alloc, kv, op.Operand())
	}
	return false
}

// makeOfOtherLocal is MakeOfOtherValue's rule for two fresh locals.
func (m *File) makeOfOtherLocal(mk *MakeSite, op *ChanOp) bool {
	opBase, opSel := selectorBase(op.Operand())
	if opBase == nil {
		return false
	}
	holder, field := m.makeHolder(mk)
	if holder == nil || field != opSel {
		return false
	}
	a, b := m.identKey(holder), m.identKey(opBase)
	if a == nil || b == nil || a == b {
		return false
	}
	fa, fb := m.freshLocal(holder, a), m.freshLocal(opBase, b)
	return fa != nil && fa == fb
}

// makeHolder is the variable a make is stored in as a field of a
// composite literal, `a := T{f: make(...)}` or `a := &T{...}`, and the
// field's name; nil when the make is anywhere else.
func (m *File) makeHolder(mk *MakeSite) (*ast.Ident, string) {
	fn := m.funcAt(mk.Pos)
	if fn == nil || fn.Body == nil {
		return nil, ""
	}
	var holder *ast.Ident
	var field string
	fieldOf := func(rhs ast.Expr) string {
		e := ast.Unparen(rhs)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = ast.Unparen(u.X)
		}
		lit, ok := e.(*ast.CompositeLit)
		if !ok || mk.Pos < lit.Pos() || mk.Pos >= lit.End() {
			return ""
		}
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			k, ok := kv.Key.(*ast.Ident)
			if ok && ast.Unparen(kv.Value).Pos() == mk.Pos {
				return k.Name
			}
		}
		return ""
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if holder != nil || n == nil || mk.Pos < n.Pos() || mk.Pos >= n.End() {
			return false
		}
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.DEFINE && len(as.Lhs) == len(as.Rhs) {
			for i, rhs := range as.Rhs {
				if id, ok := as.Lhs[i].(*ast.Ident); ok {
					if f := fieldOf(rhs); f != "" {
						holder, field = id, f
						return false
					}
				}
			}
		}
		return true
	})
	return holder, field
}

// fieldBases: op's and cl's operands, x.f and y.f, split into their
// variables and the field.
type fieldBases struct {
	opBase, clBase *ast.Ident
	a, b           any // identKey of opBase and clBase
	sel            string
}

// sameFieldOtherVar splits op's and cl's operands when both select the
// same field through two different plain variables (<-o.gate and
// close(fast.gate)); ok is false otherwise.
func (m *File) sameFieldOtherVar(op, cl *ChanOp) (fieldBases, bool) {
	opBase, opSel := selectorBase(op.Operand())
	clBase, clSel := selectorBase(cl.Operand())
	if opBase == nil || clBase == nil || opSel != clSel {
		return fieldBases{}, false
	}
	a, b := m.identKey(opBase), m.identKey(clBase)
	if a == nil || b == nil || a == b {
		return fieldBases{}, false
	}
	return fieldBases{opBase: opBase, clBase: clBase, a: a, b: b, sel: opSel}, true
}
