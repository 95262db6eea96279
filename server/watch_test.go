package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// registerClient records dynamic registrations.
type registerClient struct {
	testClient
	rmu  sync.Mutex
	regs []protocol.Registration
}

func (c *registerClient) RegisterCapability(ctx context.Context, p *protocol.RegistrationParams) error {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	c.regs = append(c.regs, p.Registrations...)
	return nil
}

// TestWatchedFilesInvalidateDependants: golens registers for file-change
// notifications, and a dependency edited outside the editor (another
// package, a git checkout) makes the open files' typed results reload
// (issue 10, item 5).
func TestWatchedFilesInvalidateDependants(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("b/b.go", "package b\n\nfunc Jobs() chan int { return make(chan int) }\n")
	src := "package a\n\nimport \"example.com/m/b\"\n\nfunc Run() { b.Jobs() <- 1 }\n"
	write("a/a.go", src)

	client := &registerClient{}
	s := startWith(t, client, nil)
	_, err := s.remote.Initialize(context.Background(), &protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
		Workspace: &protocol.WorkspaceClientCapabilities{DidChangeWatchedFiles: &protocol.DidChangeWatchedFilesClientCapabilities{DynamicRegistration: ptr(true)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.remote.Initialized(context.Background(), &protocol.InitializedParams{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		client.rmu.Lock()
		defer client.rmu.Unlock()
		for _, r := range client.regs {
			if r.Method == protocol.MethodWorkspaceDidChangeWatchedFiles && strings.Contains(string(r.RegisterOptions), `"**/*.go"`) && strings.Contains(string(r.RegisterOptions), `"**/go.mod"`) {
				return true
			}
		}
		return false
	})

	aDir := filepath.Join(dir, "a")
	s.open(filepath.Join(aDir, "a.go"), src)
	typedErrors := func() (loaded bool, errs int) {
		s.srv.typed.mu.Lock()
		defer s.srv.typed.mu.Unlock()
		pkg := s.srv.typed.pkgs[aDir]
		if pkg == nil {
			return false, 0
		}
		return true, len(pkg.TypeErrors)
	}
	deadline := time.Now().Add(60 * time.Second)
	for loaded, _ := typedErrors(); !loaded; loaded, _ = typedErrors() {
		if time.Now().After(deadline) {
			t.Fatal("typed tier never landed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, n := typedErrors(); n != 0 {
		t.Fatalf("%d type errors before the dependency changed", n)
	}
	// b changes on disk: Jobs is gone.
	write("b/b.go", "package b\n\nfunc Other() {}\n")
	err = s.remote.DidChangeWatchedFiles(context.Background(), &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{
		{URI: uri.File(filepath.Join(dir, "b", "b.go")), Type: protocol.FileChangeTypeChanged},
	}})
	if err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(60 * time.Second)
	for _, n := typedErrors(); n == 0; _, n = typedErrors() {
		if time.Now().After(deadline) {
			t.Fatal("the typed result still reflects the old dependency")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
