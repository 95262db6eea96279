package model

import (
	"go/ast"
	"go/token"
)

// The syntax tier tells variables apart by ast.Ident.Obj: the object
// go/parser's resolver gives every identifier it can bind within the file.
// That resolution costs about 30% of go/parser's time (a map per block,
// an ast.Scope per block, ast.Walk's interface dispatch), and the edit→hover
// budget is twice go/parser's time. So Parse asks go/parser to skip it and
// runs resolveIdents below instead, which gives every identifier the same
// object go/parser would (model/resolve_test.go checks this identifier by
// identifier over golens's test data and GOROOT packages) at a fraction of
// the cost:
//
//   - one stack of visible declarations, innermost last, with a small
//     hash table whose chains run from the newest declaration of a name to
//     older ones; a block is a mark on the stack, so opening and closing
//     one allocates nothing;
//   - a type switch over the AST instead of ast.Walk;
//   - the ast.Objects come from slabs, not one allocation each.
//
// The algorithm is go/parser's (go/parser/resolver.go), step for step,
// including its quirks: golens has always read the objects go/parser
// makes, and its readers were written against them.

// maxResolveDepth is go/parser's limit on nested scopes during resolution
// (its maxScopeDepth). Past it go/parser abandons the whole file: ParseFile
// returns an empty AST. resolveIdents reports the same so that Parse can
// do the same.
const maxResolveDepth = 1000

// resolveIdents sets Ident.Obj throughout file, and file.Scope and
// file.Unresolved, as go/parser does when parsing without
// SkipObjectResolution. file must have been parsed with
// SkipObjectResolution (no Obj set). It returns false, having left the
// file partly resolved, when the file nests scopes deeper than go/parser
// resolves (then go/parser returns an empty file instead).
func resolveIdents(file *ast.File, srcLen int) (ok bool) {
	r := newResolver(srcLen)
	defer func() {
		if e := recover(); e != nil {
			if _, deep := e.(tooDeep); !deep {
				panic(e)
			}
			ok = false
		}
	}()
	for _, d := range file.Decls {
		r.decl(d)
	}
	// Every block is closed: what is left on the stack is the package
	// scope, in declaration order. Identifiers that no enclosing block
	// declared resolve against it now, whatever their position: a
	// function may use a package-level name declared after it.
	pkg := ast.NewScope(nil)
	pkg.Objects = make(map[string]*ast.Object, len(r.entries))
	for _, e := range r.entries[1:] {
		pkg.Objects[e.name] = e.obj
	}
	kept := r.unresolved[:0]
	for _, id := range r.unresolved {
		if i := r.lookup(id.Name); i != 0 {
			id.Obj = r.entries[i].obj
		} else {
			kept = append(kept, id)
		}
	}
	file.Scope = pkg
	file.Unresolved = kept
	return true
}

// scopeMark is the index of the first entry of a scope on the stack: the
// scope where a walk step declares is passed down as its mark.
type scopeMark = int32

// tooDeep is the panic that unwinds resolveIdents when the file nests more
// than maxResolveDepth scopes.
type tooDeep struct{}

// scopeEntry is one declaration visible where the walk is: the name it
// declares and its object.
type scopeEntry struct {
	name string
	obj  *ast.Object
	// older is the index of the next older entry in the same hash chain
	// (0: none): the declaration a closing block uncovers.
	older int32
	// bucket is the chain the entry heads while it is on the stack.
	bucket uint32
	// hidden is set for receiver type parameters: go/parser puts them in
	// the method's scope, so they shadow outer names, but never sets them
	// as an identifier's object (go.dev/issue/50956).
	hidden bool
}

type resolver struct {
	// entries is the stack of visible declarations, innermost last;
	// entries[0] is unused so that index 0 can mean "none". The package
	// scope is at the bottom (mark 1) and stays there.
	entries []scopeEntry
	// heads[h] is the newest entry whose name hashes to h.
	heads []int32
	shift uint32
	depth int

	// unresolved are the identifiers no enclosing scope declared (yet):
	// they resolve against the package scope once the walk is done.
	unresolved []*ast.Ident

	// labels and targets are the label declarations and branch labels of
	// the function bodies being walked; each body owns the tail from its
	// mark on (labels do not reach into function literals).
	labels  []scopeEntry
	targets []*ast.Ident

	// objs is the slab the next objects come from.
	objs []ast.Object
}

func newResolver(srcLen int) *resolver {
	// A few hundred names are visible at once in a large file; the table
	// is sized from the file so that chains stay short.
	bits := uint32(8)
	for bits < 14 && 1<<bits < srcLen/64 {
		bits++
	}
	r := &resolver{
		entries:    make([]scopeEntry, 1, 256),
		heads:      make([]int32, 1<<bits),
		shift:      32 - bits,
		depth:      1,
		unresolved: make([]*ast.Ident, 0, srcLen/128+16),
	}
	return r
}

// hash picks name's chain.
func (r *resolver) hash(name string) uint32 {
	h := uint32(len(name))
	for i := 0; i < len(name); i++ {
		h = h*31 + uint32(name[i])
	}
	return (h * 0x9E3779B1) >> r.shift
}

// lookup returns the index of the innermost visible declaration of name,
// or 0.
func (r *resolver) lookup(name string) int32 {
	for i := r.heads[r.hash(name)]; i != 0; i = r.entries[i].older {
		if r.entries[i].name == name {
			return i
		}
	}
	return 0
}

// newObj returns a new object from the slab.
func (r *resolver) newObj(kind ast.ObjKind, name string, decl, data any) *ast.Object {
	if len(r.objs) == cap(r.objs) {
		r.objs = make([]ast.Object, 0, 128)
	}
	r.objs = append(r.objs, ast.Object{Kind: kind, Name: name, Decl: decl, Data: data})
	return &r.objs[len(r.objs)-1]
}

// insert makes obj visible as name in the innermost scope, which begins at
// entry mark, unless that scope already declares name: then, as
// ast.Scope.Insert does, the first declaration stays and is returned.
func (r *resolver) insert(mark int32, obj *ast.Object, hidden bool) *ast.Object {
	h := r.hash(obj.Name)
	for i := r.heads[h]; i != 0; i = r.entries[i].older {
		if r.entries[i].name == obj.Name {
			if i >= mark {
				return r.entries[i].obj
			}
			break
		}
	}
	r.entries = append(r.entries, scopeEntry{name: obj.Name, obj: obj, older: r.heads[h], bucket: h, hidden: hidden})
	r.heads[h] = int32(len(r.entries) - 1)
	return nil
}

// open opens a scope and returns its mark, for close.
func (r *resolver) open() int32 {
	r.depth++
	if r.depth > maxResolveDepth {
		panic(tooDeep{})
	}
	return int32(len(r.entries))
}

// close closes the scope opened at mark (and any opened after it),
// uncovering the declarations its own shadowed.
func (r *resolver) close(mark int32, scopes int) {
	for i := int32(len(r.entries)) - 1; i >= mark; i-- {
		r.heads[r.entries[i].bucket] = r.entries[i].older
	}
	r.entries = r.entries[:mark]
	r.depth -= scopes
}

// declare gives each of idents a new object of kind declared by decl, and
// makes it visible in the scope beginning at mark. "_" gets an object but
// is never visible. A receiver type parameter (decl is the identifier
// itself) is visible but not set as the identifier's object.
func (r *resolver) declare(mark scopeMark, decl, data any, kind ast.ObjKind, idents ...*ast.Ident) {
	for _, id := range idents {
		if id == nil {
			continue
		}
		obj := r.newObj(kind, id.Name, decl, data)
		_, hidden := decl.(*ast.Ident)
		if !hidden {
			id.Obj = obj
		}
		if id.Name != "_" {
			r.insert(mark, obj, hidden)
		}
	}
}

// shortVarDecl declares the identifiers on the left of a := (decl): a name
// already declared in the same scope is redeclared, which assigns the
// existing variable, so the identifier gets the existing object. Other
// expressions on the left (broken code) are left alone, as go/parser does.
func (r *resolver) shortVarDecl(mark scopeMark, decl *ast.AssignStmt) {
	for _, x := range decl.Lhs {
		id, ok := x.(*ast.Ident)
		if !ok || id == nil {
			continue
		}
		obj := r.newObj(ast.Var, id.Name, decl, nil)
		id.Obj = obj
		if id.Name != "_" {
			if alt := r.insert(mark, obj, false); alt != nil {
				id.Obj = alt
			}
		}
	}
}

// resolve binds id to the innermost visible declaration of its name. Not
// found, it waits for the package scope (collect) or stays nil: go/parser
// tries composite literal keys (they may be field names) only against
// what is visible where they are (go.dev/issue/45160).
func (r *resolver) resolve(id *ast.Ident, collect bool) {
	if id.Name == "_" {
		return // "_" never refers to a declaration
	}
	if i := r.lookup(id.Name); i != 0 {
		if e := &r.entries[i]; !e.hidden {
			id.Obj = e.obj
		}
		return
	}
	if collect {
		r.unresolved = append(r.unresolved, id)
	}
}

// ---- the walk: go/parser's order, and ast.Walk's for the nodes its
// resolver leaves to ast.Walk ----

func (r *resolver) exprs(list []ast.Expr) {
	for _, x := range list {
		r.expr(x)
	}
}

func (r *resolver) stmts(mark scopeMark, list []ast.Stmt) {
	for _, s := range list {
		r.stmt(mark, s)
	}
}

func (r *resolver) expr(x ast.Expr) {
	switch n := x.(type) {
	case nil:
	case *ast.Ident:
		if n != nil {
			r.resolve(n, true)
		}
	case *ast.BasicLit, *ast.BadExpr:
	case *ast.SelectorExpr:
		// Only the operand: golens, like go/parser, does not resolve
		// qualified names.
		if n != nil {
			r.expr(n.X)
		}
	case *ast.CallExpr:
		if n != nil {
			r.expr(n.Fun)
			r.exprs(n.Args)
		}
	case *ast.UnaryExpr:
		if n != nil {
			r.expr(n.X)
		}
	case *ast.BinaryExpr:
		if n != nil {
			r.expr(n.X)
			r.expr(n.Y)
		}
	case *ast.StarExpr:
		if n != nil {
			r.expr(n.X)
		}
	case *ast.ParenExpr:
		if n != nil {
			r.expr(n.X)
		}
	case *ast.IndexExpr:
		if n != nil {
			r.expr(n.X)
			r.expr(n.Index)
		}
	case *ast.IndexListExpr:
		if n != nil {
			r.expr(n.X)
			r.exprs(n.Indices)
		}
	case *ast.SliceExpr:
		if n != nil {
			r.expr(n.X)
			r.expr(n.Low)
			r.expr(n.High)
			r.expr(n.Max)
		}
	case *ast.TypeAssertExpr:
		if n != nil {
			r.expr(n.X)
			r.expr(n.Type)
		}
	case *ast.CompositeLit:
		if n != nil {
			r.compositeLit(n)
		}
	case *ast.KeyValueExpr:
		// Outside a composite literal (broken code) the key is an
		// ordinary expression.
		if n != nil {
			r.expr(n.Key)
			r.expr(n.Value)
		}
	case *ast.FuncLit:
		if n != nil {
			mark := r.open()
			r.funcType(mark, n.Type)
			r.body(mark, n.Body)
			r.close(mark, 1)
		}
	case *ast.FuncType:
		if n != nil {
			mark := r.open()
			r.funcType(mark, n)
			r.close(mark, 1)
		}
	case *ast.StructType:
		// Field names are declared in a scope of their own, as variables.
		if n != nil {
			mark := r.open()
			r.fieldList(mark, n.Fields, ast.Var)
			r.close(mark, 1)
		}
	case *ast.InterfaceType:
		// Method names are declared in a scope of their own, as functions.
		if n != nil {
			mark := r.open()
			r.fieldList(mark, n.Methods, ast.Fun)
			r.close(mark, 1)
		}
	case *ast.Ellipsis:
		if n != nil {
			r.expr(n.Elt)
		}
	case *ast.ArrayType:
		if n != nil {
			r.expr(n.Len)
			r.expr(n.Elt)
		}
	case *ast.MapType:
		if n != nil {
			r.expr(n.Key)
			r.expr(n.Value)
		}
	case *ast.ChanType:
		if n != nil {
			r.expr(n.Value)
		}
	}
}

// compositeLit: a key that is an identifier may name a field, which no
// scope declares, so it is tried against the visible declarations but not
// kept for the package scope (go/parser's behaviour since go.dev/issue/45160).
func (r *resolver) compositeLit(n *ast.CompositeLit) {
	r.expr(n.Type)
	for _, e := range n.Elts {
		kv, _ := e.(*ast.KeyValueExpr)
		if kv == nil {
			r.expr(e)
			continue
		}
		if id, _ := kv.Key.(*ast.Ident); id != nil {
			r.resolve(id, false)
		} else {
			r.expr(kv.Key)
		}
		r.expr(kv.Value)
	}
}

// funcType resolves the parameter and result types, then declares their
// names, in the scope opened at mark: a parameter's type never refers to
// another parameter. Type parameters are the caller's business (only
// function declarations have them).
func (r *resolver) funcType(mark scopeMark, t *ast.FuncType) {
	if t == nil {
		return
	}
	r.fieldTypes(t.Params)
	r.fieldTypes(t.Results)
	r.fieldNames(mark, t.Params, ast.Var)
	r.fieldNames(mark, t.Results, ast.Var)
}

func (r *resolver) fieldTypes(list *ast.FieldList) {
	if list == nil {
		return
	}
	for _, f := range list.List {
		if f != nil {
			r.expr(f.Type)
		}
	}
}

func (r *resolver) fieldNames(mark scopeMark, list *ast.FieldList, kind ast.ObjKind) {
	if list == nil {
		return
	}
	for _, f := range list.List {
		if f != nil {
			r.declare(mark, f, nil, kind, f.Names...)
		}
	}
}

func (r *resolver) fieldList(mark scopeMark, list *ast.FieldList, kind ast.ObjKind) {
	r.fieldTypes(list)
	r.fieldNames(mark, list, kind)
}

// typeParams declares the type parameters before resolving their
// constraints: a constraint may mention any of them.
func (r *resolver) typeParams(mark scopeMark, list *ast.FieldList) {
	r.fieldNames(mark, list, ast.Typ)
	r.fieldTypes(list)
}

// body walks a function body in the scope opened at mark (the parameters'
// scope: the body's block opens none of its own), with a label scope of
// its own. Branch statements may jump to labels declared after them, so
// their labels resolve when the body is done, against its labels only.
func (r *resolver) body(mark scopeMark, b *ast.BlockStmt) {
	if b == nil {
		return
	}
	labels, targets := len(r.labels), len(r.targets)
	r.stmts(mark, b.List)
	for _, id := range r.targets[targets:] {
		id.Obj = nil
		for i := labels; i < len(r.labels); i++ {
			if r.labels[i].name == id.Name {
				id.Obj = r.labels[i].obj // the first declaration, as ast.Scope keeps
				break
			}
		}
	}
	clear(r.labels[labels:])
	r.labels = r.labels[:labels]
	clear(r.targets[targets:])
	r.targets = r.targets[:targets]
}

// block walks a block statement in a scope of its own.
func (r *resolver) block(b *ast.BlockStmt) {
	if b == nil {
		return
	}
	mark := r.open()
	r.stmts(mark, b.List)
	r.close(mark, 1)
}

// stmt walks s; mark is the innermost scope, where declarations go.
func (r *resolver) stmt(mark scopeMark, s ast.Stmt) {
	switch n := s.(type) {
	case nil:
	case *ast.ExprStmt:
		if n != nil {
			r.expr(n.X)
		}
	case *ast.AssignStmt:
		if n != nil {
			r.exprs(n.Rhs)
			if n.Tok == token.DEFINE {
				r.shortVarDecl(mark, n)
			} else {
				r.exprs(n.Lhs)
			}
		}
	case *ast.DeclStmt:
		if n != nil {
			r.declIn(mark, n.Decl)
		}
	case *ast.ReturnStmt:
		if n != nil {
			r.exprs(n.Results)
		}
	case *ast.SendStmt:
		if n != nil {
			r.expr(n.Chan)
			r.expr(n.Value)
		}
	case *ast.IncDecStmt:
		if n != nil {
			r.expr(n.X)
		}
	case *ast.GoStmt:
		if n != nil && n.Call != nil {
			r.expr(n.Call)
		}
	case *ast.DeferStmt:
		if n != nil && n.Call != nil {
			r.expr(n.Call)
		}
	case *ast.BlockStmt:
		r.block(n)
	case *ast.IfStmt:
		if n != nil {
			m := r.open()
			r.stmt(m, n.Init)
			r.expr(n.Cond)
			r.block(n.Body)
			r.stmt(m, n.Else)
			r.close(m, 1)
		}
	case *ast.ForStmt:
		if n != nil {
			m := r.open()
			r.stmt(m, n.Init)
			r.expr(n.Cond)
			r.stmt(m, n.Post)
			r.block(n.Body)
			r.close(m, 1)
		}
	case *ast.RangeStmt:
		if n != nil {
			r.rangeStmt(n)
		}
	case *ast.SwitchStmt:
		if n != nil {
			r.switchStmt(n)
		}
	case *ast.TypeSwitchStmt:
		if n != nil {
			r.typeSwitchStmt(n)
		}
	case *ast.SelectStmt:
		// The body's braces open no scope; each clause opens its own.
		if n != nil && n.Body != nil {
			r.stmts(mark, n.Body.List)
		}
	case *ast.CaseClause:
		// The case expressions are in the switch's scope, the body in
		// the clause's.
		if n != nil {
			r.exprs(n.List)
			m := r.open()
			r.stmts(m, n.Body)
			r.close(m, 1)
		}
	case *ast.CommClause:
		// The communication (case v := <-ch) declares in the clause's
		// scope.
		if n != nil {
			m := r.open()
			r.stmt(m, n.Comm)
			r.stmts(m, n.Body)
			r.close(m, 1)
		}
	case *ast.LabeledStmt:
		if n != nil {
			r.label(n)
			r.stmt(mark, n.Stmt)
		}
	case *ast.BranchStmt:
		// Resolved when the function body is done (a goto may jump
		// forward).
		if n != nil && n.Tok != token.FALLTHROUGH && n.Label != nil {
			r.targets = append(r.targets, n.Label)
		}
	case *ast.BadStmt, *ast.EmptyStmt:
	}
}

// label declares a statement label in the current function body's label
// scope.
func (r *resolver) label(n *ast.LabeledStmt) {
	id := n.Label
	if id == nil {
		return
	}
	obj := r.newObj(ast.Lbl, id.Name, n, nil)
	id.Obj = obj
	if id.Name != "_" {
		r.labels = append(r.labels, scopeEntry{name: id.Name, obj: obj})
	}
}

// rangeStmt: the range expression is resolved before the key and value
// are declared, so `for x := range x` ranges over the outer x. go/parser
// records := range variables as declared by an AssignStmt it makes up
// (key, value := range X), which golens's readers recognise (isLoopHeader).
func (r *resolver) rangeStmt(n *ast.RangeStmt) {
	m := r.open()
	r.expr(n.X)
	if n.Key != nil || n.Value != nil {
		if n.Tok == token.DEFINE {
			d := &rangeDecl{}
			lhs := d.lhs[:0]
			if n.Key != nil {
				lhs = append(lhs, n.Key)
			}
			if n.Value != nil {
				lhs = append(lhs, n.Value)
			}
			d.x = ast.UnaryExpr{Op: token.RANGE, X: n.X}
			d.rhs[0] = &d.x
			d.as = ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, TokPos: n.TokPos, Rhs: d.rhs[:]}
			// Keys and values that are not identifiers (broken code) are
			// walked as expressions.
			for _, x := range lhs {
				if _, isIdent := ast.Unparen(x).(*ast.Ident); !isIdent {
					r.expr(ast.Unparen(x))
				}
			}
			r.shortVarDecl(m, &d.as)
		} else {
			r.expr(n.Key)
			r.expr(n.Value)
		}
	}
	r.block(n.Body)
	r.close(m, 1)
}

// rangeDecl holds the made-up declaration of a range clause's variables in
// one allocation.
type rangeDecl struct {
	as  ast.AssignStmt
	x   ast.UnaryExpr
	lhs [2]ast.Expr
	rhs [1]ast.Expr
}

func (r *resolver) switchStmt(n *ast.SwitchStmt) {
	m := r.open()
	scopes := 1
	r.stmt(m, n.Init)
	if n.Tag != nil {
		// go/parser opens one more scope around the tag when there is an
		// init statement (in case the switch turned out to be a type
		// switch); it changes nothing visible but the scope depth, which
		// is kept for go/parser's depth limit.
		if n.Init != nil {
			r.open()
			scopes++
		}
		r.expr(n.Tag)
	}
	if n.Body != nil {
		r.stmts(int32(len(r.entries)), n.Body.List) // only case clauses: they declare nothing here
	}
	r.close(m, scopes)
}

// typeSwitchStmt: the x of `switch x := y.(type)` is declared in a scope
// of its own around the clauses (so the case lists see it too).
func (r *resolver) typeSwitchStmt(n *ast.TypeSwitchStmt) {
	m := int32(len(r.entries))
	scopes := 0
	if n.Init != nil {
		m = r.open()
		scopes++
		r.stmt(m, n.Init)
	}
	am := r.open()
	scopes++
	if n.Init == nil {
		m = am
	}
	r.stmt(am, n.Assign)
	if n.Body != nil {
		r.stmts(am, n.Body.List)
	}
	r.close(m, scopes)
}

// decl walks a package-level declaration.
func (r *resolver) decl(d ast.Decl) {
	switch n := d.(type) {
	case *ast.GenDecl:
		r.declIn(1, n)
	case *ast.FuncDecl:
		if n != nil {
			r.funcDecl(n)
		}
	}
}

// declIn walks a const, var or type declaration declaring into the scope
// beginning at mark.
func (r *resolver) declIn(mark scopeMark, d ast.Decl) {
	n, ok := d.(*ast.GenDecl)
	if !ok || n == nil {
		return
	}
	switch n.Tok {
	case token.CONST, token.VAR:
		kind := ast.Con
		if n.Tok == token.VAR {
			kind = ast.Var
		}
		for i, spec := range n.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok || vs == nil {
				continue
			}
			// The values and type first: `var x = x` refers to an outer x.
			r.exprs(vs.Values)
			r.expr(vs.Type)
			r.declare(mark, vs, i, kind, vs.Names...)
		}
	case token.TYPE:
		// A type's name is visible in its own definition (recursive
		// types). go/parser opens the scope of a spec's type parameters
		// and closes it only at the end of the whole declaration, so the
		// specs after a generic one are declared in, and see, its type
		// parameters' scope; golens keeps that.
		first, scopes := int32(len(r.entries)), 0
		for _, spec := range n.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok || ts == nil {
				continue
			}
			r.declare(mark, ts, nil, ast.Typ, ts.Name)
			if ts.TypeParams != nil {
				m := r.open()
				if scopes == 0 {
					first = m
				}
				scopes++
				mark = m
				r.typeParams(m, ts.TypeParams)
			}
			r.expr(ts.Type)
		}
		if scopes > 0 {
			r.close(first, scopes)
		}
	}
}

// funcDecl: receiver, type parameters, parameters and body share one
// scope. Parameter types are resolved before any parameter name is
// declared. The function's own name becomes visible (in the package
// scope) only after its body, so a use of it inside the body resolves at
// the end like any other package-level name; methods and init are never
// declared.
func (r *resolver) funcDecl(n *ast.FuncDecl) {
	m := r.open()
	r.receiver(m, n.Recv)
	if n.Type != nil && n.Type.TypeParams != nil {
		r.typeParams(m, n.Type.TypeParams)
	}
	if n.Type != nil {
		r.fieldTypes(n.Type.Params)
		r.fieldTypes(n.Type.Results)
	}
	r.fieldNames(m, n.Recv, ast.Var)
	if n.Type != nil {
		r.fieldNames(m, n.Type.Params, ast.Var)
		r.fieldNames(m, n.Type.Results, ast.Var)
	}
	r.body(m, n.Body)
	r.close(m, 1)
	if n.Recv == nil && n.Name != nil && n.Name.Name != "init" {
		r.declare(1, n, nil, ast.Fun, n.Name)
	}
}

// receiver declares a method's receiver type parameters (T[K, V]) before
// resolving the receiver's type, and never resolves the parameters' own
// identifiers.
func (r *resolver) receiver(mark scopeMark, recv *ast.FieldList) {
	if recv == nil || len(recv.List) == 0 {
		return
	}
	var typ ast.Expr
	if recv.List[0] != nil {
		typ = recv.List[0].Type
	}
	if ptr, ok := typ.(*ast.StarExpr); ok && ptr != nil {
		typ = ptr.X
	}
	var params []ast.Expr
	switch t := typ.(type) {
	case *ast.IndexExpr:
		if t != nil {
			params, typ = []ast.Expr{t.Index}, t.X
		}
	case *ast.IndexListExpr:
		if t != nil {
			params, typ = t.Indices, t.X
		}
	}
	var bad []ast.Expr
	for _, p := range params {
		if id, _ := p.(*ast.Ident); id != nil {
			r.declare(mark, id, nil, ast.Typ, id)
		} else {
			// Not a type parameter name (broken code): resolved like
			// any expression, after the receiver type.
			bad = append(bad, p)
		}
	}
	r.expr(typ)
	r.exprs(bad)
	// More than one receiver is an error; their types are resolved all
	// the same.
	for _, f := range recv.List[1:] {
		if f != nil {
			r.expr(f.Type)
		}
	}
}
