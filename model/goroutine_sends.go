package model

import (
	"go/ast"
	"go/types"
)

// The facts about a goroutine's function and the channel it sends on that
// the nopartner check's skipped-send rule reads: whether an error path
// reports a test failure, the return statement of a block, the method's
// receiver and the receiver's own field a channel expression reads, and a
// channel expression as the function holding the go statement spells it.
// Each reads the syntax and the types of one function, so each is proven
// either way (Unknown without type information); the blocks' facts are
// computed once per block.

// ReportsTestFailure says whether the block b names a function or method of
// package testing (t.Error, t.Fatal, b.Skip, ...), function literals in b
// included; why names it. A test goroutine's error path that reports a
// failure and returns leaves the test to its failure and its timeout: that
// hang is the test harness's matter, not a deadlock of the code.
func (p *Package) ReportsTestFailure(b *ast.BlockStmt) Fact {
	if p == nil || p.Info == nil || b == nil {
		return Fact{}
	}
	return memo(&p.ifFacts.mu, &p.ifFacts.testFailure, b, func() Fact {
		why := ""
		ast.Inspect(b, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && why == "" {
				if fn, ok := p.Info.Uses[sel.Sel].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "testing" {
					why = "it calls `" + ExprText(sel) + "`"
				}
			}
			return why == ""
		})
		if why == "" {
			return Fact{Certainty: Proven, Why: "it calls nothing of package testing"}
		}
		return Fact{Certainty: Proven, Holds: true, Why: why}
	})
}

// ReturnIn is the first return statement in b (in source order) that
// returns from b's own function: returns inside function literals are not
// counted. Nil when b has none.
func ReturnIn(b *ast.BlockStmt) *ast.ReturnStmt {
	var r *ast.ReturnStmt
	if b == nil {
		return nil
	}
	ast.Inspect(b, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			r = n
		}
		return r == nil
	})
	return r
}

// Receiver is a method's receiver type (a pointer stripped) and variable;
// nil, nil for a function, an unnamed receiver or one without types.
func (p *Package) Receiver(fd *ast.FuncDecl) (types.Type, *types.Var) {
	if p == nil || p.Info == nil || fd == nil || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
		return nil, nil
	}
	v, _ := p.Info.Defs[fd.Recv.List[0].Names[0]].(*types.Var)
	if v == nil {
		return nil, nil
	}
	t := v.Type()
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	return t, v
}

// OwnField is the field f when x is recv.f, a field read straight off the
// receiver variable recv (not through another field, a call or an index);
// nil otherwise.
func (p *Package) OwnField(x ast.Expr, recv *types.Var) *types.Var {
	if p == nil || p.Info == nil || x == nil || recv == nil {
		return nil
	}
	sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || p.Info.Uses[id] != recv {
		return nil
	}
	s := p.Info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	f, _ := s.Obj().(*types.Var)
	return f
}

// StarterSpelling is a channel expression of a goroutine's function as the
// function holding its go statement spells it.
type StarterSpelling struct {
	Text string       // "s.results", "ch"
	Root types.Object // the variable Text starts from, in the starter
	Fact              // Proven and Holds when Text and Root are known; Unknown with why otherwise
}

// AsSeenByStarter spells the channel expression x of fn (the function the
// go statement g runs) as the function holding g sees it: fn's receiver and
// parameters replaced by what g passes for them; variables fn captures or
// the package declares stay as they are. Unknown, with why, when x does
// not start from a variable, when g passes something that does not, or
// when x starts from a variable fn declares.
func (p *Package) AsSeenByStarter(fn ast.Node, g *ast.GoStmt, x ast.Expr) StarterSpelling {
	unknown := func(why string) StarterSpelling { return StarterSpelling{Fact: Fact{Why: why}} }
	if p == nil || p.Info == nil || fn == nil || g == nil || x == nil {
		return unknown("no type information")
	}
	info := p.Info
	root, _, _ := HolderPath(info, x)
	if root == nil {
		return unknown("`" + ExprText(x) + "` does not start from a variable")
	}
	var recv, params *ast.FieldList
	switch f := fn.(type) {
	case *ast.FuncLit:
		params = f.Type.Params
	case *ast.FuncDecl:
		recv, params = f.Recv, f.Type.Params
	}
	var with ast.Expr // what the go statement passes for root
	if recv != nil && len(recv.List) == 1 && len(recv.List[0].Names) == 1 && info.Defs[recv.List[0].Names[0]] == root {
		sel, ok := ast.Unparen(g.Call.Fun).(*ast.SelectorExpr)
		if !ok {
			return unknown("the go statement does not name the receiver")
		}
		with = sel.X
	}
	if params != nil {
		i := 0
		for _, f := range params.List {
			for _, n := range f.Names {
				if info.Defs[n] == root {
					if i >= len(g.Call.Args) {
						return unknown("the go statement passes no argument for `" + n.Name + "`")
					}
					with = g.Call.Args[i]
				}
				i++
			}
			if len(f.Names) == 0 {
				i++
			}
		}
	}
	text := types.ExprString(x)
	if with == nil {
		// Captured or package-level: declared outside fn.
		if fn.Pos() <= root.Pos() && root.Pos() < fn.End() {
			return unknown("`" + root.Name() + "` is declared in the goroutine's function")
		}
		return StarterSpelling{Text: text, Root: root, Fact: Fact{Certainty: Proven, Holds: true, Why: "`" + root.Name() + "` is shared with the starter"}}
	}
	withRoot, _, _ := HolderPath(info, with)
	if withRoot == nil {
		return unknown("the go statement passes `" + ExprText(with) + "`, which does not start from a variable")
	}
	rootText := root.Name()
	if len(text) < len(rootText) || text[:len(rootText)] != rootText {
		return unknown("`" + text + "` does not start with `" + rootText + "`")
	}
	withText := types.ExprString(with)
	return StarterSpelling{Text: withText + text[len(rootText):], Root: withRoot,
		Fact: Fact{Certainty: Proven, Holds: true, Why: "the go statement passes `" + withText + "` for `" + rootText + "`"}}
}
