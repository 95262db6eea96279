package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// onceGuard finds the guard that keeps a defer in a loop from running more
// than once per call of its function, and says whether it is proven.
//
// Proven (flag != ""): the defer is inside `if !flag { flag = true; ...;
// defer ... }` (or `flag == false`), where flag is a local bool of the
// defer's own function declared false at the top level of its body, the
// `flag = true` is a statement of the guard's body ahead of the defer, and
// nothing else in the function (nor in a literal inside it) writes flag,
// takes its address or declares another variable of that name; the
// function has no goto (a backward goto could run the declaration again).
// Then the first execution of the defer sets flag for good, and no later
// pass gets past the guard.
//
// Also proven: the defer is inside `if i == C { ... }` (C a literal, or
// the equality one operand of an && chain), where i is the counter of the
// only loop around the defer in its function, `for i := ...; i < E; i++`
// (or `i > E; i--`), and nothing else in the function writes i or takes
// its address (provenCounter): i changes by one each pass and never wraps,
// so at most one pass meets the guard. Then flag is i.
//
// Unproven (guard != ""): the defer is inside an if, within the loop, whose
// body assigns a variable the condition reads (a lazy initialisation,
// `if f == nil { f = open(); defer f.Close() }`): it runs once unless the
// assignment can leave the condition true (open returned nil).
func onceGuard(file *ast.File, d *Defer) (flag, guard string) {
	if file == nil || d.Node == nil || d.Func == nil || d.Func.Body == nil {
		return "", ""
	}
	path, _ := EnclosingPath(file, d.Node.Pos(), d.Node.End())
	// An if counts as an unproven guard only within a loop of the function.
	loops := 0
	for _, n := range path {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loops++
		case *ast.FuncLit, *ast.FuncDecl:
			goto counted
		}
	}
counted:
	inLoop := false // past the innermost loop around the defer
	for i, n := range path {
		switch n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return "", guard // the guard must be in the defer's own function
		case *ast.ForStmt, *ast.RangeStmt:
			loops--
			inLoop = true
		}
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			continue
		}
		// A flag guard outside the innermost loop lets that loop run
		// the defer on every pass: only one inside it is proof.
		if !inLoop && i > 0 && path[i-1] == ast.Node(ifs.Body) {
			if f := provenFlag(d, ifs, path[:i-1]); f != "" {
				return f, ""
			}
			if c := provenCounter(d, ifs, path[i+1:]); c != "" {
				return c, ""
			}
		}
		if guard == "" && loops > 0 {
			guard = setsCondition(ifs)
		}
	}
	return "", guard
}

// provenFlag checks the `if !flag { flag = true; ... }` form (see onceGuard).
// inner is the path from the defer up to, not including, the if's body.
func provenFlag(d *Defer, ifs *ast.IfStmt, inner []ast.Node) string {
	if ifs.Init != nil {
		return ""
	}
	var name string
	switch c := ast.Unparen(ifs.Cond).(type) {
	case *ast.UnaryExpr:
		if id, ok := ast.Unparen(c.X).(*ast.Ident); ok && c.Op == token.NOT {
			name = id.Name
		}
	case *ast.BinaryExpr:
		x, xok := ast.Unparen(c.X).(*ast.Ident)
		y, yok := ast.Unparen(c.Y).(*ast.Ident)
		if c.Op == token.EQL && xok && yok && y.Name == "false" {
			name = x.Name
		}
	}
	if name == "" || name == "_" {
		return ""
	}
	// The statement of the guard's body that holds the defer.
	var holder ast.Stmt
	if len(inner) > 0 {
		holder, _ = inner[len(inner)-1].(ast.Stmt)
	}
	if holder == nil {
		return ""
	}
	// The `flag = true` of the guard's body: ahead of the statement
	// holding the defer, or after it when control cannot leave the body
	// between the two but by leaving the function (a return or a panic
	// ends the call; a break, continue or goto could start another pass
	// with flag still false): no branch statement in the holder or in the
	// statements between.
	var set *ast.AssignStmt
	after := false
	for _, s := range ifs.Body.List {
		if s == holder {
			after = true
			if hasBranch(holder) {
				break
			}
			continue
		}
		if as, ok := s.(*ast.AssignStmt); ok && as.Tok == token.ASSIGN && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
			l, lok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
			r, rok := ast.Unparen(as.Rhs[0]).(*ast.Ident)
			if lok && rok && l.Name == name && r.Name == "true" {
				set = as
				if after {
					break
				}
				continue
			}
		}
		if after && hasBranch(s) {
			break
		}
	}
	if set == nil {
		return ""
	}
	// The one declaration: at the top level of the function's body, false.
	var decl ast.Node
	for _, s := range d.Func.Body.List {
		if declaresFalse(s, name) {
			decl = s
			break
		}
	}
	if decl == nil || decl.End() > ifs.Pos() {
		return ""
	}
	// Parameters and results of that name shadow or are the flag: refuse.
	if fieldsName(d.Func.Type, name) {
		return ""
	}
	ok := true
	ast.Inspect(d.Func.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.BranchStmt:
			if n.Tok == token.GOTO {
				ok = false
			}
		case *ast.AssignStmt:
			if n == set || n == decl {
				return true
			}
			for _, l := range n.Lhs {
				if id, isID := ast.Unparen(l).(*ast.Ident); isID && id.Name == name {
					ok = false // another write, or := declaring another flag
				}
			}
		case *ast.IncDecStmt:
			if id, isID := ast.Unparen(n.X).(*ast.Ident); isID && id.Name == name {
				ok = false
			}
		case *ast.UnaryExpr:
			if id, isID := ast.Unparen(n.X).(*ast.Ident); isID && n.Op == token.AND && id.Name == name {
				ok = false // its address escapes: a write through the pointer
			}
		case *ast.ValueSpec:
			if n != declSpec(decl) {
				for _, id := range n.Names {
					if id.Name == name {
						ok = false
					}
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, isID := e.(*ast.Ident); isID && id.Name == name {
					ok = false
				}
			}
		case *ast.FuncLit:
			if fieldsName(n.Type, name) {
				ok = false
			}
		case *ast.TypeSwitchStmt:
			if as, isAs := n.Assign.(*ast.AssignStmt); isAs {
				for _, l := range as.Lhs {
					if id, isID := l.(*ast.Ident); isID && id.Name == name {
						ok = false
					}
				}
			}
		}
		return true
	})
	if !ok {
		return ""
	}
	return name
}

// declaresFalse reports `name := false`, `var name bool` or
// `var name = false` / `var name bool = false`, declaring name alone.
func declaresFalse(s ast.Stmt, name string) bool {
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Lhs) != 1 || len(s.Rhs) != 1 {
			return false
		}
		l, lok := s.Lhs[0].(*ast.Ident)
		r, rok := ast.Unparen(s.Rhs[0]).(*ast.Ident)
		return lok && rok && l.Name == name && r.Name == "false"
	case *ast.DeclStmt:
		vs := declSpec(s)
		if vs == nil || len(vs.Names) != 1 || vs.Names[0].Name != name {
			return false
		}
		switch len(vs.Values) {
		case 0:
			t, ok := vs.Type.(*ast.Ident)
			return ok && t.Name == "bool"
		case 1:
			v, ok := ast.Unparen(vs.Values[0]).(*ast.Ident)
			if vs.Type != nil {
				if t, tok := vs.Type.(*ast.Ident); !tok || t.Name != "bool" {
					return false
				}
			}
			return ok && v.Name == "false"
		}
	}
	return false
}

// declSpec is the single value spec of a `var` declaration statement.
func declSpec(n ast.Node) *ast.ValueSpec {
	ds, ok := n.(*ast.DeclStmt)
	if !ok {
		return nil
	}
	gd, ok := ds.Decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
		return nil
	}
	vs, _ := gd.Specs[0].(*ast.ValueSpec)
	return vs
}

func fieldsName(ft *ast.FuncType, name string) bool {
	if ft == nil {
		return false
	}
	for _, fl := range []*ast.FieldList{ft.TypeParams, ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				if id.Name == name {
					return true
				}
			}
		}
	}
	return false
}

// setsCondition returns a variable that the if's condition reads and its
// body assigns (not inside a literal), or "".
func setsCondition(ifs *ast.IfStmt) string {
	read := map[string]bool{}
	ast.Inspect(ifs.Cond, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			read[id.Name] = true
		}
		return true
	})
	set := ""
	ast.Inspect(ifs.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.ASSIGN {
			for _, l := range as.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && read[id.Name] && set == "" {
					set = id.Name
				}
			}
		}
		_, lit := n.(*ast.FuncLit)
		return set == "" && !lit
	})
	return set
}

// hasBranch reports whether s holds a break, continue, goto or fallthrough
// of its own function (those of function literals inside it do not count).
func hasBranch(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			found = true
		}
		return !found
	})
	return found
}

// onceCounterCond is the guard of a defer proven run-once by a loop
// counter (onceGuard's `if i == C` form) as written, "i == 0", or "" when
// the defer has no such guard.
func onceCounterCond(file *ast.File, d *Defer) string {
	if file == nil || d == nil || d.Node == nil || d.Func == nil || d.Func.Body == nil || !d.InLoop {
		return ""
	}
	path, _ := EnclosingPath(file, d.Node.Pos(), d.Node.End())
	for i, n := range path {
		switch n.(type) {
		case *ast.FuncLit, *ast.FuncDecl, *ast.ForStmt, *ast.RangeStmt:
			return ""
		}
		if ifs, ok := n.(*ast.IfStmt); ok && i > 0 && path[i-1] == ast.Node(ifs.Body) {
			if c := provenCounter(d, ifs, path[i+1:]); c != "" {
				return types.ExprString(counterEq(ifs.Cond, c))
			}
		}
	}
	return ""
}

// provenCounter checks the `if i == C` form of onceGuard. outer is the
// path from the if up (its enclosing nodes, innermost first).
func provenCounter(d *Defer, ifs *ast.IfStmt, outer []ast.Node) string {
	if ifs.Init != nil {
		return ""
	}
	// The only loop around the if, in the defer's own function.
	var loop *ast.ForStmt
	for _, n := range outer {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			goto found
		case *ast.RangeStmt:
			return ""
		case *ast.ForStmt:
			if loop != nil {
				return "" // an outer loop runs the counter's loop again
			}
			loop = n
		}
	}
found:
	if loop == nil || loop.Body == nil {
		return ""
	}
	// for i := ...; i < E; i++ (or i > E; i--).
	init, ok := loop.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
		return ""
	}
	iv, ok := init.Lhs[0].(*ast.Ident)
	if !ok || iv.Name == "_" {
		return ""
	}
	name := iv.Name
	post, ok := loop.Post.(*ast.IncDecStmt)
	if !ok {
		return ""
	}
	if id, isID := ast.Unparen(post.X).(*ast.Ident); !isID || id.Name != name {
		return ""
	}
	cond, ok := ast.Unparen(loop.Cond).(*ast.BinaryExpr)
	if !ok {
		return ""
	}
	op := cond.Op
	if id, isID := ast.Unparen(cond.Y).(*ast.Ident); isID && id.Name == name {
		switch op { // E > i is i < E
		case token.GTR:
			op = token.LSS
		case token.LSS:
			op = token.GTR
		default:
			return ""
		}
	} else if id, isID := ast.Unparen(cond.X).(*ast.Ident); !isID || id.Name != name {
		return ""
	}
	// The bound keeps the step from wrapping: i < E before i++.
	if !(post.Tok == token.INC && op == token.LSS || post.Tok == token.DEC && op == token.GTR) {
		return ""
	}
	if counterEq(ifs.Cond, name) == nil {
		return ""
	}
	// Nothing else writes i, declares another i or takes its address,
	// and no goto can run the loop's init again.
	ok = true
	ast.Inspect(d.Func.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.BranchStmt:
			if n.Tok == token.GOTO {
				ok = false
			}
		case *ast.AssignStmt:
			if n == init {
				return true
			}
			for _, l := range n.Lhs {
				if id, isID := ast.Unparen(l).(*ast.Ident); isID && id.Name == name {
					ok = false
				}
			}
		case *ast.IncDecStmt:
			if n == post {
				return true
			}
			if id, isID := ast.Unparen(n.X).(*ast.Ident); isID && id.Name == name {
				ok = false
			}
		case *ast.UnaryExpr:
			if id, isID := ast.Unparen(n.X).(*ast.Ident); isID && n.Op == token.AND && id.Name == name {
				ok = false
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				if id.Name == name {
					ok = false
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, isID := e.(*ast.Ident); isID && id.Name == name {
					ok = false
				}
			}
		case *ast.FuncLit:
			if fieldsName(n.Type, name) {
				ok = false
			}
		case *ast.TypeSwitchStmt:
			if as, isAs := n.Assign.(*ast.AssignStmt); isAs {
				for _, l := range as.Lhs {
					if id, isID := l.(*ast.Ident); isID && id.Name == name {
						ok = false
					}
				}
			}
		}
		return true
	})
	if !ok {
		return ""
	}
	return name
}

// counterEq finds `name == C` (or `C == name`), C an integer literal, as
// cond itself or an operand of its && chain; nil when there is none.
func counterEq(cond ast.Expr, name string) ast.Expr {
	switch c := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		switch c.Op {
		case token.LAND:
			if e := counterEq(c.X, name); e != nil {
				return e
			}
			return counterEq(c.Y, name)
		case token.EQL:
			if isName(c.X, name) && signedIntLit(c.Y) || isName(c.Y, name) && signedIntLit(c.X) {
				return c
			}
		}
	}
	return nil
}

func isName(e ast.Expr, name string) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == name
}

// signedIntLit: an integer literal, possibly negated.
func signedIntLit(e ast.Expr) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
		e = ast.Unparen(u.X)
	}
	b, ok := e.(*ast.BasicLit)
	return ok && b.Kind == token.INT
}
