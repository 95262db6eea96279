package nopartner

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// The receiver method that returns before it receives: a constructor
// makes an unbuffered channel field and starts a goroutine that sends one
// value on it; the only receive is in a method that can return first, on
// a condition of its own (a call's result, a local), and that method is
// called once on the constructed value. The goroutine's send then blocks
// forever.
//
//	func newJob(n int) *job {
//		j := &job{result: make(chan int), n: n}
//		go j.run() // run: j.result <- j.n * 2
//		return j
//	}
//	func (j *job) Wait(check func() error) (int, error) {
//		if err := check(); err != nil {
//			return 0, err // run's send blocks forever
//		}
//		return <-j.result, nil
//	}
//
// Reported at the send when every send is a plain send, outside any loop,
// of the one goroutine the constructor starts; nothing closes the channel;
// every receive is a plain receive among the method's top-level
// statements, after an if that returns on such a condition; and the
// method is called once on a fresh value (calledOnceOnFresh, finite.go).

// fieldEarlyReturn reports the first send of such a class.
func fieldEarlyReturn(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) != 1 || c.buffered || c.unbounded || len(c.sends) == 0 || len(c.recvs) == 0 || len(c.closes) != 0 {
		return analysis.Diagnostic{}, false
	}
	p, ok := producerOf(pass, c)
	if !ok {
		return analysis.Diagnostic{}, false
	}
	s0, sfile, prod, goStmt, goFile := p.send, p.file, p.fn, p.goStmt, p.goFile
	for _, s := range c.sends {
		if !s.blocking || s.maybe || fileAt(pass, s.pos) != sfile || funcAt(pass, s.pos) != prod {
			return analysis.Diagnostic{}, false
		}
		if l, _ := loopAround(pass, s.pos); l != nil {
			return analysis.Diagnostic{}, false
		}
	}
	rfile := fileAt(pass, c.recvs[0].pos)
	if rfile == nil {
		return analysis.Diagnostic{}, false
	}
	md, ok := funcAt(pass, c.recvs[0].pos).(*ast.FuncDecl)
	if !ok || md.Recv == nil || md.Body == nil || ast.Node(md) == prod {
		return analysis.Diagnostic{}, false
	}
	first := -1
	for _, r := range c.recvs {
		if !r.blocking || r.maybe || r.giveUp != nil || fileAt(pass, r.pos) != rfile || funcAt(pass, r.pos) != ast.Node(md) {
			return analysis.Diagnostic{}, false
		}
		if l, _ := loopAround(pass, r.pos); l != nil {
			return analysis.Diagnostic{}, false
		}
		if _, ok := recvAt(rfile, r.pos); !ok {
			return analysis.Diagnostic{}, false
		}
		for i, s := range md.Body.List {
			if s.Pos() <= r.pos && r.pos < s.End() && (first < 0 || i < first) {
				first = i
			}
		}
	}
	if first < 0 {
		return analysis.Diagnostic{}, false
	}
	var ret *ast.ReturnStmt
	var cond ast.Expr
	for _, s := range md.Body.List[:first] {
		ifs, ok := s.(*ast.IfStmt)
		if !ok || !decidedInside(pass, ifs.Cond, md.Body) {
			continue
		}
		if r := model.ReturnIn(ifs.Body); r != nil && !pkgModel(pass).ReportsTestFailure(ifs.Body).ProvenTrue() {
			ret, cond = r, ifs.Cond
			break
		}
	}
	if ret == nil || !calledOnceOnFresh(pass, c, md, goStmt, goFile) {
		return analysis.Diagnostic{}, false
	}
	ctor := funcAt(pass, goStmt.Pos()).(*ast.FuncDecl) // checked by calledOnceOnFresh
	return analysis.Diagnostic{Pos: s0.pos, End: s0.end, Category: name,
		Message: message("fieldEarly", map[string]any{
			"Chan": s0.text, "Recv": md.Name.Name, "Ctor": ctor.Name.Name,
			"Return": chanutil.Where(pass.Fset, ret.Pos(), s0.pos), "Cond": types.ExprString(cond),
			"Go": chanutil.Where(pass.Fset, goStmt.Pos(), s0.pos),
		}),
		Related: []analysis.RelatedInformation{
			{Pos: goStmt.Pos(), Message: "the goroutine is started here"},
			{Pos: ret.Pos(), Message: "the only receiver can return here, before it receives"},
			{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
		}}, true
}
