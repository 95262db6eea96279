package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// What the package does with each of its unexported channel fields, every
// mention classified: the makes stored in it, the sends on it, the
// receives and ranges from it, the closes of it. An unexported field can
// be reached only by its own package, so when every mention is one of
// these (Complete), nothing outside the package sends on, receives from or
// closes the channels it holds: the waitbeforedrain check reads this to
// prove that nothing can receive from a field before a Wait returns.

// ChanFieldUse lists how the package's files mention one unexported,
// non-embedded channel field.
type ChanFieldUse struct {
	Field *types.Var
	// Makes are the make calls stored in the field (keyed composite
	// literals and assignments); nil stores are not listed.
	Makes []token.Pos
	// Sends, Recvs (receives and ranges) and Closes are the operations on
	// the field, in file order.
	Sends, Recvs, Closes []*ChanFieldOp
	// Buffered: some make stored in it has a buffer, or one not known to
	// be zero.
	Buffered bool
	// Complete is false when the field is mentioned some other way (passed,
	// assigned to a variable, its address taken, stored from another
	// channel, set by an unkeyed composite literal): the package loses
	// sight of what it holds, and the lists above are not all that happens
	// to it. Why then names the first such mention.
	Complete bool
	Why      string
}

// ChanFieldOp is one send on, receive from, range over or close of a
// channel field.
type ChanFieldOp struct {
	X   *ast.SelectorExpr // r.ch
	Pos token.Pos         // the arrow, the range's for, close
	End token.Pos
	// Node is the *ast.SendStmt, the receive's *ast.UnaryExpr, the
	// *ast.RangeStmt, or the close *ast.CallExpr.
	Node ast.Node
	// Choice: the communication of a select case, in a select with
	// another case or a default: it may not be the one that runs.
	Choice bool
	// Func is the innermost function (*ast.FuncDecl or *ast.FuncLit)
	// holding the operation; nil at package level.
	Func ast.Node
	// Go is the go statement that calls Func when Func is a literal run
	// as `go func() { ... }()`, and GoIn the innermost function holding
	// that statement.
	Go   *ast.GoStmt
	GoIn ast.Node
}

// ChanFieldUses lists the package's unexported channel fields that its
// files mention, in the order of their first mention. Typed tier only;
// computed on first read, once per package: one walk of its files.
func (p *Package) ChanFieldUses() []*ChanFieldUse {
	p.chanFieldOnce.Do(func() { p.chanFieldUses = p.walkChanFieldUses() })
	return p.chanFieldUses
}

type chanFieldWalk struct {
	info   *types.Info
	fields map[*types.Var]*ChanFieldUse
	order  []*ChanFieldUse
}

func (p *Package) walkChanFieldUses() []*ChanFieldUse {
	w := &chanFieldWalk{info: p.Info, fields: map[*types.Var]*ChanFieldUse{}}
	var stack []ast.Node
	for _, f := range p.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			switch n := n.(type) {
			case *ast.CompositeLit:
				// A literal without keys sets fields not seen by name.
				if st, ok := DerefStruct(w.info.TypeOf(n)); ok && len(n.Elts) > 0 {
					if _, keyed := n.Elts[0].(*ast.KeyValueExpr); !keyed {
						for i := 0; i < st.NumFields(); i++ {
							if u := w.field(st.Field(i)); u != nil {
								u.lose("set by a composite literal without keys")
							}
						}
					}
				}
			case *ast.SelectorExpr:
				s := w.info.Selections[n]
				if s == nil || s.Kind() != types.FieldVal {
					break
				}
				if v, ok := s.Obj().(*types.Var); ok {
					if u := w.field(v); u != nil {
						w.classify(u, n, stack)
					}
				}
			}
			return true
		})
	}
	// Keyed literals, T{ch: make(chan E)}: after every selection, as the
	// fields' order is that of their first selection.
	for _, f := range p.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			id, ok := kv.Key.(*ast.Ident)
			if !ok {
				return true
			}
			if v, ok := w.info.Uses[id].(*types.Var); ok && v.IsField() {
				if u := w.field(v); u != nil {
					w.store(u, kv.Value)
				}
			}
			return true
		})
	}
	return w.order
}

// field returns the record of an unexported, non-embedded channel field,
// or nil for any other field.
func (w *chanFieldWalk) field(v *types.Var) *ChanFieldUse {
	if u, ok := w.fields[v]; ok {
		return u
	}
	if !v.IsField() || v.Exported() || v.Embedded() || v.Pkg() == nil {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Chan); !ok {
		return nil
	}
	u := &ChanFieldUse{Field: v, Complete: true}
	w.fields[v] = u
	w.order = append(w.order, u)
	return u
}

func (u *ChanFieldUse) lose(why string) {
	if u.Complete {
		u.Complete, u.Why = false, why
	}
}

// classify records one x.f (stack ends with it): a send on it, a receive
// from it, a range over it, a close, a store into it, a comparison;
// anything else loses sight of the field.
func (w *chanFieldWalk) classify(u *ChanFieldUse, sel *ast.SelectorExpr, stack []ast.Node) {
	i := len(stack) - 2
	expr := ast.Expr(sel)
	for i >= 0 {
		p, ok := stack[i].(*ast.ParenExpr)
		if !ok {
			break
		}
		expr = p
		i--
	}
	if i < 0 {
		u.lose("used at package level")
		return
	}
	op := func(node ast.Node, pos, end token.Pos, choice bool) *ChanFieldOp {
		o := &ChanFieldOp{X: sel, Pos: pos, End: end, Node: node, Choice: choice}
		o.locate(stack[:i+1])
		return o
	}
	switch p := stack[i].(type) {
	case *ast.SendStmt:
		if p.Chan == expr {
			u.Sends = append(u.Sends, op(p, p.Arrow, p.End(), inSelectWithOthers(stack[:i+1])))
			return
		}
	case *ast.UnaryExpr:
		if p.Op == token.ARROW {
			u.Recvs = append(u.Recvs, op(p, p.OpPos, p.End(), inSelectWithOthers(stack[:i+1])))
			return
		}
	case *ast.RangeStmt:
		if p.X == expr {
			u.Recvs = append(u.Recvs, op(p, p.For, p.X.End(), false))
			return
		}
	case *ast.AssignStmt:
		for j, l := range p.Lhs {
			if l == expr && len(p.Lhs) == len(p.Rhs) && p.Tok == token.ASSIGN {
				w.store(u, p.Rhs[j])
				return
			}
		}
	case *ast.BinaryExpr:
		return // x.ch == nil
	case *ast.CallExpr:
		if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && id.Name == "close" && len(p.Args) == 1 && p.Args[0] == expr {
			if _, b := w.info.Uses[id].(*types.Builtin); b {
				u.Closes = append(u.Closes, op(p, p.Pos(), p.End(), false))
				return
			}
		}
	}
	u.lose("mentioned at " + ExprText(sel) + " other than to send, receive, range, close, store or compare")
}

// store records a value stored into the field: a make is followed (a
// buffered one, or one whose size is not a constant zero, marks the field
// Buffered); nil stores nothing; anything else loses sight of it.
func (w *chanFieldWalk) store(u *ChanFieldUse, e ast.Expr) {
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		if _, isNil := w.info.Uses[id].(*types.Nil); isNil {
			return
		}
	}
	if call, ok := e.(*ast.CallExpr); ok {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "make" {
			if _, b := w.info.Uses[id].(*types.Builtin); b {
				if len(call.Args) > 1 {
					if tv := w.info.Types[call.Args[1]]; tv.Value == nil || tv.Value.String() != "0" {
						u.Buffered = true
					}
				}
				u.Makes = append(u.Makes, call.Pos())
				return
			}
		}
	}
	u.lose("stored from " + ExprText(e))
}

// locate sets Func, Go and GoIn from the nodes enclosing the operation
// (stack, outermost first, ending with the operation's node).
func (o *ChanFieldOp) locate(stack []ast.Node) {
	fi := innermostFunc(stack)
	if fi < 0 {
		return
	}
	o.Func = stack[fi]
	lit, ok := o.Func.(*ast.FuncLit)
	if !ok || fi < 2 {
		return
	}
	call, ok := stack[fi-1].(*ast.CallExpr)
	if !ok || call.Fun != ast.Expr(lit) {
		return
	}
	if g, ok := stack[fi-2].(*ast.GoStmt); ok {
		o.Go = g
		if gi := innermostFunc(stack[:fi-2]); gi >= 0 {
			o.GoIn = stack[gi]
		}
	}
}

// innermostFunc is the index in stack of the last function declaration
// or literal, -1 when none.
func innermostFunc(stack []ast.Node) int {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return i
		}
	}
	return -1
}

// inSelectWithOthers: the operation (stack ends with its node) is the
// communication of a select case, and the select has another case or a
// default.
func inSelectWithOthers(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.CommClause:
			if n.Comm == nil || i < 2 {
				return false
			}
			sel := stack[i-2].(*ast.SelectStmt)
			return len(sel.Body.List) > 1
		case *ast.AssignStmt, *ast.ExprStmt, *ast.SendStmt, *ast.UnaryExpr:
		default:
			return false
		}
	}
	return false
}
