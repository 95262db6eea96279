//go:build unix

package typed_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golens/golens/typed"
)

// fakeGo puts a go command on PATH whose package listing (go list -json)
// records its pid in the returned log file and then hangs, like a go list
// waiting on a proxy that never answers; go/packages' small queries go to
// the real go command.
func fakeGo(t *testing.T) (pidLog string) {
	t.Helper()
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := t.TempDir()
	pidLog = filepath.Join(t.TempDir(), "pids")
	script := "#!/bin/sh\ncase \"$*\" in *-json*) ;; *) exec " + realGo + " \"$@\";; esac\necho $$ >> " + pidLog + "\nexec sleep 600\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return pidLog
}

func countLines(name string) int {
	b, _ := os.ReadFile(name)
	return strings.Count(string(b), "\n")
}

// TestGoListConcurrencyBounded: loads of many packages run at most
// Config.MaxConcurrentLoads go commands at once (issue 10, item 6: 50
// modules started 50 go lists and peaked at 4.5 GB).
func TestGoListConcurrencyBounded(t *testing.T) {
	pids := fakeGo(t)
	l := typed.NewLoader(typed.Config{MaxConcurrentLoads: 2})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		dir := writeModule(t, map[string]string{"go.mod": goMod, "a.go": "package m\n"})
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Load(ctx, typed.Request{File: filepath.Join(dir, "a.go")})
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if n := countLines(pids); n != 2 {
		t.Errorf("%d go commands running at once, want 2", n)
	}
	cancel()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("cancelled loads did not return")
	}
}

// TestGoListTimeout: a go command that never finishes is stopped after
// Config.ListTimeout and the load fails with a message that says so.
func TestGoListTimeout(t *testing.T) {
	fakeGo(t)
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a.go": "package m\n"})
	l := typed.NewLoader(typed.Config{ListTimeout: 300 * time.Millisecond})
	t0 := time.Now()
	_, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "a.go")})
	var le *typed.LoadError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "did not finish within 300ms") {
		t.Fatalf("load with a hanging go command: %v", err)
	}
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("the timeout took %v", d)
	}
}
