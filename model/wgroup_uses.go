package model

import (
	"go/ast"
	"go/types"
)

// WaitGroupUse is how the package's files mention one variable or struct
// field of type sync.WaitGroup (or a pointer to one).
type WaitGroupUse struct {
	// Selected holds the names selected on it: wg.Add, wg.Done, s.wg.Wait,
	// a method value (f := wg.Done) or any other method.
	Selected map[string]bool
	// MethodValue: a method is selected on it without being called there
	// (f := wg.Done, defer-free callbacks): the call may run anywhere.
	MethodValue bool
	// Other: mentioned other than as a selector's operand — passed (&wg,
	// f(wg)), copied, compared, returned. Its counter may then be raised or
	// lowered where the model cannot see.
	Other bool
}

// OnlyThrough reports whether every mention of the WaitGroup selects one
// of methods: nothing else reaches its counter.
func (u *WaitGroupUse) OnlyThrough(methods ...string) bool {
	if u == nil {
		return true
	}
	if u.Other {
		return false
	}
	for name := range u.Selected {
		known := false
		for _, m := range methods {
			known = known || m == name
		}
		if !known {
			return false
		}
	}
	return true
}

// OnlyCallsOf reports whether every mention of the WaitGroup is the
// receiver of a call of one of methods, made right there: OnlyThrough,
// and no method value. The wgmisuse check's wait-before-go rule reads it:
// no code golens does not see can then call Done.
func (u *WaitGroupUse) OnlyCallsOf(methods ...string) bool {
	return u.OnlyThrough(methods...) && (u == nil || !u.MethodValue)
}

// WaitGroupUses lists, for every WaitGroup variable and field the package's
// files mention (their type-checker objects), how they mention it. The
// wgmisuse check reads it to tell that nothing but the Done and Wait it
// sees (or the Add and Wait) reaches a counter. Computed on first read,
// once per package: one walk of its files.
func (p *Package) WaitGroupUses() map[types.Object]*WaitGroupUse {
	p.wgUsesOnce.Do(func() { p.wgUses = p.walkWaitGroupUses() })
	return p.wgUses
}

func (p *Package) walkWaitGroupUses() map[types.Object]*WaitGroupUse {
	uses := map[types.Object]*WaitGroupUse{}
	for _, f := range p.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			stack = append(stack, n)
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj, isVar := p.Info.Uses[id].(*types.Var)
			if !isVar || namedSyncType(obj.Type()) != "sync.WaitGroup" {
				return true
			}
			u := uses[obj]
			if u == nil {
				u = &WaitGroupUse{Selected: map[string]bool{}}
				uses[obj] = u
			}
			var parent ast.Node
			if len(stack) >= 2 {
				parent = stack[len(stack)-2]
			}
			// The field in x.wg: what is selected on x.wg is the use.
			up := 2
			if sel, ok := parent.(*ast.SelectorExpr); ok && sel.Sel == id && len(stack) >= 3 {
				up = 3
				parent = stack[len(stack)-3]
			}
			if sel, ok := parent.(*ast.SelectorExpr); ok {
				u.Selected[sel.Sel.Name] = true
				if len(stack) < up+2 {
					u.MethodValue = true
				} else if call, ok := stack[len(stack)-up-1].(*ast.CallExpr); !ok || call.Fun != sel {
					u.MethodValue = true
				}
			} else {
				u.Other = true
			}
			return true
		})
	}
	return uses
}
