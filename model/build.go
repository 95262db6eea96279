package model

import (
	"bytes"
	"cmp"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// Parse parses src as the file filename (tolerating syntax errors) and builds
// its syntax-tier model. It never fails: a file that does not parse at all
// yields a model with no facts.
func Parse(filename string, src []byte) *File {
	fset := token.NewFileSet()
	// golens resolves the identifiers itself, as go/parser would but at a
	// fraction of the cost (resolve.go).
	f, _ := parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
	if f == nil {
		f = &ast.File{Name: &ast.Ident{Name: "_"}}
	}
	if !resolveIdents(f, len(src)) {
		// Scopes nested deeper than go/parser resolves: it returns an
		// empty file then, and so does Parse.
		f = &ast.File{Name: new(ast.Ident), Scope: ast.NewScope(nil), FileStart: f.FileStart, FileEnd: f.FileEnd}
	}
	return Build(fset, f, src, nil)
}

// Build builds the model of file, whose source is src. info may be nil (the
// syntax tier); when set it must describe file and is used to resolve
// identifiers and recognise channels, mutexes and WaitGroups by type.
// The model quotes src without copying it: src must not be modified
// after Build (nor after Parse, BuildWith, BuildIn, BuildInPackage).
//
// The file must have been parsed with object resolution on (the go/parser
// default) for the syntax tier to tell variables apart.
func Build(fset *token.FileSet, file *ast.File, src []byte, info *types.Info) *File {
	return BuildWith(fset, file, src, info, nil)
}

// BuildWith is Build with the summaries of functions declared in other
// files (the typed tier's package summaries); lookup may be nil.
func BuildWith(fset *token.FileSet, file *ast.File, src []byte, info *types.Info, lookup SummaryLookup) *File {
	return buildWith(fset, file, src, info, lookup, nil, nil)
}

// BuildIn builds the typed model of file, one of pkg's files, with the
// facts only the package's files together give (UsePackage) from the
// start: the lock flows then follow the lock helpers declared in the
// package's other files (pkg_locks.go). lookup may be nil. Unlike
// BuildInPackage, the channel facts do not read the package's channel
// classes.
func BuildIn(pkg *Package, file *ast.File, src []byte, lookup SummaryLookup) *File {
	return buildWith(pkg.Fset, file, src, pkg.Info, lookup, nil, pkg)
}

// buildWith is BuildWith for a file of the package classPkg when that is
// set (BuildInPackage), and with the package facts pkg (BuildIn).
func buildWith(fset *token.FileSet, file *ast.File, src []byte, info *types.Info, lookup SummaryLookup, classPkg, pkg *Package) *File {
	// About one explained site per 20-25 bytes in concurrency-dense code.
	m := &File{Fset: fset, AST: file, Src: src, Info: info, sites: make([]Site, 0, len(src)/20+8), classPkg: classPkg}
	if info != nil {
		m.pkg = pkg
		m.Tier = TypedTier
	}
	if fset.File(file.Pos()) == nil {
		// An empty AST from a file that did not parse: nothing to model.
		return m
	}
	// The maps that fill with the file are sized for it: in
	// concurrency-dense code, about one entry per 256 bytes of source.
	// Growing them entry by entry cost a tenth of the build.
	n := len(src)/256 + 8
	b := &builder{
		m:        m,
		base:     fset.File(file.Pos()).Base(),
		srcText:  aliasText(src),
		chans:    make(map[VarKey]*Chan, n),
		syncVars: make(map[VarKey]string, n),
		consts:   map[any]constant.Value{},
		imports:  map[string]string{},
		assigns:  map[VarKey][]assignment{},
		commaOk:  map[*ast.UnaryExpr]bool{},
		funcOf:   make(map[*ast.FuncLit]*Func, n),

		loopHeaders:   make(map[*ast.AssignStmt]bool, n/2),
		timers:        map[VarKey]bool{},
		tickers:       map[VarKey]bool{},
		timeOtherList: make([]VarKey, 0, len(src)/100+16), // every variable assigned a value that is not a timer: about one write per 100 bytes in dense code
		loopVars:      make(map[token.Pos]bool, n),
		bareDecls:     make(map[token.Pos]*ast.ValueSpec, n),
		ss:            newSummaryState(lookup),

		ctxParents: new(ctxParentsCache),
		makes: make(map[token.Pos]struct {
			site *MakeSite
			ch   *Chan
		}, n),
	}
	for _, imp := range file.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		b.imports[name] = path
	}
	m.derived = &derived{b: b} // summaries and the facts they give: on first read
	b.declare(file)
	ast.Walk(&visitor{b: b}, file)
	b.finish()
	b.sealSlabs()
	return m
}

// aliasText is src as a string without copying it: the texts the model
// quotes (ChanOp.ChanExpr, Defer.Call, ...) are slices of it. File.Src
// holds src itself, so every caller already leaves the source alone after
// Build: the server replaces a document's text with a new slice on every
// edit (server/documents.go applyChanges), the typed tier's File.Src and
// modelpass's file contents are read once and never written. Copying the
// source was a twentieth of the build's allocation.
func aliasText(src []byte) string {
	if len(src) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(src), len(src))
}

type keyedAssignment struct {
	key VarKey
	assignment
}

func (b *builder) recordAssign(k VarKey, as assignment) {
	if b.assignList == nil {
		// About one write per 64 bytes of source.
		b.assignList = make([]keyedAssignment, 0, len(b.srcText)/64+16)
	}
	b.assignList = append(b.assignList, keyedAssignment{k, as})
}

// assignment is one write to a variable, kept to tell what value a deferred
// call's argument has and whether it changes later.
type assignment struct {
	pos token.Pos
	// rhs is the expression stored, when the write stores exactly one
	// (x = e, x := e, var x = e), read with stored; for `var x T` it is T,
	// and zero is set. (One field for both: a file has thousands of
	// writes.) Their constant value is worked out only for the variables
	// defers use.
	rhs    ast.Expr
	block  *ast.BlockStmt
	inLoop bool
	// addr marks `&x`: not a write, but x may be written through the
	// pointer, so x's value is no longer known after it.
	addr bool
	zero bool
}

// stored is the expression the write stores, if it stores exactly one.
func (as *assignment) stored() ast.Expr {
	if as.zero {
		return nil
	}
	return as.rhs
}

// value returns the constant the write stores, if the model can tell.
func (b *builder) value(as assignment) (string, bool) {
	if as.zero {
		if z := zeroValue(as.rhs); z != "" {
			return z, true
		}
	} else if as.rhs != nil {
		if c := b.constValue(as.rhs); c != nil {
			return valueString(c), true
		}
	}
	return "", false
}

type builder struct {
	// fieldKeys: the keys of composite literals that name struct fields
	// (markFieldKeys), on the syntax tier, where go/parser resolves
	// `outcome{job: name}`'s key to a local variable named job.
	fieldKeys map[*ast.Ident]bool
	// afterFuncLits: the function literals passed as time.AfterFunc's or
	// context.AfterFunc's callback, with the call (close_afterfunc.go).
	afterFuncLits map[token.Pos]*ast.CallExpr
	// deferredLitCalls: the calls made directly in deferred function
	// literals, by the called name (recover_flow.go's
	// callsInDeferredLits), listed on first use.
	deferredLitCalls map[string][]token.Pos
	// closeIndex: each summary's close effects by position (close_paths.go).
	closeIndex map[*Summary]map[token.Pos][]*Effect
	// calledNames: the callees of the file's calls by shape (calledKey),
	// built on first read by storedIn.
	calledNames map[string]bool
	m           *File
	// srcText is the source as one string, and base the file's base
	// position: text slices it instead of copying each fragment.
	srcText  string
	base     int
	chans    map[VarKey]*Chan
	syncVars map[VarKey]string // variables known to be sync.Mutex, sync.RWMutex, sync.WaitGroup, context.Context
	consts   map[any]constant.Value
	imports  map[string]string // local name -> import path
	// assignList records every write in source order; assigns indexes
	// it, in finish, for the variables that defers pass as arguments (the
	// only reader), so that most writes cost one append.
	assignList []keyedAssignment
	assigns    map[VarKey][]assignment
	writes     map[VarKey][]token.Pos // assigns' positions but &x, sorted: see finish
	commaOk    map[*ast.UnaryExpr]bool
	// goLit and deferLit are the function literal a go or defer statement
	// just walked calls (the next function literal the walk reaches), with
	// its Goroutine or Defer: no map is needed, because the walk visits
	// the statement's call, then its function, right after the statement.
	goLit   *ast.FuncLit
	goOfLit *Goroutine
	// freeCols are capture collectors done with, for reuse (newCollector).
	freeCols []*captureCollector
	// capStack backs walkState.caps (Visit, *ast.FuncLit).
	capStack []*captureCollector
	// declaresDone: 0 not yet known, 1 no, 2 the file declares a Done
	// method (fileDeclaresDone).
	declaresDone int8
	deferLit     *ast.FuncLit
	deferOf      *Defer
	funcOf       map[*ast.FuncLit]*Func
	// loopHeaders indexes for-loop init statements, whose variables are
	// loop variables.
	loopHeaders map[*ast.AssignStmt]bool
	// bareDecls are the positions of names declared by `var x T` with no
	// value: the only way a local channel is nil on every path. Each
	// maps to its spec (Chan.BareDecl).
	bareDecls map[token.Pos]*ast.ValueSpec
	// loopVars are the declaring positions of for and range variables.
	loopVars map[token.Pos]bool
	// timers are variables assigned from time.NewTimer, tickers from
	// time.NewTicker; timeOther those assigned anything else too (a
	// Timer from time.AfterFunc has a nil C). Most variables are
	// assigned something else and few are timers: the walk lists them
	// (timeOtherList), and timeOther indexes the list only when the walk
	// asks about a timer's or ticker's C (assignedNonTimer). Inserting
	// each into a set was a twentieth of the build.
	timers, tickers, timeOther map[VarKey]bool
	timeOtherList              []VarKey
	timeOtherDone              int // timeOtherList[:timeOtherDone] are in timeOther
	// afterFuncs are the variables and fields assigned a time.AfterFunc
	// call, with the positions of the names written (nil in most files):
	// such a Timer has a nil C (afterfunc_timers.go).
	afterFuncs map[VarKey][]token.Pos
	// makes indexes make(chan) calls assigned to channels, by position.
	makes map[token.Pos]struct {
		site *MakeSite
		ch   *Chan
	}
	// goCall and deferCall are the calls of the go or defer statement the
	// walk reached last: the walk visits the call right after the
	// statement (see isDeferredCall).
	goCall, deferCall *ast.CallExpr
	// embeddedMutex is the sync type a struct of this file embeds, if any;
	// embeddedMixed: two structs of the file embed different ones (a
	// Mutex and an RWMutex), so x.Lock() is the one x's struct embeds
	// (embeddedSync, syntax tier: struct type name → sync type), unknown
	// when the syntax cannot tell x's struct.
	embeddedMutex string
	embeddedMixed bool
	embeddedSync  map[string]string
	// embeddedStructs: the types each struct type of the file embeds by
	// a plain name (syntax tier), through which a Lock is promoted too;
	// structTypes: the struct types the file declares at package level.
	embeddedStructs map[string][]string
	structTypes     map[string]bool
	// structSync is, on the syntax tier, the sync type of each field of
	// the file's named struct types ("Cache.mu" → "sync.RWMutex"), and
	// mixedSync the field keys (".mu") that two struct types of the file
	// declare with different sync types: a field is keyed by its name
	// alone, so for those the key cannot tell a Mutex from an RWMutex,
	// and syncTypeOf asks the struct type of the selector instead.
	structSync map[string]string
	mixedSync  map[VarKey]bool
	// pendingCancel pairs a context constructor call with the name its
	// cancel func is assigned to.
	pendingCancel []pendingCancel
	// notedCalls: Cond, Timer and context calls for addCallSites
	// (callsites.go).
	notedCalls      []notedCall
	sawCtxAfterFunc bool
	// ss collects what function summaries need (summary.go).
	ss *summaryState
	// gotoFuncs are the functions with a goto written in their own body
	// (not in a function literal): only their defers can be in a goto
	// loop (gotoloop.go).
	gotoFuncs map[*Func]bool
	// methods indexes the file's methods by "T.m" (indexMethods).
	methods map[string]*Func
	// fieldTypes: struct field name -> its type as written (receiver.go).
	fieldTypes map[string]fieldTypeInfo
	// atomicFields: struct field names of the file, each true when every
	// field of that name has a sync/atomic type (atomicField), read once.
	// (Built on first use, as fieldTypes is.)
	atomicFields map[string]bool

	// slabs: the chunks the walk's facts are cut from (slab.go).
	slabs slabs

	// ctxParents: each context variable's parent (ctxtree.go), computed
	// on first use.
	ctxParents *ctxParentsCache
}

type pendingCancel struct {
	call *ast.CallExpr
	name string
	key  VarKey
}

// ---- identity ----

// keyOf resolves an expression that names a variable or field to its key.
func (b *builder) keyOf(e ast.Expr) (VarKey, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if e.Name == "_" {
			return VarKey{}, false
		}
		if info := b.m.Info; info != nil {
			if obj := info.ObjectOf(e); obj != nil {
				if _, ok := obj.(*types.Var); ok {
					return VarKey{obj: obj}, true
				}
				if _, ok := obj.(*types.Const); ok {
					return VarKey{obj: obj}, true
				}
				return VarKey{}, false
			}
		}
		if e.Obj != nil {
			if e.Obj.Kind == ast.Var || e.Obj.Kind == ast.Con {
				return VarKey{obj: e.Obj}, true
			}
			return VarKey{}, false
		}
		// Unresolved: a package-level variable declared in another file.
		return VarKey{field: "::" + e.Name}, true
	case *ast.SelectorExpr:
		if info := b.m.Info; info != nil {
			if sel, ok := info.Selections[e]; ok && sel.Kind() == types.FieldVal {
				return VarKey{obj: fieldOrigin(sel.Obj())}, true
			}
			if obj, ok := info.Uses[e.Sel].(*types.Var); ok && obj.IsField() {
				return VarKey{obj: fieldOrigin(obj)}, true // a composite literal key
			}
			if obj, ok := info.Uses[e.Sel].(*types.Var); ok {
				return VarKey{obj: obj}, true // pkg.Var
			}
		}
		if x, ok := e.X.(*ast.Ident); ok && b.isPackage(x) {
			return VarKey{field: x.Name + "." + e.Sel.Name}, true
		}
		return VarKey{field: "." + e.Sel.Name}, true
	case *ast.StarExpr:
		return b.keyOf(e.X)
	}
	return VarKey{}, false
}

// isPackage reports whether id names an imported package.
func (b *builder) isPackage(id *ast.Ident) bool {
	if info := b.m.Info; info != nil {
		_, ok := info.Uses[id].(*types.PkgName)
		return ok
	}
	if id.Obj != nil || id.Name == "_" {
		return false // "_" is never a package name, though `import _ "p"` records one
	}
	_, ok := b.imports[id.Name]
	return ok
}

// pkgCall reports whether call is pkgpath.Name(...) and returns Name.
func (b *builder) pkgCall(call *ast.CallExpr, pkgpath string) (string, *ast.Ident) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", nil
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", nil
	}
	if info := b.m.Info; info != nil {
		if pn, ok := info.Uses[x].(*types.PkgName); ok && pn.Imported().Path() == pkgpath {
			return sel.Sel.Name, sel.Sel
		}
		if _, ok := info.Uses[x]; ok {
			return "", nil
		}
	}
	if x.Obj == nil && b.imports[x.Name] == pkgpath {
		return sel.Sel.Name, sel.Sel
	}
	return "", nil
}

// isBuiltin reports whether fun is the predeclared function name.
func (b *builder) isBuiltin(fun ast.Expr, name string) bool {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok || id.Name != name {
		return false
	}
	if info := b.m.Info; info != nil {
		if obj := info.Uses[id]; obj != nil {
			_, ok := obj.(*types.Builtin)
			return ok
		}
	}
	return id.Obj == nil
}

func declPos(obj *ast.Object) token.Pos {
	switch d := obj.Decl.(type) {
	case *ast.ValueSpec:
		for _, n := range d.Names {
			if n.Name == obj.Name {
				return n.Pos()
			}
		}
	case *ast.AssignStmt:
		for _, l := range d.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == obj.Name {
				return id.Pos()
			}
		}
	case *ast.Field:
		for _, n := range d.Names {
			if n.Name == obj.Name {
				return n.Pos()
			}
		}
	}
	return token.NoPos
}

// declOf returns the declaring position of the variable behind key.
func (k VarKey) declOf() token.Pos {
	switch o := k.obj.(type) {
	case *ast.Object:
		return declPos(o)
	case types.Object:
		return o.Pos()
	}
	return token.NoPos
}

// ---- types ----

func (b *builder) text(n ast.Node) string {
	if n == nil {
		return ""
	}
	var s string
	if b.srcText != "" {
		// Slicing the source, held once as a string, allocates nothing;
		// printing the node would cost far more.
		from, to := int(n.Pos())-b.base, int(n.End())-b.base
		if from < 0 || to > len(b.srcText) || from > to {
			return ""
		}
		s = b.srcText[from:to]
	} else {
		var buf bytes.Buffer
		if err := printer.Fprint(&buf, b.m.Fset, n); err != nil {
			return ""
		}
		s = buf.String()
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		// Multi-line (a function literal): keep the head and the tail.
		j := strings.LastIndexByte(s, '\n')
		s = strings.TrimRight(s[:i], " ") + " … " + strings.TrimSpace(s[j+1:])
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// syncTypeOfExpr names the sync/context type of a type expression as written.
func (b *builder) syncTypeOfExpr(t ast.Expr) string {
	switch t := ast.Unparen(t).(type) {
	case *ast.StarExpr:
		return b.syncTypeOfExpr(t.X)
	case *ast.SelectorExpr:
		x, ok := t.X.(*ast.Ident)
		if !ok || x.Obj != nil {
			return ""
		}
		switch b.imports[x.Name] {
		case "sync":
			switch t.Sel.Name { // constants: this runs for every declaration
			case "Mutex":
				return "sync.Mutex"
			case "RWMutex":
				return "sync.RWMutex"
			case "WaitGroup":
				return "sync.WaitGroup"
			case "Cond":
				return "sync.Cond"
			case "Once":
				return "sync.Once"
			}
		case "context":
			if t.Sel.Name == "Context" {
				return "context.Context"
			}
		}
	}
	return ""
}

// syncTypeOf names the sync/context type of a variable's value.
func (b *builder) syncTypeOf(e ast.Expr) string {
	if info := b.m.Info; info != nil {
		if t := info.TypeOf(e); t != nil {
			return namedSyncType(t)
		}
	}
	if k, ok := b.keyOf(e); ok {
		if len(b.mixedSync) > 0 && b.mixedSync[k] {
			return b.fieldSyncOf(e)
		}
		return b.syncVars[k]
	}
	return ""
}

// declareStructTypes records, on the syntax tier, the sync type of each
// field of the struct types a declaration names (structSync).
func (b *builder) declareStructTypes(d *ast.GenDecl) {
	for _, spec := range d.Specs {
		ts, ok := spec.(*ast.TypeSpec)
		if !ok {
			continue
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok || st.Fields == nil {
			continue
		}
		if b.structTypes == nil {
			b.structTypes = map[string]bool{}
		}
		b.structTypes[ts.Name.Name] = true
		for _, f := range st.Fields.List {
			t := b.syncTypeOfExpr(f.Type)
			if len(f.Names) == 0 {
				b.declareEmbedded(ts.Name.Name, f.Type, t)
			}
			if t == "" {
				continue
			}
			for _, name := range f.Names {
				if b.structSync == nil {
					b.structSync = map[string]string{}
				}
				b.structSync[ts.Name.Name+"."+name.Name] = t
			}
		}
	}
}

// fieldSyncOf is the sync type of x.f for a field name that struct types
// of the file declare with different sync types: the type of x's struct
// when the syntax tier can tell it (a receiver, a variable declared with
// its type or made by a composite literal), "" when it cannot.
func (b *builder) fieldSyncOf(e ast.Expr) string {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	t, _ := b.syntaxTypeName(sel.X)
	if t == "" {
		return ""
	}
	return b.structSync[t+"."+sel.Sel.Name]
}

// mixedSyncField reports whether x names a field that struct types of
// the file declare with different sync types (mixedSync).
func (b *builder) mixedSyncField(x ast.Expr) bool {
	if len(b.mixedSync) == 0 {
		return false
	}
	k, ok := b.keyOf(x)
	return ok && b.mixedSync[k]
}

func namedSyncType(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		if _, ok := t.Underlying().(*types.Interface); ok {
			// A type that implements context.Context structurally is not
			// recognised; only the named interface is.
			return ""
		}
		return ""
	}
	path, name := n.Obj().Pkg().Path(), n.Obj().Name()
	switch {
	case path == "sync" && (name == "Mutex" || name == "RWMutex" || name == "WaitGroup" || name == "Cond" || name == "Once"):
		return "sync." + name
	case path == "context" && name == "Context":
		return "context.Context"
	}
	return ""
}

// chanTypeOf returns the channel type of e from type information.
func (b *builder) chanTypeOf(e ast.Expr) (*types.Chan, bool) {
	info := b.m.Info
	if info == nil {
		return nil, false
	}
	t := info.TypeOf(e)
	if t == nil {
		return nil, false
	}
	c, ok := t.Underlying().(*types.Chan)
	return c, ok
}

func (b *builder) qualifier() types.Qualifier {
	return func(p *types.Package) string {
		if info := b.m.Info; info != nil {
			// Qualify by package name, as a reader of the file writes it.
			return p.Name()
		}
		return p.Path()
	}
}

func dirOf(d ast.ChanDir) ChanDir {
	switch d {
	case ast.SEND:
		return SendOnly
	case ast.RECV:
		return RecvOnly
	}
	return Bidirectional
}

func typesDir(d types.ChanDir) ChanDir {
	switch d {
	case types.SendOnly:
		return SendOnly
	case types.RecvOnly:
		return RecvOnly
	}
	return Bidirectional
}

// ---- constants ----

// constValue evaluates e when it is a constant expression the model can see.
func (b *builder) constValue(e ast.Expr) constant.Value {
	if info := b.m.Info; info != nil {
		if tv, ok := info.Types[e]; ok && tv.Value != nil {
			return tv.Value
		}
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(e.Value, e.Kind, 0)
		if v.Kind() == constant.Unknown {
			return nil
		}
		return v
	case *ast.Ident:
		switch e.Name {
		case "true":
			if e.Obj == nil {
				return constant.MakeBool(true)
			}
		case "false":
			if e.Obj == nil {
				return constant.MakeBool(false)
			}
		}
		if e.Obj != nil && e.Obj.Kind == ast.Con {
			return b.consts[e.Obj]
		}
	case *ast.UnaryExpr:
		if x := b.constValue(e.X); x != nil && (e.Op == token.SUB || e.Op == token.ADD || e.Op == token.NOT || e.Op == token.XOR) {
			defer func() { recover() }() // constant.UnaryOp panics on invalid operand kinds
			return constant.UnaryOp(e.Op, x, 0)
		}
	case *ast.BinaryExpr:
		x, y := b.constValue(e.X), b.constValue(e.Y)
		if x == nil || y == nil {
			return nil
		}
		return safeBinary(e.Op, x, y)
	}
	return nil
}

func safeBinary(op token.Token, x, y constant.Value) (v constant.Value) {
	defer func() {
		if recover() != nil {
			v = nil
		}
	}()
	switch op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return constant.MakeBool(constant.Compare(x, op, y))
	case token.SHL, token.SHR:
		s, ok := constant.Uint64Val(y)
		if !ok {
			return nil
		}
		return constant.Shift(x, op, uint(s))
	case token.QUO:
		if constant.Sign(y) == 0 {
			return nil
		}
		if x.Kind() == constant.Int && y.Kind() == constant.Int {
			op = token.QUO_ASSIGN // integer division
		}
	}
	return constant.BinaryOp(x, op, y)
}

// durationText renders a constant duration argument ("1s") when the typed
// tier knows it is a time.Duration, or on the syntax tier when it is one of
// the common written forms (syntaxDuration).
func (b *builder) durationText(e ast.Expr) string {
	info := b.m.Info
	if info == nil {
		if d, ok := b.syntaxDuration(e); ok {
			return d.String()
		}
		return ""
	}
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil {
		return ""
	}
	n, ok := types.Unalias(tv.Type).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "time" || n.Obj().Name() != "Duration" {
		return ""
	}
	ns, ok := constant.Int64Val(tv.Value)
	if !ok {
		return ""
	}
	return time.Duration(ns).String()
}

func valueString(v constant.Value) string {
	if v == nil {
		return ""
	}
	s := v.ExactString()
	if v.Kind() == constant.Float {
		s = v.String()
	}
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// ---- declarations (first pass) ----

// declare finds every channel, sync value and constant declared in the file
// before ops are recorded, so that a use may precede its declaration (struct
// fields, package-level variables).
func (b *builder) declare(file *ast.File) {
	// Only package-level declarations and signatures can be used before
	// they appear; what is declared inside function bodies is declared by
	// the main walk as it reaches it (Go requires a local to be declared
	// before its use), so the file is walked once, not twice.
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if b.m.Info == nil {
				b.declareStructTypes(d)
			}
			ast.Inspect(d, func(n ast.Node) bool { b.declareNode(n); return true })
		case *ast.FuncDecl:
			if d.Recv != nil {
				b.declareFields(d.Recv, true)
				for _, f := range d.Recv.List {
					for _, name := range f.Names {
						b.declareDef(name)
						b.markParam(name)
					}
				}
			}
			b.declareNode(d.Type)
		}
	}
}

// declareNode records what a declaration-bearing node declares: loop
// variables, parameters, struct fields, variables and the channels made
// for them, constants. The main walk calls it before visiting a node's
// children, so an operation always finds its channel declared.
func (b *builder) declareNode(n ast.Node) {
	switch n := n.(type) {
	case *ast.GenDecl:
		if n.Tok == token.CONST {
			b.declareConsts(n)
		}
	case *ast.ForStmt:
		if as, ok := n.Init.(*ast.AssignStmt); ok {
			b.loopHeaders[as] = true
			if as.Tok == token.DEFINE {
				for _, l := range as.Lhs {
					b.loopVars[l.Pos()] = true
				}
			}
		}
	case *ast.RangeStmt:
		if n.Tok == token.DEFINE {
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil {
					b.loopVars[e.Pos()] = true
					if id, ok := e.(*ast.Ident); ok {
						b.declareDef(id)
						// for _, c := range chans: c takes channels golens
						// does not follow, which code elsewhere may close.
						if k, ok := b.keyOf(id); ok && b.chans[k] != nil {
							b.chans[k].Assigned = append(b.chans[k].Assigned, id.Pos())
						}
					}
				}
			}
		}
	case *ast.FuncType:
		b.declareFields(n.Params, true)
		b.declareFields(n.Results, true)
		for _, fl := range []*ast.FieldList{n.Params, n.Results} {
			if fl != nil {
				for _, f := range fl.List {
					for _, name := range f.Names {
						b.declareDef(name)
						if fl == n.Params {
							b.markParam(name)
						}
					}
				}
			}
		}
	case *ast.StructType:
		b.declareStructFields(n.Fields)
	case *ast.ValueSpec:
		for _, name := range n.Names {
			b.declareDef(name)
			if len(n.Values) == 0 {
				b.bareDecls[name.Pos()] = n
			}
		}
		if n.Type != nil {
			for _, name := range n.Names {
				b.declareVar(name, n.Type, false, false)
			}
		}
		for i, v := range n.Values {
			if i < len(n.Names) {
				b.declareFromValue(n.Names[i], v)
			}
		}
	case *ast.AssignStmt:
		if n.Tok == token.DEFINE {
			for _, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					b.declareDef(id)
				}
			}
		}
		if len(n.Lhs) == len(n.Rhs) {
			for i, l := range n.Lhs {
				b.declareFromValue(l, n.Rhs[i])
			}
		} else {
			// t, err = f(): not a value golens knows to be a timer.
			for i, l := range n.Lhs {
				if k, ok := b.keyOf(l); ok {
					if len(n.Rhs) == 1 {
						// paths, errc := walk(…): channels of a
						// function of this file (syntax tier).
						b.chanFromFileCallAt(l, ast.Unparen(n.Rhs[0]), k, i, len(n.Lhs))
					}
					b.timeOtherList = append(b.timeOtherList, k)
				}
			}
		}
	case *ast.CompositeLit:
		// &pool{jobs: make(chan int, 8)} makes the field's channel.
		for _, elt := range n.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if id, ok := kv.Key.(*ast.Ident); ok && b.isMakeChan(kv.Value) {
				b.declareFromValue(&ast.SelectorExpr{X: &ast.Ident{Name: "_", NamePos: id.Pos()}, Sel: id}, kv.Value)
			}
		}
	case *ast.Field:
		for _, name := range n.Names {
			b.declareDef(name)
		}
	}
}

// declareDef: on the typed tier every variable of channel type is a
// channel, and every sync value is recognised, wherever its value comes
// from.
func (b *builder) declareDef(id *ast.Ident) {
	info := b.m.Info
	if info == nil {
		return
	}
	obj, ok := info.Defs[id].(*types.Var)
	if !ok || obj == nil {
		return
	}
	if ct, ok := obj.Type().Underlying().(*types.Chan); ok {
		c := b.chanFor(VarKey{obj: obj}, id.Name, id.Pos())
		c.Elem = types.TypeString(ct.Elem(), b.qualifier())
		c.Dir = typesDir(ct.Dir())
		c.IsField = obj.IsField()
	}
	if st := namedSyncType(obj.Type()); st != "" {
		b.syncVars[VarKey{obj: obj}] = st
	}
}

func (b *builder) declareConsts(d *ast.GenDecl) {
	for _, spec := range d.Specs {
		vs, ok := spec.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for i, name := range vs.Names {
			if i < len(vs.Values) && name.Obj != nil {
				if v := b.constValue(vs.Values[i]); v != nil {
					b.consts[name.Obj] = v
				}
			}
		}
	}
}

func (b *builder) declareFields(fl *ast.FieldList, param bool) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, name := range f.Names {
			b.declareVar(name, f.Type, param, false)
		}
	}
}

func (b *builder) declareStructFields(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, name := range f.Names {
			key := VarKey{field: "." + name.Name}
			if info := b.m.Info; info != nil {
				if obj := info.Defs[name]; obj != nil {
					key = VarKey{obj: obj}
				}
			}
			if ct, ok := f.Type.(*ast.ChanType); ok {
				c := b.chanFor(key, name.Name, name.Pos())
				c.IsField = true
				c.Elem, c.Dir = b.text(ct.Value), dirOf(ct.Dir)
			}
			if st := b.syncTypeOfExpr(f.Type); st != "" {
				if old := b.syncVars[key]; b.m.Info == nil && old != "" && old != st {
					if b.mixedSync == nil {
						b.mixedSync = map[VarKey]bool{}
					}
					b.mixedSync[key] = true
				}
				b.syncVars[key] = st
			}
		}
		if len(f.Names) == 0 {
			// An embedded sync.Mutex: its methods are promoted, so s.Lock()
			// locks it. Key the promoted methods' receiver by the field.
			if st := b.syncTypeOfExpr(f.Type); st == "sync.Mutex" || st == "sync.RWMutex" {
				b.embeddedMixed = b.embeddedMixed || b.embeddedMutex != "" && b.embeddedMutex != st
				b.embeddedMutex = st
			}
		}
	}
}

func (b *builder) declareVar(name *ast.Ident, typ ast.Expr, param, field bool) {
	key, ok := b.keyOf(name)
	if !ok {
		return
	}
	if ct, ok := ast.Unparen(typ).(*ast.ChanType); ok {
		c := b.chanFor(key, name.Name, name.Pos())
		c.Elem, c.Dir = b.text(ct.Value), dirOf(ct.Dir)
		c.IsParam = c.IsParam || param
		c.IsField = c.IsField || field
	}
	if st := b.syncTypeOfExpr(typ); st != "" {
		b.syncVars[key] = st
	}
	if param && b.ss != nil && b.isCancelFuncType(typ) {
		// func check(cancel context.CancelCauseFunc): a call of it
		// cancels the caller's context, as a summary effect (its
		// context is the caller's: zero here, as for `_, cancel :=`).
		if _, ok := b.ss.cancels[key]; !ok {
			b.ss.cancels[key] = VarKey{}
		}
	}
}

// isCancelFuncType reports whether t names context.CancelFunc or
// context.CancelCauseFunc.
func (b *builder) isCancelFuncType(t ast.Expr) bool {
	sel, ok := ast.Unparen(t).(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "CancelFunc" && sel.Sel.Name != "CancelCauseFunc") {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Obj == nil && b.imports[x.Name] == "context"
}

// recordTimeValue notes whether key is assigned a time.NewTimer or
// time.NewTicker, or anything else (see builder.timers).
func (b *builder) recordTimeValue(key VarKey, lhs, rhs ast.Expr) {
	name := ""
	if call, ok := rhs.(*ast.CallExpr); ok {
		name, _ = b.pkgCall(call, "time")
	}
	switch name {
	case "NewTimer":
		b.timers[key] = true
	case "NewTicker":
		b.tickers[key] = true
	case "AfterFunc":
		if b.afterFuncs == nil {
			b.afterFuncs = map[VarKey][]token.Pos{}
		}
		b.afterFuncs[key] = append(b.afterFuncs[key], lhs.Pos())
	default:
		b.timeOtherList = append(b.timeOtherList, key)
	}
}

// assignedNonTimer reports whether the walk has so far seen key assigned
// a value that is not a timer or ticker (see builder.timeOther). Only the
// walk asks.
func (b *builder) assignedNonTimer(key VarKey) bool {
	if b.timeOther == nil {
		b.timeOther = make(map[VarKey]bool, len(b.timeOtherList))
	}
	for ; b.timeOtherDone < len(b.timeOtherList); b.timeOtherDone++ {
		b.timeOther[b.timeOtherList[b.timeOtherDone]] = true
	}
	return b.timeOther[key]
}

// declareFromValue records channels made by make(chan ...) and sync values
// created by composite literals or new.
func (b *builder) declareFromValue(lhs, rhs ast.Expr) {
	key, ok := b.keyOf(lhs)
	if !ok {
		return
	}
	rhs = ast.Unparen(rhs)
	if call, ok := rhs.(*ast.CallExpr); ok && b.isBuiltin(call.Fun, "make") && len(call.Args) >= 1 {
		if ct, ok := ast.Unparen(call.Args[0]).(*ast.ChanType); ok {
			name := b.text(lhs)
			decl := token.NoPos
			if id, ok := lhs.(*ast.Ident); ok {
				decl = key.declOf()
				if !decl.IsValid() {
					decl = id.Pos()
				}
			}
			c := b.chanFor(key, name, decl)
			ms := b.slabs.makes.new()
			*ms = MakeSite{Pos: call.Pos(), Elem: b.text(ct.Value), Dir: dirOf(ct.Dir)}
			if len(call.Args) >= 2 {
				ms.CapExpr = b.text(call.Args[1])
				if v := b.constValue(call.Args[1]); v != nil {
					if n, ok := constant.Int64Val(constant.ToInt(v)); ok {
						ms.Cap, ms.CapKnown = n, true
					}
				}
			} else {
				ms.CapKnown = true
			}
			c.Makes = append(c.Makes, ms)
			b.makes[call.Pos()] = struct {
				site *MakeSite
				ch   *Chan
			}{ms, c}
			if c.Elem == "" {
				c.Elem, c.Dir = ms.Elem, ms.Dir
			}
			if _, isSel := lhs.(*ast.SelectorExpr); isSel {
				c.IsField = true
			}
			return
		}
	}
	if c := b.chanFromFileCall(lhs, rhs, key); c != nil {
		return
	}
	// &sync.Mutex{}, sync.WaitGroup{}, new(sync.Mutex)
	var typ ast.Expr
	switch r := rhs.(type) {
	case *ast.UnaryExpr:
		if cl, ok := r.X.(*ast.CompositeLit); ok && r.Op == token.AND {
			typ = cl.Type
		}
	case *ast.CompositeLit:
		typ = r.Type
	case *ast.CallExpr:
		if b.isBuiltin(r.Fun, "new") && len(r.Args) == 1 {
			typ = r.Args[0]
		}
		if name, _ := b.pkgCall(r, "context"); name == "Background" || name == "TODO" {
			b.syncVars[key] = "context.Context"
		}
	}
	b.recordTimeValue(key, lhs, rhs)
	if typ != nil {
		if st := b.syncTypeOfExpr(typ); st != "" {
			b.syncVars[key] = st
		}
	}
}

// chanFromFileCall declares, on the syntax tier, the variable lhs as a
// channel when rhs calls a function of this file whose one result is a
// channel type (`ch := count(3)` with `func count(n int) <-chan int`): the
// type checker says so on the typed tier, and without it the variable's
// receives and ranges would get no explanation at all. What the call does
// to the channel it returns is the summaries' matter (Chan.Closed).
func (b *builder) chanFromFileCall(lhs, rhs ast.Expr, key VarKey) *Chan {
	return b.chanFromFileCallAt(lhs, rhs, key, 0, 1)
}

// chanFromFileCallAt is chanFromFileCall for result idx of a call whose
// nres results an assignment takes.
func (b *builder) chanFromFileCallAt(lhs, rhs ast.Expr, key VarKey, idx, nres int) *Chan {
	if b.m.Info != nil {
		return nil
	}
	id, ok := lhs.(*ast.Ident)
	if !ok {
		return nil
	}
	call, ok := rhs.(*ast.CallExpr)
	if !ok {
		return nil
	}
	fn, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || fn.Obj == nil || fn.Obj.Kind != ast.Fun {
		return nil
	}
	fd, ok := fn.Obj.Decl.(*ast.FuncDecl)
	if !ok || fd.Recv != nil || fd.Type.Results == nil || fd.Type.Results.NumFields() != nres {
		return nil
	}
	var rt ast.Expr
	i := 0
	for _, f := range fd.Type.Results.List {
		n := max(len(f.Names), 1)
		if idx < i+n {
			rt = f.Type
			break
		}
		i += n
	}
	ct, ok := ast.Unparen(rt).(*ast.ChanType)
	if !ok {
		return nil
	}
	decl := key.declOf()
	if !decl.IsValid() {
		decl = id.Pos()
	}
	c := b.chanFor(key, id.Name, decl)
	if c.Elem == "" {
		c.Elem, c.Dir = b.text(ct.Value), dirOf(ct.Dir)
	}
	return c
}

func (b *builder) chanFor(key VarKey, name string, decl token.Pos) *Chan {
	if c := b.chans[key]; c != nil {
		return c
	}
	c := b.slabs.chans.new()
	*c = Chan{Key: key, Name: name, Decl: decl, derived: b.m.derived}
	if !decl.IsValid() {
		c.Decl = key.declOf()
	}
	b.chans[key] = c
	b.m.Chans = append(b.m.Chans, c)
	return c
}

// chanOf returns the channel an operand refers to, or nil.
func (b *builder) chanOf(e ast.Expr) *Chan {
	key, ok := b.keyOf(e)
	if !ok {
		return nil
	}
	if c := b.chans[key]; c != nil {
		return c
	}
	// Typed tier: a field or package variable declared in another file.
	if ct, ok := b.chanTypeOf(e); ok {
		c := b.chanFor(key, b.text(e), token.NoPos)
		c.Elem = types.TypeString(ct.Elem(), b.qualifier())
		c.Dir = typesDir(ct.Dir())
		if v, ok := key.obj.(*types.Var); ok {
			// pkg.Bus is a selector too, but a package variable.
			c.IsField = v.IsField()
		} else if _, isSel := ast.Unparen(e).(*ast.SelectorExpr); isSel {
			c.IsField = true
		}
		return c
	}
	return nil
}

// isChan reports whether e is a channel-valued expression.
func (b *builder) isChan(e ast.Expr) bool {
	if b.chanOf(e) != nil {
		return true
	}
	if _, ok := b.chanTypeOf(e); ok {
		return true
	}
	// t.C of a local made by time.NewTimer or NewTicker: the syntax tier
	// sees the constructor, so `for range tk.C` is a range over a channel.
	return b.timeChanOf(e) != ""
}

// ---- finishing ----

func (b *builder) finish() {
	m := b.m
	// Parameters are made by the caller.
	for _, c := range b.chans {
		if c.IsParam {
			c.Makes = nil
		}
	}
	// An operation on a field or package variable may come before the
	// code that makes it (a method written above its constructor): link
	// the ones the walk could not resolve yet.
	for _, op := range m.ChanOps {
		if op.Chan != nil {
			continue
		}
		if e := op.Operand(); e != nil {
			if k, ok := b.keyOf(e); ok {
				if c := b.chans[k]; c != nil {
					op.Chan = c
					c.Ops = append(c.Ops, op)
				}
			}
		}
	}
	for _, f := range m.Funcs {
		for i, d := range f.Defers {
			d.Index = i + 1
		}
	}
	// Defer argument values and later reassignments.
	for _, d := range m.Defers {
		for _, a := range d.Args {
			if id, ok := ast.Unparen(a.Node).(*ast.Ident); ok {
				if k, ok := b.keyOf(id); ok {
					b.assigns[k] = nil
				}
			}
		}
		// A function value read from a variable (defer release()).
		if id, ok := ast.Unparen(d.Node.Call.Fun).(*ast.Ident); ok {
			if k, ok := b.keyOf(id); ok {
				b.assigns[k] = nil
			}
		}
	}
	for _, g := range m.Goroutines {
		if g.Node == nil || g.Body != nil {
			continue
		}
		if id, ok := ast.Unparen(g.Node.Call.Fun).(*ast.Ident); ok {
			if k, ok := b.keyOf(id); ok {
				b.assigns[k] = nil
			}
		}
	}
	for _, ka := range b.assignList {
		if list, wanted := b.assigns[ka.key]; wanted {
			b.assigns[ka.key] = append(list, ka.assignment)
		}
	}
	// Each variable's writes, sorted by position, once: every defer of
	// the variable then finds its later writes by binary search and
	// shares them as a sub-slice, so that n defers of a variable written
	// n times cost n log n, not n² time and memory.
	b.writes = make(map[VarKey][]token.Pos, len(b.assigns))
	for k, list := range b.assigns {
		slices.SortStableFunc(list, func(x, y assignment) int { return cmp.Compare(x.pos, y.pos) })
		var ws []token.Pos
		for _, as := range list {
			if !as.addr {
				ws = append(ws, as.pos)
			}
		}
		b.writes[k] = ws
	}
	for _, d := range m.Defers {
		for i := range d.Args {
			b.resolveArg(d, &d.Args[i])
		}
		if !d.Closure {
			d.CalleeWrites = b.writesBetween(d.Node.Call.Fun, d.End, d.Func.End)
		}
	}
	for _, g := range m.Goroutines {
		if g.Func != nil && g.Node != nil && g.Body == nil {
			g.CalleeWrites = b.writesBetween(g.Node.Call.Fun, g.End, g.Func.End)
		}
	}
	// A context constructor whose cancel func is deferred.
	for _, cc := range m.CtxCalls {
		if cc.CancelName == "" {
			continue
		}
		for _, d := range cc.Func.Defers {
			if d.Callee == cc.CancelName && d.Pos > cc.Pos {
				cc.CancelDeferred = true
			}
		}
	}
	// A channel declared inside a function body is local; one declared at
	// package level may be made by another file of the package. Set before
	// the summaries, whose closed facts read it.
	// A declaration inside any function body is inside the body of an
	// outermost function (a declaration or a package-level literal), and
	// the bodies of those do not overlap: search them by position.
	var roots []*Func
	for _, f := range m.Funcs {
		if f.Parent == nil && f.Body != nil {
			roots = append(roots, f)
		}
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].Body.Lbrace < roots[j].Body.Lbrace })
	for _, c := range m.Chans {
		if !c.Decl.IsValid() || c.IsField || c.IsParam {
			continue
		}
		i := sort.Search(len(roots), func(i int) bool { return roots[i].Body.Rbrace > c.Decl })
		if i < len(roots) && c.Decl > roots[i].Body.Lbrace {
			c.Local = true
		}
		c.bareSpec = b.bareDecls[c.Decl]
		c.declaredBare = c.bareSpec != nil
	}
	// Summaries need to know which channels are local; lock flows read
	// the summaries of the functions a lock's function calls.
	b.resolveAliases() // a channel stored from another gets its makes: Capacity reads them
	b.indexMethods()
	// The struct field types, once, here: copies of the builder that
	// summarise one channel's functions read them (chan_scope.go).
	b.fieldType("")
	b.buildFlows() // path facts (lazy, per function): defer order, lock pairs, values at a point
	b.addCallSites()
	b.markTimeFuncChans()
	b.markAfterFuncTimers()
	b.markTimerArmed()
	b.markStopDrains()
	b.markUnreachedCloses()
	sortSites(m.sites)
	if m.Info != nil || b.ss.lookup != nil {
		// The typed tier composes with the package's summaries as they are
		// now: compute the facts that read them before they change.
		m.derived.ensure()
	}
}

// sortSites sorts sites by Start, stably. The walk adds them almost in
// order (a make's type comes before its make, a method's receiver after
// the method name), so an insertion sort, linear in the few inversions,
// does it; a file with many falls back to the general sort, which gives
// the same order (equal starts keep the order they were added in).
func sortSites(sites []Site) {
	moves := 0
	for i := 1; i < len(sites); i++ {
		if sites[i].Start >= sites[i-1].Start {
			continue
		}
		s, j := sites[i], i
		for ; j > 0 && sites[j-1].Start > s.Start; j-- {
			moves++
		}
		copy(sites[j+1:i+1], sites[j:i])
		sites[j] = s
		if moves > 8*len(sites) {
			slices.SortStableFunc(sites, func(x, y Site) int { return cmp.Compare(x.Start, y.Start) })
			return
		}
	}
}

// writesBetween is the window of b.writes of the variable e names (an
// identifier) that falls in (from, to): nil for anything else. Two binary
// searches, no allocation.
func (b *builder) writesBetween(e ast.Expr, from, to token.Pos) []token.Pos {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	key, ok := b.keyOf(id)
	if !ok {
		return nil
	}
	ws := b.writes[key]
	i := sort.Search(len(ws), func(i int) bool { return ws[i] > from })
	j := sort.Search(len(ws), func(i int) bool { return ws[i] >= to })
	if i < j {
		return ws[i:j:j]
	}
	return nil
}

// resolveArg fills the constant value an argument has at the defer and the
// later writes to its variable, which the deferred call will not see.
func (b *builder) resolveArg(d *Defer, a *DeferArg) {
	expr := a.Node
	if v := b.constValue(expr); v != nil {
		a.Value = valueString(v)
		return
	}
	id, ok := ast.Unparen(expr).(*ast.Ident)
	if !ok {
		return
	}
	key, ok := b.keyOf(id)
	if !ok {
		return
	}
	// Writes before the defer, and later writes inside the function
	// (taking x's address is not one), by binary search in the sorted
	// lists. ReassignedAt shares the variable's list, capped so that an
	// append by a reader copies it.
	list := b.assigns[key]
	nBefore := sort.Search(len(list), func(i int) bool { return list[i].pos >= d.Pos })
	ws := b.writes[key]
	from := sort.Search(len(ws), func(i int) bool { return ws[i] > d.End })
	to := sort.Search(len(ws), func(i int) bool { return ws[i] >= d.Func.End })
	if from < to {
		a.ReassignedAt = ws[from:to:to]
	}
	// The value is known only when exactly one write precedes the defer, it
	// stores a constant, it is on the way to the defer (its block encloses
	// the defer), and no loop can run the defer again after another write.
	if nBefore != 1 || list[0].block == nil {
		return
	}
	as := list[0]
	value, known := b.value(as)
	if !known {
		return
	}
	if d.Pos < as.block.Pos() || d.Pos > as.block.End() {
		return
	}
	if len(a.ReassignedAt) > 0 && (d.InLoop || b.inGotoLoop(d)) {
		return
	}
	a.Value = value
}

// goIndex groups operations by the goroutine body they run in, so that
// finding what waits for each goroutine stays linear in the file size.
// The operations of each goroutine are a window on one array, cut at
// offsets by the goroutine's index (Goroutine.index): a map of slices
// cost a hover on a go statement about 40 KB.
type goIndex struct {
	gos   []*Goroutine
	ops   []*ChanOp
	opsAt []int32 // ops of gos[i]: ops[opsAt[i]:opsAt[i+1]]
	wgs   []*WaitGroupOp
	wgsAt []int32
	waits map[VarKey][]*WaitGroupOp
}

func newGoIndex(m *File) *goIndex {
	n := len(m.Goroutines)
	idx := &goIndex{gos: m.Goroutines, opsAt: make([]int32, n+1), wgsAt: make([]int32, n+1), waits: map[VarKey][]*WaitGroupOp{}}
	// Count each goroutine's operations, turn the counts into offsets,
	// then place the operations in file order.
	in := func(g *Goroutine) bool { return g != nil && int(g.index) < n && m.Goroutines[g.index] == g }
	for _, w := range m.WaitGroups {
		if in(w.InGo) {
			idx.wgsAt[w.InGo.index+1]++
		}
		if w.Kind == WGWait {
			idx.waits[w.Key] = append(idx.waits[w.Key], w)
		}
	}
	for _, op := range m.ChanOps {
		if in(op.InGo) {
			idx.opsAt[op.InGo.index+1]++
		}
	}
	for i := 1; i <= n; i++ {
		idx.opsAt[i] += idx.opsAt[i-1]
		idx.wgsAt[i] += idx.wgsAt[i-1]
	}
	idx.ops = make([]*ChanOp, idx.opsAt[n])
	idx.wgs = make([]*WaitGroupOp, idx.wgsAt[n])
	next := make([]int32, n)
	for _, op := range m.ChanOps {
		if g := op.InGo; in(g) {
			idx.ops[idx.opsAt[g.index]+next[g.index]] = op
			next[g.index]++
		}
	}
	clear(next)
	for _, w := range m.WaitGroups {
		if g := w.InGo; in(g) {
			idx.wgs[idx.wgsAt[g.index]+next[g.index]] = w
			next[g.index]++
		}
	}
	return idx
}

// opsByGo lists the channel operations inside g's body, in file order.
func (idx *goIndex) opsByGo(g *Goroutine) []*ChanOp {
	if g == nil || int(g.index) >= len(idx.gos) || idx.gos[g.index] != g {
		return nil
	}
	return idx.ops[idx.opsAt[g.index]:idx.opsAt[g.index+1]:idx.opsAt[g.index+1]]
}

// wgByGo lists the WaitGroup calls inside g's body, in file order.
func (idx *goIndex) wgByGo(g *Goroutine) []*WaitGroupOp {
	if g == nil || int(g.index) >= len(idx.gos) || idx.gos[g.index] != g {
		return nil
	}
	return idx.wgs[idx.wgsAt[g.index]:idx.wgsAt[g.index+1]:idx.wgsAt[g.index+1]]
}

// findWaiter looks in the starting function for what waits for g.
func (b *builder) findWaiter(g *Goroutine, idx *goIndex) {
	parent := g.Func
	if parent == nil {
		return
	}
	// A receive that waits for a value or a close of g, not for g to
	// finish (the reasons below): said when no other channel g signals
	// is waited on.
	notEnd := ""
	defer func() {
		if g.waitedBy == "" && !g.sendBlocks && notEnd != "" {
			g.waitsForOne = notEnd
		}
	}()
	later := func(why string) {
		if notEnd == "" {
			notEnd = why
		}
	}
	// WaitGroups the goroutine signals (Done inside its body, or passed to it).
	var signalled []VarKey
	var doneBefore []*WaitGroupOp // a Done after which g goes on (doneBeforeMore)
	for _, w := range idx.wgByGo(g) {
		// A Done on some paths only (under an if, in a loop) does not
		// prove the wait waits for g: crossWait says so, from the
		// summaries (summary_paths.go). A WaitGroup g counts with an Add of
		// its own does not prove it either (selfCountedAdd).
		if w.Kind == WGDone && (g.Body == nil || b.runsEveryPath(w.Func, w.Pos, g.Body) && (w.Deferred || !recoversPanics(g.Body))) && !b.selfCounted(g, idx, w.Key) {
			if b.doneBeforeMore(g, w).IsValid() {
				doneBefore = append(doneBefore, w)
				continue
			}
			signalled = append(signalled, w.Key)
		}
	}
	var chans []*Chan
	var sigOps []*ChanOp // the operation that put each of chans there; nil for an argument
	// WaitGroups passed to a summarised function: crossWait decides
	// whether their Waits wait for g.
	var handedWGs []VarKey
	for _, op := range idx.opsByGo(g) {
		if op.Chan != nil && (op.Kind == Send || op.Kind == Close) {
			// A send or close under a condition (an if, a switch or select
			// case, after an early return) may not happen: another
			// goroutine's signal may satisfy the wait while g goes on.
			// crossWait decides from the summaries (summary_paths.go).
			// One in a loop counts: a loop that never runs ends g.
			if !op.InLoop && g.Body != nil && !b.runsEveryPath(op.Func, op.Pos, g.Body) {
				continue
			}
			chans = append(chans, op.Chan)
			sigOps = append(sigOps, op)
		}
	}
	home0 := g.enclosingGo()
	if g.Body == nil && g.Node != nil {
		// A WaitGroup passed to a function golens summarises is signalled
		// only if that function calls Done on every path: crossWait
		// reads its summary (summary_paths.go).
		summarised := b.summarisedCallee(g.Node.Call)
		for ai, arg := range g.Node.Call.Args {
			if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
				arg = u.X
			} else if b.copiesSyncValue(arg) {
				continue // go worker(wg): the goroutine's Done is on a copy
			}
			if k, ok := b.keyOf(arg); ok {
				if summarised && b.syncVars[k] == "sync.WaitGroup" {
					handedWGs = append(handedWGs, k)
					continue
				}
				if !summarised && b.syncVars[k] == "sync.WaitGroup" && b.m.Info == nil && b.ss.lookup == nil && !b.declaresFuncNamed(g.Node.Call.Fun) {
					// go process(id, &wg) with process in another file:
					// whether it calls Done, and on every path, is not in
					// view on the syntax tier (r21j_wg_missed_done).
					later("`" + b.text(arg) + "` is passed to `" + b.text(g.Node.Call.Fun) + "`, which golens cannot see into here (it is not in this file): whether it calls Done on every path is not known")
					continue
				}
				if d, byName := b.handedDoneBeforeMore(g, ai); d != nil && b.syncVars[k] == "sync.WaitGroup" {
					// Its Done is followed by more of the function
					// (waits_defer_after.go): a Wait returns there, not
					// when g ends.
					for _, w := range idx.waits[k] {
						if w.Pos > g.Pos && within(w.Pos, parent) && w.InGo == home0 && b.runsInParent(w.Func, parent) {
							why := w.Recv + ".Wait() at line " + itoa(b.m.Line(w.Pos)) + " waits for this goroutine's " + d.Recv + ".Done() at line " + itoa(b.m.Line(d.Pos)) + ", not for the goroutine to finish: " + b.runsOnText("Done", token.NoPos)
							if byName != nil {
								why = "if the method called is " + byName.Name.Name + " at line " + itoa(b.m.Line(byName.Pos())) + ", " + why
							}
							later(why)
						}
					}
					continue
				}
				signalled = append(signalled, k)
				if c := b.chans[k]; c != nil && c.Dir != RecvOnly && !b.calleeNeverSignals(g, ai) {
					chans = append(chans, c)
					sigOps = append(sigOps, nil)
				}
			}
		}
	}
	home := g.enclosingGo()
	for _, k := range signalled {
		for _, w := range idx.waits[k] {
			// `defer wg.Wait()` written above the go statement runs when
			// the function returns, after it (r22g_errc_unbuffered_leak).
			if (w.Pos > g.Pos || w.Deferred && w.Func == parent) && within(w.Pos, parent) && w.InGo == home && b.runsInParent(w.Func, parent) {
				g.waitedBy, g.waitPos = w.Recv+".Wait()", w.Pos
				return
			}
		}
	}
	for _, d := range doneBefore {
		for _, w := range idx.waits[d.Key] {
			if w.Pos > g.Pos && within(w.Pos, parent) && w.InGo == home && b.runsInParent(w.Func, parent) {
				later(w.Recv + ".Wait() at line " + itoa(b.m.Line(w.Pos)) + " waits for this goroutine's " + d.Recv + ".Done() at line " + itoa(b.m.Line(d.Pos)) + ", not for the goroutine to finish: " + b.runsOnText("Done", b.doneBeforeMoreWait(g, d)))
			}
		}
	}
chans:
	for ci, c := range chans {
		for _, op := range c.Ops {
			if (op.Kind == Recv || op.Kind == Range) && op.Pos > g.End && within(op.Pos, parent) && op.InGo == home && b.runsInParent(op.Func, parent) {
				switch v, why := b.judgeWait(g, c, op, sigOps[ci], chans, parent, home, idx); v {
				case waitNotOp:
					if why != "" {
						later(why)
					}
					continue
				case waitNotChan:
					if why != "" {
						later(why)
					}
					continue chans
				case waitSendBlocks:
					g.sendBlocks = true
					continue
				}
				if b.waitOnBefore(handedWGs, g, op.Pos, parent, home, idx) {
					// A Wait on a WaitGroup g is handed comes first: it is
					// the wait that counts g (and it may never return, when
					// g's send needs this receive). crossWait reads the
					// callee's summary to decide it.
					notEnd = ""
					return
				}
				if later := b.drainingRange(op); later != nil {
					op = later // waits_range.go: the first range can leave; this one drains to the close
				}
				if first := b.earlierLastCloseWait(g, op, chans, sigOps, parent, home, idx); first != nil {
					op = first // waits_first.go: a wait on another channel comes first and ends only when g does
				}
				what := "<-" + op.ChanExpr
				if op.Kind == Range {
					what = "range " + op.ChanExpr
				}
				g.waitedBy, g.waitPos = what, op.Pos
				g.waitMayGiveUp = b.caseCanLose(op, chans) && (op.Select == nil || b.caseCanLose(op, append(chans[:len(chans):len(chans)], b.callbackCloses(g, op.Select.Select)...)))
				if g.waitMayGiveUp && op.Select != nil {
					b.waitAfterSelect(g, c, op, parent, home, idx) // waits_after_select.go
				}
				if why := b.inLosingCase(op, chans); why != "" && !g.waitMayGiveUp {
					g.waitMayGiveUp, g.waitGiveUpWhy = true, why // waits_in_case.go
				}
				if why := b.rangeGivesUp(op); why != "" && !g.waitMayGiveUp {
					g.waitMayGiveUp, g.waitGiveUpWhy = true, why
					b.waitAfterRange(g, op, chans, sigOps, parent, home, idx) // waits_after_range.go
				}
				return
			}
		}
	}
}

// waitOnBefore reports whether the starting function calls Wait on one of
// keys (WaitGroups g is handed) after the go statement and before p, in
// its own body (not deferred, not in a function literal).
func (b *builder) waitOnBefore(keys []VarKey, g *Goroutine, p token.Pos, parent *Func, home *Goroutine, idx *goIndex) bool {
	for _, k := range keys {
		for _, w := range idx.waits[k] {
			if w.Pos > g.End && w.Pos < p && !w.Deferred && w.Func == parent && w.InGo == home {
				return true
			}
		}
	}
	return false
}

// waitJudge is judgeWait's verdict on a receive or range after a go
// statement, on a channel the goroutine signals.
type waitJudge int

const (
	waitHolds      waitJudge = iota // it waits for the goroutine's end
	waitNotOp                       // not this one; a later one on the channel may
	waitNotChan                     // none on this channel does
	waitSendBlocks                  // some send of the goroutine never completes: nothing waits for its end
)

// judgeWait says whether op, a receive or range on c (which g signals,
// with sigOp the operation of g's body that does, nil for an argument),
// waits for g to finish, and when it does not, why (for the reason
// GoWait's "cannot tell" gives; "" when the reason is not worth saying).
// chans lists every channel g signals. findWaiter asks it of each wait
// in turn, and asks the same of a wait that follows one that can give up
// (waitAfterRange), so the two cannot disagree.
func (b *builder) judgeWait(g *Goroutine, c *Chan, op, sigOp *ChanOp, chans []*Chan, parent *Func, home *Goroutine, idx *goIndex) (waitJudge, string) {
	if c.IsField && sigOp != nil && b.m.CloseOfOtherValue(op, sigOp) {
		return waitNotOp, "" // <-fast.done does not wait for a goroutine that closes slow.done: crossWait says so
	}
	if gc := b.m.CaseNeverReady(op); gc != nil {
		return waitNotOp, b.gatedCaseWhy(op, gc)
	}
	if sigOp != nil && sigOp.Kind == Send && sigOp.Select == nil {
		if sc := b.m.ClosedBySignal(sigOp); sc != nil {
			// Its signal on c is a send that always panics
			// (closed_by_signal.go): it never reaches op.
			return waitNotChan, b.signalledCloseWaitWhy(sigOp, sc, op)
		}
	}
	if b.closedFirstBy(c, op) { // waits_closed_first.go
		return waitNotOp, "" // closed by the starter before: waits for nothing
	}
	if op.Kind == Recv && sigOp == nil && b.handedUnseen(g, c) {
		// go pump(seen) with pump in another file: a receive returns at
		// the first value, and pump may go on sending (a loop) or
		// running after it. A range, which only a close ends, is left
		// to the rules below: producers close as they return.
		return waitNotChan, recvText(op) + " at line " + itoa(b.m.Line(op.Pos)) + " returns at the first value sent on `" + c.Name + "` (or its close); the goroutine is handed `" + c.Name + "` by the call of " + b.text(g.Node.Call.Fun) + ", which golens cannot see into here, so whether it ends there is not known"
	}
	if op.Kind == Range && sigOp == nil && b.handedUnseen(g, c) {
		if first := b.unseenEarlierRecv(g, c, op, chans); first != nil {
			// go produce(ch, done) with produce unseen, then <-done and
			// range ch: which of the two returns when produce ends is
			// not known (produce may close ch and go on to close done).
			return waitNotChan, "the goroutine is handed both `" + first.ChanExpr + "` and `" + c.Name + "` by the call of " + b.text(g.Node.Call.Fun) + ", which golens cannot see into here, and " + recvText(first) + " at line " + itoa(b.m.Line(first.Pos)) + " comes before the range over `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + ": golens cannot tell which of them waits for the goroutine to finish"
		}
	}
	if why := b.panicFirstChanWhy(g, c); why != "" { // close_panic_first.go
		return waitNotChan, why
	}
	if b.pollsOnce(op, chans) {
		return waitNotOp, "" // a case of a select with a default: it takes a value that is there, it waits for none
	}
	if b.closedByEach(g, c, sigOp) { // waits_range.go
		return waitNotChan, "" // each goroutine of the loop closes c: the wait ends at the first close
	}
	if why := b.closeBeforeMore(g, c, op, idx); why != "" {
		return waitNotChan, why
	}
	if b.sendsOutnumberReceives(g, c, parent, home, idx) {
		return waitSendBlocks, "" // some send of g never completes: nothing waits for its end
	}
	if g.InLoop && op.Kind == Recv && !op.InLoop {
		// One receive after a loop of go statements takes one
		// value: it waits for one of these goroutines, not each. A
		// select case is such a receive too (hedged requests: the
		// first reply wins, the other senders are never received
		// from), whether or not another case can win.
		if why := b.loopRecvWhy(g, c, op); why != "" { // waits_loopone.go
			if op.Select != nil && b.caseCanLose(op, chans) && b.onlyRecvAfter(g, c, op, parent, home) {
				g.oneOfCase = op.Pos // the select hint's leak sentence (hints/blocking.go)
			}
			return waitNotChan, why
		}
	}
	if g.InLoop && op.Kind == Recv && op.InLoop && op.Select == nil {
		// A receiving loop that can stop early takes fewer
		// values than the goroutines send.
		if why := b.recvLoopLeavesWhy(g, op); why != "" { // waits_loopone.go
			return waitNotChan, why
		}
		if why := b.recvLoopShortWhy(g, c, op); why != "" {
			return waitNotChan, why
		}
	}
	if op.Kind == Recv && !op.InLoop {
		if why := b.otherSenders(g, c, parent, home, idx); why != "" { // waits_sendon.go
			return waitNotChan, why
		}
	}
	if op.Kind == Recv && !op.InLoop && op.Select == nil {
		if send := b.loopedSend(g, c, idx); send.IsValid() { // waits_range.go
			return waitNotOp, "the receive from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " takes one value, and the goroutine sends in a loop (" + b.m.where(send) + "): the receive waits for a value, not for the goroutine to finish" // a later range or receive loop on c may still wait for its close
		}
	}
	if op.Kind == Recv && !op.InLoop && op.Select == nil && g.Func == op.Func && !g.InLoop && !b.m.laterPlainRecv(c, op) {
		// The goroutine sends more values than the receives up to op can
		// take: op returns at one of them, and the goroutine still has a
		// send to make (r22a_send_after_close: two receives, three sends).
		if sends := b.m.sureSends(g, c); len(sends) >= 2 {
			if k, ok := b.m.recvsUpTo(c, g, op); ok && k < len(sends) {
				return waitNotOp, "the receives from `" + op.ChanExpr + "` up to line " + itoa(b.m.Line(op.Pos)) + " take at most " + countValues(k) + ", and the goroutine sends " + itoa(len(sends)) + " on every run (" + b.m.where(sends[len(sends)-1].Pos) + " is its last): it goes on running after this receive"
			}
		}
	}
	if op.Kind == Recv && !op.InLoop && op.Select == nil && b.m.laterPlainRecv(c, op) && len(b.m.sureSends(g, c)) >= 2 {
		// Receives in a row take the goroutine's values in turn: the
		// first returns at the first value, before the goroutine has
		// sent the others. Judge the last one.
		return waitNotOp, ""
	}
	if op.Kind == Recv && !op.InLoop {
		// (A receive in a loop may take every value, and the close.)
		if send, deferWait := b.sendBeforeMore(g, c, idx); send.IsValid() { // waits.go
			return waitNotOp, "the receive from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " waits for this goroutine's send at line " + itoa(b.m.Line(send)) + ", not for the goroutine to finish: " + b.runsOnText("send", deferWait) // as above: a later wait on c may still wait for its end
		}
	}
	if op.Kind == Recv && sigOp == nil {
		if why := b.handedOnWhy(g, c, op); why != "" { // waits_range.go
			return waitNotChan, why
		}
	}
	if op.Kind == Recv && op.InLoop && op.Select == nil {
		// A receive in a counted loop takes at most that many
		// values, never the close: when the goroutine goes on
		// running after its sends, the loop waits for them, not
		// for the goroutine to finish.
		if loop := b.loopAroundPos(op.Pos, op.Pos); loop != nil {
			if _, counted := b.m.LoopTrips(loop); counted {
				if send, deferWait := b.sendBeforeMore(g, c, idx); send.IsValid() { // waits.go
					why := "it goes on running after them"
					if deferWait.IsValid() {
						why = "a call it defers runs after them and can wait (line " + itoa(b.m.Line(deferWait)) + ")"
					}
					return waitNotChan, "the receives from `" + op.ChanExpr + "` in the counted loop at line " + itoa(b.m.Line(loop.Pos())) + " wait for this goroutine's sends (line " + itoa(b.m.Line(send)) + "), not for the goroutine to finish: " + why
				}
			}
		}
	}
	if op.Kind == Recv {
		// A goroutine that sends in a loop that never ends
		// never finishes: the receive takes its values
		// (waits_endless.go).
		if send := b.endlessSend(g, c, idx); send.IsValid() {
			recv := "the receive from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " waits"
			if op.InLoop {
				recv = "the receives from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " wait"
			}
			return waitNotChan, recv + " for values this goroutine sends in a loop that never ends (line " + itoa(b.m.Line(send)) + "), not for the goroutine to finish: it never finishes by itself, and goes on running after them"
		}
	}
	if op.Kind == Recv && op.InLoop && op.Select == nil && (!b.closedAnywhere(c) || !b.goDoes(g, c, Close, idx)) {
		// A receive loop on a channel nothing closes ends only on values
		// (its condition, a count, a break): when the goroutine goes on
		// running after its sends (a send in its own loop), the loop
		// waits for them, not for the goroutine to finish — counted or
		// not (the counted case is above). So does one on a channel
		// only others close (main's own close(out) to stop the
		// producer): no close of this goroutine marks its end there.
		if send, deferWait := b.sendBeforeMore(g, c, idx); send.IsValid() { // waits.go
			why := "it goes on running after them"
			if deferWait.IsValid() {
				why = "a call it defers runs after them and can wait (line " + itoa(b.m.Line(deferWait)) + ")"
			}
			return waitNotChan, "the receives from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " wait for this goroutine's sends (line " + itoa(b.m.Line(send)) + "), not for the goroutine to finish: " + why
		}
	}
	if op.Kind == Recv && op.InLoop && op.Select == nil && !op.CommaOk && neverClosedSeen(c) {
		// A plain receive in a loop takes one value a pass, and with
		// nothing closing c each returns at a value: when the goroutine
		// sends in a loop (one in another file included), none of them
		// sees it finish (r22f_range_noclose).
		if send := b.loopedSend(g, c, idx); send.IsValid() { // waits_range.go
			return waitNotChan, "the receives from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " take one value a pass, and the goroutine sends in a loop (" + b.m.where(send) + "): they wait for values, not for the goroutine to finish"
		}
	}
	if op.Kind == Range && op.Select == nil {
		if why := b.otherClosersWhy(g, c, op, idx); why != "" { // waits_closers.go
			return waitNotChan, why
		}
		if why := b.unseenClosersWhy(g, c, op); why != "" { // waits_closers.go
			return waitNotChan, why
		}
	}
	if (op.Kind == Recv || op.Kind == Range) && b.goDoes(g, c, Close, idx) && !b.goDoes(g, c, Send, idx) {
		// Another goroutine or an AfterFunc callback closes c too: the
		// wait ends at whichever close comes first.
		if why := b.otherCloserWhy(g, c, op); why != "" { // waits_closers.go
			return waitNotChan, why
		}
	}
	return waitHolds, ""
}

// sendsOutnumberReceives reports whether g, run once, sends on c (made
// with a known capacity, in no loop) more times than the buffer holds plus
// the receives of the starting function after the go statement (all
// outside loops and selects, no range): then one send of g blocks forever,
// and a receive from c does not wait for g to finish.
func (b *builder) sendsOutnumberReceives(g *Goroutine, c *Chan, parent *Func, home *Goroutine, idx *goIndex) bool {
	capacity, known := c.Capacity()
	// Indirect, not the field: the wait is searched before the whole
	// file is summarised (ensureWait), when the field is still empty.
	if !known || g.Body == nil || g.InLoop || len(c.Indirect()) > 0 {
		return false // a call that is given c may receive from it too
	}
	sends := 0
	for _, op := range idx.opsByGo(g) {
		if op.Chan != c {
			continue
		}
		switch {
		case op.Kind == Close:
			return false
		case op.Kind == Send && !op.InLoop && op.Select == nil:
			// Only the sends every path runs count: two sends in
			// branches that return are one send on each path.
			if op.Func != nil && b.runsEveryPath(op.Func, op.Pos, g.Body) {
				sends++
			}
		case op.Kind == Send:
			return false
		}
	}
	recvs := 0
	for _, op := range c.Ops {
		if op.Kind == Close || op.Kind == Range || (op.Kind == Recv || op.Kind == Send) && (op.InLoop || op.Select != nil) || op.Kind == Send && op.InGo != g {
			return false
		}
		if op.Kind == Recv {
			if op.Pos <= g.End || !within(op.Pos, parent) || op.InGo != home {
				return false
			}
			recvs++
		}
	}
	return int64(sends) > capacity+int64(recvs)
}

// enclosingGo is the goroutine whose body contains the go statement, or nil.
func (g *Goroutine) enclosingGo() *Goroutine {
	for f := g.Func; f != nil; f = f.Parent {
		if f.GoBody != nil {
			return f.GoBody
		}
	}
	return nil
}

func within(p token.Pos, f *Func) bool { return p >= f.Pos && p <= f.End }

// addSite records the site [start, end) of kind explaining fact. A span
// longer than 65,535 bytes (a channel type spelling out a huge struct) is
// cut there: the cursor is then inside the type but not on the site.
func (b *builder) addSite(kind SiteKind, start, end token.Pos, fact unsafe.Pointer) {
	b.m.sites = append(b.m.sites, Site{Kind: kind, Start: start, span: uint16(min(end-start, 1<<16-1)), fact: fact})
}

// declareEmbedded records, on the syntax tier, a field embedded in the
// struct type named owner: its sync type st (a Mutex or RWMutex, whose
// methods the struct promotes), or the struct type of this file it names,
// through which promoted methods come too.
func (b *builder) declareEmbedded(owner string, typ ast.Expr, st string) {
	switch st {
	case "sync.Mutex", "sync.RWMutex":
		if b.embeddedSync == nil {
			b.embeddedSync = map[string]string{}
		}
		b.embeddedSync[owner] = st
		return
	case "":
	default:
		return
	}
	if s, ok := ast.Unparen(typ).(*ast.StarExpr); ok {
		typ = s.X
	}
	name := "?" // a type golens cannot name here (pkg.T, a generic)
	if id, ok := ast.Unparen(typ).(*ast.Ident); ok {
		name = id.Name
	}
	if b.embeddedStructs == nil {
		b.embeddedStructs = map[string][]string{}
	}
	b.embeddedStructs[owner] = append(b.embeddedStructs[owner], name)
}

// laterPlainRecv reports whether c has another receive outside loops and
// selects after op, in op's function, with no go statement between.
// recvsUpTo counts the receives of c written in op's function after the
// go statement of g and up to op, op included: an upper bound on the
// values they take. ok is false when one of them is in a loop, a range
// ranges over c there, or anything else receives from c (another
// function or goroutine, or code c is handed to): a value it takes could
// leave op the goroutine's last one.
func (m *File) recvsUpTo(c *Chan, g *Goroutine, op *ChanOp) (int, bool) {
	k := 0
	for _, u := range c.Indirect() {
		if u.Effect.Kind != EffSend {
			return 0, false // handed somewhere that may receive
		}
	}
	for _, o := range c.Ops {
		if (o.Kind == Recv || o.Kind == Range) && o.Func != op.Func {
			return 0, false // another function or goroutine receives too
		}
		if o.Func != op.Func || o.Pos <= g.End || o.Pos > op.Pos {
			continue
		}
		switch o.Kind {
		case Recv:
			if o.InLoop {
				return 0, false
			}
			k++
		case Range:
			return 0, false
		}
	}
	return k, k > 0
}

func (m *File) laterPlainRecv(c *Chan, op *ChanOp) bool {
	for _, o := range c.Ops {
		if o != op && o.Kind == Recv && o.Func == op.Func && o.Pos > op.Pos && !o.InLoop && o.Select == nil {
			for _, g := range m.Goroutines {
				if g.Func == op.Func && g.Pos > op.Pos && g.Pos < o.Pos {
					return false
				}
			}
			return true
		}
	}
	return false
}

// declaresFuncNamed reports whether the file declares a function or
// method with the name fun calls (`produce`, the run of `j.run`): the
// syntax tier may then be calling it without resolving the receiver.
func (b *builder) declaresFuncNamed(fun ast.Expr) bool {
	var name string
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	default:
		return true
	}
	for _, d := range b.m.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name {
			return true
		}
	}
	return false
}

// neverClosedSeen reports whether no close of c is written and nothing
// golens follows c into may close it.
func neverClosedSeen(c *Chan) bool {
	if len(c.Closes()) > 0 {
		return false
	}
	for _, u := range c.Indirect() {
		if k := u.Effect.Kind; k != EffSend && k != EffRecv && k != EffRange {
			return false // closes it, or may
		}
	}
	return true
}
