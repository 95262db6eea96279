// Package concmap draws the concurrency map of a function or a package: the
// goroutines a function starts, the channels, mutexes and WaitGroups they
// share, and every operation between them (send, receive, range, close,
// lock, unlock, Add, Done, Wait), each labelled with its line.
//
// The map is read from golens's model (package model) and from the checks'
// findings, which the caller passes in: concmap recomputes no fact. What the
// model proves is drawn solid; what is only possible (a select case that may
// not be chosen) is dashed; operations that can block carry a mark; findings
// (a leak, a deadlock) colour the nodes and edges they are about.
//
// A Graph renders as text (for CI logs and screen readers), Graphviz dot,
// Mermaid, or SVG laid out by concmap itself (see Layout): no Graphviz is
// needed.
package concmap

import (
	"fmt"
	"path/filepath"
	"strings"
)

// NodeKind says what a node stands for.
type NodeKind int

const (
	FuncNode      NodeKind = iota // the function the map is of (or each function, for a package)
	GoroutineNode                 // a go statement
	ChanNode                      // a channel variable or field, or a channel a call returns (time.After)
	MutexNode                     // a sync.Mutex or sync.RWMutex
	WaitGroupNode                 // a sync.WaitGroup
)

var nodeKindNames = [...]string{"func", "goroutine", "chan", "mutex", "waitgroup"}

func (k NodeKind) String() string { return nodeKindNames[k] }

// EdgeKind is the operation an edge stands for.
type EdgeKind int

const (
	Starts   EdgeKind = iota // a go statement: the starter → the goroutine
	Send                     // actor → channel
	Recv                     // channel → actor
	Range                    // channel → actor
	Close                    // actor → channel
	Lock                     // actor → mutex (Lock, RLock, TryLock)
	Unlock                   // actor → mutex (Unlock, RUnlock)
	Add                      // actor → WaitGroup
	Done                     // actor → WaitGroup
	Wait                     // WaitGroup → actor
	GoMethod                 // wg.Go(f): actor → WaitGroup
)

var edgeKindNames = [...]string{"go", "send", "receive", "range", "close", "lock", "unlock", "Add", "Done", "Wait", "Go"}

func (k EdgeKind) String() string { return edgeKindNames[k] }

// Certainty says how sure the model is of a fact.
type Certainty int

const (
	// Proven: the model shows the operation happens whenever the code
	// around it runs.
	Proven Certainty = iota
	// Possible: the operation may happen (a select case that can lose).
	Possible
)

// Loc is a place in the source: file name, 1-based line, 1-based byte
// column.
type Loc struct {
	File string
	Line int
	Col  int
}

func (l Loc) String() string {
	if l.File == "" {
		return fmt.Sprintf("line %d", l.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(l.File), l.Line)
}

// Node is a goroutine, function, channel, mutex or WaitGroup.
type Node struct {
	ID     string // stable within the graph: "n1", "n2", …
	Kind   NodeKind
	Label  string // "main", "go worker(jobs)", "jobs"
	Detail string // "chan int · cap 3 · made L9"
	Loc    Loc    // where to jump: the declaration, go statement or make
	// Findings indexes Graph.Findings that are about this node.
	Findings []int
}

// Site is one occurrence of an edge's operation.
type Site struct {
	Loc       Loc
	Blocking  bool // the operation can block its goroutine here
	Certainty Certainty
	// In names the function the operation is written in when it is not
	// the actor's own body ("worker"), for the text form.
	In string
}

// Edge is one kind of operation between two nodes, with every line it
// happens on.
type Edge struct {
	ID       string
	From, To int // indexes into Graph.Nodes
	Kind     EdgeKind
	Sites    []Site
	Findings []int
}

// Label is the edge's label: the operation and its lines, "send L12, L14".
func (e *Edge) Label() string {
	var lines []string
	seen := map[int]bool{}
	for _, s := range e.Sites {
		if !seen[s.Loc.Line] {
			seen[s.Loc.Line] = true
			lines = append(lines, fmt.Sprintf("L%d", s.Loc.Line))
		}
	}
	if len(lines) > 4 {
		lines = append(lines[:3], fmt.Sprintf("+%d", len(lines)-3))
	}
	return e.Kind.String() + " " + strings.Join(lines, ",")
}

// Blocking reports whether any of the edge's operations can block.
func (e *Edge) Blocking() bool {
	for _, s := range e.Sites {
		if s.Blocking {
			return true
		}
	}
	return false
}

// Possible reports whether every operation of the edge is only possible:
// the edge is drawn dashed.
func (e *Edge) Possible() bool {
	for _, s := range e.Sites {
		if s.Certainty == Proven {
			return false
		}
	}
	return len(e.Sites) > 0
}

// Finding is a check's finding, as the caller got it from golens's checks.
type Finding struct {
	Check   string // analyzer name: "unwaited", "selfdeadlock"
	Message string
	Loc     Loc
	// Related are the other places the finding involves (the other half
	// of a deadlock cycle).
	Related []Loc
}

// Graph is a concurrency map.
type Graph struct {
	// Title says what the map is of: "func main", "package pipeline".
	Title    string
	Nodes    []*Node
	Edges    []*Edge
	Findings []Finding
	// Notes say what the map leaves out and why: "go handler(c) at L40:
	// handler is not in this package, golens cannot see into it".
	Notes []string
}

// Empty reports whether the map has nothing concurrent to show.
func (g *Graph) Empty() bool {
	for _, n := range g.Nodes {
		if n.Kind != FuncNode {
			return false
		}
	}
	return true
}
