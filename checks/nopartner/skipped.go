package nopartner

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// The partner that returns early: the only code that sends on (or closes)
// a channel is one goroutine, and that goroutine can return before it
// sends, on an error path of its own; the function that started it then
// waits in a plain receive that nothing will ever complete.
//
//	ch := make(chan string)
//	go func() {
//		data, err := load(path)
//		if err != nil {
//			return // nothing sends on ch
//		}
//		ch <- data
//	}()
//	return <-ch
//
// Reported only when every send and close of the channel's class sits in
// that goroutine's own function (not in a literal inside it, not deferred),
// the function is run by that one go statement and nothing else, the
// early return is in an if among the function's top-level statements
// before the first send and reports no test failure (a test goroutine's
// t.Error and return is left to the test), and its condition is computed by the goroutine
// (it calls a function, or reads a variable the goroutine declares) or is
// the starter's caller's to decide (a parameter the go statement passes
// straight from the starter's own parameter, tested nowhere before the go
// statement: passedUnchecked): the starter cannot have ruled it out
// beforehand. The receive must be a plain
// statement of the block holding the go statement, after it, on the same
// channel instance: the goroutine's channel expression, with its receiver,
// parameters and captured variables replaced by what the go statement
// passes, spells the receive's channel and starts from the same variable.

// skippedSend reports the receive of such a class, or false.
func skippedSend(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) == 0 || len(c.sends)+len(c.closes) == 0 || len(c.recvs) == 0 {
		return analysis.Diagnostic{}, false
	}
	var sites []token.Pos
	for _, s := range c.sends {
		if s.maybe {
			return analysis.Diagnostic{}, false
		}
		sites = append(sites, s.pos)
	}
	sites = append(sites, c.closes...)

	file := fileAt(pass, sites[0])
	if file == nil {
		return analysis.Diagnostic{}, false
	}
	g := funcAt(pass, sites[0])
	if g == nil {
		return analysis.Diagnostic{}, false
	}
	for _, p := range sites[1:] {
		if fileAt(pass, p) != file || funcAt(pass, p) != g {
			return analysis.Diagnostic{}, false
		}
	}
	body := funcBody(g)
	if body == nil {
		return analysis.Diagnostic{}, false
	}
	goStmt, goFile := onlyGoStart(pass, g)
	if goStmt == nil {
		return analysis.Diagnostic{}, false
	}

	// The early return: an if before the statement of the first send.
	for _, p := range sites {
		if op := opAt(pass, p); op == nil || op.Deferred {
			return analysis.Diagnostic{}, false
		}
	}
	first := -1
	for i, s := range body.List {
		for _, p := range sites {
			if s.Pos() <= p && p < s.End() && first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return analysis.Diagnostic{}, false
	}
	decided := func(cond ast.Expr) bool {
		return decidedInside(pass, cond, body) || passedUnchecked(pass, cond, g, goStmt) ||
			fieldFromUncheckedParam(pass, cond, g, goStmt, goFile) // fieldparam.go
	}
	var early *ast.ReturnStmt // before the first send: a plain receive waits
	var cond ast.Expr
	for _, s := range body.List[:first] {
		ifs, ok := s.(*ast.IfStmt)
		if !ok || !decided(ifs.Cond) {
			continue
		}
		if r := model.ReturnIn(ifs.Body); r != nil && !pkgModel(pass).ReportsTestFailure(ifs.Body).ProvenTrue() && !reportsElsewhere(pass, ifs.Body) {
			early, cond = r, ifs.Cond
			break
		}
	}
	rangeEarly, rangeCond := earlyBeforeClose(pass, body, c.closes, sites, decided)
	if early == nil && rangeEarly == nil {
		return analysis.Diagnostic{}, false
	}

	// Every send and close, seen from the starter, is on one channel.
	var want string
	var wantRoot types.Object
	for _, p := range sites {
		x := chanExprAt(pass, p)
		if x == nil {
			return analysis.Diagnostic{}, false
		}
		seen := pkgModel(pass).AsSeenByStarter(g, goStmt, x) // the model's StarterSpelling
		text, root := seen.Text, seen.Root
		if !seen.ProvenTrue() || want != "" && (text != want || root != wantRoot) {
			return analysis.Diagnostic{}, false
		}
		want, wantRoot = text, root
	}

	// The starter's plain receive of that channel, after the go statement
	// in the same block.
	// Otherwise a receive in another method, from the same field of its
	// own receiver: that instance's goroutine is the only one that could
	// complete it.
	block := parentBlock(goFile, goStmt)
	if block == nil {
		return fieldWaiter(pass, c, g, file, sites, early, cond, rangeEarly, rangeCond, goStmt)
	}
	for _, r := range c.recvs {
		if !r.blocking || r.maybe || r.giveUp != nil || r.pos < goStmt.End() || r.pos >= block.End() {
			continue
		}
		var x ast.Expr
		ret, rcond, what := early, cond, "sends on"
		if len(c.sends) == 0 {
			what = "closes"
		}
		if rs, ok := rangeIn(block, r.pos); ok {
			// A range ends only at a close: the sends before it do not help.
			x, ret, rcond, what = rs.X, rangeEarly, rangeCond, "closes"
		} else if recv, ok := plainReceiveIn(goFile, block, r.pos); ok {
			x = recv.X
		}
		if x == nil || ret == nil {
			continue
		}
		text, root := types.ExprString(x), rootObject(pass.TypesInfo, x)
		if text != want || root != wantRoot || root == nil {
			continue
		}
		kind := "receive"
		if what == "closes" && ret == rangeEarly {
			if _, ok := rangeIn(block, r.pos); ok {
				kind = "range"
			}
		}
		return analysis.Diagnostic{Pos: r.pos, End: r.end, Category: name,
			Message: message("skippedSend", map[string]any{
				"Chan": text, "What": what, "Kind": kind,
				"Go": chanutil.Where(pass.Fset, goStmt.Pos(), r.pos), "Return": chanutil.Where(pass.Fset, ret.Pos(), r.pos),
				"Cond": types.ExprString(rcond),
			}),
			Related: []analysis.RelatedInformation{
				{Pos: goStmt.Pos(), Message: "the goroutine is started here"},
				{Pos: ret.Pos(), Message: "it can return here, before it " + what + " " + text},
				{Pos: sites[0], Message: "its first send or close"},
			}}, true
	}
	return fieldWaiter(pass, c, g, file, sites, early, cond, rangeEarly, rangeCond, goStmt)
}

// earlyBeforeClose: the goroutine's one close of the channel is one of its
// body's own statements (not deferred, not under a condition), and an if
// before it, whose condition the goroutine computes, returns without
// closing: a range over the channel then never ends.
func earlyBeforeClose(pass *analysis.Pass, body *ast.BlockStmt, closes, sites []token.Pos, decided func(ast.Expr) bool) (*ast.ReturnStmt, ast.Expr) {
	if len(closes) != 1 {
		return nil, nil
	}
	topLevel := false
	for _, s := range body.List {
		if es, ok := s.(*ast.ExprStmt); ok && es.X.Pos() == closes[0] {
			topLevel = true
		}
	}
	if !topLevel {
		return nil, nil
	}
	var early *ast.ReturnStmt
	var cond ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		if early != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if n.End() > closes[0] || !decided(n.Cond) || pkgModel(pass).ReportsTestFailure(n.Body).ProvenTrue() || reportsElsewhere(pass, n.Body) {
				return true
			}
			for _, p := range sites {
				if n.Body.Pos() <= p && p < n.Body.End() {
					return true
				}
			}
			if r := model.ReturnIn(n.Body); r != nil {
				early, cond = r, n.Cond
				return false
			}
		}
		return true
	})
	return early, cond
}

// rangeIn returns the range statement at p when it is one of block's own
// statements.
func rangeIn(block *ast.BlockStmt, p token.Pos) (*ast.RangeStmt, bool) {
	for _, s := range block.List {
		if rs, ok := s.(*ast.RangeStmt); ok && rs.For == p {
			return rs, true
		}
	}
	return nil, false
}

func fileAt(pass *analysis.Pass, p token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= p && p <= f.FileEnd {
			return f
		}
	}
	return nil
}

func funcBody(fn ast.Node) *ast.BlockStmt {
	switch f := fn.(type) {
	case *ast.FuncLit:
		return f.Body
	case *ast.FuncDecl:
		return f.Body
	}
	return nil
}

// onlyGoStart returns the go statement that runs fn, when that is the only
// way fn runs (the model's OnlyGoStart): a literal that is the go
// statement's function, or an unexported function of the package whose one
// use is a go statement's call.
func onlyGoStart(pass *analysis.Pass, fn ast.Node) (*ast.GoStmt, *ast.File) {
	pkg := pkgModel(pass)
	if pkg == nil {
		return nil, nil
	}
	g, _ := pkg.OnlyGoStart(fn, func(obj types.Object) bool { return public(pass, obj) })
	return g.Stmt, g.File
}

// decidedInside: the condition calls a function or reads a variable
// declared in body, so its value is the goroutine's own (the model's
// DecidedInside).
func decidedInside(pass *analysis.Pass, cond ast.Expr, body *ast.BlockStmt) bool {
	return pkgModel(pass).DecidedInside(cond, body).ProvenTrue()
}

// passedUnchecked: the condition reads a parameter of the goroutine's
// function fn for which the go statement passes a parameter of its own
// function, and that function tests that parameter nowhere before the go
// statement (the model's UncheckedParams): the value is whatever the
// starter's caller chose, and the starter has not ruled the early return
// out (`func (r *Runner) Run(cmd string) { go r.exec(cmd); <-r.resultCh }`
// while exec returns when cmd == "").
func passedUnchecked(pass *analysis.Pass, cond ast.Expr, fn ast.Node, g *ast.GoStmt) bool {
	params := pkgModel(pass).UncheckedParams(g, fn)
	if len(params) == 0 {
		return false
	}
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !found {
			found = params[pass.TypesInfo.Uses[id]].ProvenTrue()
		}
		return !found
	})
	return found
}

// testedBefore: a condition (if, switch tag, for) of body before p, or a
// case of a switch, mentions v, or v is assigned before p (the model's
// TestedBefore).
func testedBefore(info *types.Info, body *ast.BlockStmt, v types.Object, p token.Pos) bool {
	return model.TestedBefore(info, body, v, p).ProvenTrue()
}

// reportsElsewhere: the block sends on or closes a channel (an error
// channel, a done signal; the model's ChanOps of the block's own
// function): the error path tells someone, and the waiter may be told too
// (it may select on that channel first and never reach its receive).
func reportsElsewhere(pass *analysis.Pass, b *ast.BlockStmt) bool {
	m := modelOf(pass, b.Pos())
	if m == nil {
		return false
	}
	own := m.FuncAt(b.Pos())
	return own != nil && sendsOrCloses(pass, b.Pos(), b.End(), own, nil)
}

// chanExprAt is the channel of the send (at its arrow) or close (at its
// call) at p: the model's ChanOp.Operand.
func chanExprAt(pass *analysis.Pass, p token.Pos) ast.Expr {
	if op := opAt(pass, p); op != nil {
		return op.Operand()
	}
	return nil
}

// rootObject is the variable a chain of field selections starts from (the
// model's HolderPath).
func rootObject(info *types.Info, x ast.Expr) types.Object {
	root, _, _ := model.HolderPath(info, x)
	return root
}

// parentBlock is the block that lists s among its statements (on the
// model's EnclosingPath).
func parentBlock(file *ast.File, s ast.Stmt) *ast.BlockStmt {
	path, _ := model.EnclosingPath(file, s.Pos(), s.End())
	for i, n := range path {
		if n == s && i+1 < len(path) {
			b, _ := path[i+1].(*ast.BlockStmt)
			return b
		}
	}
	return nil
}

// plainReceiveIn returns the receive at p when its statement is one of
// block's own statements (an assignment, expression, declaration or
// return), so it runs whenever the block goes on to it.
func plainReceiveIn(file *ast.File, block *ast.BlockStmt, p token.Pos) (*ast.UnaryExpr, bool) {
	path, _ := model.EnclosingPath(file, p, p)
	var recv *ast.UnaryExpr
	for _, n := range path {
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if recv == nil && n.Op == token.ARROW && n.OpPos == p {
				recv = n
			}
		case *ast.BlockStmt:
			return recv, recv != nil && n == block
		case *ast.BinaryExpr:
			if n.Op == token.LAND || n.Op == token.LOR {
				return nil, false // evaluated only on one side's value
			}
		case *ast.AssignStmt, *ast.ExprStmt, *ast.ReturnStmt, *ast.DeclStmt, *ast.GenDecl, *ast.ValueSpec:
		case ast.Stmt, *ast.FuncLit:
			return nil, false
		}
	}
	return nil, false
}

// fieldWaiter: the goroutine is a method g whose every send and close is
// on one field f of its own receiver (r.f), and a method m of the same
// type that g does not call receives from m's own receiver's f in a plain
// receive or a range: on an instance whose g returned early nothing ever
// completes it.
//
//	func (s *S) run() {
//		if err := s.init(); err != nil {
//			return
//		}
//		close(s.ready)
//	}
//	func (s *S) WaitReady() { <-s.ready }
func fieldWaiter(pass *analysis.Pass, c *class, g ast.Node, file *ast.File, sites []token.Pos,
	early *ast.ReturnStmt, cond ast.Expr, rangeEarly *ast.ReturnStmt, rangeCond ast.Expr, goStmt *ast.GoStmt) (analysis.Diagnostic, bool) {
	pkg := pkgModel(pass)
	gd, ok := g.(*ast.FuncDecl)
	if !ok {
		return analysis.Diagnostic{}, false
	}
	recvType, recvVar := pkg.Receiver(gd)
	if recvVar == nil {
		return analysis.Diagnostic{}, false
	}
	var field *types.Var
	for _, p := range sites {
		f := pkg.OwnField(chanExprAt(pass, p), recvVar)
		if f == nil || field != nil && f != field {
			return analysis.Diagnostic{}, false
		}
		field = f
	}
	for _, r := range c.recvs {
		if !r.blocking || r.maybe || r.giveUp != nil {
			continue
		}
		rf := fileAt(pass, r.pos)
		if rf == nil {
			continue
		}
		md, ok := funcAt(pass, r.pos).(*ast.FuncDecl)
		if !ok || md == gd || calls(pass, gd, md) {
			continue
		}
		mType, mVar := pkg.Receiver(md)
		if mVar == nil || !types.Identical(mType, recvType) {
			continue
		}
		var x ast.Expr
		ret, rcond, what, kind := early, cond, "sends on", "receive"
		if len(c.sends) == 0 {
			what = "closes"
		}
		if rs, ok := rangeAt(rf, r.pos); ok {
			x, ret, rcond, what, kind = rs.X, rangeEarly, rangeCond, "closes", "range"
		} else if u, ok := recvAt(rf, r.pos); ok {
			x = u.X
		}
		if x == nil || ret == nil {
			continue
		}
		if f := pkg.OwnField(x, mVar); f == nil || f != field {
			continue
		}
		text := types.ExprString(x)
		return analysis.Diagnostic{Pos: r.pos, End: r.end, Category: name,
			Message: message("skippedField", map[string]any{
				"Chan": text, "What": what, "Kind": kind, "Method": gd.Name.Name,
				"Go": chanutil.Where(pass.Fset, goStmt.Pos(), r.pos), "Return": chanutil.Where(pass.Fset, ret.Pos(), r.pos),
				"Cond": types.ExprString(rcond),
			}),
			Related: []analysis.RelatedInformation{
				{Pos: goStmt.Pos(), Message: "the goroutine is started here"},
				{Pos: ret.Pos(), Message: "it can return here, before it " + what + " the channel"},
				{Pos: sites[0], Message: "its first send or close"},
			}}, true
	}
	return analysis.Diagnostic{}, false
}

// calls: fd's body (with its literals) names the function m declares
// (the model's RefersIn).
func calls(pass *analysis.Pass, fd, m *ast.FuncDecl) bool {
	fn, _ := pass.TypesInfo.Defs[m.Name].(*types.Func)
	pkg := pkgModel(pass)
	if fn == nil || pkg == nil {
		return true // unknown: the caller stays silent
	}
	return pkg.RefersIn(fn, fd.Body)
}

// rangeAt is the range statement whose for keyword is at p.
func rangeAt(file *ast.File, p token.Pos) (*ast.RangeStmt, bool) {
	path, _ := model.EnclosingPath(file, p, p)
	for _, n := range path {
		if rs, ok := n.(*ast.RangeStmt); ok && rs.For == p {
			return rs, true
		}
	}
	return nil, false
}

// recvAt is the receive expression whose arrow is at p.
func recvAt(file *ast.File, p token.Pos) (*ast.UnaryExpr, bool) {
	path, _ := model.EnclosingPath(file, p, p)
	for _, n := range path {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW && u.OpPos == p {
			return u, true
		}
	}
	return nil, false
}
