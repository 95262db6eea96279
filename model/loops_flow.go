package model

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/cfg"
)

// Counted loops: a loop whose number of passes the model proves, so that a
// path analysis (forward) does not follow paths that leave it early or pass
// it too often, and a defer inside it registers exactly that many calls.
//
// Proven are `for i := A; i < B; i++` (also <=, and i-- with > or >=) with
// A and B integer constants, i assigned nowhere else, its address never
// taken and no function literal using it; and `for range N` /
// `for i := range N` with N an integer constant (assigning i in the body
// does not change the passes of a range over an integer: the spec produces
// the values 0 to N-1). The body must hold no break, continue or goto (a
// return, panic or Goexit ends the function, which the analysis follows).
// Only loops with a defer directly in them are counted: that is the fact
// the count decides, and counting costs states.

// maxTrips bounds a counted loop's passes; maxCountedLoops the counted
// loops of one function.
const (
	maxTrips        = 16
	maxCountedLoops = 4
	// maxTripStates bounds the product of (passes + 1) over a function's
	// counted loops: each multiplies the states a path analysis keeps, and
	// one that outgrows maxFlowStates loses every flow fact of the
	// function.
	maxTripStates = 64
)

// countedLoop is a loop whose passes are proven: its condition block leads
// to body exactly trips times, then to done.
type countedLoop struct {
	idx        int
	trips      uint8
	body, done *cfg.Block
	stmt       ast.Stmt
}

// loopTrips holds the passes made so far through each counted loop.
type loopTrips [maxCountedLoops]uint8

// countLoops finds the counted loops of fl's function.
func (fb *flowBuilder) countLoops(fl *funcFlow) {
	product := 1
	for _, blk := range fl.g.Blocks {
		if !blk.Live || len(blk.Succs) != 2 || (blk.Kind != cfg.KindForLoop && blk.Kind != cfg.KindRangeLoop) {
			continue
		}
		var body ast.Stmt
		switch s := blk.Stmt.(type) {
		case *ast.ForStmt:
			body = s.Body
		case *ast.RangeStmt:
			body = s.Body
		default:
			continue
		}
		if !hasDirectDefer(body) {
			continue
		}
		n, ok := fb.tripCount(blk.Stmt)
		if !ok || n > maxTrips || product*(n+1) > maxTripStates {
			continue
		}
		product *= n + 1
		if fl.counted == nil {
			fl.counted = map[*cfg.Block]*countedLoop{}
		}
		if len(fl.counted) == maxCountedLoops {
			return
		}
		fl.counted[blk] = &countedLoop{idx: len(fl.counted), trips: uint8(n), body: blk.Succs[0], done: blk.Succs[1], stmt: blk.Stmt}
	}
}

// tripsOf returns how many passes the loop statement s makes, when its
// function's flow proves it.
func (fl *funcFlow) tripsOf(s ast.Stmt) (int, bool) {
	for _, l := range fl.counted {
		if l.stmt == s {
			return int(l.trips), true
		}
	}
	return 0, false
}

// edge applies the counted loops to the step from blk to succ: ok is false
// for a step no execution takes.
func (fl *funcFlow) edge(blk, succ *cfg.Block, t loopTrips) (loopTrips, bool) {
	l := fl.counted[blk]
	if l == nil {
		return t, true
	}
	c := t[l.idx]
	switch succ {
	case l.body:
		if c >= l.trips {
			return t, false
		}
		t[l.idx] = c + 1
	case l.done:
		if c != l.trips {
			return t, false
		}
		t[l.idx] = 0
	}
	return t, true
}

// hasDirectDefer reports a defer statement in body outside function
// literals.
func hasDirectDefer(body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			found = true
		}
		return !found
	})
	return found
}

// tripCount proves the number of passes of a loop statement.
func (fb *flowBuilder) tripCount(s ast.Stmt) (int, bool) {
	switch s := s.(type) {
	case *ast.RangeStmt:
		if !noBranch(s.Body) {
			return 0, false
		}
		if cl, ok := ast.Unparen(s.X).(*ast.CompositeLit); ok {
			// A slice or array literal: the range evaluates it once, and
			// its length is its elements' count (or the array's length).
			return fb.litLen(cl)
		}
		if id, ok := ast.Unparen(s.X).(*ast.Ident); ok {
			// keys := []string{"a", "b"}, never assigned again: no call
			// can change a slice variable's length but an assignment to
			// it (r21b_warm_loopvar).
			if cl := fb.onlyLiteral(id); cl != nil {
				return fb.litLen(cl)
			}
		}
		n, ok := fb.intConst(s.X)
		if !ok {
			return 0, false
		}
		if n < 0 {
			n = 0 // no pass
		}
		if fb.m.Info != nil {
			// A constant of another kind cannot be ranged over; make sure
			// it is an integer and not, on this tier, something else.
			if tv, ok := fb.m.Info.Types[s.X]; !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
				return 0, false
			}
		}
		return int(n), true
	case *ast.ForStmt:
		init, ok := s.Init.(*ast.AssignStmt)
		if !ok || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
			return 0, false
		}
		v, ok := init.Lhs[0].(*ast.Ident)
		if !ok || v.Name == "_" {
			return 0, false
		}
		from, ok := fb.intConst(init.Rhs[0])
		if !ok {
			return 0, false
		}
		cond, ok := ast.Unparen(s.Cond).(*ast.BinaryExpr)
		if !ok || !fb.sameVar(cond.X, v) {
			return 0, false
		}
		to, ok := fb.intConst(cond.Y)
		if !ok {
			return 0, false
		}
		post, ok := s.Post.(*ast.IncDecStmt)
		if !ok || !fb.sameVar(post.X, v) {
			return 0, false
		}
		var n int64
		switch {
		case post.Tok == token.INC && cond.Op == token.LSS:
			n = to - from
		case post.Tok == token.INC && cond.Op == token.LEQ:
			n = to - from + 1
		case post.Tok == token.DEC && cond.Op == token.GTR:
			n = from - to
		case post.Tok == token.DEC && cond.Op == token.GEQ:
			n = from - to + 1
		default:
			return 0, false
		}
		if n < 0 {
			n = 0
		}
		if !noBranch(s.Body) || fb.touched(s.Body, v) {
			return 0, false
		}
		return int(n), true
	}
	return 0, false
}

// litLen is the length of a slice or array composite literal, when the
// model proves it: a slice literal or a [...]T literal with no keyed
// elements has as many elements as it lists; a [N]T literal has N.
func (fb *flowBuilder) litLen(cl *ast.CompositeLit) (int, bool) {
	unkeyed := func() (int, bool) {
		for _, e := range cl.Elts {
			if _, keyed := e.(*ast.KeyValueExpr); keyed {
				return 0, false
			}
		}
		return len(cl.Elts), true
	}
	if info := fb.m.Info; info != nil {
		if t := info.TypeOf(cl); t != nil {
			switch u := t.Underlying().(type) {
			case *types.Slice:
				return unkeyed()
			case *types.Array:
				return int(u.Len()), u.Len() >= 0
			}
		}
		return 0, false
	}
	at, ok := cl.Type.(*ast.ArrayType)
	if !ok {
		return 0, false // a named type: which kind is not known here
	}
	if at.Len == nil {
		return unkeyed()
	}
	if _, ok := at.Len.(*ast.Ellipsis); ok {
		return unkeyed()
	}
	n, ok := fb.intConst(at.Len)
	return int(n), ok && n >= 0
}

// noBranch reports that body holds no break, continue or goto (outside
// function literals).
func noBranch(body ast.Node) bool {
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok != token.FALLTHROUGH {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// touched reports whether body may change v: assigns it, takes its
// address (also implicitly, as the operand of a selector: a method with a
// pointer receiver), here or in a function literal. A function literal
// that only reads v does not change it (go func() { ch <- i }()).
func (fb *flowBuilder) touched(body ast.Node, v *ast.Ident) bool {
	bad := false
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if bad {
			return false
		}
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if fb.sameVar(n.X, v) {
				bad = true
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if fb.sameVar(l, v) {
					bad = true
				}
			}
		case *ast.IncDecStmt:
			if fb.sameVar(n.X, v) {
				bad = true
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN && (fb.sameVar(n.Key, v) || fb.sameVar(n.Value, v)) {
				bad = true
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && fb.sameVar(n.X, v) {
				bad = true
			}
		}
		return !bad
	}
	ast.Inspect(body, visit)
	return bad
}

// sameVar reports whether e is the variable declared by v.
func (fb *flowBuilder) sameVar(e ast.Expr, v *ast.Ident) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || e == nil || id.Name != v.Name {
		return false
	}
	if info := fb.m.Info; info != nil {
		def := info.Defs[v]
		return def != nil && (info.Uses[id] == def || info.Defs[id] == def)
	}
	return id == v || (id.Obj != nil && id.Obj == v.Obj)
}

// intConst reads an integer constant: a literal, or on the typed tier any
// constant expression of integer value.
func (fb *flowBuilder) intConst(e ast.Expr) (int64, bool) {
	if e == nil {
		return 0, false
	}
	e = ast.Unparen(e)
	if info := fb.m.Info; info != nil {
		tv, ok := info.Types[e]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
			return 0, false
		}
		n, exact := constant.Int64Val(tv.Value)
		return n, exact
	}
	return syntaxIntConst(e, 0)
}

// syntaxIntConst is intConst on the syntax tier: an integer literal, or a
// constant the resolver binds to a declaration that gives it one
// (`const numJobs = 5`, at any scope, through at most a few constants
// naming each other). A constant with a type that is not a predeclared
// integer type, an implicit repetition (iota) or any other expression is
// not known.
func syntaxIntConst(e ast.Expr, depth int) (int64, bool) {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		if x.Kind != token.INT {
			return 0, false
		}
		n, err := strconv.ParseInt(x.Value, 0, 64)
		return n, err == nil
	case *ast.Ident:
		if depth > 4 || x.Obj == nil || x.Obj.Kind != ast.Con {
			return 0, false
		}
		vs, ok := x.Obj.Decl.(*ast.ValueSpec)
		if !ok || len(vs.Values) != len(vs.Names) {
			return 0, false
		}
		if vs.Type != nil {
			t, ok := vs.Type.(*ast.Ident)
			if !ok || !intTypeNames[t.Name] {
				return 0, false
			}
		}
		for i, n := range vs.Names {
			if n.Name == x.Name && n.Pos() == x.Obj.Pos() {
				return syntaxIntConst(vs.Values[i], depth+1)
			}
		}
	}
	return 0, false
}

// intTypeNames are the predeclared integer types a constant declaration
// may name.
var intTypeNames = map[string]bool{"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true, "byte": true, "rune": true}

// registrations bounds the calls the defers of fl's function can register
// on one path when every loop holding one is counted: a defer in counted
// loops registers their product of passes, any other one; a defer in a
// loop that is not counted is bounded by the path analysis's saturation.
func (fl *funcFlow) registrations(defers []*Defer) int {
	total := 0
	for _, d := range defers {
		m := 1
		for _, l := range fl.counted {
			if d.Pos >= l.stmt.Pos() && d.Pos < l.stmt.End() {
				m *= max(1, int(l.trips))
			}
		}
		total += m
	}
	return total
}

// onlyLiteral is the composite literal a local variable id is declared
// with (`keys := []string{...}`), when nothing in its function assigns it
// again or takes its address; nil otherwise.
func (fb *flowBuilder) onlyLiteral(id *ast.Ident) *ast.CompositeLit {
	fn := fb.m.funcAt(id.Pos())
	if fn == nil || fn.Body == nil {
		return nil
	}
	same := func(x ast.Expr) bool {
		y, ok := ast.Unparen(x).(*ast.Ident)
		if !ok || y.Name != id.Name {
			return false
		}
		if info := fb.m.Info; info != nil {
			return info.ObjectOf(y) != nil && info.ObjectOf(y) == info.ObjectOf(id)
		}
		return y.Obj != nil && y.Obj == id.Obj
	}
	var lit *ast.CompositeLit
	bad := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if !same(l) {
					continue
				}
				cl, ok := ast.Unparen(n.Rhs[min(i, len(n.Rhs)-1)]).(*ast.CompositeLit)
				if n.Tok != token.DEFINE || len(n.Lhs) != len(n.Rhs) || !ok || lit != nil || l.Pos() > id.Pos() {
					bad = true
				} else {
					lit = cl
				}
			}
		case *ast.UnaryExpr:
			bad = bad || n.Op == token.AND && same(n.X)
		case *ast.RangeStmt:
			bad = bad || n.Key != nil && same(n.Key) || n.Value != nil && same(n.Value)
		case *ast.ValueSpec:
			for _, nm := range n.Names {
				bad = bad || same(nm)
			}
		}
		return !bad
	})
	if bad {
		return nil
	}
	return lit
}
