package model

import (
	"go/ast"
	"go/constant"
	"go/types"
)

// PkgVarMake is the make of a package-level channel variable that another
// file of the package makes (var jobs = make(chan int, 2) in queue.go), on
// the typed tier.
type PkgVarMake struct {
	// Where spells the make for a reader: "line 3 of queue.go".
	Where string
	// Capacity, when CapKnown: a constant capacity (0 for an unbuffered
	// make).
	Capacity int64
	CapKnown bool
}

// MadeInPackage returns the one make of c, a package-level channel
// variable this file does not make or assign, when the package assigns it
// exactly once, to a make (its declaration or one assignment; never its
// address taken), and no other package can assign it (it is unexported, or
// the package is main). nil otherwise, and on the syntax tier, which sees
// one file. Hover and hints read it for "made at line 3 of queue.go".
func (m *File) MadeInPackage(c *Chan) *PkgVarMake {
	if c == nil || m.pkg == nil || m.Info == nil || c.Local || c.IsField || c.IsParam || len(c.Makes) > 0 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
		return nil
	}
	obj, ok := c.Key.obj.(*types.Var)
	if !ok || obj.Pkg() == nil || obj.Pkg() != m.pkg.Types || obj.Parent() != obj.Pkg().Scope() {
		return nil
	}
	if obj.Exported() && obj.Pkg().Name() != "main" {
		return nil
	}
	v, ok := m.pkg.SingleAssigns()[obj]
	if !ok || v == nil {
		return nil
	}
	call, ok := ast.Unparen(v).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return nil
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); !ok || id.Name != "make" {
		return nil
	} else if _, builtin := m.Info.Uses[id].(*types.Builtin); !builtin {
		return nil
	}
	out := &PkgVarMake{Where: m.where(call.Pos())}
	switch len(call.Args) {
	case 1:
		out.CapKnown = true
	case 2:
		if tv, ok := m.Info.Types[call.Args[1]]; ok && tv.Value != nil {
			if n, exact := constant.Int64Val(constant.ToInt(tv.Value)); exact {
				out.Capacity, out.CapKnown = n, true
			}
		}
	}
	return out
}
