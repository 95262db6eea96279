//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalKillsGoList: golens stopped by SIGTERM (an editor closing
// without exit) first kills the go list it started, instead of orphaning
// it (issue 10, item 6). The go command here hangs, like one waiting on a
// module proxy that never answers.
func TestSignalKillsGoList(t *testing.T) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := binary(t)
	fake, pidLog := t.TempDir(), filepath.Join(t.TempDir(), "pids")
	script := "#!/bin/sh\ncase \"$*\" in *-json*) ;; *) exec " + realGo + " \"$@\";; esac\necho $$ >> " + pidLog + "\nexec sleep 600\n"
	if err := os.WriteFile(filepath.Join(fake, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", fake+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)

	p := startAttackWith(t, bin)
	p.open("file://"+filepath.Join(dir, "a.go"), normalSrc)
	var pid int
	deadline := time.Now().Add(30 * time.Second)
	for pid == 0 {
		if time.Now().After(deadline) {
			t.Fatal("go list never started")
		}
		time.Sleep(20 * time.Millisecond)
		b, _ := os.ReadFile(pidLog)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("golens did not stop on SIGTERM")
	}
	if syscall.Kill(pid, 0) == nil {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("go list (pid %d) outlived golens", pid)
	}
	if !strings.Contains(p.stderr.String(), "stopped by a signal") {
		t.Errorf("stderr = %q", tail(p.stderr.String()))
	}
}
