package model

import "go/ast"

// Body is the statements of the select clause c, the ones that run when
// c is chosen (the model's caseBody); nil when the clause is empty. A
// feature that asks what a case does reads it here rather than searching
// the select for the clause.
func (c *SelectCase) Body() []ast.Stmt { return caseBody(c) }
