// Package scanargs stands for a package golens does not analyse with the
// caller (pebble's datadriven): its functions are opaque calls.
package scanargs

type TestData struct{}

func (TestData) MaybeScanArgs(name string, dests ...any) bool { return false }
