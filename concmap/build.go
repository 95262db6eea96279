package concmap

import (
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strings"

	"github.com/golens/golens/model"
)

// maxDepth bounds how deep the map follows goroutines started by
// goroutines through named functions (recursion is cut earlier, at the
// first repeat).
const maxDepth = 8

// TopFunc returns the function declaration that encloses pos in m (for a
// position inside a function literal, the declaration around it), or nil.
func TopFunc(m *model.File, pos token.Pos) *model.Func {
	var best *model.Func
	for _, f := range m.Funcs {
		if f.Lit || pos < f.Pos || pos > f.End {
			continue
		}
		if best == nil || f.Pos > best.Pos {
			best = f
		}
	}
	return best
}

// FuncNamed finds a function declaration by name among files: "main",
// "worker", a method as "(*Server).Run", "Server.Run" or just "Run" when
// only one method has that name.
func FuncNamed(files []*model.File, name string) (*model.File, *model.Func) {
	want := strings.NewReplacer("(", "", ")", "", "*", "").Replace(name)
	var hits []*model.Func
	var hitFiles []*model.File
	for _, m := range files {
		for _, f := range m.Funcs {
			if f.Lit {
				continue
			}
			plain := strings.NewReplacer("(", "", ")", "", "*", "").Replace(f.Name)
			if plain == want || (!strings.Contains(want, ".") && strings.HasSuffix(plain, "."+want)) {
				hits = append(hits, f)
				hitFiles = append(hitFiles, m)
			}
		}
	}
	for i, f := range hits { // an exact match wins over a method suffix
		if strings.NewReplacer("(", "", ")", "", "*", "").Replace(f.Name) == want {
			return hitFiles[i], f
		}
	}
	if len(hits) == 1 {
		return hitFiles[0], hits[0]
	}
	return nil, nil
}

// StartsGoroutines reports whether the function declaration fn (or a
// function literal inside it) has a go statement or a wg.Go call: the
// functions the editor offers a "map" code lens on.
func StartsGoroutines(m *model.File, fn *model.Func) bool {
	for _, g := range m.Goroutines {
		if topOf(g.Func) == fn {
			return true
		}
	}
	for _, w := range m.WaitGroups {
		if w.Kind == model.WGGo && topOf(w.Func) == fn {
			return true
		}
	}
	return false
}

// ForFunc maps one function: the goroutines it starts (and those they
// start, through the functions of files they call by name), and what each
// does to channels, mutexes and WaitGroups. files are the models of the
// package's files (at least fn's own file); findings are the checks'
// findings for those files.
func ForFunc(files []*model.File, fn *model.Func, findings []Finding) *Graph {
	b := newBuilder(files)
	b.g.Title = "func " + fn.Name
	if m := b.fileOf[fn]; m != nil {
		b.root(m, fn)
	}
	b.finish(findings)
	return b.g
}

// ForPackage maps every function of the package that starts goroutines or
// uses channels, mutexes or WaitGroups. A function that the package only
// ever starts as a goroutine appears as that goroutine, not on its own.
func ForPackage(files []*model.File, name string, findings []Finding) *Graph {
	b := newBuilder(files)
	b.g.Title = "package " + name
	started := map[*model.Func]bool{}
	for _, m := range files {
		for _, g := range m.Goroutines {
			if g.Body == nil {
				if _, f := b.callee(g.Callee); f != nil {
					started[f] = true
				}
			}
		}
	}
	for _, m := range files {
		for _, f := range m.Funcs {
			if f.Lit || started[f] || b.ops[f] == nil && !actsThroughCalls(m, f) {
				continue
			}
			b.root(m, f)
		}
	}
	b.finish(findings)
	return b.g
}

// finish orders the edges by where their first operation is written, so
// the text form reads like the code, and places the findings.
func (b *builder) finish(findings []Finding) {
	sort.SliceStable(b.g.Edges, func(i, j int) bool {
		x, y := b.g.Edges[i].Sites[0].Loc, b.g.Edges[j].Sites[0].Loc
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Line != y.Line {
			return x.Line < y.Line
		}
		return x.Col < y.Col
	})
	for i, e := range b.g.Edges {
		e.ID = fmt.Sprintf("e%d", i+1)
	}
	b.attach(findings)
}

// actsThroughCalls reports whether the model's summary of f has an
// operation f makes through a function it calls.
func actsThroughCalls(m *model.File, f *model.Func) bool {
	if s := m.SummaryOf(f); s != nil {
		for _, e := range s.Effects {
			if _, _, drawn := edgeOfEffect(e.Kind); drawn && e.At.IsValid() {
				return true
			}
		}
	}
	return false
}

// funcOps are the concurrency operations written in one function
// declaration, including the function literals inside it.
type funcOps struct {
	gos   []*model.Goroutine
	chans []*model.ChanOp
	locks []*model.LockOp
	wgs   []*model.WaitGroupOp
}

func (o *funcOps) empty() bool {
	return len(o.gos)+len(o.chans)+len(o.locks)+len(o.wgs) == 0
}

type edgeKey struct {
	from, to int
	kind     EdgeKind
}

// span is a function declaration the map covers, for placing findings.
type span struct {
	file       string
	start, end int // lines
	node       int
}

type builder struct {
	files  []*model.File
	fileOf map[*model.Func]*model.File
	ops    map[*model.Func]*funcOps
	// wgGoLits are function literals passed to wg.Go: each runs in a new
	// goroutine, like a go statement's literal.
	wgGoLits map[*model.Func]*model.WaitGroupOp
	chans    map[model.VarKey]*model.Chan
	chanFile map[*model.Chan]*model.File
	// keyNames and lockTypes name the mutexes and WaitGroups by key, as
	// their operations write them, for resources met through calls.
	keyNames  map[model.VarKey]string
	lockTypes map[model.VarKey]string

	g         *Graph
	resources map[model.VarKey]int
	byExpr    map[string]int // channels a call returns, by actor and expression
	names     map[model.VarKey]string
	edges     map[edgeKey]int
	spans     []span
}

func newBuilder(files []*model.File) *builder {
	b := &builder{
		files: files, fileOf: map[*model.Func]*model.File{}, ops: map[*model.Func]*funcOps{},
		wgGoLits: map[*model.Func]*model.WaitGroupOp{},
		chans:    map[model.VarKey]*model.Chan{}, chanFile: map[*model.Chan]*model.File{},
		keyNames: map[model.VarKey]string{}, lockTypes: map[model.VarKey]string{},
		g:         &Graph{},
		resources: map[model.VarKey]int{}, byExpr: map[string]int{}, names: map[model.VarKey]string{},
		edges: map[edgeKey]int{},
	}
	opsOf := func(fn *model.Func) *funcOps {
		t := topOf(fn)
		if t == nil {
			return nil
		}
		o := b.ops[t]
		if o == nil {
			o = &funcOps{}
			b.ops[t] = o
		}
		return o
	}
	for _, m := range files {
		litAt := map[token.Pos]*model.Func{}
		for _, f := range m.Funcs {
			b.fileOf[f] = m
			if f.Lit {
				litAt[f.Pos] = f
			}
		}
		for _, c := range m.Chans {
			if old := b.chans[c.Key]; old == nil || len(old.Makes) == 0 && len(c.Makes) > 0 {
				b.chans[c.Key] = c
				b.chanFile[c] = m
			}
		}
		for _, g := range m.Goroutines {
			if o := opsOf(g.Func); o != nil {
				o.gos = append(o.gos, g)
			}
		}
		for _, op := range m.ChanOps {
			if o := opsOf(op.Func); o != nil {
				o.chans = append(o.chans, op)
			}
		}
		for _, l := range m.Locks {
			if _, ok := b.keyNames[l.Key]; !ok {
				b.keyNames[l.Key], b.lockTypes[l.Key] = l.Recv, l.Type
			}
			if o := opsOf(l.Func); o != nil {
				o.locks = append(o.locks, l)
			}
		}
		for _, w := range m.WaitGroups {
			if _, ok := b.keyNames[w.Key]; !ok {
				b.keyNames[w.Key] = w.Recv
			}
			if o := opsOf(w.Func); o != nil {
				o.wgs = append(o.wgs, w)
			}
			if w.Kind == model.WGGo && w.Call != nil && len(w.Call.Args) == 1 {
				if lit, ok := ast.Unparen(w.Call.Args[0]).(*ast.FuncLit); ok && litAt[lit.Pos()] != nil {
					b.wgGoLits[litAt[lit.Pos()]] = w
				}
			}
		}
	}
	for f, o := range b.ops {
		if o.empty() {
			delete(b.ops, f)
		}
	}
	return b
}

// topOf returns the function declaration around fn.
func topOf(fn *model.Func) *model.Func {
	for fn != nil && fn.Parent != nil {
		fn = fn.Parent
	}
	return fn
}

// activation is one function body as it runs in the map: the root
// function, or a named function started by a go statement, with its
// parameters bound to the starter's channels, mutexes and WaitGroups.
type activation struct {
	file  *model.File
	top   *model.Func
	node  int
	env   map[model.VarKey]model.VarKey
	depth int
	stack map[*model.Func]bool
	// goNodes are the goroutine nodes of this activation's function
	// literals (go func(){…}() and wg.Go(func(){…})).
	goNodes map[*model.Func]int
	// possible holds the operations written in the function that its
	// summary says only may run (in a function literal handed to another
	// function, which may or may not call it).
	possible map[token.Pos]bool
}

func (a *activation) resolve(k model.VarKey) model.VarKey {
	if r, ok := a.env[k]; ok {
		return r
	}
	return k
}

// actor returns the node whose goroutine runs code written in fn: the
// goroutine of the nearest enclosing go literal, or the activation itself.
func (a *activation) actor(fn *model.Func) int {
	for f := fn; f != nil; f = f.Parent {
		if n, ok := a.goNodes[f]; ok {
			return n
		}
	}
	return a.node
}

func (b *builder) root(m *model.File, fn *model.Func) {
	n := b.addNode(&Node{Kind: FuncNode, Label: fn.Name, Detail: "func", Loc: b.loc(m, fn.Pos)})
	b.run(&activation{file: m, top: fn, node: n, stack: map[*model.Func]bool{fn: true}})
}

// run adds an activation's goroutines and operations to the map.
func (b *builder) run(a *activation) {
	pf := a.file.Position(a.top.Pos)
	b.spans = append(b.spans, span{file: pf.Filename, start: pf.Line, end: a.file.Line(a.top.End), node: a.node})
	o := b.ops[a.top]
	if o == nil {
		o = &funcOps{} // it may still act through the functions it calls
	}
	a.goNodes = map[*model.Func]int{}
	a.possible = map[token.Pos]bool{}
	if sum := a.file.SummaryOf(a.top); sum != nil {
		for _, e := range sum.Effects {
			if !e.At.IsValid() && e.Certainty != model.Proven {
				a.possible[e.Pos] = true
			}
		}
	}
	type child struct {
		g    *model.Goroutine
		node int
	}
	var children []child
	// nodeOf is each go statement's goroutine node, so that the edges and
	// goAt below look it up rather than scan every child: a function of n
	// go statements stays linear.
	nodeOf := make(map[*model.Goroutine]int, len(o.gos))
	// Goroutine nodes first, in source order, so that operations inside
	// their literals find them.
	for _, g := range o.gos {
		n := b.addNode(&Node{Kind: GoroutineNode, Label: goLabel(a.file, g), Detail: goDetail(a.file, g), Loc: b.loc(a.file, g.Pos)})
		if g.Body != nil {
			a.goNodes[g.Body] = n
		} else {
			children = append(children, child{g, n})
			nodeOf[g] = n
		}
	}
	var lits []*model.Func
	for lit := range b.wgGoLits {
		if topOf(lit) == a.top {
			lits = append(lits, lit)
		}
	}
	sort.Slice(lits, func(i, j int) bool { return lits[i].Pos < lits[j].Pos })
	for _, lit := range lits {
		w := b.wgGoLits[lit]
		n := b.addNode(&Node{Kind: GoroutineNode, Label: w.Recv + ".Go(func literal)", Detail: "line " + fmt.Sprint(a.file.Line(w.Pos)), Loc: b.loc(a.file, w.Pos)})
		a.goNodes[lit] = n
	}
	for _, g := range o.gos {
		to := a.goNodes[g.Body]
		if g.Body == nil {
			to = nodeOf[g]
		}
		b.addEdge(a.actor(g.Func), to, Starts, Site{Loc: b.loc(a.file, g.Pos), In: b.inName(a, g.Func)})
	}
	for _, op := range o.chans {
		b.chanOp(a, op)
	}
	for _, l := range o.locks {
		b.lockOp(a, l)
	}
	for _, w := range o.wgs {
		b.wgOp(a, w)
	}
	goAt := map[token.Pos]goStart{}
	for _, g := range o.gos {
		n := a.goNodes[g.Body]
		if g.Body == nil {
			n = nodeOf[g]
		}
		goAt[g.Node.Call.Pos()] = goStart{node: n}
	}
	for _, c := range children {
		if b.follow(a, c.g, c.node) {
			goAt[c.g.Node.Call.Pos()] = goStart{node: c.node, followed: true}
		}
	}
	b.viaCalls(a, goAt)
}

// goStart is a go statement of an activation: its goroutine node, and
// whether the map followed into the function it runs.
type goStart struct {
	node     int
	followed bool
}

// follow runs the named function a go statement starts as a child
// activation, binding its parameters to the go statement's arguments.
func (b *builder) follow(a *activation, g *model.Goroutine, node int) bool {
	m, fn := b.callee(g.Callee)
	if fn == nil {
		if !b.summarised(a, g) {
			b.g.Notes = append(b.g.Notes, fmt.Sprintf("go %s at %s: golens cannot see into %s", g.Call, b.loc(a.file, g.Pos), g.Callee))
		}
		return false
	}
	if a.stack[fn] || a.depth >= maxDepth {
		return true // shown where it first runs; its summary would repeat it
	}
	env := map[model.VarKey]model.VarKey{}
	var params []*ast.Ident
	if fn.Type != nil && fn.Type.Params != nil {
		for _, f := range fn.Type.Params.List {
			params = append(params, f.Names...)
		}
	}
	for i, p := range params {
		if i >= len(g.Node.Call.Args) {
			break
		}
		pk, ok := m.KeyOf(p)
		if !ok {
			continue
		}
		ak, ok := a.file.KeyOf(g.Node.Call.Args[i])
		if !ok {
			continue
		}
		r := a.resolve(ak)
		env[pk] = r
		if _, named := b.names[r]; !named {
			b.names[r] = strings.TrimPrefix(a.file.Text(g.Node.Call.Args[i].Pos(), g.Node.Call.Args[i].End()), "&")
		}
	}
	stack := map[*model.Func]bool{fn: true}
	for f := range a.stack {
		stack[f] = true
	}
	b.run(&activation{file: m, top: fn, node: node, env: env, depth: a.depth + 1, stack: stack})
	return true
}

// summarised reports whether the activation's summary has effects through
// the go statement g: then the map shows them even though it cannot open
// the function itself (another file's function on the typed tier).
func (b *builder) summarised(a *activation, g *model.Goroutine) bool {
	s := a.file.SummaryOf(a.top)
	if s == nil {
		return false
	}
	for _, e := range s.Effects {
		if e.At == g.Node.Call.Pos() {
			return true
		}
	}
	return false
}

// viaCalls adds what the activation's function does through the functions
// it calls, as the model's summary of it says (composed through calls,
// method values, closures and goroutines the callees start): "close at
// line 22 in produce, called at line 34".
func (b *builder) viaCalls(a *activation, goAt map[token.Pos]goStart) {
	s := a.file.SummaryOf(a.top)
	if s == nil {
		return
	}
	for _, e := range s.Effects {
		if !e.At.IsValid() {
			continue // written in the function itself: drawn from its operations
		}
		gs, isGo := goAt[e.At]
		if isGo && gs.followed {
			continue // drawn from the goroutine's own function
		}
		key := e.Target.Key
		if e.Target.Param >= 0 {
			if e.Target.Param >= len(s.Params) {
				continue
			}
			key = s.Params[e.Target.Param]
		}
		if !key.Valid() {
			continue
		}
		kind, nodeKind, ok := edgeOfEffect(e.Kind)
		if !ok {
			continue
		}
		if f := innermostFunc(a.file, e.Pos); f != nil && topOf(f) == a.top && a.actor(f) == a.actor(innermostFunc(a.file, e.At)) {
			continue // a closure of this function, called here: its operation is drawn where it is written
		}
		actor := a.actor(innermostFunc(a.file, e.At))
		switch {
		case isGo:
			actor = gs.node
		case e.InGo && actor == a.node:
			actor = b.startedBy(a, e, actor)
		}
		res := b.resource(a, key, nodeKind, func(k model.VarKey) *Node { return b.resourceNode(a, k, nodeKind, e.Pos) })
		via := strings.Trim(e.Via, "`")
		// The call is where this function does it: the site is the call
		// line (where a click goes), the operation itself is named in In.
		site := Site{
			Loc:       b.loc(a.file, e.At),
			Blocking:  e.MayBlock(),
			Certainty: Proven,
			In:        fmt.Sprintf("%s at line %d, via %s", strings.ReplaceAll(e.In, "`", ""), a.file.Line(e.Pos), via),
		}
		if e.Certainty != model.Proven {
			site.Certainty = Possible
		}
		switch kind {
		case Recv, Range, Wait:
			b.addEdge(res, actor, kind, site)
		default:
			b.addEdge(actor, res, kind, site)
		}
	}
}

// edgeOfEffect maps a summary effect to the map's edge and node kinds;
// effects the map does not draw (contexts, Conds, escapes) report false.
func edgeOfEffect(k model.EffectKind) (EdgeKind, NodeKind, bool) {
	switch k {
	case model.EffSend:
		return Send, ChanNode, true
	case model.EffRecv:
		return Recv, ChanNode, true
	case model.EffRange:
		return Range, ChanNode, true
	case model.EffClose:
		return Close, ChanNode, true
	case model.EffLock, model.EffRLock:
		return Lock, MutexNode, true
	case model.EffUnlock, model.EffRUnlock:
		return Unlock, MutexNode, true
	case model.EffAdd:
		return Add, WaitGroupNode, true
	case model.EffDone:
		return Done, WaitGroupNode, true
	case model.EffWait:
		return Wait, WaitGroupNode, true
	}
	return 0, 0, false
}

// startedBy returns the node of a goroutine that a called function starts
// (one per call), started by the caller's actor.
func (b *builder) startedBy(a *activation, e *model.Effect, caller int) int {
	key := fmt.Sprintf("go|%d|%d", caller, e.At)
	if n, ok := b.byExpr[key]; ok {
		return n
	}
	via := strings.Trim(e.Via, "`")
	n := b.addNode(&Node{Kind: GoroutineNode, Label: "goroutine in " + via, Detail: fmt.Sprintf("started by %s, called at line %d", via, a.file.Line(e.At)), Loc: b.loc(a.file, e.At)})
	b.byExpr[key] = n
	b.addEdge(caller, n, Starts, Site{Loc: b.loc(a.file, e.At), In: via})
	return n
}

// resourceNode describes a channel, mutex or WaitGroup first met through a
// call.
func (b *builder) resourceNode(a *activation, k model.VarKey, kind NodeKind, pos token.Pos) *Node {
	if c := b.chans[k]; c != nil && kind == ChanNode {
		return b.chanNode(a, c)
	}
	name := b.nameOr(k, b.keyNames[k])
	if name == "" {
		name = "?"
	}
	detail := map[NodeKind]string{ChanNode: "channel", MutexNode: "mutex", WaitGroupNode: "sync.WaitGroup"}[kind]
	if kind == MutexNode && b.lockTypes[k] != "" {
		detail = b.lockTypes[k]
	}
	loc := b.loc(a.file, pos)
	if d := k.Decl(); d.IsValid() {
		loc = b.loc(a.file, d)
	}
	return &Node{Kind: kind, Label: name, Detail: detail, Loc: loc}
}

// innermostFunc returns the innermost function of m around pos.
func innermostFunc(m *model.File, pos token.Pos) *model.Func {
	var best *model.Func
	for _, f := range m.Funcs {
		if pos >= f.Pos && pos <= f.End && (best == nil || f.Pos >= best.Pos && f.End <= best.End) {
			best = f
		}
	}
	return best
}

// callee finds the function declaration a go statement names: a function
// of the package, or the only method of the package with that name.
func (b *builder) callee(name string) (*model.File, *model.Func) {
	if name == "" || name == "func literal" {
		return nil, nil
	}
	if i := strings.LastIndex(name, "."); i >= 0 {
		method := name[i+1:]
		var hits []*model.Func
		var files []*model.File
		for _, m := range b.files {
			for _, f := range m.Funcs {
				if !f.Lit && strings.HasSuffix(f.Name, "."+method) {
					hits = append(hits, f)
					files = append(files, m)
				}
			}
		}
		if len(hits) == 1 {
			return files[0], hits[0]
		}
		return nil, nil
	}
	for _, m := range b.files {
		for _, f := range m.Funcs {
			if !f.Lit && f.Name == name {
				return m, f
			}
		}
	}
	return nil, nil
}

// inName names the function an operation is written in when it is a named
// function run by a goroutine, for the text form.
func (b *builder) inName(a *activation, fn *model.Func) string {
	if a.depth == 0 {
		return ""
	}
	return a.top.Name
}

func (b *builder) chanOp(a *activation, op *model.ChanOp) {
	actor := a.actor(op.Func)
	var res int
	if op.Chan != nil {
		res = b.resource(a, op.Chan.Key, ChanNode, func(k model.VarKey) *Node { return b.chanNode(a, op.Chan) })
	} else {
		// A channel a call returns (time.After(d), ctx.Done()) or an
		// expression the model does not follow: one node per actor and
		// expression.
		key := fmt.Sprintf("%d|%s", actor, op.ChanExpr)
		n, ok := b.byExpr[key]
		if !ok {
			detail := "channel expression"
			if op.Source != "" {
				detail = "from " + op.Source
			}
			n = b.addNode(&Node{Kind: ChanNode, Label: op.ChanExpr, Detail: detail, Loc: b.loc(a.file, op.Pos)})
			b.byExpr[key] = n
		}
		res = n
	}
	site := Site{Loc: b.loc(a.file, op.Pos), Blocking: op.MayBlock(), Certainty: certaintyOf(a, op), In: b.inName(a, op.Func)}
	switch op.Kind {
	case model.Send:
		b.addEdge(actor, res, Send, site)
	case model.Close:
		b.addEdge(actor, res, Close, site)
	case model.Recv:
		b.addEdge(res, actor, Recv, site)
	case model.Range:
		b.addEdge(res, actor, Range, site)
	}
}

func (b *builder) lockOp(a *activation, l *model.LockOp) {
	if !l.Key.Valid() {
		return
	}
	actor := a.actor(l.Func)
	res := b.resource(a, l.Key, MutexNode, func(k model.VarKey) *Node {
		detail := l.Type
		if detail == "" {
			detail = "mutex"
		}
		return &Node{Kind: MutexNode, Label: b.nameOr(k, l.Recv), Detail: detail, Loc: b.declLoc(a.file, k, l.Pos)}
	})
	site := Site{Loc: b.loc(a.file, l.Pos), In: b.inName(a, l.Func)}
	if a.possible[l.Pos] {
		site.Certainty = Possible
	}
	kind := Lock
	switch l.Kind {
	case model.Lock, model.RLock:
		site.Blocking = true
	case model.Unlock, model.RUnlock:
		kind = Unlock
	}
	if l.Kind == model.RLock || l.Kind == model.RUnlock || l.Kind == model.TryRLock {
		site.In = strings.TrimSpace(site.In + " " + l.Kind.String())
	}
	b.addEdge(actor, res, kind, site)
}

func (b *builder) wgOp(a *activation, w *model.WaitGroupOp) {
	if !w.Key.Valid() {
		return
	}
	actor := a.actor(w.Func)
	res := b.resource(a, w.Key, WaitGroupNode, func(k model.VarKey) *Node {
		return &Node{Kind: WaitGroupNode, Label: b.nameOr(k, w.Recv), Detail: "sync.WaitGroup", Loc: b.declLoc(a.file, k, w.Pos)}
	})
	site := Site{Loc: b.loc(a.file, w.Pos), In: b.inName(a, w.Func)}
	if a.possible[w.Pos] {
		site.Certainty = Possible
	}
	switch w.Kind {
	case model.WGAdd:
		b.addEdge(actor, res, Add, site)
	case model.WGDone:
		b.addEdge(actor, res, Done, site)
	case model.WGWait:
		site.Blocking = true
		b.addEdge(res, actor, Wait, site)
	case model.WGGo:
		b.addEdge(actor, res, GoMethod, site)
	}
}

// resource returns the node of the channel, mutex or WaitGroup behind key
// as the activation sees it, making it on first use.
func (b *builder) resource(a *activation, key model.VarKey, kind NodeKind, newNode func(model.VarKey) *Node) int {
	k := a.resolve(key)
	if n, ok := b.resources[k]; ok {
		return n
	}
	var node *Node
	if kind == ChanNode && k != key {
		// A parameter bound to the starter's channel: describe that one.
		if c := b.chans[k]; c != nil {
			node = b.chanNode(a, c)
		}
	}
	if node == nil {
		node = newNode(k)
	}
	n := b.addNode(node)
	b.resources[k] = n
	return n
}

func (b *builder) nameOr(k model.VarKey, fallback string) string {
	if n, ok := b.names[k]; ok {
		return n
	}
	return fallback
}

// chanNode describes a channel: its type, capacity and make sites, as the
// model has them.
func (b *builder) chanNode(a *activation, c *model.Chan) *Node {
	m := b.chanFile[c]
	if m == nil {
		m = a.file
	}
	typ := "chan"
	if c.Elem != "" {
		switch c.Dir {
		case model.SendOnly:
			typ = "chan<- " + c.Elem
		case model.RecvOnly:
			typ = "<-chan " + c.Elem
		default:
			typ = "chan " + c.Elem
		}
	}
	parts := []string{typ}
	switch capacity, known := c.Capacity(); {
	case c.IsParam:
		parts = append(parts, "parameter: made by the caller")
	case known && capacity == 0:
		parts = append(parts, "unbuffered")
	case known:
		parts = append(parts, fmt.Sprintf("cap %d", capacity))
	case c.NeverMade():
		parts = append(parts, "never made: nil")
	case len(c.Makes) > 0 && c.Makes[0].CapExpr != "" && len(c.Makes) == 1 && len(c.Assigned) == 0:
		parts = append(parts, "cap "+c.Makes[0].CapExpr)
	case len(c.Makes) == 0:
		parts = append(parts, "made elsewhere")
	default:
		parts = append(parts, "capacity varies")
	}
	var made []string
	for _, mk := range c.Makes {
		made = append(made, fmt.Sprintf("L%d", m.Line(mk.Pos)))
	}
	if len(made) > 0 {
		parts = append(parts, "made "+strings.Join(made, ","))
	}
	loc := b.loc(m, c.Decl)
	if len(c.Makes) > 0 {
		loc = b.loc(m, c.Makes[0].Pos)
	} else if !c.Decl.IsValid() && len(c.Ops) > 0 {
		loc = b.loc(m, c.Ops[0].Pos)
	}
	name := c.Name
	if n, ok := b.names[c.Key]; ok {
		name = n
	}
	return &Node{Kind: ChanNode, Label: name, Detail: strings.Join(parts, " · "), Loc: loc}
}

func (b *builder) declLoc(m *model.File, k model.VarKey, fallback token.Pos) Loc {
	if d := k.Decl(); d.IsValid() && m.Fset.File(d) == m.Fset.File(fallback) {
		return b.loc(m, d)
	}
	return b.loc(m, fallback)
}

func (b *builder) loc(m *model.File, p token.Pos) Loc {
	if !p.IsValid() {
		return Loc{}
	}
	pos := m.Position(p)
	return Loc{File: pos.Filename, Line: pos.Line, Col: pos.Column}
}

func (b *builder) addNode(n *Node) int {
	n.ID = fmt.Sprintf("n%d", len(b.g.Nodes)+1)
	b.g.Nodes = append(b.g.Nodes, n)
	return len(b.g.Nodes) - 1
}

func (b *builder) addEdge(from, to int, kind EdgeKind, s Site) {
	k := edgeKey{from, to, kind}
	if i, ok := b.edges[k]; ok {
		e := b.g.Edges[i]
		for _, old := range e.Sites {
			if old.Loc == s.Loc && old.In == s.In {
				return // the same operation seen from a second path
			}
		}
		e.Sites = append(e.Sites, s)
		return
	}
	b.edges[k] = len(b.g.Edges)
	b.g.Edges = append(b.g.Edges, &Edge{ID: fmt.Sprintf("e%d", len(b.g.Edges)+1), From: from, To: to, Kind: kind, Sites: []Site{s}})
}

// certaintyOf decides solid or dashed for an operation written in the
// function: possible when the model's summary says so (a function literal
// handed to another function), or when it is a case of a select, which may
// lose to another case.
func certaintyOf(a *activation, op *model.ChanOp) Certainty {
	if op.Select != nil || a.possible[op.Pos] {
		return Possible
	}
	return Proven
}

func goLabel(m *model.File, g *model.Goroutine) string {
	if g.Body != nil {
		return fmt.Sprintf("go func() L%d", m.Line(g.Pos))
	}
	call := g.Call
	if len(call) > 40 {
		call = call[:37] + "…"
	}
	return "go " + call
}

func goDetail(m *model.File, g *model.Goroutine) string {
	d := fmt.Sprintf("goroutine · line %d", m.Line(g.Pos))
	if g.InLoop {
		d += " · in a loop"
	}
	return d
}

// attach places each finding on the nodes and edges at its lines, or on
// the function it is in; findings outside the map are left out.
func (b *builder) attach(findings []Finding) {
	type lineKey struct {
		file string
		line int
	}
	edgesAt := map[lineKey][]int{}
	for i, e := range b.g.Edges {
		for _, s := range e.Sites {
			k := lineKey{s.Loc.File, s.Loc.Line}
			edgesAt[k] = append(edgesAt[k], i)
		}
	}
	nodesAt := map[lineKey][]int{}
	for i, n := range b.g.Nodes {
		if n.Kind == FuncNode {
			continue
		}
		k := lineKey{n.Loc.File, n.Loc.Line}
		nodesAt[k] = append(nodesAt[k], i)
	}
	sort.SliceStable(findings, func(i, j int) bool {
		if findings[i].Loc.File != findings[j].Loc.File {
			return findings[i].Loc.File < findings[j].Loc.File
		}
		return findings[i].Loc.Line < findings[j].Loc.Line
	})
	for _, f := range findings {
		idx := len(b.g.Findings)
		hit := false
		for _, l := range append([]Loc{f.Loc}, f.Related...) {
			k := lineKey{l.File, l.Line}
			for _, e := range edgesAt[k] {
				b.g.Edges[e].Findings = appendOnce(b.g.Edges[e].Findings, idx)
				hit = true
			}
			for _, n := range nodesAt[k] {
				b.g.Nodes[n].Findings = appendOnce(b.g.Nodes[n].Findings, idx)
				hit = true
			}
		}
		if !hit {
			for _, s := range b.spans {
				if s.file == f.Loc.File && f.Loc.Line >= s.start && f.Loc.Line <= s.end {
					b.g.Nodes[s.node].Findings = appendOnce(b.g.Nodes[s.node].Findings, idx)
					hit = true
					break
				}
			}
		}
		if hit {
			b.g.Findings = append(b.g.Findings, f)
		}
	}
}

func appendOnce(list []int, v int) []int {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
