package nopartner

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// One worker per pass: the receiving loop itself starts the sender's
// function, once per pass, right before its one receive, and that
// function sends once per call (its last statement, plus at most one send
// that runs only on a panic path, instead of it: the model's
// RecoverGuarded). A supervisor that restarts a worker until an attempt
// succeeds:
//
//	for attempt := 1; attempt <= max; attempt++ {
//		go worker(attempt, out)
//		r := <-out
//		if r.err == nil {
//			return nil
//		}
//	}
//
// Every send is received in its own pass before the loop can leave, and
// no call is made after it left: "called from a loop" does not make the
// send run after the exit, and errExitPartner stays silent.

// startedOncePerPass reports that shape for the sending function fd (the
// function of the send errExitPartner would report) and the receiving loop.
func startedOncePerPass(pass *analysis.Pass, c *class, loop ast.Stmt, fd *ast.FuncDecl) bool {
	m := modelOf(pass, loop.Pos())
	if m == nil || fd.Body == nil || len(c.recvs) != 1 || len(fd.Body.List) == 0 {
		return false
	}
	body := model.LoopBody(loop)
	if body == nil {
		return false
	}
	// The receive: a plain statement of the loop body itself.
	recvIdx := -1
	for i, st := range body.List {
		if st.Pos() <= c.recvs[0].pos && c.recvs[0].pos < st.End() {
			switch st.(type) {
			case *ast.AssignStmt, *ast.ExprStmt, *ast.DeclStmt:
				recvIdx = i
			}
		}
	}
	if recvIdx < 1 {
		return false
	}
	// The statement right before it is `go fd(...)`, and it is fd's only
	// call in the package.
	g, ok := body.List[recvIdx-1].(*ast.GoStmt)
	if !ok {
		return false
	}
	f, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if f == nil || chanutil.PackageCallee(pass.TypesInfo, pass.Pkg, g.Call) != f {
		return false
	}
	calls := 0
	refs := 0
	for _, file := range pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if chanutil.PackageCallee(pass.TypesInfo, pass.Pkg, n) == f || viaInterface(pass, n, f) {
					calls++
				}
			case *ast.Ident:
				if pass.TypesInfo.Uses[n] == f {
					refs++
				}
			}
			return true
		})
	}
	if calls != 1 || refs != 1 {
		return false // called elsewhere, or its value taken
	}
	// fd's sends on c: one unguarded, fd's last statement, and at most
	// one that runs only on a panic path; every send of c is fd's.
	last, ok := fd.Body.List[len(fd.Body.List)-1].(*ast.SendStmt)
	if !ok {
		return false
	}
	plain, guarded := 0, 0
	for _, o := range c.sends {
		if o.pos < fd.Pos() || o.pos >= fd.End() || o.maybe || m.InnermostLoop(o.pos) != nil {
			return false
		}
		switch {
		case o.pos == last.Arrow || o.pos == last.Pos():
			plain++
		case m.RecoverGuarded(o.pos):
			guarded++
		default:
			return false
		}
	}
	return plain == 1 && guarded <= 1
}
