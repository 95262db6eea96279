package timeoutleak

import (
	"strings"

	"github.com/golens/golens/model"
)

// testFailures are the methods of testing.T, B and F that fail the test.
// Fatal, Fatalf and FailNow also end the calling goroutine through
// runtime.Goexit (go doc testing.T.FailNow), but on a path the test
// already reports as failed: like a give-up case that fails the test
// (failsOnGiveUp), a leak there is not reported. Error, Errorf and Fail
// mark the test failed and go on: they are no exit at all.
var testFailures = map[string]bool{
	"Fatal": true, "Fatalf": true, "FailNow": true, // exits (ExitGoexit)
	"Error": true, "Errorf": true, "Fail": true, // not exits
}

// howEnds says how the function leaves at the exit e (one returnBetween
// found: a return or a quiet end of the goroutine): "returns", or "stops
// (t.Skip)" for a call that ends its goroutine, named as the model's exit
// names its callee.
func howEnds(e *model.Exit) string {
	if e.Kind == model.ExitGoexit {
		return "stops (" + e.Callee() + ")"
	}
	return "returns"
}

// methodOf is the method or function name of a callee as written:
// "Skip" for "t.Skip", "Goexit" for "runtime.Goexit".
func methodOf(callee string) string {
	if i := strings.LastIndexByte(callee, '.'); i >= 0 {
		return callee[i+1:]
	}
	return callee
}

// quietEnd reports an exit of the model's flow (model.Exit) after which
// the program goes on without the function's goroutine: a return, the end
// of the body, or runtime.Goexit and t.Skip (model.ExitGoexit, not one of
// testFailures). A panic,
// os.Exit, log.Fatal and testing's failing calls are not: the program is
// over, or the test already failed, on those paths. The path questions
// asked of the model (OpReach, ExitsAvoiding) count these exits only.
func quietEnd(e *model.Exit) bool {
	switch e.Kind {
	case model.ExitReturn, model.ExitEnd:
		return true
	case model.ExitGoexit:
		return !testFailures[methodOf(e.Callee())]
	}
	return false
}
