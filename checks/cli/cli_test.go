package cli_test

import (
	"bytes"
	"encoding/json"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/golens/golens/checks/cli"
)

// copyModule copies testdata/mod into a fresh directory and makes it the
// working directory for the rest of the test.
func copyModule(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk("testdata/mod", func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/mod", p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dst)
	return dst
}

func runMain(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = cli.Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	copyModule(t)
	for _, tc := range []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"./clean"}, cli.ExitClean, ""},
		{[]string{"./buggy"}, cli.ExitFindings, "c.mu stays locked if (*Cache).Load returns on line 17"},
		{[]string{"-test=false", "./buggy"}, cli.ExitFindings, "c.mu stays locked"},
		{[]string{"-lockleak=false", "-test=false", "./buggy"}, cli.ExitClean, ""},
		{[]string{"-wgmisuse", "./buggy"}, cli.ExitFindings, "wg.Done() but nothing in the package calls wg.Add"},
		{[]string{"./broken"}, cli.ExitLoadError, "cannot use"},
		{[]string{"./nosuchdir"}, cli.ExitLoadError, ""},
		{[]string{"-nosuchflag"}, cli.ExitUsage, "flag provided but not defined"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, stderr := runMain(tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr)
			}
		})
	}
}

func TestTestFilesIncluded(t *testing.T) {
	copyModule(t)
	_, _, with := runMain("./buggy")
	_, _, without := runMain("-test=false", "./buggy")
	if !strings.Contains(with, "buggy_test.go") || strings.Contains(without, "buggy_test.go") {
		t.Errorf("-test default should include test files:\nwith:\n%s\nwithout:\n%s", with, without)
	}
	// The package and its test variant share buggy.go: reported once.
	if n := strings.Count(with, "c.mu stays locked"); n != 1 {
		t.Errorf("finding reported %d times, want 1:\n%s", n, with)
	}
}

func TestJSON(t *testing.T) {
	copyModule(t)
	code, stdout, stderr := runMain("-json", "./buggy")
	if code != cli.ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	// vet's shape: package ID -> analyzer -> list of {posn, message, ...}.
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &tree); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, stdout)
	}
	var diags []struct {
		Posn     string `json:"posn"`
		Message  string `json:"message"`
		Category string `json:"category"`
	}
	found := false
	for pkg, byAnalyzer := range tree {
		raw, ok := byAnalyzer["lockleak"]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, &diags); err != nil {
			t.Fatalf("%s: %v", pkg, err)
		}
		for _, d := range diags {
			if strings.Contains(d.Posn, "buggy.go:14") && strings.HasPrefix(d.Message, "c.mu stays locked") && d.Category == "lockleak" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("lockleak finding missing from JSON:\n%s", stdout)
	}
}

func TestFix(t *testing.T) {
	dir := copyModule(t)
	code, _, stderr := runMain("-fix", "./buggy")
	if code != cli.ExitClean {
		t.Fatalf("-fix exit %d, want 0 (all findings fixed); stderr:\n%s", code, stderr)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "buggy", "buggy.go"))
	want := `	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	if !ok {
		return 0, errors.New("missing")
	}
	return v, nil
`
	if !strings.Contains(string(got), want) {
		t.Errorf("fixed buggy.go:\n%s", got)
	}
	gotTest, _ := os.ReadFile(filepath.Join(dir, "buggy", "buggy_test.go"))
	if !strings.Contains(string(gotTest), "\t\twg.Add(1)\n\t\tgo func() {") {
		t.Errorf("fixed buggy_test.go:\n%s", gotTest)
	}
	for _, b := range [][]byte{got, gotTest} {
		if f, err := format.Source(b); err != nil || !bytes.Equal(f, b) {
			t.Errorf("fixed file is not gofmt-clean (%v):\n%s", err, b)
		}
	}
	// A second run finds nothing.
	if code, _, stderr := runMain("./buggy"); code != cli.ExitClean {
		t.Errorf("after -fix: exit %d:\n%s", code, stderr)
	}
}

func TestIsVetInvocation(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-lockleak", "/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"check", "./..."}, false},
		{nil, false},
		{[]string{"serve"}, false},
	} {
		if got := cli.IsVetInvocation(tc.args); got != tc.want {
			t.Errorf("IsVetInvocation(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// golensBinary builds the stand-in command in testdata/golens, which wires
// the package exactly as cmd/golens should.
func golensBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "golens-cli-test")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "golens")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", binPath, "./testdata/golens").CombinedOutput()
		if err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building golens: %v\n%s", buildErr, binPath)
	}
	return binPath
}

func TestVetTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs go vet")
	}
	bin := golensBinary(t)
	copyModule(t)
	cmd := exec.Command("go", "vet", "-vettool="+bin, "./buggy")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet -vettool succeeded on a buggy package:\n%s", out)
	}
	for _, want := range []string{"buggy.go:14:2: c.mu stays locked", "buggy_test.go:12:10: wg.Done() but nothing in the package calls wg.Add"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go vet output lacks %q:\n%s", want, out)
		}
	}
	// Per-check flags pass through go vet.
	out, err = exec.Command("go", "vet", "-vettool="+bin, "-lockleak=false", "-wgmisuse=false", "./buggy").CombinedOutput()
	if err != nil {
		t.Errorf("go vet with both checks disabled failed: %v\n%s", err, out)
	}
	out, err = exec.Command("go", "vet", "-vettool="+bin, "./clean").CombinedOutput()
	if err != nil {
		t.Errorf("go vet -vettool on a clean package: %v\n%s", err, out)
	}
}

func TestBinaryCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := golensBinary(t)
	copyModule(t)
	cmd := exec.Command(bin, "check", "./...")
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	// ./... includes the broken package: load error wins.
	if !ok || ee.ExitCode() != cli.ExitLoadError {
		t.Errorf("golens check ./...: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "c.mu stays locked") {
		t.Errorf("findings in loadable packages are still printed:\n%s", out)
	}
}
