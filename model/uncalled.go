package model

import (
	"go/ast"
	"go/types"
	"strings"
)

// A close written in a function nothing calls never runs: "Closed at line
// 40" said of a channel whose only close is in a Stop method no code calls
// leads a reader to believe the channel is closed (held-out review r12-z:
// a cache's janitor goroutine, never stopped, was still running when main
// returned). golens names where the close is and that nothing it sees calls
// that function.

// UncalledIn reports, when every close in ops is written in the same
// declared function (or a function literal in it) that nothing golens sees
// calls or refers to, "in `(*Cache).Stop`, which nothing in this program
// calls" (the typed tier, which sees every file of package main: the
// program) or "..., which nothing in this file calls" (the syntax tier);
// "" otherwise; for an exported method, which another package may call
// through its own interface or by reflection, "which no code in package
// main calls" with that caveat. Only in package main, whose functions no other package can
// call, and not for main, init, a test file's functions, or a method named
// like one the standard library calls through an interface (String, Close,
// ServeHTTP, ...: a value passed to fmt, io or net/http can have it
// called with no call written here).
func (m *File) UncalledIn(ops []*ChanOp) string {
	if len(ops) == 0 || m.AST == nil || m.AST.Name == nil || m.AST.Name.Name != "main" {
		return ""
	}
	if strings.HasSuffix(m.Fset.Position(m.AST.Pos()).Filename, "_test.go") {
		return ""
	}
	top, decl := closerDecl(ops)
	if decl == nil {
		return ""
	}
	name := decl.Name.Name
	if name == "main" || name == "init" || name == "_" {
		return ""
	}
	// A method the standard library calls through an interface (Close of
	// io.Closer) is not called by name in the program when a value is
	// handed to such code: the text says it may be (r21b_flusher_never_closed).
	library := ""
	if decl.Recv != nil && libraryCalled[name] {
		library = ": only code handed a value of its type could, through an interface"
	}
	if m.Info != nil {
		if m.typedReferred(decl) {
			return ""
		}
		if library != "" {
			return "in `" + top.Name + "`, which nothing in this program calls by name" + library
		}
		if decl.Recv != nil && ast.IsExported(name) {
			// Another package the value is handed to can call an
			// exported method through an interface of its own, or by
			// reflection, with no call written in package main.
			return "in `" + top.Name + "`, which no code in package main calls (a package handed a value of its type could still call it, through an interface or by reflection)"
		}
		return "in `" + top.Name + "`, which nothing in this program calls"
	}
	if m.syntaxReferred(decl) {
		return ""
	}
	if library != "" {
		// Another file of the package may call it by name: the syntax
		// tier sees this one (r21g_drain_files).
		return "in `" + top.Name + "`, which nothing in this file calls by name; another file, or code handed a value of its type through an interface, may"
	}
	return "in `" + top.Name + "`, which nothing in this file calls"
}

// closerDecl is the declared function every close in ops is written in
// (directly or in a function literal of it), with its declaration; nil
// when they are in several, or not in a declared function.
func closerDecl(ops []*ChanOp) (*Func, *ast.FuncDecl) {
	var top *Func
	for _, op := range ops {
		t := topFunc(op.Func)
		if t == nil || t.Lit || top != nil && t != top {
			return nil, nil
		}
		top = t
	}
	decl, ok := top.Node.(*ast.FuncDecl)
	if !ok || decl.Name == nil {
		return nil, nil
	}
	return top, decl
}

// typedReferred reports whether anything in the package refers to decl's
// function (the typed tier: the type information covers all its files).
// A use of it, of an instance of it (a generic type's method), or of an
// interface method of the same name (a call through an interface may reach
// it) counts as a call; so does a declaration golens finds no object for.
func (m *File) typedReferred(decl *ast.FuncDecl) bool {
	obj := m.Info.Defs[decl.Name]
	if obj == nil {
		return true
	}
	for id, u := range m.Info.Uses {
		if id.Name != decl.Name.Name {
			continue
		}
		if u == obj {
			return true
		}
		if f, ok := u.(*types.Func); ok {
			if f.Origin() == obj {
				return true
			}
			if sig, ok := f.Type().(*types.Signature); ok && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
				return true
			}
		}
	}
	return false
}

// syntaxReferred reports whether any identifier of the file other than
// decl's own name spells its name (the syntax tier: without types, a name
// is a call of it), except a Timer's or Ticker's Stop or Reset the model
// recognises (its call sites).
func (m *File) syntaxReferred(decl *ast.FuncDecl) bool {
	timeCalls := map[*ast.Ident]bool{}
	for i := range m.sites {
		if cs := m.sites[i].CallSite(); cs != nil && cs.Kind >= CallTimerStop && cs.Kind <= CallTickerReset {
			if sel, ok := cs.Call.Fun.(*ast.SelectorExpr); ok {
				timeCalls[sel.Sel] = true
			}
		}
	}
	used := false
	ast.Inspect(m.AST, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id != decl.Name && id.Name == decl.Name.Name && !timeCalls[id] {
			used = true
		}
		return !used
	})
	return used
}

// libraryCalled names methods the standard library calls through its
// interfaces (fmt.Stringer, error, io.Reader/Writer/Closer, sort and heap,
// sync.Locker, http.Handler, json and encoding marshalers, flag.Value,
// sql.Scanner, context.Context, slog.LogValuer, ...).
var libraryCalled = map[string]bool{
	"String": true, "GoString": true, "Format": true, "Error": true, "Unwrap": true, "Is": true, "As": true,
	"Read": true, "Write": true, "Close": true, "Seek": true, "ReadAt": true, "WriteAt": true, "ReadFrom": true,
	"WriteTo": true, "ReadByte": true, "ReadRune": true, "UnreadByte": true, "UnreadRune": true, "WriteByte": true,
	"WriteString": true, "WriteRune": true, "ServeHTTP": true, "Len": true, "Less": true, "Swap": true, "Push": true,
	"Pop": true, "Lock": true, "Unlock": true, "RLock": true, "RUnlock": true, "MarshalJSON": true,
	"UnmarshalJSON": true, "MarshalText": true, "UnmarshalText": true, "MarshalBinary": true,
	"UnmarshalBinary": true, "MarshalXML": true, "UnmarshalXML": true, "GobEncode": true, "GobDecode": true,
	"Scan": true, "Value": true, "Set": true, "Get": true, "Deadline": true, "Done": true, "Err": true,
	"Timeout": true, "Temporary": true, "LogValue": true, "Handle": true, "Enabled": true, "WithAttrs": true,
	"WithGroup": true, "Sync": true, "Stat": true, "Open": true, "ReadDir": true, "ReadFile": true,
	"Flush": true, "Sum": true, "Reset": true, "Size": true, "BlockSize": true, "Accept": true, "Addr": true,
	"Dial": true, "RoundTrip": true, "Next": true, "Run": true, "Do": true, "Wait": true, "Signal": true,
}

// CloseIfCalled reports, outside package main, when every close in ops is
// written in the same declared function (or a function literal in it), at
// is not in that function (nil: the annotation is on the make), and
// nothing golens sees calls or refers to that function:
// "`(*Mailbox).Shutdown` is called (line 19; nothing in package `mailbox`
// calls it, but code that imports the package may)", to follow "closed
// only if". "" otherwise.
//
// Why: in a library, a close in a method nothing in the package calls
// runs only if an importer calls that method; "m.inbox is closed at line
// 19" said as a fact misled a reader whose main never called Shutdown
// (held-out review r18b: the delivery goroutine ranging over the inbox
// was still blocked at exit). A call written in the package does not prove
// the function runs either, but there the close's line names where the
// channel's own package ends it, as in package main; only the function no
// code of the package reaches is the one whose close is an importer's
// choice. The caveat differs by what is seen: the syntax tier sees one
// file (another file of the package may call an unexported function), the
// typed tier the whole package (an unexported function nothing in it
// refers to is never called; an exported one may be, by importers).
func (m *File) CloseIfCalled(ops []*ChanOp, at *Func) string {
	if len(ops) == 0 || m.AST == nil || m.AST.Name == nil || m.AST.Name.Name == "main" {
		return ""
	}
	if strings.HasSuffix(m.Fset.Position(m.AST.Pos()).Filename, "_test.go") {
		return ""
	}
	top, decl := closerDecl(ops)
	if decl == nil || at != nil && topFunc(at) == top {
		return ""
	}
	name := decl.Name.Name
	if name == "init" || name == "_" || decl.Recv != nil && libraryCalled[name] {
		return ""
	}
	pkg := m.AST.Name.Name
	called := func(caveat string) string {
		return "`" + top.Name + "` is called (" + closeLineList(m, ops) + "; " + caveat + ")"
	}
	if m.Info != nil {
		if m.typedReferred(decl) {
			return ""
		}
		if ast.IsExported(name) {
			return called("nothing in package `" + pkg + "` calls it, but code that imports the package may")
		}
		return called("nothing in package `" + pkg + "` calls it")
	}
	if m.syntaxReferred(decl) {
		return ""
	}
	if ast.IsExported(name) {
		return called("nothing in this file calls it, but another file of package `" + pkg + "`, or code that imports the package, may")
	}
	return called("nothing in this file calls it, but another file of package `" + pkg + "` may")
}

// closeLineList is "line 19" or "lines 19 and 24" for the operations ops
// (closes, receives).
func closeLineList(m *File, ops []*ChanOp) string {
	var ls []string
	seen := map[int]bool{}
	for _, op := range ops {
		l := m.Line(op.Pos)
		if !seen[l] {
			seen[l] = true
			ls = append(ls, itoa(l))
		}
	}
	if len(ls) == 1 {
		return "line " + ls[0]
	}
	return "lines " + strings.Join(ls[:len(ls)-1], ", ") + " and " + ls[len(ls)-1]
}
