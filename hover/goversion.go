package hover

import (
	"strings"

	"github.com/golens/golens/model"
)

// versionFacts says which version-dependent semantics apply to the file:
// loop variables are per iteration from go 1.22, and timer channels are
// synchronous (and unstopped timers collectable) from go 1.23. The first
// follows the file's Go version (go.mod's go line or the file's //go:build
// line), the second the main module's go line and godebug settings
// (model.File.Timers). All false when golens cannot tell.
type versionFacts struct {
	GoLine string // "1.21", the file's Go version; "" when unknown
	// GoRule says where GoLine comes from (model.File.GoVersionRule):
	// "go.mod says go 1.21", or the file's //go:build line.
	GoRule                               string
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
		v.GoRule = m.GoVersionRule()
		v.LoopVarsPerIteration, v.LoopVarsShared = per, !per
	}
	// The timer semantics are the model's fact: the hints read it too.
	v.TimersSync, v.TimersAsync, v.TimerRule = m.Timers()
	return v
}
