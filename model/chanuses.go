package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"sync"
)

// Every mention of a channel variable or field in the file, and what the
// code does with it there. The operations are the model's own ChanOps; the
// rest of a mention's kind (a len, a declaration, an assignment, &ch, any
// other use) is read from the syntax around it. A check that needs "the
// channel is only sent on and received from here" reads Refs instead of
// walking the file again, so it cannot disagree with the model about what
// is an operation.

// RefKind is what one mention of a channel does with it.
type RefKind int

const (
	// RefOther is any other use: passed to a function, stored, returned,
	// compared, converted. The channel reaches code the mention does not
	// show.
	RefOther RefKind = iota
	RefSend
	RefRecv
	RefRange
	RefClose
	RefLen // len(ch) or cap(ch): reads the buffer, changes nothing
	// RefDef declares the variable (a var spec, :=, a parameter, a struct
	// field, a range clause) or assigns it: compare Ident.Pos() with
	// Chan.Decl to tell the declaration from a reassignment.
	RefDef
	RefAddr // &ch: the variable may be written through the pointer
)

func (k RefKind) String() string {
	return [...]string{"other", "send", "receive", "range", "close", "len", "def", "addr"}[k]
}

// ChanRef is one mention of a channel variable or field.
type ChanRef struct {
	// Ident is the identifier that names the channel: the variable, or
	// the selected name of a field (`ch` of `s.ch`).
	Ident *ast.Ident
	// Expr is the whole mention: Ident, or the selector expression.
	Expr ast.Expr
	Kind RefKind
	// Op is the operation, for RefSend, RefRecv, RefRange and RefClose.
	Op *ChanOp
	// Compared: the mention is an operand of == or != (ch == nil); its
	// Kind stays RefOther.
	Compared bool
}

// OnlyReads reports a mention that reads the channel without operating on
// it or handing it anywhere: len(ch), cap(ch), ch == nil. No other
// goroutine can reach the channel through it, so it keeps golens's sight
// of the channel, as the package's channel classes count it
// (ChanClass.LenCapReads; a comparison is no use there either): a run of
// `ch := make(chan int); fmt.Println(cap(ch), ch == nil); <-ch` deadlocks.
// A condition that reads the buffer may still decide whether code runs
// (for len(ch) > 0 { <-ch }): a reader that follows paths must treat a
// mention in a condition as a guard.
func (r ChanRef) OnlyReads() bool { return r.Kind == RefLen || r.Compared }

// Operand is the channel expression an operation acts on: the send's
// channel, the receive's operand, close's argument, the range expression.
func (op *ChanOp) Operand() ast.Expr {
	switch n := op.Node.(type) {
	case *ast.SendStmt:
		return n.Chan
	case *ast.UnaryExpr:
		return n.X
	case *ast.CallExpr:
		if len(n.Args) == 1 {
			return n.Args[0]
		}
	case *ast.RangeStmt:
		return n.X
	}
	return nil
}

// Refs lists every mention of the channel in this file, in source order.
// Fields are keyed as the model keys them (typed tier: the field; syntax
// tier: the field name), so the mentions of a field through any value of
// the struct are listed. The index is built by one walk of the file the
// first time any channel's Refs is read (nil for a Chan the model did not
// build).
func (c *Chan) Refs() []ChanRef {
	var ix *chanRefIndex
	if c.derived != nil && c.derived.b != nil {
		ix = c.derived.refs.get(c.derived.b.m)
	}
	if ix == nil {
		return nil
	}
	return ix.of[c]
}

// chanRefIndex is the file's mentions of channels, by channel, computed
// on first use by one walk of the file.
type chanRefIndex struct {
	of map[*Chan][]ChanRef
}

// chanRefsOnce computes a file's chanRefIndex once.
type chanRefsOnce struct {
	once sync.Once
	ix   *chanRefIndex
}

func (o *chanRefsOnce) get(m *File) *chanRefIndex {
	o.once.Do(func() { o.ix = buildChanRefs(m) })
	return o.ix
}

func buildChanRefs(m *File) *chanRefIndex {
	ix := &chanRefIndex{of: map[*Chan][]ChanRef{}}
	if m.AST == nil || len(m.Chans) == 0 {
		return ix
	}
	b := m.keyBuilder()
	byKey := make(map[VarKey]*Chan, len(m.Chans))
	for _, c := range m.Chans {
		byKey[c.Key] = c
	}
	// What each operand, argument or target does, marked before the walk
	// reaches the mention inside it.
	type mark struct {
		kind RefKind
		op   *ChanOp
	}
	marks := map[ast.Expr]mark{}
	for _, op := range m.ChanOps {
		if op.Chan == nil {
			continue
		}
		if e := op.Operand(); e != nil {
			kind := [...]RefKind{Send: RefSend, Recv: RefRecv, Close: RefClose, Range: RefRange}[op.Kind]
			marks[ast.Unparen(e)] = mark{kind, op}
		}
	}
	set := func(e ast.Expr, k RefKind) {
		if e != nil {
			if _, isOp := marks[ast.Unparen(e)]; !isOp {
				marks[ast.Unparen(e)] = mark{kind: k}
			}
		}
	}
	compared := map[ast.Expr]bool{} // operands of == and !=
	add := func(c *Chan, id *ast.Ident, e ast.Expr) {
		mk := marks[e]
		ix.of[c] = append(ix.of[c], ChanRef{Ident: id, Expr: e, Kind: mk.kind, Op: mk.op, Compared: mk.kind == RefOther && compared[e]})
	}
	var visit func(n ast.Node) bool
	walk := func(n ast.Node) {
		if n != nil && !isNilNode(n) {
			ast.Inspect(n, visit)
		}
	}
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if len(n.Args) == 1 && (b.isBuiltin(n.Fun, "len") || b.isBuiltin(n.Fun, "cap")) {
				set(n.Args[0], RefLen)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				set(n.X, RefAddr)
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				compared[ast.Unparen(n.X)], compared[ast.Unparen(n.Y)] = true, true
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				set(l, RefDef)
			}
		case *ast.RangeStmt:
			set(n.Key, RefDef)
			set(n.Value, RefDef)
		case *ast.ValueSpec:
			for _, id := range n.Names {
				set(id, RefDef)
			}
		case *ast.StructType:
			// Field names are keyed as the model declares them
			// (declareStructFields), not as identifiers.
			if n.Fields == nil {
				return false
			}
			for _, f := range n.Fields.List {
				for _, id := range f.Names {
					key := VarKey{field: "." + id.Name}
					if m.Info != nil {
						if obj := m.Info.Defs[id]; obj != nil {
							key = VarKey{obj: obj}
						}
					}
					if c := byKey[key]; c != nil {
						ix.of[c] = append(ix.of[c], ChanRef{Ident: id, Expr: id, Kind: RefDef})
					}
				}
				walk(f.Type)
			}
			return false
		case *ast.Field:
			// A parameter or result (struct fields are above): the
			// names declare it.
			for _, id := range n.Names {
				if k, ok := declKey(m, id); ok {
					if c := byKey[k]; c != nil {
						ix.of[c] = append(ix.of[c], ChanRef{Ident: id, Expr: id, Kind: RefDef})
					}
				}
			}
			walk(n.Type)
			return false
		case *ast.CompositeLit:
			// `T{ch: v}` names a field. On the typed tier it is the
			// field, set by the literal; on the syntax tier an
			// unresolved key may be a field of any struct and is not
			// counted as a mention.
			walk(n.Type)
			for _, el := range n.Elts {
				kv, isKV := el.(*ast.KeyValueExpr)
				if !isKV {
					walk(el)
					continue
				}
				key, isID := kv.Key.(*ast.Ident)
				switch {
				case !isID:
					walk(kv.Key)
				case m.Info != nil:
					if v, ok := m.Info.Uses[key].(*types.Var); ok && v.IsField() {
						if c := byKey[VarKey{obj: fieldOrigin(v)}]; c != nil {
							ix.of[c] = append(ix.of[c], ChanRef{Ident: key, Expr: key, Kind: RefDef})
						}
					} else {
						walk(key) // a variable used as a map key or an index
					}
				case key.Obj != nil:
					walk(key)
				}
				walk(kv.Value)
			}
			return false
		// Names that are never variables: on the syntax tier an
		// unresolved identifier would otherwise be keyed as a
		// package-level variable of another file.
		case *ast.File:
			for _, d := range n.Decls {
				walk(d)
			}
			return false
		case *ast.ImportSpec, *ast.BranchStmt:
			return false
		case *ast.LabeledStmt:
			walk(n.Stmt)
			return false
		case *ast.FuncDecl:
			walk(n.Recv)
			walk(n.Type)
			walk(n.Body)
			return false
		case *ast.TypeSpec:
			walk(n.TypeParams)
			walk(n.Type)
			return false
		case *ast.SelectorExpr:
			if k, ok := b.keyOf(n); ok {
				if c := byKey[k]; c != nil {
					add(c, n.Sel, n)
				}
			}
			walk(n.X)
			return false
		case *ast.Ident:
			if k, ok := b.keyOf(n); ok {
				if c := byKey[k]; c != nil {
					add(c, n, n)
				}
			}
		}
		return true
	}
	walk(m.AST)
	for c, refs := range ix.of {
		sort.SliceStable(refs, func(i, j int) bool { return refs[i].Ident.Pos() < refs[j].Ident.Pos() })
		ix.of[c] = refs
	}
	return ix
}

// declKey is the key of a declaring identifier (a parameter or result).
func declKey(m *File, id *ast.Ident) (VarKey, bool) {
	if id.Name == "_" {
		return VarKey{}, false
	}
	if m.Info != nil {
		if v, ok := m.Info.Defs[id].(*types.Var); ok {
			return VarKey{obj: v}, true
		}
		return VarKey{}, false
	}
	if id.Obj != nil && id.Obj.Kind == ast.Var {
		return VarKey{obj: id.Obj}, true
	}
	return VarKey{}, false
}

// isNilNode reports whether n is a typed nil (a missing optional child
// such as a FuncDecl's Recv).
func isNilNode(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.FieldList:
		return n == nil
	case *ast.BlockStmt:
		return n == nil
	case *ast.Ident:
		return n == nil
	}
	return false
}
