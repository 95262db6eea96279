package typed

import (
	"crypto/sha256"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"sync"

	"github.com/golens/golens/model"
)

// Package summaries: what each function of the package does to the
// channels, locks, WaitGroups and contexts it is given or reaches through
// fields and package variables, composed across the package's files, so
// that the model of one file can say "passed to produce at line 34, which
// closes it (line 22 of worker.go)".
//
// Every re-check of a package creates new go/types objects, so summaries
// are kept in a form that survives it: functions are named by declaration
// ("f", "(*T).m"), fields by "T.f", package variables by name, and
// positions are those of the files' syntax trees, which a re-check reuses
// for the files that did not change. After an edit only the changed files
// are summarised again, and only their functions and the functions that
// call them, directly or not, are composed again.

// target is an effect's target in a form that survives a re-check: a
// parameter index, or the name of a field ("T.f") or package variable
// ("var x").
type target struct {
	param int
	name  string
}

type effect struct {
	kind      model.EffectKind
	target    target
	pos, at   token.Pos
	in, via   string
	inGo      bool
	deferred  bool
	noBlock   bool
	certainty model.Certainty
	why       string
}

type effectID struct {
	kind    model.EffectKind
	target  target
	pos, at token.Pos
	inGo    bool
}

type call struct {
	callee   string
	at       token.Pos
	via      string
	inGo     bool
	deferred bool
	may      bool // the call runs only on some paths of the caller
	args     []callArg
}

type callArg struct {
	index  int
	target target
}

// funcSummary is one function's summary.
type funcSummary struct {
	name     string
	file     string
	local    []effect
	calls    []call
	composed []effect
	seen     map[effectID]bool
}

// summaries are a package's function summaries.
type summaries struct {
	funcs  map[string]*funcSummary
	byFile map[string][]*funcSummary
	hashes map[string][sha256.Size]byte
	// fieldEffects are the composed effects on each field, from every
	// function ("T.f" → effects), for FieldEffects.
	fieldEffects map[string][]effect
	// Recomposed counts the functions composed by the last update (for
	// tests and benchmarks).
	recomposed int
}

// pkgState holds a package's summaries and the name maps of its current
// type-check.
type pkgState struct {
	once     sync.Once
	prev     *summaries // of the package this one was re-checked from
	sums     *summaries
	fieldKey map[*types.Var]string
	fieldObj map[string]*types.Var
	funcObj  map[string]*types.Func
	cache    map[string]*model.Summary
	mu       sync.Mutex
	// deps reads the imported packages' summaries (imported.go).
	deps *depsState
	// modelOnce makes model: the package-wide facts every file's model
	// is built with (modelPackage).
	modelOnce sync.Once
	model     *model.Package
}

// modelPackage is the package's model.Package, made on first use: each
// file's model is built with it (model.BuildIn), as checks/modelpass
// builds them, so the lock flows follow the lock helpers declared in the
// package's other files in the hover as in the checks. nil when the
// package did not type-check.
func (p *Package) modelPackage() *model.Package {
	st := p.summaries
	if st == nil || p.Types == nil || p.Info == nil {
		return nil
	}
	st.modelOnce.Do(func() {
		asts := make([]*ast.File, 0, len(p.Files))
		for _, f := range p.Files {
			asts = append(asts, f.AST)
		}
		mp := model.NewPackage(p.Fset, asts, p.Info, p.Types)
		// The channel classes follow a channel passed to a function of
		// an imported package through that function's summary, as the
		// file's facts do (model/chan_classes_imported.go).
		if l := p.summaryLookup(); l != nil {
			mp.SetImportedSummaries(l)
		}
		mp.SetFileModels(func(af *ast.File) *model.File {
			for _, f := range p.Files {
				if f.AST == af {
					return f.Model()
				}
			}
			return nil
		})
		st.model = mp
	})
	return st.model
}

// declName names a function declaration as the model does.
func declName(fn *types.Func) string {
	sig := fn.Signature()
	if sig.Recv() == nil {
		return fn.Name()
	}
	t := sig.Recv().Type()
	star := ""
	if p, ok := t.(*types.Pointer); ok {
		t, star = p.Elem(), "*"
	}
	name := "?"
	if n, ok := types.Unalias(t).(*types.Named); ok {
		name = n.Obj().Name()
	}
	if star != "" {
		return "(*" + name + ")." + fn.Name()
	}
	return name + "." + fn.Name()
}

// names builds the maps between this check's objects and stable names.
func (st *pkgState) names(p *Package) {
	st.fieldKey = map[*types.Var]string{}
	st.fieldObj = map[string]*types.Var{}
	st.funcObj = map[string]*types.Func{}
	if p.Types == nil {
		return
	}
	scope := p.Types.Scope()
	for _, n := range scope.Names() {
		switch obj := scope.Lookup(n).(type) {
		case *types.TypeName:
			named, ok := types.Unalias(obj.Type()).(*types.Named)
			if !ok {
				continue
			}
			if s, ok := named.Underlying().(*types.Struct); ok {
				for i := 0; i < s.NumFields(); i++ {
					f := s.Field(i)
					key := n + "." + f.Name()
					st.fieldKey[f] = key
					st.fieldObj[key] = f
				}
			}
			for i := 0; i < named.NumMethods(); i++ {
				m := named.Method(i)
				st.funcObj[declName(m)] = m
			}
		case *types.Func:
			st.funcObj[n] = obj
		}
	}
}

// targetOf converts a model target to a stable one; ok is false for a
// variable only the function sees.
func (st *pkgState) targetOf(p *Package, t model.Target) (target, bool) {
	if t.Param >= 0 {
		return target{param: t.Param}, true
	}
	obj := t.Key.Object()
	v, ok := obj.(*types.Var)
	if !ok {
		return target{}, false
	}
	if v.IsField() {
		if k, ok := st.fieldKey[v]; ok {
			return target{param: -1, name: k}, true
		}
		return target{}, false
	}
	if p.Types != nil && v.Parent() == p.Types.Scope() {
		return target{param: -1, name: "var " + v.Name()}, true
	}
	return target{}, false
}

// keyOf converts a stable target back to this check's key.
func (st *pkgState) keyOf(p *Package, t target) (model.Target, bool) {
	if t.param >= 0 {
		return model.Target{Param: t.param}, true
	}
	if f := st.fieldObj[t.name]; f != nil {
		return model.Target{Param: -1, Key: model.KeyFor(f)}, true
	}
	if len(t.name) > 4 && t.name[:4] == "var " && p.Types != nil {
		if v, ok := p.Types.Scope().Lookup(t.name[4:]).(*types.Var); ok {
			return model.Target{Param: -1, Key: model.KeyFor(v)}, true
		}
	}
	return model.Target{}, false
}

// stubLookup resolves every function of the package to an empty summary:
// the first pass over a file records its calls into other files without
// treating their arguments as escaping.
type stubLookup struct{ pkg *types.Package }

func (s stubLookup) FuncSummary(fn *types.Func) *model.Summary {
	if fn.Pkg() != s.pkg {
		return nil
	}
	return model.NewSummary(fn, declName(fn), nil)
}

func (stubLookup) FieldEffects(*types.Var) []*model.Effect { return nil }

// fileLookup is the lookup a file is summarised with: the package's own
// functions are stubs (composed afterwards, across files), and functions
// of imported packages have their summaries (imported.go), so that what
// they do reaches the callers in other files too.
type fileLookup struct {
	stubLookup
	p  *Package
	st *pkgState
}

func (l fileLookup) FuncSummary(fn *types.Func) *model.Summary {
	if fn.Pkg() == l.pkg {
		return l.stubLookup.FuncSummary(fn)
	}
	return l.st.importedSummary(l.p, fn)
}

// returnedWhy says, after "hands it on", what a function does with a
// parameter it returns.
const returnedWhy = "returned, and golens does not follow the result"

// summarizeFile summarises the functions declared in one file.
func (st *pkgState) summarizeFile(p *Package, f *File) []*funcSummary {
	m := model.BuildWith(f.fset, f.AST, f.Src, f.info, fileLookup{stubLookup{p.Types}, p, st})
	var out []*funcSummary
	for _, s := range m.Summaries() {
		if s.Func.Lit || s.Obj == nil {
			continue
		}
		fs := &funcSummary{name: declName(s.Obj), file: f.Filename}
		// What functions of imported packages do, through the calls of
		// this function: composed by the file's model already.
		// So are those through a function literal it calls, bound to a
		// variable (f := func(c chan int) { close(c) }; f(ch)): Calls
		// lists neither. Only the calls of the package's own functions
		// are composed below, across files.
		internal := map[token.Pos]bool{}
		for _, c := range s.Calls() {
			if c.Callee == nil || c.Callee.Pkg() == p.Types {
				internal[c.At] = true
			}
		}
		local := s.LocalEffects()
		for _, e := range s.Effects {
			if e.At.IsValid() && !internal[e.At] {
				local = append(local, e)
			}
		}
		for _, e := range local {
			t, ok := st.targetOf(p, e.Target)
			if !ok || e.Kind == model.EffReturn && t.param < 0 {
				continue
			}
			ne := effect{kind: e.Kind, target: t, pos: e.Pos, at: e.At, in: e.In, via: e.Via,
				inGo: e.InGo, deferred: e.Deferred, noBlock: e.NoBlock, certainty: e.Certainty, why: e.Why}
			if e.Kind == model.EffReturn {
				// A parameter it returns: its callers hold the
				// argument under another name, which the summaries
				// do not follow (as the model composes it in a file).
				ne.kind, ne.certainty, ne.why = model.EffEscape, model.Proven, returnedWhy
			}
			fs.local = append(fs.local, ne)
		}
		for _, c := range s.Calls() {
			if c.Callee == nil || c.Callee.Pkg() != p.Types {
				continue
			}
			pc := call{callee: declName(c.Callee.Origin()), at: c.At, via: c.Via, inGo: c.InGo, deferred: c.Deferred, may: c.May}
			for _, a := range c.Args {
				if t, ok := st.targetOf(p, a.Target); ok {
					pc.args = append(pc.args, callArg{index: a.Index, target: t})
				}
			}
			fs.calls = append(fs.calls, pc)
		}
		out = append(out, fs)
	}
	return out
}

// build computes the package's summaries, reusing those of the files that
// did not change since prev.
func (st *pkgState) build(p *Package) {
	st.names(p)
	s := &summaries{funcs: map[string]*funcSummary{}, byFile: map[string][]*funcSummary{}, hashes: map[string][sha256.Size]byte{}}
	var changed []*funcSummary
	for _, f := range p.Files {
		var fss []*funcSummary
		if prev := st.prev; prev != nil && prev.hashes[f.Filename] == f.Hash && prev.byFile[f.Filename] != nil {
			fss = prev.byFile[f.Filename]
		} else {
			fss = st.summarizeFile(p, f)
			changed = append(changed, fss...)
		}
		s.byFile[f.Filename] = fss
		s.hashes[f.Filename] = f.Hash
		for _, fs := range fss {
			s.funcs[fs.name] = fs
		}
	}
	// Recompose the changed functions and every function that calls one
	// of them, directly or not; the others keep their composed effects.
	callers := map[string][]*funcSummary{}
	for _, fs := range s.funcs {
		for _, c := range fs.calls {
			callers[c.callee] = append(callers[c.callee], fs)
		}
	}
	dirty := map[*funcSummary]bool{}
	var work []*funcSummary
	mark := func(fs *funcSummary) {
		if !dirty[fs] {
			dirty[fs] = true
			work = append(work, fs)
		}
	}
	if st.prev == nil {
		for _, fs := range s.funcs {
			mark(fs)
		}
	} else {
		for _, fs := range changed {
			mark(fs)
		}
		// A function that called a function now gone must be recomposed too.
		for name, old := range st.prev.funcs {
			if s.funcs[name] == nil || s.funcs[name] != old {
				for _, c := range callers[name] {
					mark(c)
				}
			}
		}
	}
	for i := 0; i < len(work); i++ {
		for _, c := range callers[work[i].name] {
			mark(c)
		}
	}
	list := make([]*funcSummary, 0, len(dirty))
	for fs := range dirty {
		// A reused summary is shared with the previous package: compose
		// a copy.
		n := &funcSummary{name: fs.name, file: fs.file, local: fs.local, calls: fs.calls}
		n.composed = append(make([]effect, 0, len(fs.local)), fs.local...)
		n.seen = make(map[effectID]bool, len(fs.local))
		for _, e := range n.local {
			n.seen[idOf(e)] = true
		}
		s.funcs[fs.name] = n
		list = append(list, n)
	}
	for changedAny, rounds := true, 0; changedAny && rounds < 32; rounds++ {
		changedAny = false
		for _, fs := range list {
			for _, c := range fs.calls {
				if compose(fs, c, s.funcs[c.callee]) {
					changedAny = true
				}
			}
		}
	}
	// Files keep pointers to the recomposed summaries.
	for file, fss := range s.byFile {
		out := make([]*funcSummary, len(fss))
		for i, fs := range fss {
			out[i] = s.funcs[fs.name]
		}
		s.byFile[file] = out
	}
	s.recomposed = len(list)
	s.fieldEffects = map[string][]effect{}
	for _, fs := range s.funcs {
		for _, e := range fs.composed {
			if e.target.param < 0 && e.at == token.NoPos {
				s.fieldEffects[e.target.name] = append(s.fieldEffects[e.target.name], e)
			}
		}
	}
	// In source order, not the map's: a hover names these effects, and
	// must name them the same way every time.
	for _, list := range s.fieldEffects {
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i], list[j]
			if a.pos != b.pos {
				return a.pos < b.pos
			}
			if a.kind != b.kind {
				return a.kind < b.kind
			}
			return a.in < b.in
		})
	}
	st.mu.Lock()
	st.sums = s
	st.cache = map[string]*model.Summary{}
	st.mu.Unlock()
}

// done returns the summaries if they have been computed, else nil.
func (st *pkgState) done() *summaries {
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.sums
}

func idOf(e effect) effectID { return effectID{e.kind, e.target, e.pos, e.at, e.inGo} }

// compose adds callee's composed effects at call c to fs.
func compose(fs *funcSummary, c call, callee *funcSummary) bool {
	if callee == nil || callee == fs {
		return false
	}
	added := false
	for _, e := range callee.composed {
		t := e.target
		if t.param >= 0 {
			found := false
			for _, a := range c.args {
				if a.index == t.param {
					t, found = a.target, true
				}
			}
			if !found {
				continue
			}
		}
		certainty := e.certainty
		if c.may && certainty == model.Proven && e.kind != model.EffEscape {
			certainty = model.Possible // on some paths of the caller only
		}
		ne := effect{kind: e.kind, target: t, pos: e.pos, at: c.at, in: e.in, via: c.via,
			inGo: c.inGo || e.inGo, deferred: c.deferred, noBlock: e.noBlock, certainty: certainty, why: e.why}
		id := idOf(ne)
		if fs.seen[id] {
			continue
		}
		fs.seen[id] = true
		fs.composed = append(fs.composed, ne)
		added = true
	}
	return added
}

// lookup is the SummaryLookup a file's model is built with.
type lookup struct {
	p  *Package
	st *pkgState
}

func (l lookup) FuncSummary(fn *types.Func) *model.Summary {
	st := l.st
	if fn.Pkg() != l.p.Types {
		if fn.Pkg() == nil {
			return nil
		}
		key := fn.Pkg().Path() + " " + declName(fn.Origin())
		st.mu.Lock()
		s, ok := st.cache[key]
		st.mu.Unlock()
		if !ok {
			s = st.importedSummary(l.p, fn)
			st.mu.Lock()
			st.cache[key] = s
			st.mu.Unlock()
		}
		return s
	}
	name := declName(fn.Origin())
	st.mu.Lock()
	defer st.mu.Unlock()
	if s, ok := st.cache[name]; ok {
		return s
	}
	fs := st.sums.funcs[name]
	if fs == nil {
		st.cache[name] = nil
		return nil
	}
	var effects []*model.Effect
	for _, e := range fs.composed {
		t, ok := st.keyOf(l.p, e.target)
		if !ok {
			continue
		}
		effects = append(effects, &model.Effect{Kind: e.kind, Target: t, Pos: e.pos, In: e.in,
			InGo: e.inGo, Deferred: e.deferred, NoBlock: e.noBlock, Certainty: e.certainty, Why: e.why})
	}
	s := model.NewSummary(fn, name, effects)
	st.cache[name] = s
	return s
}

// FieldEffects lists what functions declared in other files do to a field;
// the file's own operations are in its model already.
func (l lookup) FieldEffects(field *types.Var) []*model.Effect {
	st := l.st
	if field.Pkg() != l.p.Types {
		return st.importedFieldEffects(l.p, field)
	}
	name, ok := st.fieldKey[field]
	if !ok {
		return nil
	}
	here := l.p.Fset.File(field.Pos())
	var out []*model.Effect
	for _, e := range st.sums.fieldEffects[name] {
		if e.kind == model.EffEscape || e.kind == model.EffReturn {
			continue
		}
		if f := l.p.Fset.File(e.pos); f != nil && here != nil && f == here {
			continue
		}
		out = append(out, &model.Effect{Kind: e.kind, Target: model.Target{Param: -1, Key: model.KeyFor(field)}, Pos: e.pos, In: e.in,
			InGo: e.inGo, Deferred: e.deferred, NoBlock: e.noBlock, Certainty: e.certainty, Why: e.why})
	}
	return out
}

// summaryLookup returns the package's summaries, computing them on first
// use.
func (p *Package) summaryLookup() model.SummaryLookup {
	st := p.summaries
	if st == nil || p.Types == nil {
		return nil
	}
	st.once.Do(func() { st.build(p) })
	return lookup{p: p, st: st}
}

// SummaryStats reports how many functions the package's summaries hold and
// how many the last computation composed (all of them after a full load;
// the edited ones and their callers after a re-check).
func (p *Package) SummaryStats() (funcs, recomposed int) {
	if p.summaryLookup() == nil {
		return 0, 0
	}
	return len(p.summaries.sums.funcs), p.summaries.sums.recomposed
}

// ModelPackage is the package-wide facts every file's model is built with
// (its channel classes among them), nil when the package did not
// type-check: for tests that compare them with the checks'.
func (p *Package) ModelPackage() *model.Package { return p.modelPackage() }
