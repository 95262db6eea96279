//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "os"

// terminalWidth reports 0 (not a terminal) where golens cannot ask: the
// output is then plain text, wrapped at $COLUMNS or 80.
func terminalWidth(*os.File) int { return 0 }
