package leaks

import "go/ast"

// definesTestMain reports whether f declares func TestMain(*testing.M).
func definesTestMain(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "TestMain" {
			return true
		}
	}
	return false
}
