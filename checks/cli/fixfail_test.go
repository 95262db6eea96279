package cli_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golens/golens/checks/cli"
)

// TestFixNotWritten: when a fixed file cannot be written, -fix reports it
// and exits 1, as 'golens help' promises: the finding is still there
// (issue 10, item 11).
func TestFixNotWritten(t *testing.T) {
	dir := copyModule(t)
	before, _ := os.ReadFile(filepath.Join(dir, "buggy", "buggy.go"))
	saved := *cli.WriteFile
	t.Cleanup(func() { *cli.WriteFile = saved })
	*cli.WriteFile = func(name string, data []byte, perm fs.FileMode) error {
		return &fs.PathError{Op: "open", Path: name, Err: errors.New("read-only file system")}
	}
	code, _, stderr := runMain("-fix", "./buggy")
	if code != cli.ExitFindings {
		t.Errorf("-fix with an unwritable file: exit %d, want %d; stderr:\n%s", code, cli.ExitFindings, stderr)
	}
	if !strings.Contains(stderr, "read-only file system") || !strings.Contains(stderr, "no fix applied") {
		t.Errorf("stderr does not say the fix was not written:\n%s", stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "buggy", "buggy.go")); string(after) != string(before) {
		t.Errorf("file changed")
	}
}
