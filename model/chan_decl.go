package model

import "go/ast"

// BareDecl is the `var` spec that declares c without a value (`var ch
// chan T`, `var a, b chan T`), the only declaration that leaves a channel
// variable nil; nil when c is declared any other way (:=, a range or
// type-switch clause, a parameter, a field) or not in this file. NeverMade
// reads the same fact; the nilchan check's quick fix makes the channel in
// this spec when it declares c alone with a written channel type.
func (c *Chan) BareDecl() *ast.ValueSpec {
	if c == nil {
		return nil
	}
	return c.bareSpec
}
