package model

import "go/token"

// FuncAt is the innermost function (declaration or literal) whose body
// holds p, or nil: the same answer LoopsAround, the path questions and
// the model's own walks use (funcAt). Features ask it rather than search
// the syntax tree for the enclosing function.
func (m *File) FuncAt(p token.Pos) *Func { return m.funcAt(p) }

// SameLoop reports whether a and b have the same innermost loop
// (InnermostLoop), so a channel made in it at b is a fresh one on each
// pass for what happens at a. False when b is in no loop.
func (m *File) SameLoop(a, b token.Pos) bool {
	l := m.InnermostLoop(b)
	return l != nil && m.InnermostLoop(a) == l
}
