package hover

import (
	"strings"

	"github.com/golens/golens/model"
)

// versionFacts says which version-dependent semantics apply to the file:
// loop variables are per iteration from go 1.22, and timer channels are
// synchronous (and unstopped timers collectable) from go 1.23, both decided
// by the go line of go.mod. All false when golens cannot tell.
type versionFacts struct {
	GoLine                               string // "1.21", as go.mod says; "" when unknown
	LoopVarsPerIteration, LoopVarsShared bool
	TimersSync, TimersAsync              bool
	// TimerRule says what decides the timer behaviour, as the texts name
	// it: "go 1.21 in go.mod", or a godebug asynctimerchan setting
	// (model.File.TimerGodebug), which overrides the go line.
	TimerRule string
}

func versionOf(m *model.File) versionFacts {
	var v versionFacts
	per, known := m.AtLeast("go1.22")
	if known {
		v.GoLine = strings.TrimPrefix(m.GoVersion(), "go")
		v.LoopVarsPerIteration, v.LoopVarsShared = per, !per
	}
	// The timer semantics are the model's fact: the hints read it too.
	v.TimersSync, v.TimersAsync, v.TimerRule = m.Timers()
	return v
}
