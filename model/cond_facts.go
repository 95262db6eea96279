package model

import (
	"go/ast"
	"go/types"
	"sync"
)

// condFacts holds the facts the package proves about one if condition or
// go statement, each computed on first read: ErrorPath (error_path.go),
// DecidedInside (decided_inside.go) and UncheckedParams
// (unchecked_params.go). The nopartner check asks them once per candidate
// channel class; a class can ask the same one again.
type condFacts struct {
	mu        sync.Mutex
	errPaths  map[*ast.IfStmt]Fact
	decided   map[decidedKey]Fact
	unchecked map[goFuncKey]map[types.Object]Fact

	testFailure map[*ast.BlockStmt]Fact                  // goroutine_sends.go
	litParams   map[litFuncKey]map[*types.Var]*types.Var // literal_params.go
}

// memo returns the fact of key in *table, computing it with compute (outside
// the lock) the first time.
func memo[K comparable, V any](mu *sync.Mutex, table *map[K]V, key K, compute func() V) V {
	mu.Lock()
	v, ok := (*table)[key]
	mu.Unlock()
	if ok {
		return v
	}
	v = compute()
	mu.Lock()
	if *table == nil {
		*table = map[K]V{}
	}
	(*table)[key] = v
	mu.Unlock()
	return v
}
