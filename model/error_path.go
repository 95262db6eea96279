package model

import (
	"go/ast"
	"go/types"
)

// Whether an if statement is an error path: its condition reads a value of
// type error (`err != nil`, `errors.Is(err, io.EOF)` reads err as an
// argument), or its body sends on a channel of errors (`errc <- err`,
// `errc <- nil`: the branch reports a failure even when its condition reads
// no error value, such as `if j < 0`). A send inside a function literal of
// the body is not the branch's own. The nopartner check reads it: a loop
// that ends on an error path ends when the sender cannot know, while a
// sentinel value the sender sends last (`if v == quit { return }`) is the
// protocol the sender controls.

var (
	errorType  = types.Universe.Lookup("error").Type()
	errorIface = errorType.Underlying().(*types.Interface)
)

// ErrorPath says whether ifs is an error path, and why ("`err` is an
// error", "it sends on `errc`, a channel of errors"). Proven either way: it
// reads the types of the condition and the body's sends. Computed once per
// if statement; Unknown without type information.
func (p *Package) ErrorPath(ifs *ast.IfStmt) Fact {
	if p == nil || p.Info == nil || ifs == nil {
		return Fact{}
	}
	return memo(&p.ifFacts.mu, &p.ifFacts.errPaths, ifs, func() Fact { return p.errorPath(ifs) })
}

func (p *Package) errorPath(ifs *ast.IfStmt) Fact {
	if e := p.readsError(ifs.Cond); e != nil {
		return Fact{Certainty: Proven, Holds: true, Why: "`" + ExprText(e) + "` is an error"}
	}
	if s := p.sendsError(ifs.Body); s != nil {
		return Fact{Certainty: Proven, Holds: true, Why: "it sends on `" + ExprText(s.Chan) + "`, a channel of errors"}
	}
	return Fact{Certainty: Proven, Why: "its condition reads no error and it sends on no channel of errors"}
}

// readsError is the first operand of cond whose type is error, or nil.
func (p *Package) readsError(cond ast.Expr) ast.Expr {
	var found ast.Expr
	ast.Inspect(cond, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok && found == nil {
			if tv, ok := p.Info.Types[e]; ok && tv.IsValue() && types.Identical(tv.Type, errorType) {
				found = e
			}
		}
		return found == nil
	})
	return found
}

// sendsError is the first send of b, outside its function literals, on a
// channel whose elements are errors, or nil.
func (p *Package) sendsError(b *ast.BlockStmt) *ast.SendStmt {
	var found *ast.SendStmt
	ast.Inspect(b, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SendStmt:
			if t := p.Info.TypeOf(n.Chan); t != nil {
				if ch, ok := t.Underlying().(*types.Chan); ok && types.Implements(ch.Elem(), errorIface) {
					found = n
				}
			}
		}
		return found == nil
	})
	return found
}
