package model

import (
	"go/ast"
	"go/token"
	"sort"
	"strings"
)

// Hand-over-hand: a variable that names a mutex is assigned the variable
// that names another one the path holds, and the hold goes with it:
//
//	nxt := cur.next
//	nxt.mu.Lock()
//	cur.mu.Unlock()
//	cur = nxt        // cur.mu is now the mutex nxt.mu.Lock() took
//
// The lock flow follows each mutex by its name (cur.mu, nxt.mu); past
// such an assignment an Unlock through cur releases the lock taken through
// nxt. lockTransfers finds the assignments, the flow of nxt.mu records
// which Locks hold it there (xferProbe), and the flow of cur.mu takes that
// hold over (rebind): so an Unlock of cur.mu is paired with every Lock it
// may release. Where golens cannot tell what the assigned name holds, an
// Unlock reached past the assignment is marked as releasing a lock golens
// does not name (LockOp.ReleasesUnnamed), and is not paired with the
// Locks of the other paths alone.

// lockTransfer is one assignment dst = src of the roots of two mutex
// names of a function.
type lockTransfer struct {
	pos token.Pos // the assignment
	src string    // the identity of the mutex src names (lockIdentity)
}

// xferProbe is a probe, in the flow of the mutex a transfer's source
// names, of what the paths hold at the assignment.
type xferProbe struct{ pos token.Pos }

// xferKey names one probe: the source mutex and the assignment.
type xferKey struct {
	id  string
	pos token.Pos
}

// xferSeen is what the paths bring to one xferProbe.
type xferSeen struct {
	locks  map[*LockOp]bool // the write locks holding it
	read   bool             // some path holds a read lock
	free   bool             // some path does not hold it
	opaque bool             // some path holds it after a call that may have released it
}

func (x *xferSeen) see(s lockState, opOf func(int16) *LockOp) {
	switch {
	case s.r != 0:
		x.read = true
	case s.w != 0:
		if x.locks == nil {
			x.locks = map[*LockOp]bool{}
		}
		x.locks[opOf(s.w)] = true
		if s.opaqueW || s.mayEndW || s.rebW {
			x.opaque = true
		}
	default:
		x.free = true
	}
}

// single is the one Lock holding the mutex on the paths that hold it,
// and whether that hold is certain on every path; nil when read locks or
// several Locks hold it, or no path does.
func (x *xferSeen) single() (*LockOp, bool) {
	if x == nil || x.read || len(x.locks) != 1 {
		return nil, false
	}
	for l := range x.locks {
		if l.Kind != Lock {
			return nil, false
		}
		return l, !x.free && !x.opaque
	}
	return nil, false
}

// lockTransfers lists, for each mutex name of f (by identity), the
// assignments `root = other` of its root variable where other.<the same
// path> is another mutex name of f: cur = nxt for cur.mu and nxt.mu.
func (fb *flowBuilder) lockTransfers(f *Func, roots map[string]*ast.Ident) map[string][]lockTransfer {
	if len(roots) < 2 {
		return nil
	}
	b := fb.b
	// The identities by root name: "cur" → "cur.mu@12".
	byRoot := map[string][]string{}
	for id, r := range roots {
		byRoot[r.Name] = append(byRoot[r.Name], id)
	}
	var out map[string][]lockTransfer
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, l := range n.Lhs {
				lid, ok := ast.Unparen(l).(*ast.Ident)
				if !ok {
					continue
				}
				rid, ok := ast.Unparen(n.Rhs[i]).(*ast.Ident)
				if !ok || rid.Name == lid.Name {
					continue
				}
				for _, dst := range byRoot[lid.Name] {
					if b.rootDecl(roots[dst]) != b.rootDecl(lid) {
						continue
					}
					at := strings.LastIndexByte(dst, '@')
					suffix := dst[len(lid.Name):at]
					src := rid.Name + suffix + "@" + posKey(b.rootDecl(rid))
					if _, ok := roots[src]; !ok {
						continue
					}
					if out == nil {
						out = map[string][]lockTransfer{}
					}
					out[dst] = append(out[dst], lockTransfer{pos: n.Pos(), src: src})
				}
			}
		}
		return true
	})
	return out
}

// transferOrder puts the sources of transfers before the names that take
// their holds over, so that a source's probes are recorded first (a name
// that is both keeps its place; a cycle leaves some probes unread, and
// those assignments count as unknown).
func transferOrder(order []string, xfers map[string][]lockTransfer) {
	if len(xfers) == 0 {
		return
	}
	source := map[string]bool{}
	for _, ts := range xfers {
		for _, t := range ts {
			source[t.src] = true
		}
	}
	rank := func(id string) int {
		if source[id] && len(xfers[id]) == 0 {
			return 0
		}
		return 1
	}
	sort.SliceStable(order, func(i, j int) bool { return rank(order[i]) < rank(order[j]) })
}

// ReleasesUnnamed lists, on an Unlock (RUnlock), the assignments to its
// mutex's root variable past which a path reaches it while golens does
// not know which Lock holds the mutex the name then reaches (hand over
// hand through a name golens cannot follow, or an assignment while the
// mutex is held): there it releases a lock golens does not name, so its
// Pairs are not all the locks it may release. Source order; nil when
// every path's lock is named.
func (l *LockOp) ReleasesUnnamed() []token.Pos {
	l.Pairs() // runs the flow that sets the list
	var fb *flowBuilder
	if l.Func != nil {
		fb = l.Func.fb
		if fb == nil && l.Func.Parent != nil {
			fb = l.Func.Parent.fb
		}
	}
	if fb != nil {
		fb.pairsMu.Lock()
		defer fb.pairsMu.Unlock()
	}
	if l.lists == nil {
		return nil
	}
	return append([]token.Pos(nil), l.lists.unnamed...)
}
