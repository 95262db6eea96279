//go:build race

package hints_test

// The race detector slows everything down about tenfold.
const raceFactor = 10
