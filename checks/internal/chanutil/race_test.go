//go:build race

package chanutil

// raceEnabled scales the property test down: the race detector makes the
// astutil side of the comparison about ten times slower.
const raceEnabled = true
