package lockfacts

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"github.com/golens/golens/model"
)

// A local defined once from a call whose function returns one channel
// class is that class. A channel parameter that every call of its function binds to one
// channel class (a local, a field, a container's elements) is that class:
// go s.apply(ch) and the sends on ch are operations on the same channel.
//
// Channels kept in a container field (clients map[int]chan string,
// subs []chan Event, watchers map[chan Event]bool) are one channel class:
// the field. A send on the range variable over the field
// (for _, c := range s.clients { c <- msg }) and a receive through a
// parameter that every caller binds to a channel it stores into the field
// (s.clients[id] = c; go s.serve(c), serve ranging over its c) are then
// operations on the same channels, as the field's name says. The class is
// unbuffered (small) when every channel the package stores into the field
// is made unbuffered (with a buffer of at most one).

// resolveElemChans gives the channel operations on a container's elements
// the container field's class.
func (st *Facts) resolveElemChans() {
	ec := st.findElemChans()
	st.elemStores = ec.stores
	if len(ec.classOf) == 0 && len(ec.stores) == 0 {
		return
	}
	for _, u := range st.Units {
		for _, list := range [][]*WaitEvent{u.Waits, u.Partner} {
			for _, w := range list {
				if f := ec.classOf[w.Class]; f != nil {
					w.Class = f
					// Name the class only when it is a field: a
					// parameter bound to a caller's local is that
					// local's channel, not a field's.
					if _, container := st.chanContainer(f); container {
						w.Text += " (a channel kept in field " + f.Name() + ")"
					} else if v, ok := f.(*types.Var); ok && v.IsField() {
						w.Text += " (the channel in field " + f.Name() + ")"
					}
				}
			}
		}
	}
	// The maps are the model's (model.Package.ChanBuffers): copied before
	// the containers are added.
	unbuf, small := map[types.Object]bool{}, map[types.Object]bool{}
	for k, v := range st.Unbuffered {
		unbuf[k] = v
	}
	for k, v := range st.SmallBuffer {
		small[k] = v
	}
	st.Unbuffered, st.SmallBuffer = unbuf, small
	for f, b := range ec.buffer {
		if b == 0 {
			st.Unbuffered[f] = true
		}
		if b <= 1 {
			st.SmallBuffer[f] = true
		}
	}
}

type elemChans struct {
	// classOf maps a range variable or parameter to the container field
	// whose elements it is.
	classOf map[types.Object]types.Object
	// buffer is each container's largest buffer over the channels stored
	// in it, when every one is known.
	buffer map[types.Object]int
	// stores lists, per container, where channels are stored into it.
	stores map[types.Object][]token.Pos
}

// chanContainer reports whether f is an unexported field of the package
// holding channels: as a slice's or array's elements, or a map's keys or
// values (key: the channels are the map's keys).
func (st *Facts) chanContainer(f types.Object) (key, ok bool) {
	v, isVar := f.(*types.Var)
	if !isVar || !v.IsField() || v.Exported() || v.Pkg() != st.Pkg.Types {
		return false, false
	}
	isChan := func(t types.Type) bool { _, c := t.Underlying().(*types.Chan); return c }
	switch t := v.Type().Underlying().(type) {
	case *types.Slice:
		return false, isChan(t.Elem())
	case *types.Array:
		return false, isChan(t.Elem())
	case *types.Map:
		if isChan(t.Key()) != isChan(t.Elem()) {
			return isChan(t.Key()), true
		}
	}
	return false, false
}

func (st *Facts) findElemChans() elemChans {
	info := st.Pkg.Info
	out := elemChans{classOf: map[types.Object]types.Object{}, buffer: map[types.Object]int{}, stores: map[types.Object][]token.Pos{}}
	field := func(e ast.Expr) types.Object {
		se, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		sel := info.Selections[se]
		if sel == nil || sel.Kind() != types.FieldVal {
			return nil
		}
		if _, ok := st.chanContainer(sel.Obj()); !ok {
			return nil
		}
		return sel.Obj()
	}
	// What each container holds: the local variables stored in it, and
	// whether every stored channel's buffer is known.
	storedIn := map[types.Object]types.Object{} // local → container
	badStore := map[types.Object]bool{}         // local stored in two containers
	var stores []struct {
		f types.Object
		v ast.Expr
	}
	unknown := map[types.Object]bool{}
	store := func(f types.Object, v ast.Expr) {
		out.stores[f] = append(out.stores[f], v.Pos())
		stores = append(stores, struct {
			f types.Object
			v ast.Expr
		}{f, v})
		if id, ok := ast.Unparen(v).(*ast.Ident); ok {
			if obj, ok := info.Uses[id].(*types.Var); ok {
				if old := storedIn[obj]; old != nil && old != f {
					badStore[obj] = true
				}
				storedIn[obj] = f
			}
		}
	}
	assigned := map[types.Object]bool{} // locals assigned after their definition
	callsOf := map[*types.Func][]*ast.CallExpr{}
	usesOf := map[*types.Func]int{}
	// The range statements and single definitions, read once the stores
	// are known.
	var ranges []*ast.RangeStmt
	var defines []*ast.AssignStmt
	for _, file := range st.Pkg.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.RangeStmt:
				if n.Tok == token.DEFINE {
					ranges = append(ranges, n)
				}
			case *ast.Ident:
				if fn, ok := info.Uses[n].(*types.Func); ok && fn.Pkg() == st.Pkg.Types {
					usesOf[fn.Origin()]++
				}
			case *ast.CallExpr:
				if fn := model.StaticCallee(info, n); fn != nil {
					callsOf[fn] = append(callsOf[fn], n)
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
						assigned[info.Uses[id]] = true
					}
					if f := field(n.X); f != nil {
						unknown[f] = true
					}
				}
			case *ast.CompositeLit:
				// T{clients: …} with elements: stores golens does not
				// follow one by one.
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if id, ok := kv.Key.(*ast.Ident); ok {
							if v, ok := info.Uses[id].(*types.Var); ok {
								if _, isC := st.chanContainer(v); isC && !emptyValue(info, kv.Value) {
									unknown[v] = true
								}
							}
						}
					}
				}
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Rhs) == 1 && (len(n.Lhs) == 1 || len(n.Lhs) == 2 && isIndex(n.Rhs[0])) {
					defines = append(defines, n)
				}
				for i, l := range n.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && n.Tok != token.DEFINE {
						assigned[info.Uses[id]] = true
					}
					if ix, ok := ast.Unparen(l).(*ast.IndexExpr); ok {
						if f := field(ix.X); f != nil {
							key, _ := st.chanContainer(f)
							switch {
							case key:
								store(f, ix.Index)
							case len(n.Lhs) == len(n.Rhs):
								store(f, n.Rhs[i])
							default:
								unknown[f] = true
							}
						}
						continue
					}
					f := field(l)
					if f == nil {
						continue
					}
					if len(n.Lhs) != len(n.Rhs) {
						unknown[f] = true
						continue
					}
					st.containerAssign(f, n.Rhs[i], field, store, unknown)
				}
			}
			return true
		})
	}
	// Buffers: every store a make of constant size, or a local variable
	// whose every make is (model.Package.ChanBuffers).
	for _, s := range stores {
		if unknown[s.f] {
			continue
		}
		size, ok := st.chanSize(s.v)
		if !ok {
			unknown[s.f] = true
			continue
		}
		if size > out.buffer[s.f] {
			out.buffer[s.f] = size
		} else if _, seen := out.buffer[s.f]; !seen {
			out.buffer[s.f] = size
		}
	}
	for f := range unknown {
		delete(out.buffer, f)
	}
	// Range variables over a container.
	for _, rs := range ranges {
		f := field(rs.X)
		if f == nil {
			continue
		}
		v := rs.Value
		if key, _ := st.chanContainer(f); key {
			v = rs.Key
		}
		if id, ok := v.(*ast.Ident); ok {
			if obj := info.Defs[id]; obj != nil && !assigned[obj] {
				out.classOf[obj] = f
			}
		}
	}
	// Locals defined once from a call that returns one channel class
	// (ch := b.Events(), Events returning b.events).
	for _, as := range defines {
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			continue
		}
		obj, _ := info.Defs[id].(*types.Var)
		if obj == nil || assigned[obj] {
			continue
		}
		if _, isChan := obj.Type().Underlying().(*types.Chan); !isChan {
			continue
		}
		if f := st.ElemClass(as.Rhs[0]); f != nil {
			out.classOf[obj] = f // ch := s.pending[id]
			continue
		}
		call, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !isCall {
			continue
		}
		if r := st.returnedChan(call); r.Class != nil && r.Class != obj {
			out.classOf[obj] = r.Class
		}
	}
	// Parameters every call binds to one class: a local stored in one
	// container, or a channel variable or field.
	for fn, calls := range callsOf {
		if usesOf[fn] != len(calls) {
			continue // used as a value too: calls golens does not see
		}
		sig := fn.Type().(*types.Signature)
		if sig.Variadic() {
			continue
		}
		for i := 0; i < sig.Params().Len(); i++ {
			p := sig.Params().At(i)
			if _, isChan := p.Type().Underlying().(*types.Chan); !isChan || assigned[p] {
				continue
			}
			var to types.Object
			for _, c := range calls {
				var f types.Object
				if i < len(c.Args) {
					if id, ok := ast.Unparen(c.Args[i]).(*ast.Ident); ok {
						if obj := info.Uses[id]; obj != nil && !badStore[obj] {
							f = storedIn[obj]
						}
					}
					if f == nil {
						// The channel itself: a local or a field.
						if r := st.refOf(c.Args[i]); r.Root != nil && r.Class != p {
							if v, ok := r.Class.(*types.Var); ok {
								if _, isChan := v.Type().Underlying().(*types.Chan); isChan {
									f = r.Class
								}
							}
						}
					}
				}
				if f == nil || to != nil && to != f {
					to = nil
					break
				}
				to = f
			}
			if to != nil {
				out.classOf[p] = to
			}
		}
	}
	return out
}

// containerAssign reads x.f = rhs for a container field f: a fresh or
// empty container, or an append to one, whose new elements are stores.
func (st *Facts) containerAssign(f types.Object, rhs ast.Expr, field func(ast.Expr) types.Object, store func(types.Object, ast.Expr), unknown map[types.Object]bool) {
	info := st.Pkg.Info
	if emptyValue(info, rhs) {
		return
	}
	switch r := ast.Unparen(rhs).(type) {
	case *ast.SliceExpr:
		if field(r.X) == f {
			return // a reslice keeps the same channels
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(r.Fun).(*ast.Ident); ok && id.Name == "append" && len(r.Args) > 0 {
			if _, builtin := info.Uses[id].(*types.Builtin); builtin {
				for j, a := range r.Args[1:] {
					if r.Ellipsis.IsValid() && j == len(r.Args)-2 {
						x := ast.Unparen(a)
						if s, ok := x.(*ast.SliceExpr); ok {
							x = s.X
						}
						if field(x) != f {
							unknown[f] = true
						}
						continue
					}
					store(f, a)
				}
				return
			}
		}
	}
	unknown[f] = true
}

// emptyValue: nil, make(...) of a map or slice, or a composite literal
// without elements.
func emptyValue(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name == "nil" && info.Uses[e] == types.Universe.Lookup("nil")
	case *ast.CompositeLit:
		return len(e.Elts) == 0
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok && id.Name == "make" {
			_, isChan := info.TypeOf(e).Underlying().(*types.Chan)
			return !isChan
		}
	}
	return false
}

// chanSize is the buffer of the channel e is: a make of constant size, or
// a variable whose every make is unbuffered (0) or small (1).
func (st *Facts) chanSize(e ast.Expr) (int, bool) {
	info := st.Pkg.Info
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		id, ok := ast.Unparen(e.Fun).(*ast.Ident)
		if !ok || id.Name != "make" {
			return 0, false
		}
		if len(e.Args) < 2 {
			return 0, true
		}
		tv := info.Types[e.Args[1]]
		if tv.Value == nil {
			return 0, false
		}
		n, exact := constant.Int64Val(constant.ToInt(tv.Value))
		if !exact || n < 0 || n > 1<<20 {
			return 0, false
		}
		return int(n), true
	case *ast.Ident:
		obj := info.Uses[e]
		unbuf, small := st.Pkg.ChanBuffers()
		switch {
		case unbuf[obj]:
			return 0, true
		case small[obj]:
			return 1, true
		}
	}
	return 0, false
}

// ElemClass is the container field whose element e is (s.pending[id] for
// pending map[int]chan T, s.subs[i] for subs []chan T), or nil.
func (st *Facts) ElemClass(e ast.Expr) types.Object {
	ix, ok := ast.Unparen(e).(*ast.IndexExpr)
	if !ok {
		return nil
	}
	se, ok := ast.Unparen(ix.X).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	sel := st.Pkg.Info.Selections[se]
	if sel == nil || sel.Kind() != types.FieldVal {
		return nil
	}
	if key, ok := st.chanContainer(sel.Obj()); !ok || key {
		return nil
	}
	return sel.Obj()
}

func isIndex(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.IndexExpr)
	return ok
}

// RegistersIn reports whether u stores a channel into the container class
// (s.pending[id] = ch): a Lock u takes around that store happens before
// anyone can find the channel there, so it is no Lock a holder of the
// mutex, sending on the container's channels, can wait behind.
func (st *Facts) RegistersIn(u *Unit, class types.Object) bool {
	for _, at := range st.elemStores[class] {
		if u.Body.Pos() <= at && at < u.Body.End() {
			return true
		}
	}
	return false
}
