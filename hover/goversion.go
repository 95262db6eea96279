package hover

import (
	"go/version"
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
		sync, _ := m.AtLeast("go1.23")
		v.TimersSync, v.TimersAsync = sync, !sync
		v.TimerRule = "go " + v.GoLine + " in go.mod"
	}
	switch val, where := m.TimerGodebug(); {
	case where == "":
	case val == "0":
		v.TimersSync, v.TimersAsync, v.TimerRule = true, false, where
	case val == "1":
		v.TimersSync, v.TimersAsync, v.TimerRule = false, true, where
	case version.IsValid(val):
		sync := version.Compare(val, "go1.23") >= 0
		v.TimersSync, v.TimersAsync, v.TimerRule = sync, !sync, where
	default:
		// asynctimerchan=2 (collectable timers, buffered channels: a
		// debugging setting) or a value golens does not know: say
		// nothing version-specific about timers.
		v.TimersSync, v.TimersAsync, v.TimerRule = false, false, ""
	}
	return v
}
