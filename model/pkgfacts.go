package model

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"sync"
)

// Package holds the facts about a type-checked package that only its
// files together can prove: which variable path an expression reaches once
// constructors and parent pointers are seen through (Ref), what a Cond's L
// locks (CondLocks), what a constructor stores in its result (ctor
// fields), which container elements point back at their holder (back
// pointers), which functions are stored in func-typed fields (FuncStores),
// which channel variables only ever copy another (ChanAliases), which
// channels are made unbuffered everywhere (ChanBuffers), and which
// variables hold the same channels and what the package does to them
// (ChanClasses). Every fact is
// computed on first read, once per package, and every check reads it from
// here (checks/modelpass builds one per package) instead of walking the
// package for it again.
type Package struct {
	Fset  *token.FileSet
	Files []*ast.File
	Info  *types.Info
	Types *types.Package

	assignsOnce sync.Once
	assigns     map[types.Object]ast.Expr

	declsOnce sync.Once
	decls     map[*types.Func]*ast.FuncDecl

	condsOnce sync.Once
	conds     map[types.Object]CondLock

	unsignaledOnce sync.Once
	unsignaled     map[types.Object]bool // cond_unsignaled.go

	condFlagOnce sync.Once
	condFlag     *condFlagIndex // cond_oneway.go

	ctorsOnce sync.Once
	ctors     map[types.Object]ctorValue

	backOnce   sync.Once
	backPtrs   map[types.Object]*types.Var
	rangeElems map[types.Object]rangeElem

	aliasOnce sync.Once
	aliases   map[types.Object]types.Object

	bufOnce     sync.Once
	unbuffered  map[types.Object]bool
	smallBuffer map[types.Object]bool
	fieldCaps   map[*types.Var]int

	usesOnce   sync.Once
	uses       map[types.Object]int
	fieldReads map[*types.Var][]token.Pos

	funcRefsOnce sync.Once
	funcRefs     map[*types.Func]*FuncRefs

	nilFieldsOnce sync.Once
	chanFieldsSet map[*types.Var]bool // nil_fields.go
	fieldsOpaque  bool                // the package imports reflect or unsafe

	fieldSetsOnce sync.Once
	fieldSets     map[*types.Var][]FieldSet // field_sets.go

	localSetsOnce sync.Once
	localSets     map[*types.Var][]LocalWrite // local_sets.go

	originsOnce sync.Once
	origins     map[types.Object]Ref // value_origins.go

	ownersOnce sync.Once
	fieldOwn   *fieldOwners // field_owners.go

	runsOnce sync.Once
	runIdx   *runIndex // run_counts.go

	wgUsesOnce sync.Once
	wgUses     map[types.Object]*WaitGroupUse // wgroup_uses.go

	chanFieldOnce sync.Once
	chanFieldUses []*ChanFieldUse // chanfield_uses.go

	implsMu sync.Mutex
	impls   map[types.Type]types.Type

	locksOnce sync.Once
	locks     *pkgLocks // pkg_locks.go
	models    fileModels

	vis visibility // chan_visible.go

	chanClassesOnce sync.Once
	chanClasses     *ChanClasses  // chan_classes.go
	imported        SummaryLookup // chan_classes_imported.go

	callReach   callReach   // call_targets.go, sends_reached.go
	onceOnFresh onceOnFresh // once_on_fresh.go
	goStarted   goStarted   // go_started.go
	ifFacts     condFacts   // cond_facts.go
	loops       loopFacts   // loop_stops.go
}

// NewPackage returns the package-wide facts of a type-checked package; each
// is computed when first read.
func NewPackage(fset *token.FileSet, files []*ast.File, info *types.Info, pkg *types.Package) *Package {
	return &Package{Fset: fset, Files: files, Info: info, Types: pkg, impls: map[types.Type]types.Type{}}
}

// Ref names the variable path an expression reaches: x, x.f.g, (*x).f,
// &x.f, pkg.V.
type Ref struct {
	// Root and Path identify the instance within one function: the
	// variable at the root of the selector chain and the fields after it
	// (".mu", ".state.mu"). Root is nil when the chain starts elsewhere (a
	// call, an index): then only Class identifies it.
	Root types.Object
	Path string
	// Class identifies every instance: the struct field it is (so a.mu
	// and b.mu of one type share it) or its variable.
	Class types.Object
	Text  string // as written
	// Via, when the path was seen through a constructor, a composite
	// literal or a parent pointer (Resolve), is where that was proven,
	// and ViaText says what it proved: "c.parent is t".
	Via     token.Pos
	ViaText string
}

// Ref names the variable path e reaches, seen through constructor fields
// (api.client is the argument the constructor stored there) and proven
// parent pointers (r.store is s for r ranging over s.replicas).
func (p *Package) Ref(e ast.Expr) Ref { return p.ref(e, true) }

// RawRef is Ref as written, without seeing through constructors and
// parent pointers.
func (p *Package) RawRef(e ast.Expr) Ref { return p.ref(e, false) }

func (p *Package) ref(e ast.Expr, resolve bool) Ref {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj := p.Info.Uses[e]
		if obj == nil {
			obj = p.Info.Defs[e]
		}
		if v, ok := obj.(*types.Var); ok {
			return Ref{Root: v, Class: v, Text: e.Name}
		}
	case *ast.StarExpr:
		return p.ref(e.X, resolve)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return p.ref(e.X, resolve)
		}
	case *ast.SelectorExpr:
		sel := p.Info.Selections[e]
		if sel == nil {
			// A qualified identifier: pkg.Var.
			if v, ok := p.Info.Uses[e.Sel].(*types.Var); ok {
				return Ref{Root: v, Class: v, Text: v.Pkg().Name() + "." + v.Name()}
			}
			return Ref{}
		}
		if sel.Kind() != types.FieldVal {
			return Ref{}
		}
		base := p.ref(e.X, resolve)
		out := Ref{Class: sel.Obj(), Text: ExprText(e)}
		if base.Root != nil {
			out.Root = base.Root
			out.Path = base.Path + EmbeddedPath(sel) + "." + e.Sel.Name
		}
		if resolve {
			return p.Resolve(out)
		}
		return out
	}
	return Ref{}
}

// Resolve sees a path through a constructor's result field and through a
// proven parent pointer: api.client.mu → c.mu, r.store.mu → s.mu.
func (p *Package) Resolve(r Ref) Ref { return p.throughBackPtr(p.throughCtor(r)) }

// EmbeddedPath spells the embedded fields a promoted field selection goes
// through: ".Inner" for s.f reaching s.Inner.f.
func EmbeddedPath(sel *types.Selection) string {
	idx := sel.Index()
	if len(idx) <= 1 {
		return ""
	}
	t := sel.Recv()
	out := ""
	for _, i := range idx[:len(idx)-1] {
		s, ok := DerefStruct(t)
		if !ok {
			return out
		}
		f := s.Field(i)
		out += "." + f.Name()
		t = f.Type()
	}
	return out
}

// DerefStruct is the struct type t or *t is.
func DerefStruct(t types.Type) (*types.Struct, bool) {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	s, ok := t.Underlying().(*types.Struct)
	return s, ok
}

// ExprText spells an expression short, for messages: s.mu, f(), x[…].
func ExprText(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return ExprText(e.X) + "." + e.Sel.Name
	case *ast.StarExpr:
		return ExprText(e.X)
	case *ast.UnaryExpr:
		return ExprText(e.X)
	case *ast.CallExpr:
		return ExprText(e.Fun) + "()"
	case *ast.IndexExpr:
		return ExprText(e.X) + "[…]"
	}
	return "…"
}

// CalledFunc is the function or method a call names statically.
func CalledFunc(info *types.Info, c *ast.CallExpr) *types.Func {
	var id *ast.Ident
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	return fn
}

// BuiltinName is the name of the builtin a call calls, or "".
func BuiltinName(info *types.Info, c *ast.CallExpr) string {
	id, ok := ast.Unparen(c.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if _, isBuiltin := info.Uses[id].(*types.Builtin); !isBuiltin {
		return ""
	}
	return id.Name
}

// FuncDecl is the declaration of one of the package's functions, nil for
// another package's or one without a body.
func (p *Package) FuncDecl(fn *types.Func) *ast.FuncDecl {
	p.declsOnce.Do(func() {
		p.decls = map[*types.Func]*ast.FuncDecl{}
		for _, file := range p.Files {
			for _, d := range file.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					if f, ok := p.Info.Defs[fd.Name].(*types.Func); ok {
						p.decls[f] = fd
					}
				}
			}
		}
	})
	return p.decls[fn]
}

// SingleAssigns maps each variable assigned exactly once in the package
// (its declaration with a value counts; one whose address is taken never
// qualifies) to the value assigned.
func (p *Package) SingleAssigns() map[types.Object]ast.Expr {
	p.assignsOnce.Do(func() {
		count := map[types.Object]int{}
		val := map[types.Object]ast.Expr{}
		note := func(id *ast.Ident, v ast.Expr) {
			obj := p.Info.Defs[id]
			if obj == nil {
				obj = p.Info.Uses[id]
			}
			if obj == nil {
				return
			}
			count[obj]++
			val[obj] = v
		}
		for _, file := range p.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for i, l := range n.Lhs {
						id, ok := ast.Unparen(l).(*ast.Ident)
						if !ok {
							continue
						}
						var v ast.Expr
						if len(n.Lhs) == len(n.Rhs) && n.Tok != token.ADD_ASSIGN {
							v = n.Rhs[i]
						}
						note(id, v)
					}
				case *ast.ValueSpec:
					for i, id := range n.Names {
						var v ast.Expr
						if len(n.Names) == len(n.Values) {
							v = n.Values[i]
						}
						note(id, v)
					}
				case *ast.UnaryExpr:
					// &v: may be assigned through the pointer.
					if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
						if obj := p.Info.Uses[id]; obj != nil {
							count[obj] += 2
						}
					}
				}
				return true
			})
		}
		p.assigns = map[types.Object]ast.Expr{}
		for obj, n := range count {
			if n == 1 && val[obj] != nil {
				p.assigns[obj] = val[obj]
			}
		}
	})
	return p.assigns
}

// ChanAliases maps each local channel variable whose every assignment
// (its declaration without a value aside) copies one other variable to
// that variable: var next chan T; set := func() { next = shared }. One
// step only: an alias of an alias keeps its own class.
func (p *Package) ChanAliases() map[types.Object]types.Object {
	p.aliasOnce.Do(func() {
		src := map[types.Object]types.Object{}
		bad := map[types.Object]bool{}
		for _, file := range p.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for i, l := range n.Lhs {
						id, ok := ast.Unparen(l).(*ast.Ident)
						if !ok {
							continue
						}
						obj := p.Info.ObjectOf(id)
						v, ok := obj.(*types.Var)
						if !ok || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
							continue
						}
						if _, isChan := v.Type().Underlying().(*types.Chan); !isChan {
							continue
						}
						var from types.Object
						if len(n.Lhs) == len(n.Rhs) {
							if rid, ok := ast.Unparen(n.Rhs[i]).(*ast.Ident); ok {
								from, _ = p.Info.Uses[rid].(*types.Var)
							}
						}
						if from == nil || src[obj] != nil && src[obj] != from {
							bad[obj] = true
							continue
						}
						src[obj] = from
					}
				case *ast.ValueSpec:
					if len(n.Values) > 0 {
						for _, id := range n.Names {
							bad[p.Info.Defs[id]] = true
						}
					}
				case *ast.UnaryExpr:
					if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
						bad[p.Info.Uses[id]] = true
					}
				}
				return true
			})
		}
		for obj := range bad {
			delete(src, obj)
		}
		for obj, from := range src {
			if _, chained := src[from]; chained {
				delete(src, obj)
			}
		}
		p.aliases = src
	})
	return p.aliases
}

// ChanBuffers reads the makes assigned to channel variables and fields (x
// = make(chan T), T{f: make(chan T, n)}, var x = make(...)), by class:
// unbuffered holds the classes every make of which is unbuffered (and that
// have one: only there does a send certainly wait for its receiver),
// small those every make of which has a constant buffer of at most one (a
// second send fills it).
func (p *Package) ChanBuffers() (unbuffered, small map[types.Object]bool) {
	p.chanBuffers()
	return p.unbuffered, p.smallBuffer
}

// FieldCapacity is the buffer size of an unexported channel field of the
// package (its generic origin) when every value stored in it, by
// assignment or composite literal, is a make with that same constant
// capacity (0: unbuffered) and its address is never taken; known is false
// otherwise. Read from the same walk as ChanBuffers.
func (p *Package) FieldCapacity(f *types.Var) (capacity int, known bool) {
	p.chanBuffers()
	capacity, known = p.fieldCaps[f]
	return capacity, known
}

func (p *Package) chanBuffers() {
	p.bufOnce.Do(func() {
		// Per channel field: the capacity every store agrees on (-1: a
		// store that is not a make of constant capacity), and the fields
		// whose stores disagree or whose address is taken.
		fieldCap := map[*types.Var]int{}
		fieldBad := map[*types.Var]bool{}
		storeField := func(f *types.Var, val ast.Expr) {
			n := -1
			if call, ok := ast.Unparen(val).(*ast.CallExpr); ok && BuiltinName(p.Info, call) == "make" {
				n = 0
				if len(call.Args) > 1 {
					n = -1
					if tv := p.Info.Types[call.Args[1]]; tv.Value != nil {
						if c, exact := constant.Int64Val(constant.ToInt(tv.Value)); exact && c >= 0 && c <= math.MaxInt32 {
							n = int(c)
						}
					}
				}
			}
			if old, seen := fieldCap[f]; n < 0 || seen && old != n {
				fieldBad[f] = true
			}
			fieldCap[f] = n
		}
		chanField := func(e ast.Expr) *types.Var {
			sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
			if !ok {
				return nil
			}
			s := p.Info.Selections[sel]
			if s == nil || s.Kind() != types.FieldVal {
				return nil
			}
			f := s.Obj().(*types.Var).Origin()
			if _, isChan := f.Type().Underlying().(*types.Chan); !isChan {
				return nil
			}
			return f
		}
		buffered := map[types.Object]bool{}
		large := map[types.Object]bool{} // a buffer of more than one, or not constant
		made := map[types.Object]bool{}
		note := func(lhs types.Object, rhs ast.Expr) {
			call, ok := ast.Unparen(rhs).(*ast.CallExpr)
			if !ok || lhs == nil {
				return
			}
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); !ok || id.Name != "make" {
				return
			}
			if _, isChan := p.Info.TypeOf(call).Underlying().(*types.Chan); !isChan {
				return
			}
			made[lhs] = true
			if len(call.Args) > 1 {
				tv := p.Info.Types[call.Args[1]]
				if tv.Value == nil || tv.Value.String() != "0" {
					buffered[lhs] = true
				}
				if tv.Value == nil || tv.Value.String() != "0" && tv.Value.String() != "1" {
					large[lhs] = true
				}
			}
		}
		for _, f := range p.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for i, l := range n.Lhs {
						if f := chanField(l); f != nil {
							if len(n.Lhs) != len(n.Rhs) {
								fieldBad[f] = true
							} else {
								storeField(f, n.Rhs[i])
							}
						}
					}
					if len(n.Lhs) == len(n.Rhs) {
						for i := range n.Lhs {
							note(p.Ref(n.Lhs[i]).Class, n.Rhs[i])
						}
					}
				case *ast.UnaryExpr:
					// &x.f hands the field to code that may store
					// anything in it.
					if f := chanField(n.X); f != nil && n.Op == token.AND {
						fieldBad[f] = true
					}
				case *ast.ValueSpec:
					if len(n.Names) == len(n.Values) {
						for i, name := range n.Names {
							note(p.Info.Defs[name], n.Values[i])
						}
					}
				case *ast.KeyValueExpr:
					if id, ok := n.Key.(*ast.Ident); ok {
						if v, ok := p.Info.Uses[id].(*types.Var); ok && v.IsField() {
							note(v, n.Value)
							if _, isChan := v.Type().Underlying().(*types.Chan); isChan {
								storeField(v.Origin(), n.Value)
							}
						}
					}
				}
				return true
			})
		}
		p.fieldCaps = map[*types.Var]int{}
		for f, n := range fieldCap {
			if !fieldBad[f] && !f.Exported() && f.Pkg() == p.Types {
				p.fieldCaps[f] = n
			}
		}
		p.unbuffered, p.smallBuffer = map[types.Object]bool{}, map[types.Object]bool{}
		for c := range made {
			if !buffered[c] {
				p.unbuffered[c] = true
			}
			if !large[c] {
				p.smallBuffer[c] = true
			}
		}
	})
}

// Uses counts the selections of each field (and its keys in composite
// literals) and the uses of each function (called or named as a value) in
// the package: a count equal to the calls golens sees means it sees every
// use.
func (p *Package) Uses() map[types.Object]int {
	p.walkUses()
	return p.uses
}

// ChanFieldReads lists, per channel field of the package (its generic
// origin), every place the package may receive from it or lets its value
// out of sight: every selection of it except the channel of a send, the
// target of an assignment, the argument of close, an operand of a
// comparison or other binary expression, and a composite-literal key.
// Read from the same walk as Uses.
func (p *Package) ChanFieldReads() map[*types.Var][]token.Pos {
	p.walkUses()
	return p.fieldReads
}

func (p *Package) walkUses() {
	p.usesOnce.Do(func() {
		p.uses = map[types.Object]int{}
		p.fieldReads = map[*types.Var][]token.Pos{}
		for _, file := range p.Files {
			var stack []ast.Node
			ast.Inspect(file, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				var parent ast.Node
				if len(stack) > 0 {
					parent = stack[len(stack)-1]
				}
				stack = append(stack, n)
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if sel := p.Info.Selections[n]; sel != nil && sel.Kind() == types.FieldVal {
						p.uses[sel.Obj()]++ // methods are counted by their Ident
					}
					if _, f := ChanFieldOf(p.Info, n); f != nil && !chanFieldNotRead(p.Info, parent, n) {
						p.fieldReads[f] = append(p.fieldReads[f], n.Pos())
					}
				case *ast.KeyValueExpr:
					if id, ok := n.Key.(*ast.Ident); ok {
						if v, ok := p.Info.Uses[id].(*types.Var); ok && v.IsField() {
							p.uses[v]++
						}
					}
				case *ast.Ident:
					if fn, ok := p.Info.Uses[n].(*types.Func); ok {
						p.uses[fn.Origin()]++
					}
				}
				return true
			})
		}
	})
}

// chanFieldNotRead reports whether the selection sel of a channel field,
// written directly under parent, neither receives from it nor lets it out
// of sight.
func chanFieldNotRead(info *types.Info, parent ast.Node, sel *ast.SelectorExpr) bool {
	switch p := parent.(type) {
	case *ast.SendStmt:
		return p.Chan == ast.Expr(sel)
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if ast.Unparen(l) == ast.Expr(sel) {
				return true
			}
		}
	case *ast.CallExpr:
		id, ok := ast.Unparen(p.Fun).(*ast.Ident)
		return ok && id.Name == "close"
	case *ast.BinaryExpr:
		return true
	case *ast.KeyValueExpr:
		return p.Key == ast.Expr(sel)
	}
	return false
}

// OnlyImplementation is the method name of the one named type of the
// package (or its pointer) that implements the interface iface, nil when
// none or several do. A type of another package could implement it too:
// facts read through it name lock and channel classes, never instances.
func (p *Package) OnlyImplementation(iface types.Type, name string) *types.Func {
	it, ok := iface.Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	p.implsMu.Lock()
	m, cached := p.impls[iface]
	p.implsMu.Unlock()
	if cached {
		if m == nil {
			return nil
		}
		obj, _, _ := types.LookupFieldOrMethod(m, true, p.Types, name)
		fn, _ := obj.(*types.Func)
		return fn
	}
	var found types.Type
	n := 0
	scope := p.Types.Scope()
	for _, nm := range scope.Names() {
		tn, ok := scope.Lookup(nm).(*types.TypeName)
		if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
			continue
		}
		if named, ok := tn.Type().(*types.Named); ok && named.TypeParams().Len() > 0 {
			continue
		}
		for _, t := range []types.Type{tn.Type(), types.NewPointer(tn.Type())} {
			if types.Implements(t, it) {
				found = t
				n++
				break
			}
		}
	}
	p.implsMu.Lock()
	defer p.implsMu.Unlock()
	if n != 1 {
		p.impls[iface] = nil
		return nil
	}
	p.impls[iface] = found
	obj, _, _ := types.LookupFieldOrMethod(found, true, p.Types, name)
	fn, _ := obj.(*types.Func)
	if fn != nil && fn.Pkg() != p.Types {
		return nil
	}
	return fn
}
