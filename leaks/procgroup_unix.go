//go:build unix

package leaks

import (
	"os/exec"
	"syscall"
)

// inOwnProcessGroup starts cmd in its own process group and makes
// cancelling it kill the whole group (the go command and the test binaries
// it runs).
func inOwnProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
