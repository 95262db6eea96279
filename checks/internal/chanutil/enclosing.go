// This file adapts PathEnclosingInterval from golang.org/x/tools v0.52.0
// (go/ast/astutil/enclosing.go), which is
//
//	Copyright 2013 The Go Authors. All rights reserved.
//	Use of this source code is governed by a BSD-style
//	license that can be found in the LICENSE file
//	(golang.org/x/tools's LICENSE).
//
// The descent and the children of each node are astutil's, unchanged; what
// differs is how a node's children are searched when one of its lists is
// long (a function of 100,000 statements, a composite literal of 100,000
// elements, a file of 10,000 declarations): astutil lists and sorts every
// child of every node on the path, so a lookup inside a huge block costs
// the block's size, and a check that looks up each operation of a huge
// function is quadratic. Here a long list is not copied: the child that
// can contain the interval is found by binary search, and the loop runs
// from there.

package chanutil

import (
	"go/ast"
	"go/token"
	"sort"
)

// longList is the length from which a list is searched, not scanned.
const longList = 32

// pathEnclosingInterval returns exactly what
// astutil.PathEnclosingInterval(root, start, end) returns.
func pathEnclosingInterval(root *ast.File, start, end token.Pos) (path []ast.Node, exact bool) {
	// Precondition: node.[Pos..End) and adjoining whitespace contain [start, end).
	var visit func(node ast.Node) bool
	visit = func(node ast.Node) bool {
		path = append(path, node)

		nodePos := node.Pos()
		nodeEnd := node.End()

		// Intersect [start, end) with interval of node.
		if start < nodePos {
			start = nodePos
		}
		if end > nodeEnd {
			end = nodeEnd
		}

		// Find sole child that contains [start, end).
		children := childrenOf(node)
		l := children.Len()
		first := children.firstCandidate(start)
		for i := first; i < l; i++ {
			child := children.At(i)
			// [childPos, childEnd) is unaugmented interval of child.
			childPos := child.Pos()
			childEnd := child.End()

			// [augPos, augEnd) is whitespace-augmented interval of child.
			augPos := childPos
			augEnd := childEnd
			if i > 0 {
				augPos = children.At(i - 1).End() // start of preceding whitespace
			}
			if i < l-1 {
				nextChildPos := children.At(i + 1).Pos()
				// Does [start, end) lie between child and next child?
				if start >= augEnd && end <= nextChildPos {
					return false // inexact match
				}
				augEnd = nextChildPos // end of following whitespace
			}

			// Does augmented child strictly contain [start, end)?
			if augPos <= start && end <= augEnd {
				if _, ok := child.(tokenNode); ok {
					return true
				}

				// childrenOf elides the FuncType node beneath FuncDecl.
				// Add it back here for TypeParams, Params, Results,
				// all FieldLists). But we don't add it back for the "func" token
				// even though it is the tree at FuncDecl.Type.Func.
				if decl, ok := node.(*ast.FuncDecl); ok {
					if fields, ok := child.(*ast.FieldList); ok && fields != decl.Recv {
						path = append(path, decl.Type)
					}
				}

				return visit(child)
			}

			// Does [start, end) overlap multiple children?
			// i.e. left-augmented child contains start
			// but LR-augmented child does not contain end.
			if start < childEnd && end > augEnd {
				break
			}

			// In a searched (ordered, disjoint) sequence nothing after
			// this child can contain the interval or end the loop
			// once the interval ends before the next child starts and
			// this child did not: every later child, and the
			// whitespace before it, starts after start.
			if children.searched && i < l-1 && end <= augEnd {
				break
			}
		}

		// No single child contained [start, end),
		// so node is the result.  Is it exact?

		// (It's tempting to put this condition before the
		// child loop, but it gives the wrong result in the
		// case where a node (e.g. ExprStmt) and its sole
		// child have equal intervals.)
		if start == nodePos && end == nodeEnd {
			return true // exact match
		}

		return false // inexact: overlaps multiple children
	}

	// Ensure [start,end) is nondecreasing.
	if start > end {
		start, end = end, start
	}

	if start < root.End() && end > root.Pos() {
		if start == end {
			end = start + 1 // empty interval => interval of size 1
		}
		exact = visit(root)

		// Reverse the path:
		for i, l := 0, len(path); i < l/2; i++ {
			path[i], path[l-1-i] = path[l-1-i], path[i]
		}
	} else {
		// Selection lies within whitespace preceding the
		// first (or following the last) declaration in the file.
		// The result nonetheless always includes the ast.File.
		path = append(path, root)
	}

	return
}

// tokenNode is a dummy implementation of ast.Node for a single token.
type tokenNode struct {
	pos token.Pos
	end token.Pos
}

func (n tokenNode) Pos() token.Pos { return n.pos }
func (n tokenNode) End() token.Pos { return n.end }

func tok(pos token.Pos, len int) ast.Node {
	return tokenNode{pos, pos + token.Pos(len)}
}

// children is a node's children in source order: astutil's sorted list,
// or, when the node has a long list, the node's other children (sorted)
// with the long list spliced in at index at, unchanged and uncopied.
type children struct {
	small    []ast.Node
	at       int
	list     func(i int) ast.Node
	listLen  int
	searched bool // the list is spliced in, and is searched
}

func (c *children) Len() int { return len(c.small) + c.listLen }

func (c *children) At(i int) ast.Node {
	switch {
	case i < c.at:
		return c.small[i]
	case i < c.at+c.listLen:
		return c.list(i - c.at)
	}
	return c.small[i-c.listLen]
}

// firstCandidate is the index from which the loop of visit must run: the
// child before the first one starting at or after start. Every child
// before it, and the whitespace after that child, ends before start, so
// the loop would pass it by.
func (c *children) firstCandidate(start token.Pos) int {
	if !c.searched {
		return 0
	}
	j := sort.Search(c.Len(), func(i int) bool { return c.At(i).Pos() >= start })
	return max(0, j-1)
}

// childrenOf returns the direct non-nil children of ast.Node n, as
// astutil's childrenOf does.
func childrenOf(n ast.Node) *children {
	if c, ok := spliced(n); ok {
		return c
	}
	var kids []ast.Node

	// First add nodes for all true subtrees.
	ast.Inspect(n, func(node ast.Node) bool {
		if node == n { // push n
			return true // recur
		}
		if node != nil { // push child
			kids = append(kids, node)
		}
		return false // no recursion
	})
	kids = addTokens(n, kids)
	sort.Sort(byPos(kids))
	return &children{small: kids}
}

// spliced returns the children of a node with a long list, when the list
// can be searched: its elements and the node's other children are in
// strictly increasing order and do not overlap.
func spliced(n ast.Node) (*children, bool) {
	var (
		others  []ast.Node // the other subtrees, in ast.Inspect's order
		list    func(i int) ast.Node
		listLen int
	)
	switch n := n.(type) {
	case *ast.BlockStmt:
		list, listLen = func(i int) ast.Node { return n.List[i] }, len(n.List)
	case *ast.CaseClause:
		for _, e := range n.List {
			others = append(others, e)
		}
		list, listLen = func(i int) ast.Node { return n.Body[i] }, len(n.Body)
	case *ast.CommClause:
		if n.Comm != nil {
			others = append(others, n.Comm)
		}
		list, listLen = func(i int) ast.Node { return n.Body[i] }, len(n.Body)
	case *ast.CompositeLit:
		if n.Type != nil {
			others = append(others, n.Type)
		}
		list, listLen = func(i int) ast.Node { return n.Elts[i] }, len(n.Elts)
	case *ast.CallExpr:
		others = append(others, n.Fun)
		list, listLen = func(i int) ast.Node { return n.Args[i] }, len(n.Args)
	case *ast.File:
		if n.Doc != nil {
			others = append(others, n.Doc)
		}
		others = append(others, n.Name)
		list, listLen = func(i int) ast.Node { return n.Decls[i] }, len(n.Decls)
	case *ast.GenDecl:
		if n.Doc != nil {
			others = append(others, n.Doc)
		}
		list, listLen = func(i int) ast.Node { return n.Specs[i] }, len(n.Specs)
	default:
		return nil, false
	}
	if listLen < longList {
		return nil, false
	}
	small := addTokens(n, others)
	sort.Sort(byPos(small))
	// The list goes before the first other child that starts after its
	// first element.
	first := list(0).Pos()
	at := sort.Search(len(small), func(i int) bool { return small[i].Pos() > first })
	c := &children{small: small, at: at, list: list, listLen: listLen, searched: true}
	// The other children, and the seams between them and the list, are
	// checked here; the list's own elements are in order because the
	// parser appends each as it reads it.
	for i := 1; i <= at; i++ {
		if !c.ordered(i) {
			return nil, false
		}
	}
	for i := at + listLen - 1; i < c.Len(); i++ {
		if !c.ordered(i) {
			return nil, false
		}
	}
	if !c.ordered(at + 1) {
		return nil, false
	}
	return c, true
}

// ordered reports whether the child at i starts after the one before it
// ends, and neither is empty (or, for i out of range, true): where that
// fails, sort.Sort's order of equal positions decides, and the full,
// sorted list is used instead.
func (c *children) ordered(i int) bool {
	if i <= 0 || i >= c.Len() {
		return true
	}
	prev, cur := c.At(i-1), c.At(i)
	return prev.Pos() < prev.End() && cur.Pos() < cur.End() && prev.End() <= cur.Pos() &&
		prev.Pos().IsValid() && cur.Pos().IsValid()
}

// addTokens adds fake Nodes for the bare tokens of n, as astutil does.
func addTokens(n ast.Node, children []ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.ArrayType:
		children = append(children,
			tok(n.Lbrack, len("[")),
			tok(n.Elt.End(), len("]")))

	case *ast.AssignStmt:
		children = append(children,
			tok(n.TokPos, len(n.Tok.String())))

	case *ast.BasicLit:
		children = append(children,
			tok(n.ValuePos, len(n.Value)))

	case *ast.BinaryExpr:
		children = append(children, tok(n.OpPos, len(n.Op.String())))

	case *ast.BlockStmt:
		if n.Lbrace.IsValid() {
			children = append(children, tok(n.Lbrace, len("{")))
		}
		if n.Rbrace.IsValid() {
			children = append(children, tok(n.Rbrace, len("}")))
		}

	case *ast.BranchStmt:
		children = append(children,
			tok(n.TokPos, len(n.Tok.String())))

	case *ast.CallExpr:
		children = append(children,
			tok(n.Lparen, len("(")),
			tok(n.Rparen, len(")")))
		if n.Ellipsis != 0 {
			children = append(children, tok(n.Ellipsis, len("...")))
		}

	case *ast.CaseClause:
		if n.List == nil {
			children = append(children,
				tok(n.Case, len("default")))
		} else {
			children = append(children,
				tok(n.Case, len("case")))
		}
		children = append(children, tok(n.Colon, len(":")))

	case *ast.ChanType:
		switch n.Dir {
		case ast.RECV:
			children = append(children, tok(n.Begin, len("<-chan")))
		case ast.SEND:
			children = append(children, tok(n.Begin, len("chan<-")))
		case ast.RECV | ast.SEND:
			children = append(children, tok(n.Begin, len("chan")))
		}

	case *ast.CommClause:
		if n.Comm == nil {
			children = append(children,
				tok(n.Case, len("default")))
		} else {
			children = append(children,
				tok(n.Case, len("case")))
		}
		children = append(children, tok(n.Colon, len(":")))

	case *ast.Comment:
		// nop

	case *ast.CommentGroup:
		// nop

	case *ast.CompositeLit:
		children = append(children,
			tok(n.Lbrace, len("{")),
			tok(n.Rbrace, len("{")))

	case *ast.DeclStmt:
		// nop

	case *ast.DeferStmt:
		children = append(children,
			tok(n.Defer, len("defer")))

	case *ast.Ellipsis:
		children = append(children,
			tok(n.Ellipsis, len("...")))

	case *ast.EmptyStmt:
		// nop

	case *ast.ExprStmt:
		// nop

	case *ast.Field:
		// TODO(adonovan): Field.{Doc,Comment,Tag}?

	case *ast.FieldList:
		if n.Opening.IsValid() {
			children = append(children, tok(n.Opening, len("(")))
		}
		if n.Closing.IsValid() {
			children = append(children, tok(n.Closing, len(")")))
		}

	case *ast.File:
		// TODO test: Doc
		children = append(children,
			tok(n.Package, len("package")))

	case *ast.ForStmt:
		children = append(children,
			tok(n.For, len("for")))

	case *ast.FuncDecl:
		// TODO(adonovan): FuncDecl.Comment?

		// Uniquely, FuncDecl breaks the invariant that
		// preorder traversal yields tokens in lexical order:
		// in fact, FuncDecl.Recv precedes FuncDecl.Type.Func.
		//
		// As a workaround, we inline the case for FuncType
		// here and order things correctly.
		// We also need to insert the elided FuncType just
		// before the 'visit' recursion.
		//
		children = nil // discard ast.Walk(FuncDecl) info subtrees
		children = append(children, tok(n.Type.Func, len("func")))
		if n.Recv != nil {
			children = append(children, n.Recv)
		}
		children = append(children, n.Name)
		if tparams := n.Type.TypeParams; tparams != nil {
			children = append(children, tparams)
		}
		if n.Type.Params != nil {
			children = append(children, n.Type.Params)
		}
		if n.Type.Results != nil {
			children = append(children, n.Type.Results)
		}
		if n.Body != nil {
			children = append(children, n.Body)
		}

	case *ast.FuncLit:
		// nop

	case *ast.FuncType:
		if n.Func != 0 {
			children = append(children,
				tok(n.Func, len("func")))
		}

	case *ast.GenDecl:
		children = append(children,
			tok(n.TokPos, len(n.Tok.String())))
		if n.Lparen != 0 {
			children = append(children,
				tok(n.Lparen, len("(")),
				tok(n.Rparen, len(")")))
		}

	case *ast.GoStmt:
		children = append(children,
			tok(n.Go, len("go")))

	case *ast.Ident:
		children = append(children,
			tok(n.NamePos, len(n.Name)))

	case *ast.IfStmt:
		children = append(children,
			tok(n.If, len("if")))

	case *ast.ImportSpec:
		// TODO(adonovan): ImportSpec.{Doc,EndPos}?

	case *ast.IncDecStmt:
		children = append(children,
			tok(n.TokPos, len(n.Tok.String())))

	case *ast.IndexExpr:
		children = append(children,
			tok(n.Lbrack, len("[")),
			tok(n.Rbrack, len("]")))

	case *ast.IndexListExpr:
		children = append(children,
			tok(n.Lbrack, len("[")),
			tok(n.Rbrack, len("]")))

	case *ast.InterfaceType:
		children = append(children,
			tok(n.Interface, len("interface")))

	case *ast.KeyValueExpr:
		children = append(children,
			tok(n.Colon, len(":")))

	case *ast.LabeledStmt:
		children = append(children,
			tok(n.Colon, len(":")))

	case *ast.MapType:
		children = append(children,
			tok(n.Map, len("map")))

	case *ast.ParenExpr:
		children = append(children,
			tok(n.Lparen, len("(")),
			tok(n.Rparen, len(")")))

	case *ast.RangeStmt:
		children = append(children,
			tok(n.For, len("for")),
			tok(n.TokPos, len(n.Tok.String())))

	case *ast.ReturnStmt:
		children = append(children,
			tok(n.Return, len("return")))

	case *ast.SelectStmt:
		children = append(children,
			tok(n.Select, len("select")))

	case *ast.SelectorExpr:
		// nop

	case *ast.SendStmt:
		children = append(children,
			tok(n.Arrow, len("<-")))

	case *ast.SliceExpr:
		children = append(children,
			tok(n.Lbrack, len("[")),
			tok(n.Rbrack, len("]")))

	case *ast.StarExpr:
		children = append(children, tok(n.Star, len("*")))

	case *ast.StructType:
		children = append(children, tok(n.Struct, len("struct")))

	case *ast.SwitchStmt:
		children = append(children, tok(n.Switch, len("switch")))

	case *ast.TypeAssertExpr:
		children = append(children,
			tok(n.Lparen-1, len(".")),
			tok(n.Lparen, len("(")),
			tok(n.Rparen, len(")")))

	case *ast.TypeSpec:
		// TODO(adonovan): TypeSpec.{Doc,Comment}?

	case *ast.TypeSwitchStmt:
		children = append(children, tok(n.Switch, len("switch")))

	case *ast.UnaryExpr:
		children = append(children, tok(n.OpPos, len(n.Op.String())))

	case *ast.ValueSpec:
		// TODO(adonovan): ValueSpec.{Doc,Comment}?

	case *ast.BadDecl, *ast.BadExpr, *ast.BadStmt:
		// nop
	}
	return children
}

type byPos []ast.Node

func (sl byPos) Len() int           { return len(sl) }
func (sl byPos) Less(i, j int) bool { return sl[i].Pos() < sl[j].Pos() }
func (sl byPos) Swap(i, j int)      { sl[i], sl[j] = sl[j], sl[i] }
