package nopartner

import (
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// A declaration in a _test.go file exists only while the package's tests
// are compiled: no other package can import it. The one exception is the
// package's external test package (package p_test), which reaches such
// declarations by the convention of export_test.go; files whose name holds
// "export" are therefore still taken as public.

// public: code outside the package can name obj.
func public(pass *analysis.Pass, obj types.Object) bool {
	if !obj.Exported() {
		return false
	}
	return !testOnly(pass, obj)
}

func (st *state) public(obj types.Object) bool { return public(st.pass, obj) }

// testOnly: obj is declared in a _test.go file that is not an export file.
func testOnly(pass *analysis.Pass, obj types.Object) bool {
	if !obj.Pos().IsValid() {
		return false
	}
	file := filepath.Base(pass.Fset.Position(obj.Pos()).Filename)
	return strings.HasSuffix(file, "_test.go") && !strings.Contains(file, "export")
}
