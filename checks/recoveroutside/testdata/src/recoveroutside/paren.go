package recoveroutside

import "fmt"

// A literal called at once through parentheses is no more a deferred
// function than one called without them: its recover returns nil (run:
// "paren: <nil>", then the outer deferred recover stops the panic).
func parenImmediate() {
	defer func() { fmt.Println("outer:", recover()) }()
	defer func() {
		(func() { fmt.Println("paren:", recover()) })() // want `the function literal is called at once, not deferred`
	}()
	panic("boom")
}
