//go:build !unix

package leaks

import "os/exec"

// inOwnProcessGroup: without Unix process groups (Windows), cancelling cmd
// kills the go command only, as exec.CommandContext does by default.
func inOwnProcessGroup(cmd *exec.Cmd) {}
