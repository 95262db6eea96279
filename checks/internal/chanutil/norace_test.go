//go:build !race

package chanutil

const raceEnabled = false
