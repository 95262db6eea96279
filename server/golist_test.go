//go:build unix

package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestExitKillsGoList: a go list still running when the client exits is
// killed, not orphaned (issue 10, item 6).
func TestExitKillsGoList(t *testing.T) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin, pidLog := t.TempDir(), filepath.Join(t.TempDir(), "pids")
	script := "#!/bin/sh\ncase \"$*\" in *-json*) ;; *) exec " + realGo + " \"$@\";; esac\necho $$ >> " + pidLog + "\nexec sleep 600\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)

	s := start(t, nil)
	s.initialize("")
	s.open(filepath.Join(dir, "a.go"), sample)
	var pid int
	waitFor(t, func() bool {
		b, _ := os.ReadFile(pidLog)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		return pid > 0
	})
	_ = s.remote.Exit(context.Background())
	select {
	case <-s.exit:
	case <-time.After(15 * time.Second):
		t.Fatal("no exit")
	}
	// OnExit is where the binary calls os.Exit: its go list must be gone
	// (killed and reaped) by then.
	if syscall.Kill(pid, 0) == nil {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("go list (pid %d) still running when the server exits", pid)
	}
}
