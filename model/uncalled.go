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
	var top *Func
	for _, op := range ops {
		t := topFunc(op.Func)
		if t == nil || t.Lit || top != nil && t != top {
			return ""
		}
		top = t
	}
	decl, ok := top.Node.(*ast.FuncDecl)
	if !ok || decl.Name == nil {
		return ""
	}
	name := decl.Name.Name
	if name == "main" || name == "init" || name == "_" || decl.Recv != nil && libraryCalled[name] {
		return ""
	}
	if m.Info != nil {
		// The package's type information covers all its files. A use of
		// this function, or of an interface method of the same name (a
		// call through an interface may reach it), counts as a call.
		obj := m.Info.Defs[decl.Name]
		if obj == nil {
			return ""
		}
		for id, u := range m.Info.Uses {
			if id.Name != name {
				continue
			}
			if u == obj {
				return ""
			}
			if f, ok := u.(*types.Func); ok {
				if f.Origin() == obj {
					return "" // a method of an instance of a generic type
				}
				if sig, ok := f.Type().(*types.Signature); ok && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
					return ""
				}
			}
		}
		if decl.Recv != nil && ast.IsExported(name) {
			// Another package the value is handed to can call an
			// exported method through an interface of its own, or by
			// reflection, with no call written in package main.
			return "in `" + top.Name + "`, which no code in package main calls (a package handed a value of its type could still call it, through an interface or by reflection)"
		}
		return "in `" + top.Name + "`, which nothing in this program calls"
	}
	// Without types, a name is a call of it, except a Timer's or Ticker's
	// Stop or Reset the model recognises (its call sites).
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
		if id, ok := n.(*ast.Ident); ok && id != decl.Name && id.Name == name && !timeCalls[id] {
			used = true
		}
		return !used
	})
	if used {
		return ""
	}
	return "in `" + top.Name + "`, which nothing in this file calls"
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
