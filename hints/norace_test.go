//go:build !race

package hints_test

const raceFactor = 1
